#include "ui/TrainingController.h"

#include <QPointer>
#include <QtConcurrent/QtConcurrentRun>

#include <cstdio>

#include <exception>

namespace mammo::ui {

TrainingController::TrainingController(QObject* parent) : QObject(parent) {}

TrainingController::~TrainingController() {
  m_stop = true;
  join();
}

void TrainingController::join() {
  if (m_thread.joinable()) m_thread.join();
}

bool TrainingController::start(const TrainingRequest& request) {
  if (isRunning()) return false;
  m_stop = false;
  emit started();
  // Events are posted to this object: they run on the GUI thread, and are dropped if it is gone.
  auto post = [this](auto fn) { QMetaObject::invokeMethod(this, std::move(fn), Qt::QueuedConnection); };
  m_thread = std::thread([this, request, post] {
    TrainingEvents events;
    events.partStarted = [&](const std::string& part, const std::vector<training::EpochMetrics>& history) {
      post([this, part = QString::fromStdString(part), history] { emit partStarted(part, history); });
    };
    events.progress = [&](const std::string& part, double fraction, const std::string& text) {
      post([this, part = QString::fromStdString(part), fraction, text = QString::fromStdString(text)] {
        emit progressChanged(part, fraction, text);
      });
    };
    events.epochDone = [&](const std::string& part, const training::EpochMetrics& m,
                           const std::vector<training::RocPoint>& roc) {
      QVector<QPointF> points;
      for (const auto& p : roc) points.append({p.falsePositiveRate, p.truePositiveRate});
      post([this, part = QString::fromStdString(part), m, points] { emit epochDone(part, m, points); });
    };
    events.log = [&](const std::string& line) {
      post([this, line = QString::fromStdString(line)] { emit logLine(line); });
    };
    events.stopRequested = [this] { return m_stop.load(); };
    QString error;
    bool stopped = false;
    try {
      stopped = runTraining(request, events) == TrainingOutcome::Stopped;
    } catch (const std::exception& e) {
      error = QString::fromStdString(e.what());
    }
    // The thread is done once this runs (join returns at once): the controller is free for the next run.
    post([this, error, stopped] {
      join();
      m_stop = false;
      if (error.isEmpty()) emit finished(stopped);
      else emit failed(error);
    });
  });
  return true;
}

void TrainingController::stop() {
  if (isRunning()) m_stop = true;
}

void TrainingController::summarise(const QString& examList, double validationFraction, std::uint64_t seed) {
  QPointer<TrainingController> self(this);
  (void)QtConcurrent::run([self, examList, validationFraction, seed] {
    SplitSummary summary;
    QString error;
    try {
      const core::ExamList list = core::readExamList(examList.toStdString());
      summary = summariseSplit(list, training::splitByPatient(list, {validationFraction, 0.0, seed}));
    } catch (const std::exception& e) {
      error = QString::fromStdString(e.what());
    }
    if (!self) return;
    QMetaObject::invokeMethod(self.data(), [self, examList, summary, error] {
      if (!self) return;
      if (error.isEmpty()) emit self->summaryReady(examList, summary);
      else emit self->summaryFailed(examList, error);
    }, Qt::QueuedConnection);
  });
}

void TrainingController::makeReadingBundle(const CheckpointEntry& checkpoint, const QString& runDir,
                                           const QString& fallbackBundle) {
  QPointer<TrainingController> self(this);
  (void)QtConcurrent::run([self, checkpoint, runDir, fallbackBundle] {
    const std::filesystem::path run = runDir.toStdString();
    char name[64];
    std::snprintf(name, sizeof name, "%s-epoch-%03d", checkpoint.part.c_str(), checkpoint.epoch);
    const std::filesystem::path folder = run / "reading" / name;
    QString error;
    try {
      writeReadingBundle(checkpoint, run, fallbackBundle.toStdString(), folder);
    } catch (const std::exception& e) {
      error = QString::fromStdString(e.what());
    }
    if (!self) return;
    QMetaObject::invokeMethod(self.data(), [self, folder = QString::fromStdString(folder.string()), error] {
      if (!self) return;
      if (error.isEmpty()) emit self->bundleReady(folder);
      else emit self->bundleFailed(error);
    }, Qt::QueuedConnection);
  });
}

}  // namespace mammo::ui
