// GUI tests under Xvfb: the exam loads off the GUI thread and is hung correctly in the real widget.
#include <QApplication>
#include <QSignalSpy>
#include <QTest>

#include <filesystem>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QMimeData>
#include <QUrl>
#include <QSettings>
#include <QTimer>

#include "core/HeatmapIO.h"
#include "core/Phantom.h"
#include "inference/ModelBundle.h"
#include "ui/AiPanel.h"
#include "ui/AnalysisController.h"
#include "ui/FourViewPanel.h"
#include "ui/MainWindow.h"
#include "TestServices.h"
#include "ui/VtkOpenGLWidget.h"

using namespace mammo;

namespace {

double columnCoverage(const QImage& img, int x, int y0, int y1) {
  int hits = 0;
  for (int y = y0; y < y1; ++y) hits += qGray(img.pixel(x, y)) > 8;
  return double(hits) / (y1 - y0);
}

}  // namespace

// Measures the GUI thread's responsiveness: the longest gap between ticks of a 10 ms timer.
class LatencyProbe : public QObject {
 public:
  LatencyProbe() {
    m_clock.start();
    m_timer.setInterval(10);
    connect(&m_timer, &QTimer::timeout, this, [this] {
      const qint64 now = m_clock.elapsed();
      m_maxGap = std::max(m_maxGap, now - m_last);
      m_last = now;
    });
    m_timer.start();
  }
  qint64 maxGapMs() const { return m_maxGap; }

 private:
  QElapsedTimer m_clock;
  QTimer m_timer;
  qint64 m_last = 0;
  qint64 m_maxGap = 0;
};

const std::filesystem::path kTmp = MAMMO_TEST_TMP;

class MainWindowTest : public QObject {
  Q_OBJECT

  test::TestServices m_services;  // before the windows: outlives them

  QString m_bundle;
  QString m_examList;

 private slots:
  void initTestCase() {
    // Real weights (the parity set's NYU .p files, imported in C++) and a small phantom exam.
    const auto bundle = kTmp / "ui-bundle";
    if (!std::filesystem::exists(bundle / "bundle.json")) {
      inference::writeModelBundle(
          inference::importNyuModels(std::filesystem::path(MAMMO_SHARED_DIR) / "parity" / "nyu-exam-a" / "weights"),
          bundle);
    }
    m_bundle = QString::fromStdString(bundle.string());
    const auto exams = kTmp / "ui-phantom";
    std::filesystem::remove_all(exams);
    core::PhantomOptions phantom;
    phantom.seed = 77;
    phantom.lesionRate = 1.0;
    core::PhantomWriteOptions write;
    write.dicom = false;
    core::synthesiseExams(1, phantom, write, exams);
    m_examList = QString::fromStdString((exams / "exam_list.json").string());
  }

  void densityExamHangsBackToBack() {
    ui::MainWindow window(m_services.services());
    window.setInteractive(false);
    window.resize(1200, 800);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QSignalSpy loaded(&window, &ui::MainWindow::examLoaded);
    window.openPaths({QString::fromStdString(
        (std::filesystem::path(MAMMO_SHARED_DIR) / "data" / "real" / "density-exam").string())});
    QVERIFY(window.isLoading() || loaded.count() == 1);  // loading runs in the background
    QVERIFY(loaded.wait(30000));
    QImage frame = window.panel()->grabFramebuffer();
    QVERIFY(!frame.isNull());
    frame = frame.convertToFormat(QImage::Format_RGB32);
    const int mid = frame.width() / 2, h = frame.height();
    for (const auto& [y0, y1] : {std::pair{20, h / 2 - 20}, std::pair{h / 2 + 20, h - 20}}) {
      QVERIFY2(columnCoverage(frame, mid - 1, y0, y1) > 0.3, "right-breast chest wall not at the midline");
      QVERIFY2(columnCoverage(frame, mid + 1, y0, y1) > 0.3, "left-breast chest wall not at the midline");
      QVERIFY2(columnCoverage(frame, 1, y0, y1) < 0.1, "R view does not point left");
      QVERIFY2(columnCoverage(frame, frame.width() - 2, y0, y1) < 0.1, "L view does not point right");
    }
    frame.save(
        QString::fromStdString((std::filesystem::path(MAMMO_TEST_TMP) / "mainwindow-density-exam.png").string()));
  }

