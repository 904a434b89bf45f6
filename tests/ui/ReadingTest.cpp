// Reading interactions under Xvfb with real widgets and real input events: left drag = window/level
// (synchronised), wheel = zoom at the cursor (mirrored pair follows), right drag = pan, the reading keys,
// corner text, the loupe, distance measurement, the status-bar pixel text, heatmap contours and colour bars,
// and Help -> Keyboard shortcuts listing every action. Assertions are on the panel's
// framebuffer pixels and on the view scenes' state; waits use QTRY_* / QSignalSpy, never sleeps.
#include <QApplication>
#include <QLabel>
#include <QScreen>
#include <QSettings>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTableWidget>
#include <QTest>
#include <QWheelEvent>

#include <cmath>
#include <memory>

#include "PanelInput.h"
#include "core/Orientation.h"
#include "core/Phantom.h"
#include "ui/ActionTable.h"
#include "ui/AiPanel.h"
#include "ui/FourViewPanel.h"
#include "ui/MainWindow.h"
#include "TestServices.h"
#include "ui/ShortcutsDialog.h"
#include "ui/ViewInteraction.h"
#include "ui/VtkOpenGLWidget.h"
#include "viewer/ColourBar.h"
#include "viewer/Loupe.h"
#include "viewer/Measurement.h"
#include "viewer/ViewAnnotation.h"
#include "viewer/ViewScene.h"

using namespace mammo;
using core::StandardView;

namespace {

std::shared_ptr<const core::Exam> phantomExam() {
  core::PhantomOptions o;
  o.seed = 31;
  const core::PhantomExam phantom = core::generatePhantomExam(o, 0);
  auto exam = std::make_shared<core::Exam>();
  exam->id = phantom.id;
  for (StandardView v : core::kStandardViews) {
    core::Image image = phantom.views[static_cast<int>(v)].image;
    image.orientation = core::analyseOrientation(image);  // as the loader does
    exam->view(v).push_back(std::move(image));
  }
  return exam;
}

// The part of the panel's picture inside one viewport.
struct ViewPixels {
  QImage frame;
  QRect rect;
  // Pixels brighter than air (the breast's area on screen).
  int tissueArea() const {
    int n = 0;
    for (int y = rect.top(); y <= rect.bottom(); y += 2) {
      for (int x = rect.left(); x <= rect.right(); x += 2) n += qGray(frame.pixel(x, y)) > 12;
    }
    return n;
  }
};

// The malignant overlay's colour over tissue (hot map at 0.6: orange-red).
bool reddish(QRgb c) { return qRed(c) > qGreen(c) + 40 && qRed(c) > qBlue(c) + 80; }
// The measurement colour (cyan).
bool cyan(QRgb c) { return qBlue(c) > qRed(c) + 60 && qGreen(c) > qRed(c) + 40; }

}  // namespace

class ReadingTest : public QObject {
  Q_OBJECT

  test::TestServices m_services;  // before the windows: outlives them

  std::shared_ptr<const core::Exam> m_exam = phantomExam();
  std::unique_ptr<ui::MainWindow> m_window;

  ui::FourViewPanel* panel() const { return m_window->panel(); }
  const viewer::ViewScene& scene(StandardView v) const { return panel()->scene(panel()->viewIndex(v)); }

