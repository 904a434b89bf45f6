#pragma once
// Runs the AI pipeline for the open exam on a worker thread (QtConcurrent + QFutureWatcher) and delivers
// results to the GUI thread by signal: heatmaps view by view, then the probabilities. One job at a time;
// cancel() stops it within one patch batch and no partial result is applied. Results are cached beside the
// exam (or in the user's cache folder when that is read-only) and reloaded instantly next time.
// GUI thread only (its signals are emitted on the GUI thread).
#include <QFutureWatcher>
#include <QObject>
#include <QString>

#include <memory>

#include "core/Exam.h"
#include "inference/Pipeline.h"

namespace mammo::core {
class JobContext;
}

namespace mammo::ui {

struct AnalysisSettings {
  QString modelBundle;   // folder with bundle.json
  int samples = 10;
  bool augment = true;
  int threads = 0;       // 0 = all cores
  bool fastHeatmaps = false;  // exact (as the reference) unless the user chooses the approximation
  bool progressive = true;    // preliminary one-sample results first
};

class AnalysisController : public QObject {
  Q_OBJECT

 public:
  explicit AnalysisController(QObject* parent = nullptr);
  ~AnalysisController() override;

  void setSettings(const AnalysisSettings& settings);
  const AnalysisSettings& settings() const { return m_settings; }
  // Loads a cached result for this exam and model if there is one (returns true and emits finished).
  bool loadCached(std::shared_ptr<const core::Exam> exam);
  void start(std::shared_ptr<const core::Exam> exam);
  void cancel();
  bool isRunning() const { return m_watcher.isRunning(); }
  // Where results of `exam` are cached.
  QString cacheFolder(const core::Exam& exam) const;

 signals:
  void progressChanged(double fraction, const QString& stage);
  void viewHeatmapsReady(std::shared_ptr<const inference::ViewAnalysis> view);
  void imageOnlyReady(inference::BreastProbabilities probabilities);
  // One deterministic sample, before the final N-sample results (progressive display).
  void preliminaryReady(bool withHeatmaps, inference::BreastProbabilities probabilities);
  void finished(std::shared_ptr<const inference::PipelineResult> result, bool fromCache);
  void failed(const QString& message);
  void cancelled();

 private:
  void onJobFinished();

  // What the worker hands back: exceptions never cross the thread boundary.
  struct Outcome {
    std::shared_ptr<inference::PipelineResult> result;
    QString error;
    bool cancelled = false;
  };

  AnalysisSettings m_settings;
  QFutureWatcher<Outcome> m_watcher;
  std::shared_ptr<core::JobContext> m_job;
  std::shared_ptr<inference::PipelineModels> m_models;  // built on the worker, reused across exams
  QString m_modelsFor;                                   // bundle path m_models were built from
  std::shared_ptr<const core::Exam> m_exam;
  QString m_error;
};

}  // namespace mammo::ui
