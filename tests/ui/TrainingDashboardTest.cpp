// The training dashboard under Xvfb with real widgets: on a tiny phantom dataset (small phantoms, input
// scale 0.1, so an epoch takes a few seconds) the split summary shows, Start trains the cancer model on
// the worker thread while the event loop keeps ticking, the curves grow epoch by epoch, Stop saves the
// run, Resume continues at the next epoch (not at 1), the checkpoint list fills, and "Use this checkpoint
// for reading" makes a bundle that MainWindow adopts. Waits use QTRY_* / QSignalSpy, never sleeps.
#include <QApplication>
#include <QComboBox>
#include <QDockWidget>
#include <QDoubleSpinBox>
#include <QElapsedTimer>
#include <QLabel>
#include <QLineSeries>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableWidget>
#include <QTest>
#include <QTimer>

#include <filesystem>
#include <vector>

#include "core/Phantom.h"
#include "inference/Device.h"
#include "inference/ModelBundle.h"
#include "inference/SafeTensors.h"
#include "training/BundleExport.h"
#include "training/Dataset.h"
#include "ui/AnalysisController.h"
#include "ui/MainWindow.h"
#include "TestServices.h"
#include "ui/TrainingCharts.h"
#include "ui/TrainingController.h"
#include "ui/TrainingDashboard.h"
#include "training/Checkpoint.h"
#include "training/RunFolder.h"
#include "workstation/TrainingRun.h"
#include "ui/VtkOpenGLWidget.h"

using namespace mammo;

namespace {

namespace fs = std::filesystem;

const fs::path kDir = fs::path(MAMMO_TEST_TMP) / "training-dashboard";
constexpr int kEpochs = 6;
constexpr double kValidationFraction = 0.4;
constexpr int kSplitSeed = 1;

// The largest gap between ticks of a 20 ms timer on the GUI thread, while it runs.
class TickMonitor {
 public:
  TickMonitor() {
    m_timer.setInterval(20);
    QObject::connect(&m_timer, &QTimer::timeout, [this] {
      m_maxGap = std::max(m_maxGap, m_clock.restart());
      ++m_ticks;
    });
    m_clock.start();
    m_timer.start();
  }
  qint64 maxGapMs() const { return m_maxGap; }
  int ticks() const { return m_ticks; }

 private:
  QTimer m_timer;
  QElapsedTimer m_clock;
  qint64 m_maxGap = 0;
  int m_ticks = 0;
};

void fillForm(ui::TrainingDashboard& d) {
  d.phaseBox()->setCurrentIndex(d.phaseBox()->findData(static_cast<int>(workstation::TrainingPhase::Cancer)));
  d.epochsBox()->setValue(kEpochs);
  d.batchBox()->setValue(2);
  d.learningRateBox()->setValue(3e-4);
  d.seedBox()->setValue(kSplitSeed);
  d.inputScaleBox()->setValue(0.1);
  d.validationFractionBox()->setValue(kValidationFraction);
  d.patienceBox()->setValue(100);  // no early stop: the test counts epochs
}

}  // namespace

class TrainingDashboardTest : public QObject {
  Q_OBJECT

  test::TestServices m_services;  // before the windows: outlives them

 private slots:
  void initTestCase() {
    // One intra-op thread: the shared 2-core machine keeps a core for the GUI thread.
    inference::applyComputeSettings({1, "cpu"});
    fs::remove_all(kDir);
    core::PhantomOptions options;
    options.size = core::PhantomSize::Small;
    options.seed = 21;
    options.lesionRate = 0.9;
    options.malignantFraction = 0.5;
    core::PhantomWriteOptions write;
    write.dicom = false;
    write.png = true;
    m_list = core::synthesiseExams(8, options, write, kDir / "data");
    m_listFile = QString::fromStdString((kDir / "data" / "exam_list.json").string());
  }

