#pragma once
// The services a GUI test gives its windows, as app/gui_main.cpp does: settings on QSettings (the test
// organisation's, which each test's main() clears) and a job runner. A test class holds one as a member
// declared before its windows, so the runner outlives them.
#include <memory>

#include "ui/JobRunner.h"
#include "ui/QtSettingsStore.h"
#include "ui/Services.h"
#include "workstation/Settings.h"

namespace mammo::test {

struct TestServices {
  std::unique_ptr<workstation::Settings> settings = ui::makeQtSettings();
  ui::JobRunner jobs;
  ui::Services services() { return {*settings, jobs}; }
};

}  // namespace mammo::test
