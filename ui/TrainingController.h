#pragma once
// Runs a training request (workstation/TrainingRun) on the job runner's Training lane — not where the
// reading screen's loading and analysis run — and reports to the GUI thread by signal. One run at a time;
// stop() cancels the job: the run saves its resume state and returns at the next optimiser step. Also
// lists a run's checkpoints, prepares the dataset summary and reading bundles in the background.
// GUI thread only (its signals are emitted there).
#include <QObject>
#include <QPointF>
#include <QString>
#include <QVector>

#include <memory>

#include "ui/JobRunner.h"
#include "workstation/TrainingCheckpoints.h"
#include "workstation/TrainingRun.h"

namespace mammo::ui {

class TrainingController : public QObject {
  Q_OBJECT

 public:
  explicit TrainingController(JobRunner& runner, QObject* parent = nullptr);
  // Stops a running session and waits for it (at most one optimiser step or validation).
  ~TrainingController() override;

  // Starts `request` unless a session runs (returns false then).
  bool start(const workstation::TrainingRequest& request);
  void stop();
  bool isRunning() const { return m_job != nullptr; }
  bool isStopping() const { return m_job && m_job->cancelled(); }

  // The split summary of an exam list; summaryReady or summaryFailed follows.
  void summarise(const QString& examList, double validationFraction, std::uint64_t seed);
  // A model bundle for reading from `checkpoint`; bundleReady or bundleFailed follows.
  void makeReadingBundle(const workstation::CheckpointEntry& checkpoint, const QString& runDir,
                         const QString& fallbackBundle);
  // The checkpoints of a run folder; checkpointsListed follows.
  void listCheckpoints(const QString& runDir);

 signals:
  void started();
  // `part`: the run folder's spelling (training::folderName).
  void partStarted(const QString& part, const std::vector<mammo::training::EpochMetrics>& history);
  void progressChanged(double fraction, const QString& text);
  void epochDone(const QString& part, const mammo::training::EpochMetrics& metrics, const QVector<QPointF>& roc);
  void logLine(const QString& line);
  // Stopped: the run saved its resume state.
  void finished(bool stopped);
  void failed(const QString& message);
  void summaryReady(const QString& examList, const mammo::workstation::SplitSummary& summary);
  void summaryFailed(const QString& examList, const QString& message);
  void bundleReady(const QString& folder);
  void bundleFailed(const QString& message);
  void checkpointsListed(const QString& runDir, const std::vector<mammo::workstation::CheckpointEntry>& entries);

 private:
  JobRunner& m_runner;
  std::shared_ptr<core::JobContext> m_job;  // the running training, null when none
};

}  // namespace mammo::ui
