#include "ui/TrainingController.h"

#include <QMetaObject>
#include <QPointer>

#include <exception>

namespace mammo::ui {

using workstation::TrainingOutcome;

TrainingController::TrainingController(JobRunner& runner, QObject* parent) : QObject(parent), m_runner(runner) {
  qRegisterMetaType<std::vector<mammo::training::EpochMetrics>>();
  qRegisterMetaType<mammo::training::EpochMetrics>();
  qRegisterMetaType<mammo::workstation::SplitSummary>();
  qRegisterMetaType<std::vector<mammo::workstation::CheckpointEntry>>();
}

TrainingController::~TrainingController() {
  if (!m_job) return;
  m_job->cancel();
  m_runner.drain(JobRunner::Lane::Training);  // the run's resume state is on disk before the window goes
}

bool TrainingController::start(const workstation::TrainingRequest& request) {
  if (isRunning()) return false;
  emit started();
  // The per-epoch events come from the training thread: posted to this object, dropped if it is gone.
  QPointer<TrainingController> self(this);
  auto post = [self](auto fn) {
    QMetaObject::invokeMethod(
        self.data(),
        [self, fn] {
          if (self) fn(*self);
        },
        Qt::QueuedConnection);
  };
  workstation::TrainingEvents events;
  events.computeRoc = true;
  events.partStarted = [post](training::RunPart part, const std::vector<training::EpochMetrics>& history) {
    post([name = QString::fromUtf8(training::folderName(part).data()), history](TrainingController& c) {
      emit c.partStarted(name, history);
    });
  };
  events.epochDone = [post](training::RunPart part, const training::EpochMetrics& m,
                            const std::vector<training::RocPoint>& roc) {
    QVector<QPointF> points;
    for (const auto& p : roc) points.append({p.falsePositiveRate, p.truePositiveRate});
    post([name = QString::fromUtf8(training::folderName(part).data()), m, points](TrainingController& c) {
      emit c.epochDone(name, m, points);
    });
  };
  JobRunner::Callbacks<TrainingOutcome> callbacks;
  callbacks.progress = [this](double fraction, const QString& text) { emit progressChanged(fraction, text); };
  callbacks.log = [this](const QString& line) { emit logLine(line); };
  callbacks.done = [this](TrainingOutcome outcome) {
    m_job.reset();
    emit finished(outcome == TrainingOutcome::Stopped);
  };
  callbacks.failed = [this](const QString& message) {
    m_job.reset();
    emit failed(message);
  };
  callbacks.cancelled = [this] {  // stopped before it began
    m_job.reset();
    emit finished(true);
  };
  m_job = m_runner.start<TrainingOutcome>(
      JobRunner::Lane::Training, tr("Training"), this,
      [request, events](core::JobContext& job) { return workstation::runTraining(request, job, events); },
      std::move(callbacks));
  return true;
}

void TrainingController::stop() {
  if (m_job) m_job->cancel();
}

void TrainingController::summarise(const QString& examList, double validationFraction, std::uint64_t seed) {
  workstation::TrainingRequest request;
  request.examList = examList.toStdString();
  request.validationFraction = validationFraction;
  request.train.seed = seed;
  JobRunner::Callbacks<workstation::SplitSummary> callbacks;
  callbacks.done = [this, examList](const workstation::SplitSummary& s) { emit summaryReady(examList, s); };
  callbacks.failed = [this, examList](const QString& message) { emit summaryFailed(examList, message); };
  m_runner.start<workstation::SplitSummary>(
      JobRunner::Lane::Background, tr("Reading the exam list"), this,
      [request](core::JobContext&) { return workstation::prepareTraining(request).summary; }, std::move(callbacks));
}

void TrainingController::makeReadingBundle(const workstation::CheckpointEntry& checkpoint, const QString& runDir,
                                           const QString& fallbackBundle) {
  const std::filesystem::path run = runDir.toStdString();
  const std::filesystem::path folder = training::RunFolder(run).readingBundle(checkpoint.part, checkpoint.epoch);
  JobRunner::Callbacks<void> callbacks;
  callbacks.done = [this, folder = QString::fromStdString(folder.string())] { emit bundleReady(folder); };
  callbacks.failed = [this](const QString& message) { emit bundleFailed(message); };
  m_runner.start<void>(
      JobRunner::Lane::Background, tr("Preparing the model bundle"), this,
      [checkpoint, run, fallback = fallbackBundle.toStdString(), folder](core::JobContext&) {
        workstation::writeReadingBundle(checkpoint, run, fallback, folder);
      },
      std::move(callbacks));
}

void TrainingController::listCheckpoints(const QString& runDir) {
  JobRunner::Callbacks<std::vector<workstation::CheckpointEntry>> callbacks;
  callbacks.done = [this, runDir](const std::vector<workstation::CheckpointEntry>& entries) {
    emit checkpointsListed(runDir, entries);
  };
  callbacks.failed = [this, runDir](const QString&) { emit checkpointsListed(runDir, {}); };
  m_runner.start<std::vector<workstation::CheckpointEntry>>(
      JobRunner::Lane::Background, tr("Listing checkpoints"), this,
      [run = runDir.toStdString()](core::JobContext&) { return workstation::listCheckpoints(run); },
      std::move(callbacks));
}

}  // namespace mammo::ui
