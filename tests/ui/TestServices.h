#pragma once
// The services a GUI test gives its windows, as app/gui_main.cpp does: settings on QSettings (the test
// organisation's, which each test's main() clears), a job runner and an empty study store of its own. A test class holds one as a member
// declared before its windows, so the runner outlives them.
#include <QCoreApplication>

#include <filesystem>
#include <memory>

#include "pacs/StudyStore.h"
#include "ui/JobRunner.h"
#include "ui/QtSettingsStore.h"
#include "ui/Services.h"
#include "workstation/Settings.h"

namespace mammo::test {

struct TestServices {
  TestServices() : store(freshStore()) {}
  // <tmp>/<test executable's application name>-store, emptied.
  static std::filesystem::path freshStore() {
    const std::filesystem::path dir =
        std::filesystem::path(MAMMO_TEST_TMP) / (QCoreApplication::applicationName().toStdString() + "-store");
    std::filesystem::remove_all(dir);
    return dir;
  }
  std::unique_ptr<workstation::Settings> settings = ui::makeQtSettings();
  pacs::StudyStore store;  // a store of this test executable's own (emptied by the tests that need it)
  ui::JobRunner jobs;
  ui::Services services() { return {*settings, jobs, store}; }
};

}  // namespace mammo::test