  void summaryShowsTheSplit() {
    ui::TrainingDashboard d(m_services.services());
    fillForm(d);
    QSignalSpy shown(&d, &ui::TrainingDashboard::summaryShown);
    d.setExamList(m_listFile);
    QTRY_VERIFY_WITH_TIMEOUT(!shown.isEmpty(), 20000);
    const auto split = training::splitByPatient(m_list, {kValidationFraction, 0.0, kSplitSeed});
    const workstation::SplitSummary s = workstation::summariseSplit(m_list, split);
    const QString text = d.summaryLabel()->text();
    QVERIFY2(text.contains(QStringLiteral("patients")) && text.contains(QStringLiteral("images")), qPrintable(text));
    // Training and validation columns of the exam and image rows, as the split gives them.
    QVERIFY2(text.contains(QStringLiteral("exams</td><td align=right>%1</td><td align=right>%2</td>")
                               .arg(s.train.statistics.exams)
                               .arg(s.validation.statistics.exams)),
             qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("images</td><td align=right>%1</td><td align=right>%2</td>")
                               .arg(s.train.images)
                               .arg(s.validation.images)),
             qPrintable(text));
    QCOMPARE(s.train.images + s.validation.images, 8 * 4);
  }

  void startStopResumeContinues() {
    ui::TrainingDashboard d(m_services.services());
    d.resize(1400, 900);
    d.show();
    fillForm(d);
    d.setExamList(m_listFile);
    d.setOutputFolder(QString::fromStdString((kDir / "run").string()));
    ui::TrainingCharts* charts = d.charts();
    std::vector<int> epochs;  // every epochDone, in order
    connect(d.controller(), &ui::TrainingController::epochDone, this,
            [&epochs](const QString&, const training::EpochMetrics& m, const QVector<QPointF>&) {
              epochs.push_back(m.epoch);
            });
    QSignalSpy finished(d.controller(), &ui::TrainingController::finished);
    QSignalSpy failed(d.controller(), &ui::TrainingController::failed);

    TickMonitor ticks;
    QVERIFY(d.startButton()->isEnabled());
    QTest::mouseClick(d.startButton(), Qt::LeftButton);
    QVERIFY(d.controller()->isRunning());
    QVERIFY(d.stopButton()->isEnabled());
    QVERIFY(!d.startButton()->isEnabled());
    // Live curves: one point per epoch.
    QTRY_VERIFY_WITH_TIMEOUT(charts->trainLoss()->count() >= 2 || !failed.isEmpty(), 90000);
    QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.at(0).at(0).toString()));
    QCOMPARE(charts->validationLoss()->count(), charts->trainLoss()->count());
    QVERIFY(charts->aucMalignant()->count() >= 2);  // the validation split has both classes
    QVERIFY(charts->roc()->count() >= 3);  // (0,0), thresholds, (1,1)
    QCOMPARE(charts->roc()->at(0), QPointF(0, 0));
    QCOMPARE(charts->roc()->at(charts->roc()->count() - 1), QPointF(1, 1));

    QTest::mouseClick(d.stopButton(), Qt::LeftButton);
    QVERIFY(!d.stopButton()->isEnabled());  // one stop request is enough
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
    QCOMPARE(finished.at(0).at(0).toBool(), true);  // stopped, not finished
    const int stoppedAt = charts->lastEpoch();
    QVERIFY2(stoppedAt >= 2 && stoppedAt < kEpochs, qPrintable(QString::number(stoppedAt)));
    QCOMPARE(static_cast<int>(epochs.size()), stoppedAt);
    QTRY_COMPARE(d.checkpointTable()->rowCount(), stoppedAt);
    QVERIFY(d.startButton()->isEnabled() && d.resumeButton()->isEnabled() && !d.stopButton()->isEnabled());

    // Start again into the same folder is refused: it would overwrite the run.
    QTest::mouseClick(d.startButton(), Qt::LeftButton);
    QVERIFY(!d.controller()->isRunning());
    QVERIFY(d.statusLabel()->text().contains(QStringLiteral("Resume")));

    QTest::mouseClick(d.resumeButton(), Qt::LeftButton);
    QVERIFY(d.controller()->isRunning());
    // The saved epochs come back from metrics.json, then training goes on at the next epoch.
    QTRY_COMPARE_WITH_TIMEOUT(charts->trainLoss()->count(), stoppedAt, 30000);
    QTRY_VERIFY_WITH_TIMEOUT(static_cast<int>(epochs.size()) > stoppedAt || !failed.isEmpty(), 60000);
    QVERIFY(failed.isEmpty());
    QCOMPARE(epochs[static_cast<std::size_t>(stoppedAt)], stoppedAt + 1);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 2, 120000);
    QCOMPARE(finished.at(1).at(0).toBool(), false);  // finished
    std::vector<int> expected;
    for (int e = 1; e <= kEpochs; ++e) expected.push_back(e);
    QCOMPARE(epochs, expected);  // no epoch repeated, none skipped
    QCOMPARE(charts->trainLoss()->count(), kEpochs);
    for (int i = 0; i < kEpochs; ++i) QCOMPARE(charts->trainLoss()->at(i).x(), i + 1.0);
    QCOMPARE(charts->lastEpoch(), kEpochs);
    QCOMPARE(
        training::readMetricsFile(training::RunFolder(kDir / "run").part(training::RunPart::Image).metrics()).size(),
        static_cast<std::size_t>(kEpochs));

    // The checkpoint list: one row per epoch, with its metrics, the best one marked.
    QTableWidget* table = d.checkpointTable();
    QTRY_COMPARE(table->rowCount(), kEpochs);  // listed in the background
    int best = 0;
    for (int r = 0; r < kEpochs; ++r) {
      QCOMPARE(table->item(r, 0)->text(), QStringLiteral("Image-only model"));
      QCOMPARE(table->item(r, 1)->text().toInt(), r + 1);
      QVERIFY(table->item(r, 2)->text().toDouble() > 0);  // training loss
      best += !table->item(r, 5)->text().isEmpty();
    }
    QCOMPARE(best, 1);

    d.grab().save(QString::fromStdString((kDir / "dashboard.png").string()));  // for a look, not compared
    // The GUI thread never waited on training.
    QVERIFY(ticks.ticks() > 50);
    QVERIFY2(ticks.maxGapMs() < 500, qPrintable(QStringLiteral("max gap %1 ms").arg(ticks.maxGapMs())));
  }

  // The patch classifier (phase 1) at the smallest settings: its curves, its ROC on the validation patches
  // and its checkpoint. (Phase "all" adds heatmaps of every view, minutes on this machine: not run here.)
  void patchPhaseTrains() {
    ui::TrainingDashboard d(m_services.services());
    fillForm(d);
    d.phaseBox()->setCurrentIndex(d.phaseBox()->findData(static_cast<int>(workstation::TrainingPhase::Patch)));
    d.epochsBox()->setValue(1);
    d.patchesBox()->setValue(2);
    d.validationPatchesBox()->setValue(2);
    d.setExamList(m_listFile);
    d.setOutputFolder(QString::fromStdString((kDir / "patch-run").string()));
    QStringList parts;
    connect(d.controller(), &ui::TrainingController::partStarted, this,
            [&parts](const QString& part, const std::vector<training::EpochMetrics>&) { parts << part; });
    QSignalSpy finished(d.controller(), &ui::TrainingController::finished);
    QSignalSpy failed(d.controller(), &ui::TrainingController::failed);
    QTest::mouseClick(d.startButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty() || !failed.isEmpty(), 120000);
    QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.at(0).at(0).toString()));
    QCOMPARE(parts, QStringList({QStringLiteral("patch")}));
    QCOMPARE(d.charts()->trainLoss()->count(), 1);
    QVERIFY(d.charts()->roc()->count() >= 3);  // malignant against the other classes' patches
    QTRY_COMPARE(d.checkpointTable()->rowCount(), 1);
    QCOMPARE(d.checkpointTable()->item(0, 0)->text(), QStringLiteral("Patch classifier"));
  }

  // BI-RADS pretraining (3 classes, no malignancy score): its curves and checkpoint, no ROC, and its
  // checkpoint is refused for reading with a reason.
  void biradsPhaseTrains() {
    ui::TrainingDashboard d(m_services.services());
    fillForm(d);
    d.phaseBox()->setCurrentIndex(d.phaseBox()->findData(static_cast<int>(workstation::TrainingPhase::Birads)));
    d.epochsBox()->setValue(1);
    d.setExamList(m_listFile);
    d.setOutputFolder(QString::fromStdString((kDir / "birads-run").string()));
    QStringList parts;
    connect(d.controller(), &ui::TrainingController::partStarted, this,
            [&parts](const QString& part, const std::vector<training::EpochMetrics>&) { parts << part; });
    QSignalSpy finished(d.controller(), &ui::TrainingController::finished);
    QSignalSpy failed(d.controller(), &ui::TrainingController::failed);
    QTest::mouseClick(d.startButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty() || !failed.isEmpty(), 60000);
    QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.at(0).at(0).toString()));
    QCOMPARE(parts, QStringList({QStringLiteral("birads")}));
    QCOMPARE(d.charts()->trainLoss()->count(), 1);
    QCOMPARE(d.charts()->roc()->count(), 0);
    QTRY_COMPARE(d.checkpointTable()->rowCount(), 1);
    QCOMPARE(d.checkpointTable()->item(0, 0)->text(), QStringLiteral("BI-RADS pretraining"));
    d.checkpointTable()->selectRow(0);
    QSignalSpy refused(d.controller(), &ui::TrainingController::bundleFailed);
    QTest::mouseClick(d.useForReadingButton(), Qt::LeftButton);
    QTRY_COMPARE(refused.count(), 1);
    QVERIFY(d.statusLabel()->text().contains(QStringLiteral("not used for reading")));
  }

  // Uses the run of startStopResumeContinues. The run has only the image-only model: the bundle takes the
  // other two networks from the model in use for reading.
  void checkpointBecomesTheReadingModel() {
    const fs::path fallback = kDir / "fallback-bundle";
    inference::ModelBundle stand;
    stand.name = "stand-in";
    stand.patch = {{"marker", {{1}, {7.0f}}}};
    stand.imageOnly = stand.imageHeatmaps = {{"marker", {{1}, {8.0f}}}};
    inference::writeModelBundle(stand, fallback);
    QSettings().setValue(QStringLiteral("ai/modelBundle"), QString::fromStdString(fallback.string()));

    ui::TrainingDashboard d(m_services.services());
    d.setOutputFolder(QString::fromStdString((kDir / "run").string()));
    QTRY_COMPARE(d.checkpointTable()->rowCount(), kEpochs);  // listed in the background
    QVERIFY(!d.useForReadingButton()->isEnabled());
    d.checkpointTable()->selectRow(2);
    QVERIFY(d.useForReadingButton()->isEnabled());
    QSignalSpy chosen(&d, &ui::TrainingDashboard::modelBundleChosen);
    QTest::mouseClick(d.useForReadingButton(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(chosen.count(), 1, 30000);
    const fs::path folder = chosen.at(0).at(0).toString().toStdString();
    const inference::ModelBundle bundle = inference::readModelBundle(folder);
    const inference::TensorMap epoch3 =
        inference::readSafeTensors(kDir / "run" / "image" / "checkpoint-epoch-003.safetensors");
    QCOMPARE(bundle.imageOnly.size(), epoch3.size());
    QVERIFY(bundle.imageOnly.begin()->second.values == epoch3.begin()->second.values);
    QCOMPARE(bundle.patch.at("marker").values.front(), 7.0f);
    // The image-only model runs at the size it was trained at (input scale 0.1), not the reference's.
    QVERIFY(bundle.cancerInput.has_value());
    QCOMPARE(bundle.cancerInput->inputSizeCc, training::trainedCancerInput(0.1, 1).inputSizeCc);
    QCOMPARE(bundle.cancerInput->inputSizeMlo, training::trainedCancerInput(0.1, 1).inputSizeMlo);

    // MainWindow makes it the model for reading (and remembers it), and View > Training dashboard opens the dock.
    ui::MainWindow window(m_services.services());
    auto* dashboard = window.findChild<ui::TrainingDashboard*>();
    QVERIFY(dashboard);
    auto* dock = window.findChild<QDockWidget*>(QStringLiteral("trainingDock"));
    QVERIFY(dock && dock->widget() == dashboard);
    window.show();
    QVERIFY(!dock->isVisible());
    QAction* toggle = window.actions().find(QStringLiteral("Training dashboard"));
    QVERIFY(toggle);
    toggle->trigger();
    QTRY_VERIFY(dock->isVisible());
    emit dashboard->modelBundleChosen(QString::fromStdString(folder.string()));
    QCOMPARE(QString::fromStdString(window.analysis()->settings().modelBundle),
             QString::fromStdString(folder.string()));
    QCOMPARE(QSettings().value(QStringLiteral("ai/modelBundle")).toString(), QString::fromStdString(folder.string()));
  }

 private:
  core::ExamList m_list;
  QString m_listFile;
};

int main(int argc, char** argv) {
  ui::VtkOpenGLWidget::setDefaultSurfaceFormat();
  QApplication app(argc, argv);
  // Tests never touch the user's settings.
  QApplication::setOrganizationName(QStringLiteral("MammolensTests"));
  QApplication::setApplicationName(QStringLiteral("test_ui_training"));
  QSettings().clear();
  std::filesystem::create_directories(MAMMO_TEST_TMP);
  TrainingDashboardTest test;
  return QTest::qExec(&test, argc, argv);
}

#include "TrainingDashboardTest.moc"
