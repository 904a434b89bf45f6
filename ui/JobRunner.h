#pragma once
// The one way the GUI runs background work: loading exams, heatmap files, the AI analysis, training,
// annotation I/O and review, writing settings files. A job is plain C++ — work(core::JobContext&)
// returning a value — run on a worker of its lane; its status (core::JobStatus) goes queued -> running ->
// cancelled | failed | done, and its progress, result, error or cancellation is delivered to the GUI thread
// through callbacks in the context of a receiver object (dropped when the receiver is gone). Nothing here
// blocks the GUI thread except drain(), for destructors at the end of a window's life.
//
// Lanes are queues with their own workers, so a long job never delays another kind: Loading (exams and
// heatmap files, one at a time), Analysis (the AI, one at a time), Annotation (session reads, last writes
// and reviews, one at a time and in order, so a session's last writes always precede the next session's
// reads), Training (one run), Background (small jobs: summaries, bundles, settings files, starting the
// receiver; two at a time), Network (queries and retrievals from the PACS, one at a time).
//
// Threads: start(), jobs() and cancelAll() on the GUI thread; the callbacks run there. Work functions run on
// the lane's worker and must not touch widgets or VTK; they capture values or shared state only.
#include <QObject>
#include <QPointer>
#include <QString>
#include <QThreadPool>

#include <array>
#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <type_traits>
#include <vector>

#include "core/Job.h"

namespace mammo::ui {

namespace detail {
template <class Result>
struct DoneFn {
  using type = std::function<void(Result)>;
};
template <>
struct DoneFn<void> {
  using type = std::function<void()>;
};
}  // namespace detail

class JobRunner : public QObject {
  Q_OBJECT

 public:
  enum class Lane { Loading = 0, Analysis, Annotation, Training, Background, Network };

  // What a job reports on the GUI thread. All optional.
  template <class Result>
  struct Callbacks {
    std::function<void(double fraction, const QString& stage)> progress;
    std::function<void(const QString& line)> log;
    typename detail::DoneFn<Result>::type done;
    std::function<void(const QString& message)> failed;
    std::function<void()> cancelled;
  };

  struct JobInfo {
    quint64 id = 0;
    QString name;
    Lane lane = Lane::Background;
    core::JobStatus status = core::JobStatus::Queued;
    double fraction = 0;
    QString stage;
  };

  explicit JobRunner(QObject* parent = nullptr);
  // Cancels every job and waits for the workers (at most one batch or step of each running job).
  ~JobRunner() override;

  // Queues `work` on `lane`. The returned context cancels it (cancel()) and tells its status.
  template <class Result>
  std::shared_ptr<core::JobContext> start(Lane lane, const QString& name, QObject* receiver,
                                          std::function<Result(core::JobContext&)> work,
                                          Callbacks<Result> callbacks = {});

  // Jobs not yet finished (queued or running), oldest first.
  std::vector<JobInfo> jobs() const;
  void cancelAll();
  // Blocks until every job queued on `lane` so far has finished (their callbacks still come later, by the
  // event loop). For destructors that must leave their files complete, and tests.
  void drain(Lane lane);

 signals:
  // A job was queued or changed status (GUI thread).
  void jobChanged(quint64 id, mammo::core::JobStatus status);

 private:
  struct Entry {
    quint64 id = 0;
    QString name;
    Lane lane = Lane::Background;
    std::shared_ptr<core::JobContext> context;
  };
  // The job's body as the lane's worker runs it: `skip` when it was cancelled before it started; returns what
  // to call on the GUI thread (the receiver's callback for the outcome), after the job left jobs().
  using Body = std::function<std::function<void()>(core::JobContext& job, bool skip)>;
  std::shared_ptr<core::JobContext> enqueue(Lane lane, const QString& name, QObject* receiver, Body body,
                                            std::function<void(double, const QString&)> progress,
                                            std::function<void(const QString&)> log);
  void finished(quint64 id, core::JobStatus status);

  std::array<QThreadPool, 6> m_lanes;
  mutable std::mutex m_mutex;
  std::vector<Entry> m_entries;  // unfinished jobs
  quint64 m_nextId = 1;
};

template <class Result>
std::shared_ptr<core::JobContext> JobRunner::start(Lane lane, const QString& name, QObject* receiver,
                                                   std::function<Result(core::JobContext&)> work,
                                                   Callbacks<Result> callbacks) {
  auto progress = std::move(callbacks.progress);
  auto log = std::move(callbacks.log);
  Body body = [work = std::move(work), c = std::move(callbacks)](core::JobContext& job,
                                                                 bool skip) -> std::function<void()> {
    using core::JobStatus;
    JobStatus status = JobStatus::Done;
    QString error;
    std::function<void()> deliver;
    try {
      if (skip) {
        status = JobStatus::Cancelled;
      } else if constexpr (std::is_void_v<Result>) {
        work(job);
        deliver = c.done;
      } else {
        auto result = std::make_shared<Result>(work(job));
        if (c.done) deliver = [done = c.done, result] { done(std::move(*result)); };
      }
      if (job.cancelled()) status = JobStatus::Cancelled;  // finished just as it was cancelled: apply nothing
    } catch (const core::Cancelled&) {
      status = JobStatus::Cancelled;
    } catch (const std::exception& e) {
      status = JobStatus::Failed;
      error = QString::fromStdString(e.what());
    }
    job.setStatus(status);
    if (status == JobStatus::Cancelled) return c.cancelled;
    if (status == JobStatus::Failed) {
      if (!c.failed) return {};
      return [failed = c.failed, error] { failed(error); };
    }
    return deliver;
  };
  return enqueue(lane, name, receiver, std::move(body), std::move(progress), std::move(log));
}

}  // namespace mammo::ui
