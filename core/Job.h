#pragma once
// The job contract (docs/ARCHITECTURE.md): a job is plain C++ that reports progress, checks for
// cancellation and logs through a JobContext. Every member is thread-safe: the job runs on a worker
// thread, cancel() comes from the GUI thread or a signal handler.
#include <atomic>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>

#include "core/Errors.h"

namespace mammo::core {

class JobContext {
 public:
  using ProgressFn = std::function<void(double fraction, const std::string& stage)>;
  using LogFn = std::function<void(const std::string& line)>;

  explicit JobContext(ProgressFn progress = {}, LogFn log = {})
      : m_progress(std::move(progress)), m_log(std::move(log)) {}

  // fraction in [0, 1] of the whole job; stage is a short human-readable label.
  void progress(double fraction, std::string_view stage) {
    std::lock_guard lock(m_mutex);
    m_fraction = fraction;
    m_stage = stage;
    if (m_progress) m_progress(fraction, m_stage);
  }
  // Never pass patient identifiers here: logs may be shared for support.
  void log(std::string_view line) {
    std::lock_guard lock(m_mutex);
    if (m_log) m_log(std::string(line));
  }
  void cancel() noexcept { m_cancelled.store(true); }
  bool cancelled() const noexcept { return m_cancelled.load(); }
  void throwIfCancelled() const {
    if (cancelled()) throw Cancelled();
  }
  double fraction() const {
    std::lock_guard lock(m_mutex);
    return m_fraction;
  }

 private:
  ProgressFn m_progress;
  LogFn m_log;
  mutable std::mutex m_mutex;
  std::atomic<bool> m_cancelled{false};
  double m_fraction = 0;
  std::string m_stage;
};

}  // namespace mammo::core
