// Current vs prior in the GUI: a study and its prior (the same phantom breasts moved by a known similarity,
// at another exposure; one view replaced by noise so its registration is refused) indexed in the store. The
// reader opens the current study, the prior is listed, Ctrl+Shift+P hangs it beside the current view after
// registering it on a worker; the cursor over the current view marks the right point of the prior, zoom and
// pan follow through the registration, the refused view falls back to chest-wall alignment with a message,
// and the key again steps to the next view. Waits are QTRY_* / QSignalSpy.
#include <QApplication>
#include <QSettings>
#include <QSignalSpy>
#include <QTest>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <random>

#include "PanelInput.h"
#include "TestServices.h"
#include "pacs/PhantomStudies.h"
#include "core/Phantom.h"
#include "registration/PhantomPriors.h"
#include "ui/FourViewPanel.h"
#include "ui/MainWindow.h"
#include "ui/PriorController.h"
#include "ui/VtkOpenGLWidget.h"
#include "viewer/ViewScene.h"
#include "workstation/PriorComparison.h"
#include "workstation/Worklist.h"

using namespace mammo;
namespace fs = std::filesystem;

namespace {

constexpr double kToleranceMm = 2.0;  // a linked point lands within this of the truth

}  // namespace

class PriorTest : public QObject {
  Q_OBJECT

  test::TestServices m_services;  // before the window: outlives it
  std::unique_ptr<ui::MainWindow> m_window;
  fs::path m_dir = fs::path(MAMMO_TEST_TMP) / "ui-prior";
  core::PhantomExam m_exam;
  std::array<core::Affine2D, 4> m_truth;  // current pixel -> prior pixel, per view
  std::string m_currentKey, m_priorKey;

  ui::FourViewPanel* panel() const { return m_window->panel(); }
  int priorViewport() const {
    for (int i = 0; i < static_cast<int>(panel()->viewports().size()); ++i) {
      if (panel()->viewports()[i].prior) return i;
    }
    return -1;
  }
  // The stored point (row, col) at the centre of viewport `i`.
  std::array<double, 2> centreOf(int i) const {
    const viewer::ViewScene& s = panel()->scene(i);
    const auto [w, h] = s.viewportSize();
    const auto world = s.worldAt(w / 2.0, h / 2.0);
    return s.transform().storedOf(world[0], world[1]);
  }
  double errorMm(core::StandardView v, const std::array<double, 2>& current, const std::array<double, 2>& prior) {
    const auto truth = m_truth[static_cast<int>(v)].apply(current[1], current[0]);
    return std::hypot(truth[0] - prior[1], truth[1] - prior[0]) *
           m_exam.views[static_cast<int>(v)].image.info.spacing->columnMm;
  }

 private slots:
  void initTestCase() {
    fs::remove_all(m_dir);
    core::PhantomOptions options;
    options.size = core::PhantomSize::Small;
    options.seed = 41;
    m_exam = core::generatePhantomExam(options, 0);
    for (core::StandardView v : core::kStandardViews) {
      m_truth[static_cast<int>(v)] = test::similarity(m_exam.views[static_cast<int>(v)].image, 2.0, 1.03, 4.0, -3.0);
    }
    test::writePhantomStudy({"PAT-PRIOR", "PRIOR^PIA", "20251002", "ACC-NOW", "1.2.826.0.1.3680043.10.1234.4102"},
                            m_dir / "current", 41);
    test::writePhantomStudy({"PAT-PRIOR", "PRIOR^PIA", "20231001", "ACC-THEN", "1.2.826.0.1.3680043.10.1234.4101"},
                            m_dir / "prior", 41, [this](core::StandardView v, const core::Image& image) {
                              if (v != core::StandardView::LMLO)
                                return test::makePrior(image, m_truth[static_cast<int>(v)]);
                              core::Image noise = image;  // nothing to register to: refused, chest walls aligned
                              std::mt19937 rng(3);
                              for (auto& p : noise.pixels) p = static_cast<std::uint16_t>(rng() % 4096);
                              return noise;
                            });
    const workstation::IndexedStudies indexed =
        workstation::indexStudies(m_services.store, {m_dir / "current", m_dir / "prior"});
    QCOMPARE(indexed.keys.size(), std::size_t{2});
    for (const std::string& key : indexed.keys) {
      (m_services.store.study(key)->studyDate == "20251002" ? m_currentKey : m_priorKey) = key;
    }
    QVERIFY(!m_currentKey.empty() && !m_priorKey.empty());

    m_window = std::make_unique<ui::MainWindow>(m_services.services());
    m_window->setInteractive(false);
    m_window->resize(1400, 1000);
    m_window->show();
    m_window->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
  }
  void cleanupTestCase() { m_window.reset(); }

  void openingAStudyListsItsPriors() {
    QSignalSpy loaded(m_window.get(), &ui::MainWindow::examLoaded);
    m_window->openStudy(m_currentKey);
    QVERIFY(loaded.wait(30000));
    QSignalSpy listed(m_window->priors(), &ui::PriorController::priorsListed);  // listed after the load
    QTRY_COMPARE_WITH_TIMEOUT(listed.count(), 1, 30000);
    QCOMPARE(listed.at(0).at(0).toInt(), 1);
    QCOMPARE(m_window->priors()->priors().front().key, m_priorKey);
  }

