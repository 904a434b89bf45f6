#pragma once
// The job contract (docs/ARCHITECTURE.md): a job is plain C++ that reports progress, checks for
// cancellation and logs through a JobContext.
//
// Threads: every member is thread-safe. The job runs on a worker thread; cancel() comes from the GUI
// thread or a signal handler. The progress and log callbacks are fixed at construction and are called on
// the thread that reports, never while the context holds its lock (so a callback may call back into the
// context); when a job reports from several threads they may run concurrently and must be thread-safe.
//
// Nesting: subRange(begin, end) gives a child context for one part of the work. The child's progress
// 0..1 is the parent's begin..end, its log lines go to the parent's log, and cancelling either cancels
// both (a child asks its parent whether it is cancelled). A child must not outlive its parent.
#include <atomic>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>

#include "core/Errors.h"

namespace mammo::core {

// The life of a job as a job runner sees it. Queued: waiting for a worker; Running; then exactly one of
// Cancelled (stopped on request: no result), Failed (an error: a message for the user) or Done (a result).
enum class JobStatus { Queued, Running, Cancelled, Failed, Done };
std::string_view toString(JobStatus status);
inline bool isFinished(JobStatus s) {
  return s == JobStatus::Cancelled || s == JobStatus::Failed || s == JobStatus::Done;
}

class JobContext {
 public:
  using ProgressFn = std::function<void(double fraction, const std::string& stage)>;
  using LogFn = std::function<void(const std::string& line)>;

  explicit JobContext(ProgressFn progress = {}, LogFn log = {})
      : m_progress(std::move(progress)), m_log(std::move(log)) {}
  JobContext(const JobContext&) = delete;
  JobContext& operator=(const JobContext&) = delete;

  // The part [begin, end] of this job's progress (fractions of this context's 0..1), e.g.
  // `JobContext part = job.subRange(0.2, 0.6);`. `prefix`, when given, is put before the child's stage texts.
  JobContext subRange(double begin, double end, std::string prefix = {}) {
    return JobContext(this, begin, end, std::move(prefix));
  }

  // fraction in [0, 1] of this context's work; stage is a short human-readable label.
  void progress(double fraction, std::string_view stage);
  // Never pass patient identifiers here: logs may be shared for support.
  void log(std::string_view line);

  void cancel() noexcept;
  bool cancelled() const noexcept;
  void throwIfCancelled() const {
    if (cancelled()) throw Cancelled();
  }

  // The last progress reported to this context (its own 0..1 and stage text).
  double fraction() const;
  std::string stage() const;

  // Set by whoever runs the job (a job runner, a CLI command); Queued until then.
  JobStatus status() const noexcept { return m_status.load(); }
  void setStatus(JobStatus status) noexcept { m_status.store(status); }

 private:
  JobContext(JobContext* parent, double begin, double end, std::string prefix)
      : m_parent(parent), m_begin(begin), m_end(end), m_prefix(std::move(prefix)) {}

  const ProgressFn m_progress;
  const LogFn m_log;
  JobContext* const m_parent = nullptr;
  const double m_begin = 0, m_end = 1;
  const std::string m_prefix;
  mutable std::mutex m_mutex;  // m_fraction and m_stage only
  std::atomic<bool> m_cancelled{false};
  std::atomic<JobStatus> m_status{JobStatus::Queued};
  double m_fraction = 0;
  std::string m_stage;
};

inline std::string_view toString(JobStatus status) {
  switch (status) {
    case JobStatus::Queued:
      return "queued";
    case JobStatus::Running:
      return "running";
    case JobStatus::Cancelled:
      return "cancelled";
    case JobStatus::Failed:
      return "failed";
    case JobStatus::Done:
      return "done";
  }
  return "unknown";
}

inline void JobContext::progress(double fraction, std::string_view stage) {
  std::string text = m_prefix.empty() ? std::string(stage) : m_prefix + std::string(stage);
  {
    std::lock_guard lock(m_mutex);
    m_fraction = fraction;
    m_stage = text;
  }
  if (m_parent) m_parent->progress(m_begin + fraction * (m_end - m_begin), text);
  if (m_progress) m_progress(fraction, text);
}

inline void JobContext::log(std::string_view line) {
  if (m_parent) m_parent->log(line);
  if (m_log) m_log(std::string(line));
}

inline void JobContext::cancel() noexcept {
  m_cancelled.store(true);
  if (m_parent) m_parent->cancel();
}

inline bool JobContext::cancelled() const noexcept { return m_cancelled.load() || (m_parent && m_parent->cancelled()); }

inline double JobContext::fraction() const {
  std::lock_guard lock(m_mutex);
  return m_fraction;
}

inline std::string JobContext::stage() const {
  std::lock_guard lock(m_mutex);
  return m_stage;
}

}  // namespace mammo::core