  QImage frame() const { return panel()->grabFramebuffer().convertToFormat(QImage::Format_RGB32); }
  ViewPixels pixelsOf(StandardView v) const {
    const int i = panel()->viewIndex(v);
    const auto& b = panel()->viewports()[i].bounds;
    const int w = panel()->width(), h = panel()->height();
    return {frame(),
            QRect(QPoint(int(b[0] * w), int((1 - b[3]) * h)), QPoint(int(b[2] * w) - 1, int((1 - b[1]) * h) - 1))};
  }
  // A widget point over breast tissue: half-way between the viewport's centre and its chest-wall edge.
  QPoint tissuePoint(StandardView v) const {
    const int i = panel()->viewIndex(v);
    const auto& vp = panel()->viewports()[i];
    const double cx = (vp.bounds[0] + vp.bounds[2]) / 2,
                 wall = vp.chestWallOnScreen == core::ImageEdge::Right ? vp.bounds[2] : vp.bounds[0];
    const double u = (cx + wall) / 2, v2 = (vp.bounds[1] + vp.bounds[3]) / 2;
    return QPoint(int(u * panel()->width()), int((1 - v2) * panel()->height()));
  }
  static double meanGrey(const QImage& img, QPoint c, int r = 6) {
    double sum = 0;
    int n = 0;
    for (int y = c.y() - r; y <= c.y() + r; ++y) {
      for (int x = c.x() - r; x <= c.x() + r; ++x, ++n) sum += qGray(img.pixel(x, y));
    }
    return sum / n;
  }
  std::optional<std::array<int, 2>> storedAt(QPoint widgetPoint) const {
    const auto p = panel()->viewPointAt(widgetPoint);
    return panel()->scene(p.view).storedPixelAt(p.x, p.y);
  }
  void wheel(QPoint at, int notches) {
    QWheelEvent event(QPointF(at), QPointF(panel()->mapToGlobal(at)), QPoint(), QPoint(0, 120 * notches), Qt::NoButton,
                      Qt::NoModifier, Qt::NoScrollPhase, false);
    QApplication::sendEvent(panel(), &event);
  }
  void drag(Qt::MouseButton button, QPoint from, QPoint to) {
    QTest::mousePress(panel(), button, {}, from);
    QTest::mouseMove(panel(), (from + to) / 2);
    QTest::mouseMove(panel(), to);
    QTest::mouseRelease(panel(), button, {}, to);
  }
  void key(int k, Qt::KeyboardModifiers mods = Qt::NoModifier) { QTest::keyClick(panel(), Qt::Key(k), mods); }
  // Viewport point (device pixels, y up) of a widget point, and back, in view v.
  std::array<double, 2> viewportOf(QPoint p) const {
    const auto vp = panel()->viewPointAt(p);
    return {vp.x, vp.y};
  }
  QPoint widgetOf(StandardView v, const std::array<double, 2>& viewportPoint) const {
    return panel()->widgetPointOf(panel()->viewIndex(v), viewportPoint[0], viewportPoint[1]).toPoint();
  }
  // A malignant heatmap on view v, value 0.6 over the stored pixels shown in the widget rectangle `area`.
  void hotSpotUnder(StandardView v, QRect area) {
    const viewer::ViewScene& sc = scene(v);
    const auto a = sc.storedPointAt(viewportOf(area.topLeft())[0], viewportOf(area.topLeft())[1]);
    const auto b = sc.storedPointAt(viewportOf(area.bottomRight())[0], viewportOf(area.bottomRight())[1]);
    QVERIFY(a && b);
    const int rows = sc.image()->info.rows, cols = sc.image()->info.columns;
    auto values = std::make_shared<std::vector<float>>(static_cast<size_t>(rows) * cols, 0.0f);
    const int r0 = int(std::ceil(std::min((*a)[0], (*b)[0]))), r1 = int(std::floor(std::max((*a)[0], (*b)[0])));
    const int c0 = int(std::ceil(std::min((*a)[1], (*b)[1]))), c1 = int(std::floor(std::max((*a)[1], (*b)[1])));
    for (int r = r0; r <= r1; ++r) {
      for (int c = c0; c <= c1; ++c) (*values)[static_cast<size_t>(r) * cols + c] = 0.6f;
    }
    viewer::HeatmapStyle style = sc.heatmapStyle(viewer::HeatmapKind::Malignant);
    style.opacity = 0.8;
    panel()->setHeatmapStyle(viewer::HeatmapKind::Malignant, style);
    panel()->setViewHeatmap(v, viewer::HeatmapKind::Malignant, {rows, cols, values});
  }
  void moveTo(QPoint p) { test::sendMouseMove(panel(), p); }
  // Qt drops a move to where the cursor already is (e.g. left there by the previous test): arrive from beside it.
  void hover(QPoint p) {
    moveTo(p + QPoint(1, 1));
    moveTo(p);
  }
  QString statusText() const {
    for (QLabel* label : m_window->statusBar()->findChildren<QLabel*>()) {
      if (label->text().startsWith(QStringLiteral("R-CC"))) return label->text();
    }
    return {};
  }

 private slots:
  void init() {
    QSettings().clear();  // the test organisation's settings: loupe size and magnification start at defaults
    m_window = std::make_unique<ui::MainWindow>(m_services.services());
    m_window->setInteractive(false);
    m_window->setAutoAnalyse(false, false);
    m_window->resize(1200, 900);
    m_window->show();
    m_window->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
    panel()->setExam(m_exam);
    panel()->setFocus();
    test::SizeSettled settled;  // the docks may still be narrowing the panel
    QTRY_VERIFY(settled(*panel()) && panel()->width() > 400 && !frame().isNull());
  }
  void cleanup() { m_window.reset(); }

