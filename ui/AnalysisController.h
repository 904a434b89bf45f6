#pragma once
// The AI second opinion of the open exam (workstation/Analysis) on the job runner's Analysis lane, with
// results delivered to the GUI thread by signal: heatmaps view by view, then the probabilities. One
// analysis is current: starting another cancels it (the new one waits in the lane until the old one has
// stopped, within one patch batch) and nothing of a replaced or cancelled analysis is applied. Results are
// cached (workstation::analysisCacheFolder) and shown at once next time. GUI thread only (its signals are
// emitted on the GUI thread).
#include <QObject>
#include <QString>

#include <memory>

#include "core/Exam.h"
#include "inference/Pipeline.h"
#include "ui/Services.h"
#include "workstation/Settings.h"

namespace mammo::core {
class JobContext;
}
namespace mammo::workstation {
class ModelCache;
class PreReader;
}  // namespace mammo::workstation

namespace mammo::ui {

class AnalysisController : public QObject {
  Q_OBJECT

 public:
  AnalysisController(Services services, QObject* parent = nullptr);
  ~AnalysisController() override;

  // The settings this session analyses with (the main window starts them from the stored settings).
  void setSettings(const workstation::AiSettings& settings);
  const workstation::AiSettings& settings() const { return m_settings; }
  // The models the pre-reader uses (built once for both) and the pre-reader itself, held while the open
  // exam is analysed so that the open study goes first (BackgroundReading).
  void setBackground(std::shared_ptr<workstation::ModelCache> models, std::shared_ptr<workstation::PreReader> reader);
  // The exam opened: its cached result for the current model and settings is shown (finished with
  // fromCache), else, when `analyse`, it is analysed.
  void open(const std::shared_ptr<const core::Exam>& exam, bool analyse);
  // Analyses the exam now (a cached result is not used).
  void start(const std::shared_ptr<const core::Exam>& exam);
  void cancel();
  bool isRunning() const { return m_job != nullptr; }
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
  struct Outcome {
    std::shared_ptr<const inference::PipelineResult> result;  // null: nothing cached and not analysed
    bool fromCache = false;
  };
  void run(const std::shared_ptr<const core::Exam>& exam, bool useCache, bool analyse);

  Services m_services;
  workstation::AiSettings m_settings;
  std::shared_ptr<workstation::ModelCache> m_models;  // built on the worker, reused across exams
  std::shared_ptr<workstation::PreReader> m_preReader;  // may be null (no background reading)
  std::shared_ptr<core::JobContext> m_job;  // the current analysis, null when none
};

}  // namespace mammo::ui