  void analysisRunsOffTheGuiThreadAndShowsResults() {
    ui::MainWindow window(m_services.services());
    window.setInteractive(false);
    window.resize(1200, 800);
    window.setModelBundle(m_bundle);
    window.setAnalysisSamples(1, false);
    window.setAutoAnalyse(true, false);
    window.show();
    QSignalSpy finished(window.analysis(), &ui::AnalysisController::finished);
    QSignalSpy views(window.analysis(), &ui::AnalysisController::viewHeatmapsReady);
    QSignalSpy preliminary(window.analysis(), &ui::AnalysisController::preliminaryReady);
    LatencyProbe probe;
    window.openPaths({m_examList});
    QTRY_VERIFY_WITH_TIMEOUT(window.analysis()->isRunning(), 30000);
    QVERIFY(finished.wait(300000));
    QCOMPARE(finished.at(0).at(1).toBool(), false);  // computed, not from the cache
    QCOMPARE(views.count(), 4);  // heatmaps arrived view by view
    QCOMPARE(preliminary.count(), 2);  // first look, then image+heatmaps, before the final
    std::printf("GUI event loop: longest gap %lld ms during the analysis\n", static_cast<long long>(probe.maxGapMs()));
    QVERIFY2(probe.maxGapMs() < 500, "the GUI thread was blocked during the analysis");
    for (int model = 0; model < 2; ++model) {
      for (int label = 0; label < 4; ++label) {
        bool ok = false;
        const double p = window.aiPanel()->scoreText(model, label).toDouble(&ok);
        QVERIFY2(ok && p >= 0 && p <= 1, "a probability is missing from the score panel");
      }
    }
    for (core::StandardView v : core::kStandardViews) {
      QVERIFY(window.panel()->viewHasHeatmap(v, viewer::HeatmapKind::Malignant));
      QVERIFY(window.panel()->viewHasHeatmap(v, viewer::HeatmapKind::Benign));
    }
    QImage frame = window.panel()->grabFramebuffer();
    frame.save(QString::fromStdString((kTmp / "mainwindow-phantom-ai.png").string()));

    // Reopening shows the saved result at once.
    QSignalSpy again(window.analysis(), &ui::AnalysisController::finished);
    window.openPaths({m_examList});
    QVERIFY(again.wait(20000));
    QCOMPARE(again.at(0).at(1).toBool(), true);
  }

  void cancelStopsWithinOneBatchAndLeavesNoResult() {
    ui::MainWindow window(m_services.services());
    window.setInteractive(false);
    window.setModelBundle(m_bundle);
    window.setAnalysisSamples(3, true);  // another cache key than the test above
    window.setAutoAnalyse(false, false);
    window.show();
    QSignalSpy loaded(&window, &ui::MainWindow::examLoaded);
    window.openPaths({m_examList});
    QVERIFY(loaded.wait(30000));
    const QString cache = window.analysis()->cacheFolder(*window.exam());
    QDir(cache).removeRecursively();
    QSignalSpy progress(window.analysis(), &ui::AnalysisController::progressChanged);
    QSignalSpy cancelled(window.analysis(), &ui::AnalysisController::cancelled);
    QSignalSpy finished(window.analysis(), &ui::AnalysisController::finished);
    window.analyse();
    QTRY_VERIFY_WITH_TIMEOUT(!progress.isEmpty() && progress.last().at(1).toString().startsWith("Heatmaps"), 60000);
    QElapsedTimer sinceCancel;
    sinceCancel.start();
    window.analysis()->cancel();
    QVERIFY(cancelled.wait(30000));
    std::printf("cancel took effect after %lld ms\n", static_cast<long long>(sinceCancel.elapsed()));
    QVERIFY2(sinceCancel.elapsed() < 10000, "cancel did not stop within one patch batch");
    QCOMPARE(finished.count(), 0);
    QCOMPARE(window.aiPanel()->scoreText(0, 0), QStringLiteral("–"));
    QVERIFY(!window.panel()->viewHasHeatmap(core::StandardView::LCC, viewer::HeatmapKind::Malignant));
    QVERIFY(!QFileInfo::exists(cache + "/result.json"));
  }