  // One scale per hung pair: R-CC cropped to 70 % of its columns and 80 % of its rows (the chest-wall side kept)
  // hangs at the same millimetres per screen pixel as the full L-CC, the larger image fitted, chest walls at the
  // midline.
  void mirroredPairHangsAtOneScaleWithChestWallsAtTheMidline() {
    auto exam = std::make_shared<core::Exam>(*m_exam);
    core::Image& r = exam->view(StandardView::RCC).front();
    const int rows = r.info.rows * 8 / 10, cols = r.info.columns * 7 / 10, row0 = (r.info.rows - rows) / 2;
    const int col0 = r.orientation.chestWall == core::ImageEdge::Right ? r.info.columns - cols : 0;
    std::vector<std::uint16_t> cropped(static_cast<std::size_t>(rows) * cols);
    for (int y = 0; y < rows; ++y) {
      for (int x = 0; x < cols; ++x) cropped[static_cast<std::size_t>(y) * cols + x] = r.at(row0 + y, col0 + x);
    }
    r.pixels = std::move(cropped);
    r.info.rows = rows;
    r.info.columns = cols;
    r.orientation = core::analyseOrientation(r);
    panel()->setExam(exam);
    for (const core::StandardView pair : {StandardView::RCC, StandardView::LCC}) QVERIFY(scene(pair).hasImage());
    const viewer::ViewScene& right = scene(StandardView::RCC);
    const viewer::ViewScene& left = scene(StandardView::LCC);
    const double mmRight = r.info.spacing->columnMm, mmLeft = left.image()->info.spacing->columnMm;
    // Equal physical scale: device pixels per millimetre.
    QVERIFY(std::abs(right.pixelScale() / mmRight - left.pixelScale() / mmLeft) < 1e-9);
    // The larger (L-CC) fills its viewport as its own fit would; the cropped R-CC is not blown up to its own.
    const auto natural = [](const viewer::ViewScene& sc) {
      return std::min(sc.viewportSize()[0] / double(sc.image()->info.columns),
                      sc.viewportSize()[1] / double(sc.image()->info.rows));
    };
    QVERIFY(std::abs(left.pixelScale() - natural(left)) < 1e-9);
    QVERIFY2(right.pixelScale() < natural(right) - 1e-6, "the smaller image was fitted on its own");
    // Chest walls at the midline: each image's chest-wall edge lands on its viewport's midline edge.
    for (const viewer::ViewScene* sc : {&right, &left}) {
      const int c = sc->image()->info.columns;
      const double edgeX = sc->anchor() == core::ImageEdge::Right ? c - 0.5 : -0.5;
      const double expected = sc->anchor() == core::ImageEdge::Right ? sc->viewportSize()[0] : 0.0;
      QVERIFY(std::abs(sc->transform().viewportOf(edgeX, 0)[0] - expected) < 1e-6);
    }
    QVERIFY(right.anchor() == core::ImageEdge::Right);  // R-CC in the left viewport, chest wall at the midline
    QVERIFY(left.anchor() == core::ImageEdge::Left);
    frame().save(QStringLiteral(MAMMO_TEST_TMP "/reading-pair-scale.png"));
  }

  void leftDragSetsWindowLevelOnAllViewsThenOnlyOne() {
    const QPoint p = tissuePoint(StandardView::RCC), q = tissuePoint(StandardView::LCC);
    const QImage before = frame();
    const core::VoiWindow start = scene(StandardView::RCC).voiWindow();
    const double s = ui::ViewInteraction::windowSensitivity(scene(StandardView::RCC).image()->info);
    QSignalSpy changed(panel(), &ui::FourViewPanel::viewStateChanged);
    drag(Qt::LeftButton, p, p + QPoint(0, 60));  // down: higher centre, darker picture
    QVERIFY(changed.count() >= 2);
    QCOMPARE(scene(StandardView::RCC).voiWindow().center, start.center + 60 * s);
    QCOMPARE(scene(StandardView::RCC).voiWindow().width, start.width);
    for (StandardView v : core::kStandardViews) QCOMPARE(scene(v).voiWindow().center, start.center + 60 * s);
    const QImage darker = frame();
    QVERIFY2(meanGrey(darker, p) < meanGrey(before, p) - 8, "the dragged view did not get darker");
    QVERIFY2(meanGrey(darker, q) < meanGrey(before, q) - 8, "the synchronised view did not get darker");

    // A narrow window (drag left) turns tissue almost black-and-white.
    drag(Qt::LeftButton, p, p - QPoint(2000, 0));
    QCOMPARE(scene(StandardView::RCC).voiWindow().width, 1.0);
    const QImage binary = frame();
    int extreme = 0, n = 0;
    for (int y = p.y() - 10; y <= p.y() + 10; ++y) {
      for (int x = p.x() - 10; x <= p.x() + 10; ++x, ++n)
        extreme += qGray(binary.pixel(x, y)) < 8 || qGray(binary.pixel(x, y)) > 247;
    }
    QVERIFY2(extreme > 0.8 * n, "a 1-wide window should show tissue black or white");

    // Without W/L sync (Shift+W) a drag changes only the view under the cursor.
    key(Qt::Key_W, Qt::ShiftModifier);
    QVERIFY(!panel()->syncWindowLevel());
    const core::VoiWindow rcc = scene(StandardView::RCC).voiWindow();
    drag(Qt::LeftButton, q, q + QPoint(100, -40));
    QCOMPARE(scene(StandardView::RCC).voiWindow().center, rcc.center);
    QCOMPARE(scene(StandardView::LCC).voiWindow().width, rcc.width + 100 * s);
  }

  void wheelZoomsAtTheCursorAndTheMirroredPairFollows() {
    const QPoint p = tissuePoint(StandardView::RCC) + QPoint(-30, 40);
    moveTo(p);
    const auto stored = storedAt(p);
    QVERIFY(stored);
    const int rccArea = pixelsOf(StandardView::RCC).tissueArea(), lccArea = pixelsOf(StandardView::LCC).tissueArea();
    const int mloArea = pixelsOf(StandardView::RMLO).tissueArea();
    const double greyBefore = meanGrey(frame(), p, 1);
    wheel(p, 2);
    QCOMPARE(storedAt(p), stored);  // the image point under the cursor stays under it
    QVERIFY(std::abs(meanGrey(frame(), p, 1) - greyBefore) < 12);
    QVERIFY(std::abs(scene(StandardView::RCC).zoom() - 1.44) < 1e-9);
    QCOMPARE(scene(StandardView::LCC).zoom(), scene(StandardView::RCC).zoom());  // mirrored pair
    QCOMPARE(scene(StandardView::RMLO).zoom(), 1.0);  // not synchronised
    QVERIFY2(pixelsOf(StandardView::RCC).tissueArea() > rccArea * 1.15, "R-CC did not zoom in");
    QVERIFY2(pixelsOf(StandardView::LCC).tissueArea() > lccArea * 1.15, "L-CC did not follow the zoom");
    QCOMPARE(pixelsOf(StandardView::RMLO).tissueArea(), mloArea);
    wheel(p, -2);
    QVERIFY(std::abs(scene(StandardView::RCC).zoom() - 1.0) < 1e-9);

    // All views (Ctrl+4): the MLO views follow too.
    key(Qt::Key_4, Qt::ControlModifier);
    QCOMPARE(panel()->syncScope(), viewer::SyncScope::AllViews);
    wheel(p, 1);
    for (StandardView v : core::kStandardViews) QVERIFY(std::abs(scene(v).zoom() - 1.2) < 1e-9);
  }

