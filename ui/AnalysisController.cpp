#include "ui/AnalysisController.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFileInfo>
#include <QPointer>
#include <QStandardPaths>
#include <QtConcurrent/QtConcurrentRun>

#include <filesystem>

#include "core/Job.h"
#include "inference/Device.h"
#include "inference/ModelBundle.h"
#include "inference/ResultWriter.h"

namespace mammo::ui {

AnalysisController::AnalysisController(QObject* parent) : QObject(parent) {
  qRegisterMetaType<std::shared_ptr<const inference::ViewAnalysis>>();
  qRegisterMetaType<inference::BreastProbabilities>();
  qRegisterMetaType<std::shared_ptr<const inference::PipelineResult>>();
  connect(&m_watcher, &QFutureWatcher<Outcome>::finished, this,
          &AnalysisController::onJobFinished);
}

AnalysisController::~AnalysisController() {
  cancel();
  m_watcher.waitForFinished();
}

void AnalysisController::setSettings(const AnalysisSettings& settings) { m_settings = settings; }

QString AnalysisController::cacheFolder(const core::Exam& exam) const {
  // Keyed by the exam's files and the model, so another model never shows a stale result.
  QCryptographicHash hash(QCryptographicHash::Sha1);
  for (const auto& images : exam.views) {
    for (const auto& image : images) hash.addData(QByteArray::fromStdString(image.info.sourcePath));
  }
  hash.addData(m_settings.modelBundle.toUtf8());
  hash.addData(QByteArray::number(m_settings.samples) + (m_settings.augment ? "a" : "d") +
               (m_settings.fastHeatmaps ? "f" : "e"));
  const QString key = QString::fromLatin1(hash.result().toHex().left(16));
  const core::Image* first = exam.first(core::StandardView::LCC);
  if (first) {
    const QFileInfo dir(QFileInfo(QString::fromStdString(first->info.sourcePath)).absolutePath());
    if (dir.isWritable()) return dir.absoluteFilePath() + "/.mammolens/ai/" + key;
  }
  return QStandardPaths::writableLocation(QStandardPaths::CacheLocation) + "/ai/" + key;
}

bool AnalysisController::loadCached(std::shared_ptr<const core::Exam> exam) {
  if (!exam || m_settings.modelBundle.isEmpty()) return false;
  const QString folder = cacheFolder(*exam);
  if (!QFileInfo::exists(folder + "/result.json")) return false;
  try {
    auto result = std::make_shared<inference::PipelineResult>(inference::readExamResult(folder.toStdString()));
    emit finished(result, true);
    return true;
  } catch (const std::exception&) {
    return false;  // a damaged cache is simply recomputed
  }
}

void AnalysisController::start(std::shared_ptr<const core::Exam> exam) {
  if (isRunning()) return;
  if (m_settings.modelBundle.isEmpty()) {
    emit failed(tr("No AI model is configured. Choose a model bundle (AI → Choose model...)."));
    return;
  }
  m_exam = std::move(exam);
  m_error.clear();
  QPointer<AnalysisController> self(this);
  m_job = std::make_shared<core::JobContext>([self](double fraction, const std::string& stage) {
    QMetaObject::invokeMethod(self, [self, fraction, text = QString::fromStdString(stage)] {
      if (self) emit self->progressChanged(fraction, text);
    }, Qt::QueuedConnection);
  });
  auto job = m_job;
  auto examToAnalyse = m_exam;
  const AnalysisSettings settings = m_settings;
  const QString cache = cacheFolder(*m_exam);
  const bool rebuild = !m_models || m_modelsFor != settings.modelBundle;
  if (rebuild) m_models.reset();
  m_modelsFor = settings.modelBundle;
  auto models = m_models;
  auto* modelsSlot = &m_models;
  m_watcher.setFuture(QtConcurrent::run([=]() -> Outcome {
    try {
    // CUDA when this LibTorch has it and a GPU is present, else the CPU; the models go where it says.
    const inference::ComputeInfo compute = inference::applyComputeSettings({settings.threads, "auto"});
    auto built = models;
    if (!built) {
      job->progress(0.0, "Loading model");
      built = std::make_shared<inference::PipelineModels>(
          inference::buildModels(inference::readModelBundle(settings.modelBundle.toStdString()), compute.device));
      // Handed back on the GUI thread in onJobFinished (m_models is only touched there).
      QMetaObject::invokeMethod(self, [self, modelsSlot, built] {
        if (self) *modelsSlot = built;
      }, Qt::QueuedConnection);
    }
    inference::PipelineOptions options;
    options.samples = settings.samples;
    options.augment = settings.augment;
    options.heatmapMode = settings.fastHeatmaps ? inference::HeatmapMode::Fast : inference::HeatmapMode::Exact;
    options.progressive = settings.progressive;
    options.onPreliminary = [self](bool withHeatmaps, const inference::BreastProbabilities& p) {
      QMetaObject::invokeMethod(self, [self, withHeatmaps, p] {
        if (self && self->m_job && !self->m_job->cancelled()) emit self->preliminaryReady(withHeatmaps, p);
      }, Qt::QueuedConnection);
    };
    options.onViewHeatmaps = [self](const inference::ViewAnalysis& view) {
      auto copy = std::make_shared<const inference::ViewAnalysis>(view);
      QMetaObject::invokeMethod(self, [self, copy] {
        if (self && self->m_job && !self->m_job->cancelled()) emit self->viewHeatmapsReady(copy);
      }, Qt::QueuedConnection);
    };
    options.onImageOnly = [self](const inference::BreastProbabilities& p) {
      QMetaObject::invokeMethod(self, [self, p] {
        if (self && self->m_job && !self->m_job->cancelled()) emit self->imageOnlyReady(p);
      }, Qt::QueuedConnection);
    };
    auto result = std::make_shared<inference::PipelineResult>(inference::runPipeline(*examToAnalyse, *built, options, job.get()));
    // Save for instant reopening; a failure to save never loses the result on screen.
    try {
      inference::writeExamResult(*result, cache.toStdString());
    } catch (const std::exception&) {
    }
    return Outcome{result, {}, false};
    } catch (const core::Cancelled&) {
      return Outcome{nullptr, {}, true};
    } catch (const std::exception& e) {
      return Outcome{nullptr, QString::fromStdString(e.what()), false};
    }
  }));
}

void AnalysisController::cancel() {
  if (m_job) m_job->cancel();
}

void AnalysisController::onJobFinished() {
  const bool wasCancelled = m_job && m_job->cancelled();
  const Outcome outcome = m_watcher.result();
  if (outcome.cancelled || wasCancelled) {
    emit cancelled();  // also when it finished just as it was cancelled: apply nothing
    return;
  }
  if (!outcome.result) {
    emit failed(outcome.error);
    return;
  }
  emit finished(outcome.result, false);
}

}  // namespace mammo::ui
