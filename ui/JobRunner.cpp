#include "ui/JobRunner.h"

#include <QMetaObject>

#include <algorithm>

namespace mammo::ui {

namespace {
constexpr int kLanes = 6;
int threadsOf(JobRunner::Lane lane) { return lane == JobRunner::Lane::Background ? 2 : 1; }
}  // namespace

JobRunner::JobRunner(QObject* parent) : QObject(parent) {
  qRegisterMetaType<mammo::core::JobStatus>();
  for (int i = 0; i < kLanes; ++i) {
    m_lanes[i].setMaxThreadCount(threadsOf(static_cast<Lane>(i)));
    // Workers stay: LibTorch's per-thread state (thread pools, allocator caches) is kept warm.
    m_lanes[i].setExpiryTimeout(-1);
  }
}

JobRunner::~JobRunner() {
  cancelAll();
  for (QThreadPool& lane : m_lanes) lane.waitForDone();
}

std::shared_ptr<core::JobContext> JobRunner::enqueue(Lane lane, const QString& name, QObject* receiver, Body body,
                                                     std::function<void(double, const QString&)> progress,
                                                     std::function<void(const QString&)> log) {
  QPointer<QObject> target(receiver);
  core::JobContext::ProgressFn onProgress;
  if (progress) {
    onProgress = [this, target, progress = std::move(progress)](double fraction, const std::string& stage) {
      QMetaObject::invokeMethod(
          this,
          [target, progress, fraction, text = QString::fromStdString(stage)] {
            if (target) progress(fraction, text);
          },
          Qt::QueuedConnection);
    };
  }
  core::JobContext::LogFn onLog;
  if (log) {
    onLog = [this, target, log = std::move(log)](const std::string& line) {
      QMetaObject::invokeMethod(
          this,
          [target, log, text = QString::fromStdString(line)] {
            if (target) log(text);
          },
          Qt::QueuedConnection);
    };
  }
  auto context = std::make_shared<core::JobContext>(std::move(onProgress), std::move(onLog));
  quint64 id = 0;
  {
    std::lock_guard lock(m_mutex);
    id = m_nextId++;
    m_entries.push_back({id, name, lane, context});
  }
  emit jobChanged(id, core::JobStatus::Queued);
  m_lanes[static_cast<int>(lane)].start([this, id, target, context, body = std::move(body)] {
    const bool skip = context->cancelled();
    if (!skip) {
      context->setStatus(core::JobStatus::Running);
      QMetaObject::invokeMethod(
          this, [this, id] { emit jobChanged(id, core::JobStatus::Running); }, Qt::QueuedConnection);
    }
    std::function<void()> deliver = body(*context, skip);
    const core::JobStatus status = context->status();
    QMetaObject::invokeMethod(
        this,
        [this, id, status, target, deliver = std::move(deliver)] {
          finished(id, status);  // out of jobs() before the receiver hears of it
          if (target && deliver) deliver();
        },
        Qt::QueuedConnection);
  });
  return context;
}

void JobRunner::finished(quint64 id, core::JobStatus status) {
  {
    std::lock_guard lock(m_mutex);
    m_entries.erase(std::remove_if(m_entries.begin(), m_entries.end(), [id](const Entry& e) { return e.id == id; }),
                    m_entries.end());
  }
  emit jobChanged(id, status);
}

std::vector<JobRunner::JobInfo> JobRunner::jobs() const {
  std::lock_guard lock(m_mutex);
  std::vector<JobInfo> out;
  for (const Entry& e : m_entries) {
    out.push_back(
        {e.id, e.name, e.lane, e.context->status(), e.context->fraction(), QString::fromStdString(e.context->stage())});
  }
  return out;
}

void JobRunner::cancelAll() {
  std::lock_guard lock(m_mutex);
  for (const Entry& e : m_entries) e.context->cancel();
}

void JobRunner::drain(Lane lane) { m_lanes[static_cast<int>(lane)].waitForDone(); }

}  // namespace mammo::ui