  void rightDragPansAndTheMirroredPairPansMirrored() {
    const QPoint p = tissuePoint(StandardView::LCC);
    const auto stored = storedAt(p);
    QVERIFY(stored);
    const int rccArea = pixelsOf(StandardView::RCC).tissueArea(), lccArea = pixelsOf(StandardView::LCC).tissueArea();
    const auto mloPan = scene(StandardView::LMLO).pan();
    // At fit the breast touches the midline and air fills the nipple side: pulling the left breast 60 px
    // towards the midline hides part of it.
    drag(Qt::RightButton, p, p + QPoint(-60, 0));
    QCOMPARE(storedAt(p + QPoint(-60, 0)), stored);  // the grabbed point followed the mouse
    QVERIFY(scene(StandardView::LCC).pan()[0] > 0);
    QCOMPARE(scene(StandardView::RCC).pan()[0], -scene(StandardView::LCC).pan()[0]);
    QCOMPARE(scene(StandardView::LMLO).pan(), mloPan);
    // Both chest walls slid under the midline: less breast on screen in both CC views.
    QVERIFY2(pixelsOf(StandardView::LCC).tissueArea() < lccArea * 0.97, "L-CC did not move");
    QVERIFY2(pixelsOf(StandardView::RCC).tissueArea() < rccArea * 0.97, "R-CC did not follow the pan");

    drag(Qt::MiddleButton, p, p + QPoint(0, 30));
    QVERIFY(scene(StandardView::LCC).pan()[1] > 0);
  }

  void readingKeys() {
    const QPoint p = tissuePoint(StandardView::RCC);
    moveTo(p);
    const QImage before = frame();
    key(Qt::Key_I);
    for (StandardView v : core::kStandardViews) QVERIFY(scene(v).inverted());  // W/L sync is on
    QVERIFY(std::abs(meanGrey(frame(), p) - (255 - meanGrey(before, p))) < 1.5);
    QVERIFY(scene(StandardView::RCC).annotation().bottomText().find("INV") != std::string::npos);
    key(Qt::Key_I);
    QVERIFY(!scene(StandardView::RCC).inverted());

    const auto& windows = scene(StandardView::RCC).image()->info.windows;
    QVERIFY(windows.size() >= 2);
    key(Qt::Key_F3);
    QCOMPARE(scene(StandardView::RCC).voiWindow().center, windows[1].center);
    QCOMPARE(scene(StandardView::LMLO).voiWindow().width, windows[1].width);
    key(Qt::Key_F2);
    QCOMPARE(scene(StandardView::RCC).voiWindow().width, windows[0].width);
    key(Qt::Key_F5);
    QCOMPARE(scene(StandardView::RCC).voiWindow().width, 4096.0);  // 12 bits: the full stored range

    const auto stored = storedAt(p);
    key(Qt::Key_Equal);
    QVERIFY(std::abs(scene(StandardView::RCC).pixelScale() - 1.0) < 1e-9);
    QCOMPARE(storedAt(p), stored);  // 1:1 around the cursor
    QVERIFY(std::abs(scene(StandardView::LCC).zoom() - scene(StandardView::RCC).zoom()) < 1e-9);
    key(Qt::Key_F);
    for (StandardView v : core::kStandardViews) QCOMPARE(scene(v).zoom(), 1.0);
    key(Qt::Key_T);  // true size: one stored pixel spans its spacing in millimetres of the screen
    const double pxPerMm = panel()->screen()->physicalDotsPerInchX() / 25.4 * panel()->devicePixelRatioF();
    QVERIFY(std::abs(scene(StandardView::RCC).pixelScale() - 0.28 * pxPerMm) < 1e-9);
    QCOMPARE(storedAt(p), stored);
    key(Qt::Key_F);

    key(Qt::Key_I);
    wheel(p, 2);
    key(Qt::Key_R);
    for (StandardView v : core::kStandardViews) {
      QVERIFY(!scene(v).inverted());
      QCOMPARE(scene(v).zoom(), 1.0);
      QCOMPARE(scene(v).voiWindow().width, windows[0].width);
    }
    QCOMPARE(frame(), before);  // reset restores the first picture exactly
  }

