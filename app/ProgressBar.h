#pragma once
// A terminal progress bar for CLI jobs (stderr, redrawn in place when stderr is a terminal). Thread-safe:
// a job may report from several threads (core::JobContext calls its callbacks without a lock).
#include <cmath>
#include <cstdio>
#include <mutex>
#include <string>

#include <unistd.h>

namespace mammo::app {

class ProgressBar {
 public:
  void update(double fraction, const std::string& stage) {
    std::lock_guard lock(m_mutex);
    const int width = 30;
    const int filled = static_cast<int>(std::lround(fraction * width));
    if (isatty(fileno(stderr))) {
      std::fprintf(stderr, "\r[%-*s] %3d%% %-40.40s", width, std::string(filled, '#').c_str(),
                   static_cast<int>(std::lround(fraction * 100)), stage.c_str());
      if (fraction >= 1.0) std::fputc('\n', stderr);
    } else if (stage != m_lastStage) {
      std::fprintf(stderr, "%3d%% %s\n", static_cast<int>(std::lround(fraction * 100)), stage.c_str());
    }
    m_lastStage = stage;
    std::fflush(stderr);
  }

 private:
  std::mutex m_mutex;
  std::string m_lastStage;
};

}  // namespace mammo::app
