#pragma once
// What the GUI's windows and controllers are given instead of building: the typed settings, the job
// runner and the study store. app/gui_main.cpp (and each GUI test) makes them before the main window and
// destroys them after it. GUI thread only (the store itself is thread-safe: jobs use it on workers).
namespace mammo::workstation {
class Settings;
}
namespace mammo::pacs {
class StudyStore;
}

namespace mammo::ui {

class JobRunner;

struct Services {
  workstation::Settings& settings;
  JobRunner& jobs;
  pacs::StudyStore& store;
};

}  // namespace mammo::ui
