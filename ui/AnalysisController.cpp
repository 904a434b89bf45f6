#include "ui/AnalysisController.h"

#include <QMetaObject>
#include <QPointer>

#include "core/Job.h"
#include "ui/JobRunner.h"
#include "workstation/Analysis.h"
#include "workstation/PreReading.h"

namespace mammo::ui {

AnalysisController::AnalysisController(Services services, QObject* parent)
    : QObject(parent),
      m_services(services),
      m_settings(services.settings.ai()),
      m_models(std::make_shared<workstation::ModelCache>()) {
  qRegisterMetaType<std::shared_ptr<const inference::ViewAnalysis>>();
  qRegisterMetaType<inference::BreastProbabilities>();
  qRegisterMetaType<std::shared_ptr<const inference::PipelineResult>>();
}

AnalysisController::~AnalysisController() { cancel(); }

void AnalysisController::setSettings(const workstation::AiSettings& settings) { m_settings = settings; }

void AnalysisController::setBackground(std::shared_ptr<workstation::ModelCache> models,
                                       std::shared_ptr<workstation::PreReader> reader) {
  m_models = std::move(models);
  m_preReader = std::move(reader);
}

namespace {

// The pre-reader held while the open exam is analysed (a running pre-read stops within a patch batch).
class HoldPreReader {
 public:
  explicit HoldPreReader(std::shared_ptr<workstation::PreReader> reader) : m_reader(std::move(reader)) {
    if (m_reader) m_reader->hold();
  }
  ~HoldPreReader() {
    if (m_reader) m_reader->release();
  }
  HoldPreReader(const HoldPreReader&) = delete;
  HoldPreReader& operator=(const HoldPreReader&) = delete;

 private:
  std::shared_ptr<workstation::PreReader> m_reader;
};

}  // namespace

QString AnalysisController::cacheFolder(const core::Exam& exam) const {
  return QString::fromStdString(
      workstation::analysisCacheFolder(exam, m_settings, m_services.settings.userCacheDir()).string());
}

void AnalysisController::open(const std::shared_ptr<const core::Exam>& exam, bool analyse) { run(exam, true, analyse); }

void AnalysisController::start(const std::shared_ptr<const core::Exam>& exam) {
  if (m_settings.modelBundle.empty()) {
    cancel();
    emit failed(tr("No AI model is configured. Choose a model bundle (AI → Choose model...)."));
    return;
  }
  run(exam, false, true);
}

void AnalysisController::cancel() {
  if (!m_job) return;
  m_job->cancel();
}

void AnalysisController::run(const std::shared_ptr<const core::Exam>& exam, bool useCache, bool analyse) {
  if (m_job) m_job->cancel();  // replaced: it stops within one batch, and nothing of it is applied
  const auto job = std::make_shared<std::weak_ptr<core::JobContext>>();
  QPointer<AnalysisController> self(this);
  // Worker-thread events of this job, applied only while it is the current one and not cancelled.
  const auto post = [self, job](auto emitter) {
    QMetaObject::invokeMethod(
        self.data(),
        [self, job, emitter] {
          const std::shared_ptr<core::JobContext> current = job->lock();
          if (self && current && self->m_job == current && !current->cancelled()) emitter(*self);
        },
        Qt::QueuedConnection);
  };
  workstation::AnalysisEvents events;
  events.preliminary = [post](bool withHeatmaps, const inference::BreastProbabilities& p) {
    post([withHeatmaps, p](AnalysisController& c) { emit c.preliminaryReady(withHeatmaps, p); });
  };
  events.viewHeatmaps = [post](const inference::ViewAnalysis& view) {
    auto copy = std::make_shared<const inference::ViewAnalysis>(view);  // the heatmaps are shared, not copied
    post([copy](AnalysisController& c) { emit c.viewHeatmapsReady(copy); });
  };
  events.imageOnly = [post](const inference::BreastProbabilities& p) {
    post([p](AnalysisController& c) { emit c.imageOnlyReady(p); });
  };
  const auto isCurrent = [this, job] { return m_job && m_job == job->lock(); };
  JobRunner::Callbacks<Outcome> callbacks;
  callbacks.progress = [this, isCurrent](double fraction, const QString& stage) {
    if (isCurrent()) emit progressChanged(fraction, stage);
  };
  callbacks.done = [this, isCurrent](const Outcome& outcome) {
    if (!isCurrent()) return;
    m_job.reset();
    if (outcome.result) emit finished(outcome.result, outcome.fromCache);
  };
  callbacks.failed = [this, isCurrent](const QString& message) {
    if (!isCurrent()) return;
    m_job.reset();
    emit failed(message);
  };
  callbacks.cancelled = [this, isCurrent] {
    if (!isCurrent()) return;  // replaced by a newer analysis: not news
    m_job.reset();
    emit cancelled();
  };
  m_job = m_services.jobs.start<Outcome>(
      JobRunner::Lane::Analysis, tr("AI analysis"), this,
      [exam, settings = m_settings, models = m_models, reader = m_preReader,
       cacheDir = m_services.settings.userCacheDir(), useCache, analyse, events](core::JobContext& context) -> Outcome {
        if (useCache) {
          if (auto cached = workstation::readCachedAnalysis(*exam, settings, cacheDir)) {
            return {std::make_shared<const inference::PipelineResult>(std::move(*cached)), true};
          }
        }
        if (!analyse) return {};
        const HoldPreReader hold(reader);
        return {std::make_shared<const inference::PipelineResult>(
                    workstation::analyseExam(*exam, settings, *models, cacheDir, context, events)),
                false};
      },
      std::move(callbacks));
  *job = m_job;
}

}  // namespace mammo::ui
