#pragma once
// Runs a training session (ui/TrainingSession) on its own worker thread — not Qt's global pool, which the
// reading screen's loading and analysis share — and reports to the GUI thread by signal. One run at a time;
// stop() asks the run to save its resume state and return at the next optimiser step. Also prepares the
// dataset summary and reading bundles in the background. GUI thread only (its signals are emitted there).
#include <QObject>
#include <QPointF>
#include <QString>
#include <QVector>

#include <atomic>
#include <memory>
#include <thread>

#include "ui/TrainingCheckpoints.h"
#include "ui/TrainingSession.h"

namespace mammo::ui {

class TrainingController : public QObject {
  Q_OBJECT

 public:
  explicit TrainingController(QObject* parent = nullptr);
  // Stops a running session and waits for it (at most one optimiser step or validation).
  ~TrainingController() override;

  // Starts `request` unless a session runs (returns false then).
  bool start(const TrainingRequest& request);
  void stop();
  bool isRunning() const { return m_thread.joinable(); }
  bool isStopping() const { return m_stop.load(); }

  // The split summary of an exam list; summaryReady or summaryFailed follows.
  void summarise(const QString& examList, double validationFraction, std::uint64_t seed);
  // A model bundle for reading from `checkpoint`; bundleReady or bundleFailed follows.
  void makeReadingBundle(const CheckpointEntry& checkpoint, const QString& runDir, const QString& fallbackBundle);

 signals:
  void started();
  void partStarted(const QString& part, const std::vector<mammo::training::EpochMetrics>& history);
  void progressChanged(const QString& part, double fraction, const QString& text);
  void epochDone(const QString& part, const mammo::training::EpochMetrics& metrics, const QVector<QPointF>& roc);
  void logLine(const QString& line);
  // Stopped: the run saved its resume state.
  void finished(bool stopped);
  void failed(const QString& message);
  void summaryReady(const QString& examList, const mammo::ui::SplitSummary& summary);
  void summaryFailed(const QString& examList, const QString& message);
  void bundleReady(const QString& folder);
  void bundleFailed(const QString& message);

 private:
  void join();

  std::thread m_thread;
  std::atomic<bool> m_stop{false};
};

}  // namespace mammo::ui