  void cornerTextAndOrientationMarkers() {
    const viewer::ViewAnnotation& rcc = scene(StandardView::RCC).annotation();
    QCOMPARE(QString::fromStdString(rcc.topText()), QStringLiteral("R CC\n2026-01-01"));
    QVERIFY(QString::fromStdString(rcc.bottomText()).startsWith(QStringLiteral("W 2600 C 1700\nZoom ")));
    QCOMPARE(QString::fromStdString(rcc.chestWallMarker()), QStringLiteral("P"));
    QVERIFY(rcc.chestWallMarkerPosition()[0] > 0.9);  // R-CC: chest wall on the viewport's right
    QVERIFY(scene(StandardView::LCC).annotation().chestWallMarkerPosition()[0] < 0.1);
    // The text is drawn (yellow on the air of the upper corner on the nipple side) ...
    const ViewPixels px = pixelsOf(StandardView::RCC);
    int yellow = 0;
    for (int y = px.rect.top(); y < px.rect.top() + 40; ++y) {
      for (int x = px.rect.left(); x < px.rect.left() + 120; ++x) {
        const QColor c = px.frame.pixelColor(x, y);
        yellow += c.red() > 150 && c.blue() < c.red() - 60;
      }
    }
    QVERIFY2(yellow > 30, "corner text not drawn");
    // ... and follows the zoom.
    wheel(tissuePoint(StandardView::RCC), 1);
    QVERIFY(QString::fromStdString(rcc.bottomText())
                .contains(QStringLiteral("Zoom %1%").arg(std::lround(scene(StandardView::RCC).pixelScale() * 100))));
  }

  void loupeMagnifiesImageAndOverlayAroundTheCursor() {
    // A hot spot 15..25 px right of the cursor, 10 px high; the tissue beyond it is plain grey.
    const QPoint p = tissuePoint(StandardView::RCC);
    hotSpotUnder(StandardView::RCC, QRect(p + QPoint(15, -5), p + QPoint(25, 5)));
    hover(p);
    QTRY_VERIFY(reddish(frame().pixel(p + QPoint(20, 0))));
    const QImage before = frame();
    QVERIFY(!reddish(before.pixel(p + QPoint(60, 0))));
    QCOMPARE(panel()->loupe().magnification(), 3.0);  // the default

    key(Qt::Key_L);
    QVERIFY(panel()->loupeEnabled());
    QVERIFY(m_window->actions().find(QStringLiteral("Loupe"))->isChecked());
    QTRY_VERIFY(panel()->loupe().visible());
    const QImage magnified = frame();
    // x 3 around the cursor: the hot spot now lies 45..75 px to the right, tissue where it was.
    QVERIFY2(reddish(magnified.pixel(p + QPoint(60, 0))), "the loupe does not show the overlay magnified");
    QVERIFY2(!reddish(magnified.pixel(p + QPoint(20, 0))), "the picture under the loupe is not magnified");
    QVERIFY(!reddish(magnified.pixel(p + QPoint(100, 0))));
    // Outside the loupe (300 px wide) nothing changed.
    QCOMPARE(magnified.pixel(p + QPoint(0, 200)), before.pixel(p + QPoint(0, 200)));

    // It follows the cursor: from 10 px further left the hot spot is 25..35 px away, 75..105 px in the loupe.
    QVERIFY(!reddish(magnified.pixel(p + QPoint(85, 0))));
    moveTo(p - QPoint(10, 0));
    QTRY_VERIFY_WITH_TIMEOUT(reddish(frame().pixel(p + QPoint(85, 0))), 15000);  // a loaded machine renders late

    // Size and magnification keys, remembered in the settings.
    key(Qt::Key_BracketRight, Qt::ControlModifier);
    QCOMPARE(panel()->loupe().sizePx(), 350);
    key(Qt::Key_BracketRight, Qt::AltModifier);
    QCOMPARE(panel()->loupe().magnification(), 3.5);
    QCOMPARE(QSettings().value(QStringLiteral("loupe/size")).toInt(), 350);
    QCOMPARE(QSettings().value(QStringLiteral("loupe/magnification")).toDouble(), 3.5);
    key(Qt::Key_BracketLeft, Qt::AltModifier);
    key(Qt::Key_BracketLeft, Qt::ControlModifier);

    hover(p);
    key(Qt::Key_L);
    QVERIFY(!panel()->loupeEnabled() && !panel()->loupe().visible());
    // Off: exactly the picture without it, over the views (the colour bars' strip, whose labels VTK lays out
    // again on later frames, is not the loupe's).
    const int views =
        static_cast<int>(panel()->viewports()[panel()->viewIndex(StandardView::LCC)].bounds[2] * before.width());
    QTRY_COMPARE(frame().copy(0, 0, views, before.height()), before.copy(0, 0, views, before.height()));
  }

