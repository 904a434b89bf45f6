#include "ui/QtSettingsStore.h"

#include <QSettings>
#include <QStandardPaths>
#include <QStringList>

namespace mammo::ui {

using workstation::Bytes;
using workstation::SettingValue;

std::optional<SettingValue> QtSettingsStore::value(const std::string& key, const SettingValue& type) const {
  const QVariant v = QSettings().value(QString::fromStdString(key));
  if (!v.isValid()) return std::nullopt;
  bool ok = true;
  if (std::holds_alternative<bool>(type)) return v.toBool();
  if (std::holds_alternative<int>(type)) {
    const int i = v.toInt(&ok);
    return ok ? std::optional<SettingValue>(i) : std::nullopt;
  }
  if (std::holds_alternative<double>(type)) {
    const double d = v.toDouble(&ok);
    return ok ? std::optional<SettingValue>(d) : std::nullopt;
  }
  if (std::holds_alternative<std::vector<std::string>>(type)) {
    std::vector<std::string> out;
    for (const QString& s : v.toStringList()) out.push_back(s.toStdString());
    return out;
  }
  if (std::holds_alternative<Bytes>(type)) return Bytes{v.toByteArray().toStdString()};
  return v.toString().toStdString();
}

void QtSettingsStore::setValue(const std::string& key, const SettingValue& value) {
  QVariant v;
  if (const bool* b = std::get_if<bool>(&value))
    v = *b;
  else if (const int* i = std::get_if<int>(&value))
    v = *i;
  else if (const double* d = std::get_if<double>(&value))
    v = *d;
  else if (const std::string* s = std::get_if<std::string>(&value))
    v = QString::fromStdString(*s);
  else if (const Bytes* bytes = std::get_if<Bytes>(&value))
    v = QByteArray::fromStdString(bytes->data);
  else {
    QStringList list;
    for (const std::string& s : std::get<std::vector<std::string>>(value)) list << QString::fromStdString(s);
    v = list;
  }
  QSettings().setValue(QString::fromStdString(key), v);
}

void QtSettingsStore::remove(const std::string& key) { QSettings().remove(QString::fromStdString(key)); }

std::unique_ptr<workstation::Settings> makeQtSettings() {
  return std::make_unique<workstation::Settings>(
      std::make_unique<QtSettingsStore>(),
      QStandardPaths::writableLocation(QStandardPaths::AppDataLocation).toStdString(),
      QStandardPaths::writableLocation(QStandardPaths::CacheLocation).toStdString());
}

}  // namespace mammo::ui
