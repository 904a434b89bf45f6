// GUI tests under Xvfb: the exam loads off the GUI thread and is hung correctly in the real widget.
#include <QApplication>
#include <QSignalSpy>
#include <QTest>

#include <filesystem>
#include "ui/FourViewPanel.h"
#include "ui/MainWindow.h"
#include "ui/VtkOpenGLWidget.h"

using namespace mammo;

namespace {

double columnCoverage(const QImage& img, int x, int y0, int y1) {
  int hits = 0;
  for (int y = y0; y < y1; ++y) hits += qGray(img.pixel(x, y)) > 8;
  return double(hits) / (y1 - y0);
}

}  // namespace

class MainWindowTest : public QObject {
  Q_OBJECT

 private slots:
  void densityExamHangsBackToBack() {
    ui::MainWindow window;
    window.setInteractive(false);
    window.resize(1200, 800);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QSignalSpy loaded(&window, &ui::MainWindow::examLoaded);
    window.openPaths({QString::fromStdString((std::filesystem::path(MAMMO_SHARED_DIR) / "data" / "real" / "density-exam").string())});
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
    frame.save(QString::fromStdString((std::filesystem::path(MAMMO_TEST_TMP) / "mainwindow-density-exam.png").string()));
  }

  void unreadableExamReportsFailure() {
    ui::MainWindow window;
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
  std::filesystem::create_directories(MAMMO_TEST_TMP);
  MainWindowTest test;
  return QTest::qExec(&test, argc, argv);
}

#include "MainWindowTest.moc"
