#pragma once
// workstation::Settings' values in QSettings (the organisation and application names of the running
// QApplication), under the same keys the workstation has always used. GUI thread.
#include "workstation/Settings.h"

namespace mammo::ui {

class QtSettingsStore : public workstation::SettingsStore {
 public:
  std::optional<workstation::SettingValue> value(const std::string& key,
                                                 const workstation::SettingValue& type) const override;
  void setValue(const std::string& key, const workstation::SettingValue& value) override;
  void remove(const std::string& key) override;
};

// Settings on QSettings, with the platform's data and cache folders (QStandardPaths).
std::unique_ptr<workstation::Settings> makeQtSettings();

}  // namespace mammo::ui