  void measureToolGivesMillimetresAndStaysOnTheImage() {
    key(Qt::Key_M);
    QVERIFY(panel()->measureMode());
    const QPoint p = tissuePoint(StandardView::RCC) + QPoint(-40, 0), q = p + QPoint(100, 0);
    const auto a = scene(StandardView::RCC).storedPointAt(viewportOf(p)[0], viewportOf(p)[1]);
    const auto b = scene(StandardView::RCC).storedPointAt(viewportOf(q)[0], viewportOf(q)[1]);
    QVERIFY(a && b);
    const core::VoiWindow window = scene(StandardView::RCC).voiWindow();
    drag(Qt::LeftButton, p, q);
    QCOMPARE(scene(StandardView::RCC).voiWindow().center, window.center);  // measuring is not W/L
    const auto measured = panel()->measurements(StandardView::RCC);
    QCOMPARE(int(measured.size()), 1);
    QCOMPARE(measured[0].from, *a);
    QCOMPARE(measured[0].to, *b);
    // The phantom's spacing is 0.28 mm in both directions, at the detector (it has no magnification factor).
    const double mm = std::hypot(((*b)[0] - (*a)[0]) * 0.28, ((*b)[1] - (*a)[1]) * 0.28);
    QVERIFY(mm > 20);
    QCOMPARE(QString::fromStdString(scene(StandardView::RCC).measurementLabels().at(0)),
             QString::number(mm, 'f', 1) + QStringLiteral(" mm (at detector)"));
    const QPoint mid = (p + q) / 2;
    QTRY_VERIFY2(cyan(frame().pixel(mid)), "no measurement line");

    // Zoom about a point below the line: the line moves with the image, the length stays.
    wheel(mid + QPoint(0, 40), 2);
    QCOMPARE(panel()->measurements(StandardView::RCC).size(), size_t(1));
    QCOMPARE(QString::fromStdString(scene(StandardView::RCC).measurementLabels().at(0)),
             QString::number(mm, 'f', 1) + QStringLiteral(" mm (at detector)"));
    const QPoint moved = widgetOf(
        StandardView::RCC, scene(StandardView::RCC).viewportPointOf(((*a)[0] + (*b)[0]) / 2, ((*a)[1] + (*b)[1]) / 2));
    QVERIFY((moved - mid).manhattanLength() > 10);
    const QImage zoomed = frame();
    QVERIFY2(cyan(zoomed.pixel(moved)), "the line did not follow the zoom");
    QVERIFY(!cyan(zoomed.pixel(mid)));
    QVERIFY(panel()->measurements(StandardView::LCC).empty());  // the other views have none

    // Delete removes the one nearest the cursor; Shift+Del clears all.
    drag(Qt::LeftButton, p + QPoint(0, 60), q + QPoint(0, 60));
    QCOMPARE(panel()->measurements(StandardView::RCC).size(), size_t(2));
    hover(moved);
    key(Qt::Key_Delete);
    QCOMPARE(panel()->measurements(StandardView::RCC).size(), size_t(1));
    QVERIFY(panel()->measurements(StandardView::RCC)[0].from != *a);
    key(Qt::Key_Delete, Qt::ShiftModifier);
    QVERIFY(panel()->measurements(StandardView::RCC).empty());
    QTRY_VERIFY(!cyan(frame().pixel(moved)));
    key(Qt::Key_M);
    QVERIFY(!panel()->measureMode());
  }

  void statusBarShowsStoredModalityDisplayedAndPosition() {
    // R-CC with a rescale (modality = stored / 2 - 10) to show the modality value too.
    auto exam = std::make_shared<core::Exam>(*m_exam);
    exam->view(StandardView::RCC).front().info.rescaleSlope = 0.5;
    exam->view(StandardView::RCC).front().info.rescaleIntercept = -10;
    panel()->setExam(exam);
    const core::Image& image = exam->view(StandardView::RCC).front();
    int r = -1, c = -1, v = 0;
    QPoint p;
    auto expected = [&] {
      return QStringLiteral("R-CC  row %1 col %2  (%3, %4) mm  stored %5  modality %6  displayed %7")
          .arg(r)
          .arg(c)
          .arg(r * 0.28, 0, 'f', 2)
          .arg(c * 0.28, 0, 'f', 2)
          .arg(v)
          .arg(v * 0.5 - 10)
          .arg(scene(StandardView::RCC).displayedGrey(static_cast<std::uint16_t>(v)));
    };
    // The point is taken again while waiting: on a loaded machine the docks may still be narrowing the
    // panel, which moves the views under a point taken too early. The mouse moves only when it changes
    // (moves are queued: hovering on every try would keep overtaking the text).
    QPoint hovered(-1, -1);
    const auto probe = [&] {
      p = tissuePoint(StandardView::RCC);
      if (p != hovered) hover(p);
      hovered = p;
      const auto px = storedAt(p);
      if (!px) return false;
      r = (*px)[0];
      c = (*px)[1];
      v = image.at(r, c);
      return statusText() == expected();
    };
    QTRY_VERIFY_WITH_TIMEOUT(probe(), 15000);
    QCOMPARE(statusText(), expected());
    // The displayed grey is the window's: F5 (full range) changes it, and the text follows without a move.
    const int grey = scene(StandardView::RCC).displayedGrey(static_cast<std::uint16_t>(v));
    key(Qt::Key_F5);
    QVERIFY(scene(StandardView::RCC).displayedGrey(static_cast<std::uint16_t>(v)) != grey);
    QCOMPARE(statusText(), expected());
    // With a heatmap, its value under the cursor.
    hotSpotUnder(StandardView::RCC, QRect(p - QPoint(5, 5), p + QPoint(5, 5)));
    hover(p);
    QTRY_VERIFY(statusText().endsWith(QStringLiteral("  malignant 0.600")));
  }