  void thePriorHangsBesideTheCurrentViewRegistered() {
    QSignalSpy shown(m_window->priors(), &ui::PriorController::priorShown);
    panel()->setFocus();
    QTest::keyClick(panel(), Qt::Key_P, Qt::ControlModifier | Qt::ShiftModifier);
    QVERIFY(m_window->priors()->busy());  // registering on a worker; the GUI goes on
    QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 1, 120000);
    QVERIFY(panel()->layout() == viewer::Layout::Prior);
    QCOMPARE(panel()->viewports().size(), std::size_t{2});
    const int p = priorViewport(), c = 1 - p;
    QVERIFY(p >= 0);
    const core::StandardView v = panel()->viewports()[c].view;
    QVERIFY(panel()->viewports()[p].view == v);
    QVERIFY(panel()->scene(p).hasImage() && panel()->scene(c).hasImage());
    // Chest walls back to back at the midline, one scale for the pair.
    QCOMPARE(panel()->scene(c).anchor() == core::ImageEdge::Left, c == 1);
    QCOMPARE(panel()->scene(p).anchor() == core::ImageEdge::Left, p == 1);
    QCOMPARE(panel()->scene(c).pixelScale(), panel()->scene(p).pixelScale());
    for (core::StandardView view : {core::StandardView::LCC, core::StandardView::RCC, core::StandardView::RMLO}) {
      const viewer::PriorLink* link = panel()->priorLink(view);
      QVERIFY(link);
      QVERIFY2(link->registered, qPrintable(m_window->priors()->registrationReport().join('\n')));
      QVERIFY(link->caption.find("PRIOR 2023-10-01") != std::string::npos);
    }
    QVERIFY(shown.at(0).at(0).toString().contains(QStringLiteral("3 of 4 views registered")));
  }

  void theRefusedViewIsAlignedAtTheChestWallWithAMessage() {
    const viewer::PriorLink* link = panel()->priorLink(core::StandardView::LMLO);
    QVERIFY(link);
    QVERIFY(!link->registered);
    QVERIFY(link->caption.find("chest walls aligned") != std::string::npos);
    const QStringList report = m_window->priors()->registrationReport();
    QVERIFY(std::any_of(report.begin(), report.end(), [](const QString& line) {
      return line.startsWith(QStringLiteral("L-MLO: chest walls aligned (registration not used: "));
    }));
  }

  void theCursorOverTheCurrentViewMarksTheSamePointOfThePrior() {
    test::SizeSettled settled;
    QTRY_VERIFY(settled(*panel()));
    const int p = priorViewport(), c = 1 - p;
    const core::StandardView v = panel()->viewports()[c].view;
    // A point on the breast, away from its centre.
    const core::Image& image = m_exam.views[static_cast<int>(v)].image;
    const std::array<double, 2> stored{image.info.rows * 0.4, image.info.columns * 0.5};
    const auto vp = panel()->scene(c).viewportPointOf(stored[0], stored[1]);
    test::sendMouseMove(panel(), panel()->widgetPointOf(c, vp[0], vp[1]).toPoint());
    QTRY_VERIFY(panel()->linkedCursor().has_value());
    const ui::FourViewPanel::LinkedCursor cursor = *panel()->linkedCursor();
    QCOMPARE(cursor.view, p);
    QVERIFY(panel()->scene(p).cursorMark().has_value());
    // The widget point is whole logical pixels: the pointed-at stored point is where the cursor really is.
    const auto pointed =
        panel()->scene(c).storedPointAt(panel()->viewPointAt(panel()->widgetPointOf(c, vp[0], vp[1]).toPoint()).x,
                                        panel()->viewPointAt(panel()->widgetPointOf(c, vp[0], vp[1]).toPoint()).y);
    QVERIFY(pointed);
    const double error = errorMm(v, *pointed, cursor.stored);
    qInfo("linked cursor error %.3f mm", error);
    QVERIFY2(error < kToleranceMm, qPrintable(QString::number(error)));
    // Off the panel: the mark goes.
    QEvent leave(QEvent::Leave);
    QApplication::sendEvent(panel(), &leave);
    QVERIFY(!panel()->linkedCursor());
    QVERIFY(!panel()->scene(p).cursorMark());
  }

  void zoomAndPanFollowThroughTheRegistration() {
    const int p = priorViewport(), c = 1 - p;
    const core::StandardView v = panel()->viewports()[c].view;
    const auto [w, h] = panel()->scene(c).viewportSize();
    panel()->zoomAt(c, 3.0, w * 0.3, h * 0.6);
    panel()->panBy(c, 40, -25);
    const double error = errorMm(v, centreOf(c), centreOf(p));
    qInfo("linked centre error %.3f mm", error);
    QVERIFY2(error < kToleranceMm, qPrintable(QString::number(error)));
    // The same anatomy at the same size: prior pixels per current pixel is the registration's scale.
    QVERIFY(std::abs(panel()->scene(c).pixelScale() / panel()->scene(p).pixelScale() - 1.03) < 0.02);
    // And from the prior's side back to the current.
    panel()->panBy(p, -30, 10);
    QVERIFY(errorMm(v, centreOf(c), centreOf(p)) < kToleranceMm);
  }

  void theKeyAgainStepsToTheNextView() {
    const core::StandardView before = panel()->state().single;
    QTest::keyClick(panel(), Qt::Key_P, Qt::ControlModifier | Qt::ShiftModifier);
    QVERIFY(panel()->layout() == viewer::Layout::Prior);
    QVERIFY(panel()->state().single != before);
    QVERIFY(panel()->scene(priorViewport()).hasImage());
  }

  void theDifferenceViewTakesThePriorsPlaceOnTheCurrentPixels() {
    // A registered view (the L-MLO prior is noise).
    for (int i = 0; i < 4 && !panel()->priorLink(panel()->state().single)->registered; ++i)
      QTest::keyClick(panel(), Qt::Key_P, Qt::ControlModifier | Qt::ShiftModifier);
    QSignalSpy toggled(m_window->priors(), &ui::PriorController::differenceShown);
    QTest::keyClick(panel(), Qt::Key_D, Qt::ControlModifier | Qt::ShiftModifier);
    QTRY_COMPARE_WITH_TIMEOUT(toggled.count(), 1, 30000);  // made on a worker
    QVERIFY(toggled.front().front().toBool() && m_window->priors()->showingDifference());
    QVERIFY(panel()->layout() == viewer::Layout::Prior);
    const int p = priorViewport(), c = 1 - p;
    const core::StandardView v = panel()->viewports()[c].view;
    const core::Image* difference = panel()->scene(p).image();
    QVERIFY(difference && difference->info.studyDescription.find("difference") != std::string::npos);
    const core::Image& current = m_exam.views[static_cast<int>(v)].image;
    QCOMPARE(difference->info.rows, current.info.rows);
    QCOMPARE(difference->info.columns, current.info.columns);
    QVERIFY(panel()->scene(c).image()->pixels == current.pixels);  // the current view as it was
    // Registered, the prior cancels out over the breast (the prior is these breasts moved, at another exposure).
    QVERIFY(panel()->priorLink(v) && panel()->priorLink(v)->registered);
    double change = 0;
    int n = 0;
    for (size_t i = 0; i < current.pixels.size(); ++i) {
      if (current.pixels[i] < 200) continue;
      change += std::abs(double(difference->pixels[i]) - workstation::kDifferenceZero) / workstation::kDifferenceZero;
      ++n;
    }
    qInfo("mean |change| over the breast %.4f", change / n);
    QVERIFY(n > 0 && change / n < 0.05);
    // On the current view's pixels: the cursor marks the same stored point.
    const std::array<double, 2> stored{current.info.rows * 0.4, current.info.columns * 0.5};
    const auto vp = panel()->scene(c).viewportPointOf(stored[0], stored[1]);
    const QPoint at = panel()->widgetPointOf(c, vp[0], vp[1]).toPoint();
    test::sendMouseMove(panel(), at);
    QTRY_VERIFY(panel()->linkedCursor().has_value());
    const auto pointed = panel()->scene(c).storedPointAt(panel()->viewPointAt(at).x, panel()->viewPointAt(at).y);
    QVERIFY(pointed);
    QVERIFY(std::abs(panel()->linkedCursor()->stored[0] - (*pointed)[0]) < 1e-6 &&
            std::abs(panel()->linkedCursor()->stored[1] - (*pointed)[1]) < 1e-6);
    // Again: the prior itself.
    QTest::keyClick(panel(), Qt::Key_D, Qt::ControlModifier | Qt::ShiftModifier);
    QCOMPARE(toggled.count(), 2);
    QVERIFY(!toggled.at(1).front().toBool());
    QVERIFY(panel()->scene(priorViewport()).image()->info.studyDescription.find("difference") == std::string::npos);
  }

  void theNextStudyTakesThePriorAway() {
    QSignalSpy loaded(m_window.get(), &ui::MainWindow::examLoaded);
    m_window->openStudy(m_priorKey);
    QVERIFY(loaded.wait(30000));
    QVERIFY(!panel()->prior());
    QTRY_VERIFY(!m_window->priors()->busy());
    QVERIFY(m_window->priors()->priors().empty());  // the prior itself has none
  }
};

int main(int argc, char** argv) {
  ui::VtkOpenGLWidget::setDefaultSurfaceFormat();
  QApplication app(argc, argv);
  // Tests never touch the user's settings.
  QApplication::setOrganizationName(QStringLiteral("MammolensTests"));
  QApplication::setApplicationName(QStringLiteral("test_ui_prior"));
  QSettings().clear();
  std::filesystem::create_directories(MAMMO_TEST_TMP);
  PriorTest test;
  return QTest::qExec(&test, argc, argv);
}

#include "PriorTest.moc"