  void heatmapFileOverlayShowsOnlyItsHotSpotAndOpacityZeroRemovesIt() {
    ui::MainWindow window(m_services.services());
    window.setInteractive(false);
    window.setAutoAnalyse(false, false);
    window.resize(1200, 800);
    window.show();
    QSignalSpy loaded(&window, &ui::MainWindow::examLoaded);
    window.openPaths({m_examList});
    QVERIFY(loaded.wait(30000));
    const core::Image& lcc = *window.exam()->first(core::StandardView::LCC);
    std::vector<float> hotValues(static_cast<size_t>(lcc.info.rows) * lcc.info.columns, 0.0f);
    for (int r = 300; r < 500; ++r) {
      for (int c = 20; c < 300; ++c) hotValues[static_cast<size_t>(r) * lcc.info.columns + c] = 0.5f;
    }
    const core::HeatmapData hot(lcc.info.rows, lcc.info.columns, std::move(hotValues));
    const auto file = kTmp / "heatmap_malignant_L-CC.mlh";
    core::writeMammolensHeatmap(file, hot);
    const auto wrong = kTmp / "heatmap_benign_R-CC.mlh";
    core::writeMammolensHeatmap(wrong, core::HeatmapData(10, 10, std::vector<float>(100, 0.5f)));

    // Only the overlay's own pixels are counted here; the colour bar beside it is tested in test_ui_reading.
    window.panel()->setColourBarsEnabled(false);
    const QImage before = window.panel()->grabFramebuffer().convertToFormat(QImage::Format_RGB32);
    QSignalSpy heatmaps(&window, &ui::MainWindow::heatmapsLoaded);
    window.loadHeatmapFiles({QString::fromStdString(file.string()), QString::fromStdString(wrong.string())});
    QVERIFY(heatmaps.wait(20000));
    QCOMPARE(heatmaps.at(0).at(0).toInt(), 1);
    const QStringList errors = heatmaps.at(0).at(1).toStringList();
    QCOMPARE(errors.size(), 1);
    QVERIFY(errors.front().contains(QStringLiteral("heatmap_benign_R-CC.mlh")));
    QVERIFY(errors.front().contains(QStringLiteral("but the image is")));

    const QImage after = window.panel()->grabFramebuffer().convertToFormat(QImage::Format_RGB32);
    int changed = 0, notRed = 0;
    for (int y = 0; y < before.height(); ++y) {
      for (int x = 0; x < before.width(); ++x) {
        const QRgb a = before.pixel(x, y), b = after.pixel(x, y);
        if (a == b) continue;
        ++changed;
        if (!(qRed(b) > qBlue(b) + 40)) ++notRed;
      }
    }
    std::printf("heatmap overlay: %d pixels changed, %d of them not malignant-coloured\n", changed, notRed);
    QVERIFY2(changed > 500, "the hot spot is not shown");
    QVERIFY2(notRed < changed / 50, "pixels changed where the heatmap is zero");
    QVERIFY(window.panel()->viewHasHeatmap(core::StandardView::LCC, viewer::HeatmapKind::Malignant));

    viewer::HeatmapStyle style;
    style.colours = viewer::ColourMap::Hot;
    style.opacity = 0.0;
    window.panel()->setHeatmapStyle(viewer::HeatmapKind::Malignant, style);
    const QImage removed = window.panel()->grabFramebuffer().convertToFormat(QImage::Format_RGB32);
    QCOMPARE(removed, before);
  }

  void droppedExamOpensAndIsRemembered() {
    ui::MainWindow window(m_services.services());
    window.setInteractive(false);
    window.setAutoAnalyse(false, false);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QMimeData data;
    data.setUrls({QUrl::fromLocalFile(m_examList)});
    QSignalSpy loaded(&window, &ui::MainWindow::examLoaded);
    const QPoint centre = window.rect().center();
    QDragEnterEvent enter(centre, Qt::CopyAction, &data, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&window, &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent drop(centre, Qt::CopyAction, &data, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&window, &drop);
    QVERIFY(loaded.wait(30000));
    QVERIFY(window.exam() && window.exam()->complete());
    QCOMPARE(window.recentExams().value(0), m_examList);
  }

  void unreadableExamReportsFailure() {
    ui::MainWindow window(m_services.services());
    window.setInteractive(false);
    window.show();
    QSignalSpy failed(&window, &ui::MainWindow::loadFailed);
    window.openPaths({QStringLiteral("/nonexistent/exam")});
    QVERIFY(failed.wait(10000));
    QVERIFY(failed.at(0).at(0).toString().contains(QStringLiteral("/nonexistent/exam")));
  }
};

int main(int argc, char** argv) {
  ui::VtkOpenGLWidget::setDefaultSurfaceFormat();
  QApplication app(argc, argv);
  // Tests never touch the user's settings.
  QApplication::setOrganizationName(QStringLiteral("MammolensTests"));
  QApplication::setApplicationName(QStringLiteral("test_ui"));
  QSettings().clear();
  std::filesystem::create_directories(MAMMO_TEST_TMP);
  MainWindowTest test;
  return QTest::qExec(&test, argc, argv);
}

#include "MainWindowTest.moc"