  void heatmapContoursAndColourBars() {
    const QPoint p = tissuePoint(StandardView::LCC);
    const QRect spot(p - QPoint(30, 30), p + QPoint(30, 30));
    const viewer::ColourBar& bar = panel()->colourBar(viewer::HeatmapKind::Malignant);
    QVERIFY(!bar.visible());  // no heatmap yet
    hotSpotUnder(StandardView::LCC, spot);
    QTRY_VERIFY(reddish(frame().pixel(p)));
    QVERIFY(bar.visible());
    QVERIFY(!panel()->colourBar(viewer::HeatmapKind::Benign).visible());
    // The malignant bar along the right edge of the window (upper half) shows the hot map's red and yellow.
    auto barColours = [&](const QImage& f) {
      int red = 0, yellow = 0;
      for (int y = 0; y < f.height() / 2; ++y) {
        for (int x = f.width() - 90; x < f.width(); ++x) {
          const QRgb c = f.pixel(x, y);
          red += qRed(c) > 180 && qGreen(c) < 60 && qBlue(c) < 60;
          yellow += qRed(c) > 220 && qGreen(c) > 160 && qBlue(c) < 120;
        }
      }
      return std::pair(red, yellow);
    };
    const auto [red, yellow] = barColours(frame());
    QVERIFY2(red > 30 && yellow > 30, "no colour bar with the hot map's colours");
    // The bars have a strip of their own: no view (image, markers, text) reaches under them.
    for (const viewer::Viewport& vp : panel()->viewports()) QVERIFY(vp.bounds[2] <= bar.place()[0]);

    // Contours (C): colour on the hot spot's boundary, none inside.
    key(Qt::Key_C);
    QVERIFY(panel()->heatmapContours());
    QVERIFY(scene(StandardView::LCC).heatmapStyle(viewer::HeatmapKind::Malignant).contours);
    QTRY_VERIFY(!reddish(frame().pixel(p)));
    const QImage contours = frame();
    auto redAround = [&](QPoint centre, int r) {
      int n = 0;
      for (int y = centre.y() - r; y <= centre.y() + r; ++y) {
        for (int x = centre.x() - r; x <= centre.x() + r; ++x)
          n += qRed(contours.pixel(x, y)) > qGreen(contours.pixel(x, y)) + 60;
      }
      return n;
    };
    QVERIFY2(redAround(QPoint(spot.left(), p.y()), 3) > 0, "no contour on the left boundary");
    QVERIFY2(redAround(QPoint(spot.right(), p.y()), 3) > 0, "no contour on the right boundary");
    QVERIFY2(redAround(QPoint(p.x(), spot.top()), 3) > 0, "no contour on the top boundary");
    QCOMPARE(redAround(p, 20), 0);  // the interior shows the tissue
    // The AI panel's style changes keep contour mode.
    viewer::HeatmapStyle style = scene(StandardView::LCC).heatmapStyle(viewer::HeatmapKind::Malignant);
    style.contours = false;
    panel()->setHeatmapStyle(viewer::HeatmapKind::Malignant, style);
    QVERIFY(scene(StandardView::LCC).heatmapStyle(viewer::HeatmapKind::Malignant).contours);

    // Shift+C hides the bars, and the views take their strip back.
    const double narrowed = panel()->viewports()[panel()->viewIndex(StandardView::LCC)].bounds[2];
    key(Qt::Key_C, Qt::ShiftModifier);
    QVERIFY(!bar.visible());
    QTRY_COMPARE(barColours(frame()).first, 0);
    QVERIFY(panel()->viewports()[panel()->viewIndex(StandardView::LCC)].bounds[2] > narrowed);
    key(Qt::Key_C, Qt::ShiftModifier);
    QVERIFY(bar.visible());
    key(Qt::Key_C);
    QTRY_VERIFY(reddish(frame().pixel(p)));
  }

