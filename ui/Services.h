#pragma once
// What the GUI's windows and controllers are given instead of building: the typed settings and the job
// runner. app/gui_main.cpp (and each GUI test) makes them before the main window and destroys them after
// it. GUI thread only.
namespace mammo::workstation {
class Settings;
}

namespace mammo::ui {

class JobRunner;

struct Services {
  workstation::Settings& settings;
  JobRunner& jobs;
};

}  // namespace mammo::ui