  void heatmapsMalignantFirstBenignOneKeyAwayThresholdAndColours() {
    ui::AiPanel* ai = m_window->aiPanel();
    const viewer::ViewScene& lcc = scene(StandardView::LCC);
    constexpr auto benign = viewer::HeatmapKind::Benign, malignant = viewer::HeatmapKind::Malignant;
    // Malignant shown, benign hidden, as the panel and the AI dock both say.
    QVERIFY(ai->heatmapStyle(malignant).visible && !ai->heatmapStyle(benign).visible);
    QVERIFY(lcc.heatmapStyle(malignant).visible && !lcc.heatmapStyle(benign).visible);
    const int rows = lcc.image()->info.rows, cols = lcc.image()->info.columns;
    auto values = std::make_shared<std::vector<float>>(static_cast<size_t>(rows) * cols, 0.5f);
    panel()->setViewHeatmap(StandardView::LCC, benign, {rows, cols, values});
    QVERIFY(lcc.hasHeatmap(benign));
    QVERIFY(!panel()->colourBar(benign).visible());
    // Ctrl+B shows it (the View menu's check and the dock's box follow), again hides it.
    QAction* showBenign = m_window->actions().find(QStringLiteral("Show benign heatmap"));
    QVERIFY(showBenign && !showBenign->isChecked());
    key(Qt::Key_B, Qt::ControlModifier);
    QVERIFY(lcc.heatmapStyle(benign).visible && ai->heatmapStyle(benign).visible);
    QVERIFY(showBenign->isChecked());
    QVERIFY(panel()->colourBar(benign).visible());
    key(Qt::Key_B, Qt::ControlModifier);
    QVERIFY(!lcc.heatmapStyle(benign).visible && !panel()->colourBar(benign).visible());
    // Ctrl+M hides the malignant map and shows it again.
    key(Qt::Key_M, Qt::ControlModifier);
    QVERIFY(!lcc.heatmapStyle(malignant).visible);
    key(Qt::Key_M, Qt::ControlModifier);
    QVERIFY(lcc.heatmapStyle(malignant).visible);
    // A threshold and a colour map per heatmap, reaching the views and the colour bar.
    ai->setHeatmapThreshold(malignant, 0.45);
    QCOMPARE(lcc.heatmapStyle(malignant).threshold, 0.45);
    QCOMPARE(panel()->colourBar(malignant).range()[0], 0.45);
    QCOMPARE(lcc.heatmapStyle(benign).threshold, 0.2);  // the other one keeps its own
    ai->setHeatmapColours(malignant, viewer::ColourMap::Jet);
    QVERIFY(lcc.heatmapStyle(malignant).colours == viewer::ColourMap::Jet);
    ai->setHeatmapThreshold(malignant, 0.1);
    ai->setHeatmapColours(malignant, viewer::ColourMap::Hot);
    panel()->setViewHeatmap(StandardView::LCC, benign, {});
  }

  void orientationMarkersOnEveryView() {
    for (StandardView v : core::kStandardViews) {
      const auto markers = scene(v).annotation().markers();
      QCOMPARE(QString::fromStdString(markers[0]), QStringLiteral("P"));
      QCOMPARE(QString::fromStdString(markers[1]), QStringLiteral("A"));
      const bool cc = v == StandardView::LCC || v == StandardView::RCC;
      const bool right = v == StandardView::RCC || v == StandardView::RMLO;
      // The phantom's PatientOrientation: CC rows run medially, MLO rows towards the feet.
      QCOMPARE(QString::fromStdString(markers[2]),
               cc ? (right ? QStringLiteral("R") : QStringLiteral("L")) : QStringLiteral("H"));
      QCOMPARE(QString::fromStdString(markers[3]),
               cc ? (right ? QStringLiteral("L") : QStringLiteral("R")) : QStringLiteral("F"));
    }
  }

  void shortcutsDialogListsEveryAction() {
    const ui::ActionTable& actions = m_window->actions();
    key(Qt::Key_F1);
    QTRY_VERIFY(m_window->shortcutsDialog() && m_window->shortcutsDialog()->isVisible());
    QTableWidget* table = m_window->shortcutsDialog()->table();
    QCOMPARE(table->rowCount(), static_cast<int>(actions.rows().size()));
    int reading = 0;
    for (int i = 0; i < table->rowCount(); ++i) {
      const ui::ActionTable::Row& row = actions.rows()[i];
      QCOMPARE(table->item(i, 1)->text(), row.text);
      if (row.group == QStringLiteral("View") || row.group == QStringLiteral("Mouse")) {
        ++reading;
        QVERIFY2(!row.shortcutText().isEmpty(), qPrintable(row.text + " has no shortcut"));
        QCOMPARE(table->item(i, 2)->text(), row.shortcutText());
      }
    }
    QVERIFY(reading >= 20);
    for (const char* text : {"Fit", "1:1 pixels", "Invert", "Reset window, zoom and pan", "Window: full range"}) {
      QVERIFY2(actions.find(QString::fromLatin1(text)), text);
    }
    QCOMPARE(actions.find(QStringLiteral("Invert"))->shortcut(), QKeySequence(Qt::Key_I));
    QCOMPARE(actions.find(QStringLiteral("1:1 pixels"))->shortcut(), QKeySequence(Qt::Key_Equal));
    const std::pair<const char*, const char*> tools[] = {{"Loupe", "L"},
                                                         {"Larger loupe", "Ctrl+]"},
                                                         {"Smaller loupe", "Ctrl+["},
                                                         {"Loupe: more magnification", "Alt+]"},
                                                         {"Loupe: less magnification", "Alt+["},
                                                         {"Measure distance", "M"},
                                                         {"Delete measurement (nearest the cursor)", "Del"},
                                                         {"Clear measurements", "Shift+Del"},
                                                         {"Heatmap contours", "C"},
                                                         {"Heatmap colour bars", "Shift+C"}};
    for (const auto& [text, keys] : tools) {
      QAction* a = actions.find(QString::fromLatin1(text));
      QVERIFY2(a, text);
      QCOMPARE(a->shortcut(), QKeySequence(QString::fromLatin1(keys)));
    }
  }
};

int main(int argc, char** argv) {
  ui::VtkOpenGLWidget::setDefaultSurfaceFormat();
  QApplication app(argc, argv);
  // Tests never touch the user's settings.
  QApplication::setOrganizationName(QStringLiteral("MammolensTests"));
  QApplication::setApplicationName(QStringLiteral("test_ui_reading"));
  ReadingTest test;
  return QTest::qExec(&test, argc, argv);
}

#include "ReadingTest.moc"
