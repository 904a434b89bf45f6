// Annotation mode under Xvfb with real widgets and real input events: a brush stroke painted with the
// mouse at 2x zoom on a mirrored view lands on the right stored-image pixels (and nowhere else), shows in
// the framebuffer in the class colour, and undoes/redoes exactly; autosave writes the NYU PNG masks and a
// new session restores them; the lesion list shows the painted lesion with its area in mm²; a second
// session on the same exam warns; the reviewer sees another annotator's agreement. Waits use QTRY_* and
// QSignalSpy, never sleeps.
#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QDialogButtonBox>
#include <QDockWidget>
#include <QPushButton>
#include <QFile>
#include <QLabel>
#include <QRadioButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTest>
#include <QWheelEvent>

#include <cmath>
#include <filesystem>
#include <memory>

#include "PanelInput.h"
#include "annotation/Autosaver.h"
#include "annotation/Brush.h"
#include "annotation/EditLock.h"
#include "annotation/FloodFill.h"
#include "annotation/MaskFiles.h"
#include "annotation/Sidecar.h"
#include "core/Orientation.h"
#include "core/Phantom.h"
#include "ui/AnnotationController.h"
#include "ui/AnnotationPanel.h"
#include "ui/AnnotationReviewPanel.h"
#include "ui/ClassListDialog.h"
#include "ui/ShortcutsDialog.h"
#include "ui/FourViewPanel.h"
#include "ui/LesionPanel.h"
#include "ui/MainWindow.h"
#include "TestServices.h"
#include "ui/VtkOpenGLWidget.h"
#include "viewer/LabelLayer.h"
#include "viewer/ViewScene.h"

using namespace mammo;
using core::StandardView;
namespace fs = std::filesystem;

namespace {

std::shared_ptr<const core::Exam> phantomExam() {
  core::PhantomOptions o;
  o.seed = 47;
  const core::PhantomExam phantom = core::generatePhantomExam(o, 0);
  auto exam = std::make_shared<core::Exam>();
  exam->id = phantom.id;
  for (StandardView v : core::kStandardViews) {
    core::Image image = phantom.views[static_cast<int>(v)].image;
    if (v == StandardView::RCC) {
      // Stored facing the other way, as many detectors write right breasts: the hanging must mirror it.
      for (int r = 0; r < image.info.rows; ++r) {
        auto row = image.pixels.begin() + static_cast<std::ptrdiff_t>(r) * image.info.columns;
        std::reverse(row, row + image.info.columns);
      }
    }
    image.orientation = core::analyseOrientation(image);  // as the loader does
    exam->view(v).push_back(std::move(image));
  }
  return exam;
}

// Distance from point (r, c) to the polyline through `pts` (image pixels).
double distanceToPolyline(double r, double c, const std::vector<std::array<double, 2>>& pts) {
  double best = 1e300;
  for (size_t i = 0; i < pts.size(); ++i) {
    const auto& a = pts[i];
    const auto& b = i + 1 < pts.size() ? pts[i + 1] : pts[i];
    const double dr = b[0] - a[0], dc = b[1] - a[1], len2 = dr * dr + dc * dc;
    const double t = len2 > 0 ? std::clamp(((r - a[0]) * dr + (c - a[1]) * dc) / len2, 0.0, 1.0) : 0.0;
    best = std::min(best, std::hypot(r - a[0] - t * dr, c - a[1] - t * dc));
  }
  return best;
}

bool isClassRed(QRgb p) { return qRed(p) - std::max(qGreen(p), qBlue(p)) > 60; }

}  // namespace

class AnnotationTest : public QObject {
  Q_OBJECT

  test::TestServices m_services;  // before the windows: outlives them

  std::shared_ptr<const core::Exam> m_exam = phantomExam();
  std::unique_ptr<ui::MainWindow> m_window;
  QString m_root;

  ui::FourViewPanel* panel() const { return m_window->panel(); }
  ui::AnnotationController* controller() const { return m_window->annotation(); }
  const viewer::ViewScene& scene(StandardView v) const { return panel()->scene(panel()->viewIndex(v)); }
  QImage frame() const { return panel()->grabFramebuffer().convertToFormat(QImage::Format_RGB32); }
  fs::path annotatorFolder() const { return fs::path(m_root.toStdString()) / "tester"; }

  // A widget point over breast tissue: between the viewport's centre and its chest-wall edge.
  QPoint tissuePoint(StandardView v) const {
    const auto& vp = panel()->viewports()[panel()->viewIndex(v)];
    const double cx = (vp.bounds[0] + vp.bounds[2]) / 2;
    const double wall = vp.chestWallOnScreen == core::ImageEdge::Right ? vp.bounds[2] : vp.bounds[0];
    return QPoint(int((cx + wall) / 2 * panel()->width()),
                  int((1 - (vp.bounds[1] + vp.bounds[3]) / 2) * panel()->height()));
  }
  std::array<int, 2> storedAt(QPoint widgetPoint) const {
    const auto p = panel()->viewPointAt(widgetPoint);
    const auto s = panel()->scene(p.view).storedPixelAt(p.x, p.y);
    return s ? *s : std::array<int, 2>{-1, -1};
  }
  void key(int k, Qt::KeyboardModifiers mods = Qt::NoModifier) { QTest::keyClick(panel(), Qt::Key(k), mods); }

  std::unique_ptr<ui::MainWindow> openWindow() {
    auto window = std::make_unique<ui::MainWindow>(m_services.services());
    window->setInteractive(false);
    window->setAutoAnalyse(false, false);
    window->annotation()->setAutosaveDelay(std::chrono::milliseconds(100));
    window->resize(1200, 900);
    return window;
  }
  void startSession() {
    QSignalSpy started(controller(), &ui::AnnotationController::sessionStarted);
    panel()->setExam(m_exam);
    panel()->setFocus();
    QTRY_VERIFY(started.count() == 1);
    QVERIFY(controller()->session());
    test::SizeSettled settled;  // the docks may still be narrowing the panel
    QTRY_VERIFY(settled(*panel()) && panel()->width() > 400 && !frame().isNull());
  }
  // Press, moves along the way, release: the widget points of every event.
  std::vector<QPoint> stroke(QPoint from, QPoint to, int steps) {
    std::vector<QPoint> points{from};
    QTest::mousePress(panel(), Qt::LeftButton, {}, from);
    for (int i = 1; i <= steps; ++i) {
      const QPoint p = from + (to - from) * i / steps;
      QTest::mouseMove(panel(), p);
      points.push_back(p);
    }
    QTest::mouseRelease(panel(), Qt::LeftButton, {}, to);
    return points;
  }

 private slots:
  void init() {
    m_root = QStringLiteral(MAMMO_TEST_TMP "/ui-annotation/") + QString::fromLatin1(QTest::currentTestFunction());
    QDir(m_root).removeRecursively();
    QDir().mkpath(m_root);
    QSettings settings;
    settings.setValue(QStringLiteral("annotation/root"), m_root);
    settings.setValue(QStringLiteral("annotation/user"), QStringLiteral("tester"));
    settings.remove(QStringLiteral("annotation/classes"));
    m_window = openWindow();
    m_window->show();
    m_window->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
    startSession();
  }
  void cleanup() {
    m_window.reset();
    QSettings().remove(QStringLiteral("annotation/classes"));
  }
  QStringList classButtons() const {
    QStringList names;
    for (auto* b : m_window->findChild<ui::AnnotationPanel*>()->findChildren<QRadioButton*>()) {
      if (b->objectName().startsWith(QStringLiteral("class-"))) names << b->objectName().mid(6);
    }
    names.sort();
    return names;
  }
  // A stroke of the active class across view v's tissue; returns the map once it is saved.
  core::LabelMap paintAndSave(StandardView v) {
    QSignalSpy saved(controller(), &ui::AnnotationController::saved);
    const QPoint c = tissuePoint(v);
    stroke(c - QPoint(15, 0), c + QPoint(15, 4), 4);
    [&] { QTRY_VERIFY(saved.count() >= 1); }();
    return *controller()->labelMap(v);
  }

  void strokeAtTwiceZoomPaintsImagePixelsThenUndoRedo() {
    // Mode, class and tool through their keys.
    key(Qt::Key_E, Qt::ControlModifier);
    QVERIFY(controller()->isEnabled());
    key(Qt::Key_W);
    QCOMPARE(int(controller()->activeLabel()), 1);
    key(Qt::Key_Q);
    QCOMPARE(int(controller()->activeLabel()), 2);  // malignant
    key(Qt::Key_E);
    QCOMPARE(controller()->tool(), ui::AnnotationTool::Eraser);
    key(Qt::Key_B);
    QCOMPARE(controller()->tool(), ui::AnnotationTool::Brush);
    controller()->setBrushRadius(6.0);
    key(Qt::Key_BracketRight);
    QCOMPARE(controller()->brushRadius(), 7.5);
    key(Qt::Key_BracketLeft);
    QCOMPARE(controller()->brushRadius(), 6.0);
    // Paint on a view the hanging mirrors (display column = columns-1-stored column).
    StandardView view = StandardView::RCC;
    int mirrored = 0;
    for (StandardView v : core::kStandardViews) {
      if (scene(v).mirrored()) view = v, ++mirrored;
    }
    QVERIFY2(mirrored > 0 && mirrored < 4, "the hanging should mirror some views and not others");
    // Ctrl + wheel sizes the brush (and does not zoom).
    const QPoint c = tissuePoint(view);
    QWheelEvent wheel(QPointF(c), QPointF(panel()->mapToGlobal(c)), QPoint(), QPoint(0, 120), Qt::NoButton,
                      Qt::ControlModifier, Qt::NoScrollPhase, false);
    QApplication::sendEvent(panel(), &wheel);
    QVERIFY(std::abs(controller()->brushRadius() - 6.6) < 1e-9);
    QCOMPARE(scene(view).zoom(), 1.0);
    controller()->setBrushRadius(6.0);

    // Zoom 2x about the stroke's middle.
    const auto vp = panel()->viewPointAt(c);
    panel()->zoomAt(vp.view, 2.0, vp.x, vp.y);
    QVERIFY(std::abs(scene(view).zoom() - 2.0) < 1e-9);

    const QPoint from = c + QPoint(-40, -6), to = c + QPoint(40, 10), middle = (from + to) / 2;
    const QRgb greyBefore = frame().pixel(middle);
    QVERIFY(!isClassRed(greyBefore));
    const core::LabelMap before = *controller()->labelMap(view);
    QCOMPARE(before.count(0), before.labels.size());
    QSignalSpy changed(controller(), &ui::AnnotationController::masksChanged);
    const size_t tileUpdates = controller()->labelLayer(view)->tileUpdates();
    const std::vector<QPoint> events = stroke(from, to, 8);
    // Incremental: each mouse event re-colours only the few tiles under its segment, never the whole layer.
    QVERIFY(controller()->labelLayer(view)->tileUpdates() - tileUpdates <= 4 * (events.size() + 2));
    QCOMPARE(changed.count(), 1);  // one operation for the whole stroke

    const core::LabelMap& map = *controller()->labelMap(view);
    std::vector<std::array<double, 2>> path;
    for (const QPoint& e : events) {
      const auto s = storedAt(e);
      QVERIFY(s[0] >= 0);
      QCOMPARE(int(map.at(s[0], s[1])), 2);  // painted under every mouse event, in image coordinates
      path.push_back({double(s[0]), double(s[1])});
    }
    // The screen stroke goes left to right; on the mirrored image its columns run right to left.
    QVERIFY(path.back()[1] < path.front()[1]);
    // Every pixel near the path is painted and nothing else (the path's ends are whole pixels, +-0.5).
    const double r = controller()->brushRadius();
    size_t painted = 0, unpainted = 0, stray = 0;
    for (int row = 0; row < map.rows; ++row) {
      for (int col = 0; col < map.columns; ++col) {
        const double d = distanceToPolyline(row, col, path);
        const int v = map.at(row, col);
        painted += v != 0;
        unpainted += d <= r - 1.5 && v != 2;
        stray += d > r + 1.5 && v != 0;
      }
    }
    QVERIFY(painted > 100);
    QCOMPARE(unpainted, size_t(0));
    QCOMPARE(stray, size_t(0));
    for (StandardView other : core::kStandardViews) {
      if (other != view)
        QCOMPARE(controller()->labelMap(other)->count(0), controller()->labelMap(other)->labels.size());
    }
    const core::LabelMap after = map;

    // The overlay shows the class colour at the stroke.
    QTRY_VERIFY(isClassRed(frame().pixel(middle)));
    QVERIFY(controller()->labelLayer(view)->nonEmptyTiles() >= 1);

    // Undo restores the map exactly, redo brings the stroke back.
    key(Qt::Key_Z, Qt::ControlModifier);
    QVERIFY(controller()->labelMap(view)->labels == before.labels);
    QTRY_VERIFY(!isClassRed(frame().pixel(middle)));
    QVERIFY(!controller()->canUndo() && controller()->canRedo());
    key(Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier);
    QVERIFY(controller()->labelMap(view)->labels == after.labels);
    QTRY_VERIFY(isClassRed(frame().pixel(middle)));

    // Outside annotation mode a left drag is window/level again and paints nothing.
    key(Qt::Key_E, Qt::ControlModifier);
    QVERIFY(!controller()->isEnabled());
    stroke(c + QPoint(0, 40), c + QPoint(30, 60), 3);
    QVERIFY(controller()->labelMap(view)->labels == after.labels);
  }

  void autosaveWritesMasksAndANewSessionRestoresThem() {
    const StandardView view = StandardView::LCC;
    controller()->setEnabled(true);
    controller()->setActiveLabel(1);  // benign
    controller()->setBrushRadius(5.0);
    QSignalSpy saved(controller(), &ui::AnnotationController::saved);
    const QPoint c = tissuePoint(view);
    stroke(c - QPoint(20, 0), c + QPoint(20, 5), 4);
    const core::LabelMap painted = *controller()->labelMap(view);
    const size_t pixels = painted.count(1);
    QVERIFY(pixels > 50);

    // Autosave: NYU-named masks in the annotator's folder, equal to the map.
    QTRY_VERIFY(saved.count() >= 1);
    const fs::path benign = annotatorFolder() / annotation::maskFileName(m_exam->id, view, "benign");
    const fs::path malignant = annotatorFolder() / annotation::maskFileName(m_exam->id, view, "malignant");
    QVERIFY(fs::exists(benign) && fs::exists(malignant));
    QVERIFY(annotation::readMasks({{"benign", benign}, {"malignant", malignant}}).labels == painted.labels);
    QVERIFY(fs::exists(annotation::lockPath(annotatorFolder(), m_exam->id)));

    // The lesion list: one benign lesion in L-CC with its area in mm².
    auto* lesions = m_window->findChild<ui::LesionPanel*>();
    QVERIFY(lesions);
    QTRY_COMPARE(lesions->table()->rowCount(), 1);
    const auto spacing = *m_exam->first(view)->info.spacing;
    QCOMPARE(lesions->table()->item(0, ui::LesionPanel::Class)->text(), QStringLiteral("benign"));
    QCOMPARE(lesions->table()->item(0, ui::LesionPanel::Area)->text(),
             QString::number(double(pixels) * spacing.rowMm * spacing.columnMm, 'f', 1));
    QCOMPARE(lesions->table()->item(0, ui::LesionPanel::Views)->text(), QStringLiteral("L-CC"));

    // Status and note edited in the list reach the sidecar.
    auto* status = qobject_cast<QComboBox*>(lesions->table()->cellWidget(0, ui::LesionPanel::Status));
    QVERIFY(status);
    status->setCurrentIndex(1);  // done
    lesions->table()->item(0, ui::LesionPanel::Note)->setText(QStringLiteral("biopsy 2026-11"));
    const fs::path sidecar = annotation::sidecarPath(annotatorFolder(), m_exam->id);
    QTRY_VERIFY(annotation::readSidecar(sidecar).lesions.size() == 1 &&
                annotation::readSidecar(sidecar).lesions[0].note == "biopsy 2026-11");
    QVERIFY(annotation::readSidecar(sidecar).lesions[0].status == annotation::LesionStatus::Done);

    // The same finding painted in L-MLO, then linked: one lesion seen in two views.
    const QPoint m = tissuePoint(StandardView::LMLO);
    stroke(m - QPoint(10, 0), m + QPoint(10, 0), 2);
    QTRY_COMPARE(lesions->table()->rowCount(), 2);
    lesions->table()->selectAll();
    QVERIFY(lesions->linkSelected());
    QTRY_COMPARE(lesions->table()->rowCount(), 1);
    QCOMPARE(lesions->table()->item(0, ui::LesionPanel::Views)->text(), QStringLiteral("L-CC, L-MLO"));
    QTRY_VERIFY(annotation::readSidecar(sidecar).lesions.size() == 1);
    const core::LabelMap paintedMlo = *controller()->labelMap(StandardView::LMLO);

    // Close; the lock goes with the session. A new window on the same exam shows the saved masks.
    m_window.reset();
    QVERIFY(!fs::exists(annotation::lockPath(annotatorFolder(), m_exam->id)));
    m_window = openWindow();
    m_window->show();
    QSignalSpy conflict(controller(), &ui::AnnotationController::editConflict);
    startSession();
    QVERIFY(controller()->labelMap(view)->labels == painted.labels);
    QVERIFY(controller()->labelMap(StandardView::LMLO)->labels == paintedMlo.labels);
    QVERIFY(!controller()->canUndo());
    QCOMPARE(m_window->findChild<ui::LesionPanel*>()->table()->item(0, ui::LesionPanel::Note)->text(),
             QStringLiteral("biopsy 2026-11"));
    QCOMPARE(conflict.count(), 0);
    QTRY_VERIFY(controller()->labelLayer(view)->nonEmptyTiles() >= 1);
  }

  void lesionTypeClassesHaveTheirKeysFilesAndLesionClass() {
    // The standard list: each pathology alone and per lesion type, all with a button and a key.
    QCOMPARE(classButtons().size(), 10);
    QVERIFY(classButtons().contains(QStringLiteral("malignant-architectural-distortion")));
    key(Qt::Key_E, Qt::ControlModifier);
    key(Qt::Key_Z);  // malignant mass
    const auto mass = annotation::ClassList::standard().label("malignant-mass");
    QCOMPARE(int(controller()->activeLabel()), int(*mass));
    key(Qt::Key_V);  // benign calcification
    QCOMPARE(int(controller()->activeLabel()), int(*annotation::ClassList::standard().label("benign-calcification")));
    key(Qt::Key_Z);
    controller()->setBrushRadius(4.0);
    const StandardView view = StandardView::LMLO;
    const core::LabelMap painted = paintAndSave(view);
    QVERIFY(painted.count(*mass) > 40);
    QCOMPARE(painted.count(*mass) + painted.count(0), painted.labels.size());
    // Its own NYU-named file beside the benign/malignant pair, which stay empty.
    const fs::path file = annotatorFolder() / annotation::maskFileName(m_exam->id, view, "malignant-mass");
    QTRY_VERIFY(fs::exists(file));
    QVERIFY(annotation::readMasks({{"malignant-mass", file}}).labels == painted.labels);
    const fs::path malignant = annotatorFolder() / annotation::maskFileName(m_exam->id, view, "malignant");
    QCOMPARE(annotation::readMasks({{"malignant", malignant}}).count(0), painted.labels.size());
    QVERIFY(!fs::exists(annotatorFolder() / annotation::maskFileName(m_exam->id, view, "benign-mass")));
    // The lesion list names the typed class.
    auto* lesions = m_window->findChild<ui::LesionPanel*>();
    QTRY_COMPARE(lesions->table()->rowCount(), 1);
    QCOMPARE(lesions->table()->item(0, ui::LesionPanel::Class)->text(), QStringLiteral("malignant-mass"));
  }

  void configuredClassListReplacesTheStandardOneAndKeepsUnlistedMasks() {
    // Masks an earlier list produced (a malignant mass) are on disk before the session opens.
    const StandardView view = StandardView::RCC;
    controller()->setEnabled(true);
    key(Qt::Key_Z);
    controller()->setBrushRadius(4.0);
    const core::LabelMap earlier = paintAndSave(view);
    const auto massId = *annotation::ClassList::standard().label("malignant-mass");
    const size_t massPixels = earlier.count(massId);
    QVERIFY(massPixels > 40);

    const QString listFile = m_root + QStringLiteral("/classes.json");
    {
      QFile f(listFile);
      QVERIFY(f.open(QIODevice::WriteOnly));
      f.write(
          "{\"classes\": [{\"pathology\": \"malignant\", \"colour\": \"#ff0000\", \"key\": \"N\"},"
          " {\"pathology\": \"benign\", \"lesion_type\": \"cyst\", \"colour\": \"#00ffff\", \"key\": \"H\"}]}");
    }
    QSettings().setValue(QStringLiteral("annotation/classes"), listFile);
    m_window.reset();
    m_window = openWindow();
    QSignalSpy messages(m_window->annotation(), &ui::AnnotationController::message);
    m_window->show();
    m_window->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
    startSession();
    QCOMPARE(classButtons(), (QStringList{QStringLiteral("benign-cyst"), QStringLiteral("malignant")}));
    // The unlisted class's mask is shown and said so.
    QTRY_VERIFY(std::any_of(messages.begin(), messages.end(), [](const QList<QVariant>& m) {
      return m.front().toString().contains(QStringLiteral("malignant-mass"));
    }));
    const annotation::ClassList& classes = controller()->classes();
    QVERIFY(classes.find("malignant-mass"));
    QCOMPARE(controller()->labelMap(view)->count(*classes.label("malignant-mass")), massPixels);

    // The configured keys, a benign-cyst stroke in another view; the old mass survives the save.
    key(Qt::Key_E, Qt::ControlModifier);
    key(Qt::Key_H);
    const auto cyst = *classes.label("benign-cyst");
    QCOMPARE(int(controller()->activeLabel()), int(cyst));
    key(Qt::Key_Z);  // not a class key in this list: nothing changes
    QCOMPARE(int(controller()->activeLabel()), int(cyst));
    const core::LabelMap painted = paintAndSave(StandardView::LCC);
    QVERIFY(painted.count(cyst) > 40);
    QTRY_VERIFY(fs::exists(annotatorFolder() / annotation::maskFileName(m_exam->id, StandardView::LCC, "benign-cyst")));
    const fs::path massFile = annotatorFolder() / annotation::maskFileName(m_exam->id, view, "malignant-mass");
    QCOMPARE(annotation::readMasks({{"malignant-mass", massFile}}).count(massId), massPixels);

    // A list that cannot be used: the standard classes, and a message naming the file.
    {
      QFile f(listFile);
      QVERIFY(f.open(QIODevice::WriteOnly));
      f.write("{\"classes\": [{\"pathology\": \"dubious\"}]}");
    }
    m_window.reset();
    m_window = openWindow();
    QSignalSpy refused(m_window->annotation(), &ui::AnnotationController::message);
    QTRY_VERIFY(!refused.isEmpty());
    QVERIFY(refused.front().front().toString().contains(QStringLiteral("classes.json")));
    QCOMPARE(m_window->annotation()->configuredClasses(), annotation::ClassList::standard());
  }

  void classListDialogEditsTheListAndItAppliesAtOnce() {
    const StandardView view = StandardView::RCC;
    controller()->setEnabled(true);
    key(Qt::Key_Z);
    controller()->setBrushRadius(4.0);
    const auto massBefore = *controller()->classes().label("malignant-mass");
    const size_t massPixels = paintAndSave(view).count(massBefore);
    QVERIFY(massPixels > 40);
    const QString listFile = m_root + QStringLiteral("/team-classes.json");
    QSettings().setValue(QStringLiteral("annotation/classes"), listFile);

    m_window->actions().find(QStringLiteral("Class list..."))->trigger();
    auto* dialog = m_window->findChild<ui::ClassListDialog*>();
    QVERIFY(dialog);
    QTRY_VERIFY(dialog->isVisible());
    QTableWidget* table = dialog->table();
    QCOMPARE(table->rowCount(), 10);
    // Remove the last class (benign asymmetry), add a benign cyst on a key the brush holds.
    QCOMPARE(table->item(9, ui::ClassListDialog::LesionType)->text(), QStringLiteral("asymmetry"));
    table->setCurrentCell(9, ui::ClassListDialog::LesionType);
    QTest::mouseClick(dialog->findChild<QPushButton*>(QStringLiteral("removeClass")), Qt::LeftButton);
    QTest::mouseClick(dialog->findChild<QPushButton*>(QStringLiteral("addClass")), Qt::LeftButton);
    QCOMPARE(table->rowCount(), 10);
    table->item(9, ui::ClassListDialog::LesionType)->setText(QStringLiteral("cyst"));
    table->item(9, ui::ClassListDialog::Key)->setText(QStringLiteral("B"));
    dialog->setColour(9, QColor(0, 255, 255));
    QPushButton* save = dialog->findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Save);
    QTest::mouseClick(save, Qt::LeftButton);
    QVERIFY(dialog->isVisible());  // refused, and why
    QVERIFY2(dialog->problem()->text().contains(QStringLiteral("Brush")), qPrintable(dialog->problem()->text()));
    QVERIFY(!fs::exists(listFile.toStdString()));
    // A lesion type that is no class name is refused as well.
    table->item(9, ui::ClassListDialog::Key)->setText(QStringLiteral("H"));
    table->item(9, ui::ClassListDialog::LesionType)->setText(QStringLiteral("Big cyst"));
    QTest::mouseClick(save, Qt::LeftButton);
    QVERIFY(dialog->isVisible() && dialog->problem()->text().contains(QStringLiteral("lower-case")));
    table->item(9, ui::ClassListDialog::LesionType)->setText(QStringLiteral("cyst"));

    QSignalSpy restarted(controller(), &ui::AnnotationController::sessionStarted);
    QTest::mouseClick(save, Qt::LeftButton);
    QTRY_VERIFY(!dialog->isVisible());  // closed once the list is on disk (written on a worker)
    // Window shortcuts need the main window active again (Xvfb has no window manager to hand it back).
    m_window->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
    // Written where the setting points, and read back the same.
    const annotation::ClassList saved = annotation::ClassList::read(listFile.toStdString());
    QCOMPARE(saved, controller()->configuredClasses());
    QVERIFY(saved.find("benign-cyst") && !saved.find("benign-asymmetry"));
    QCOMPARE(saved.find("benign-cyst")->key, std::string("H"));

    // Applied at once: buttons, menu actions with their keys, and the exam reread with the new ids.
    QTRY_COMPARE(restarted.count(), 1);
    QVERIFY(classButtons().contains(QStringLiteral("benign-cyst")));
    QVERIFY(!classButtons().contains(QStringLiteral("benign-asymmetry")));
    QVERIFY(!m_window->actions().find(QStringLiteral("Class: Benign asymmetry")));
    QAction* cystAction = m_window->actions().find(QStringLiteral("Class: Benign cyst"));
    QVERIFY(cystAction && cystAction->shortcut() == QKeySequence(Qt::Key_H) && cystAction->isEnabled());
    key(Qt::Key_H);
    QCOMPARE(int(controller()->activeLabel()), int(*controller()->classes().label("benign-cyst")));
    QCOMPARE(controller()->labelMap(view)->count(*controller()->classes().label("malignant-mass")), massPixels);
    // The shortcut list shows the new class.
    m_window->actions().find(QStringLiteral("Keyboard shortcuts"))->trigger();
    QTRY_VERIFY(m_window->shortcutsDialog() && m_window->shortcutsDialog()->isVisible());
    const auto& rows = m_window->actions().rows();
    QVERIFY(std::any_of(rows.begin(), rows.end(),
                        [](const ui::ActionTable::Row& r) { return r.text == QStringLiteral("Class: Benign cyst"); }));
  }

  void clickByClickPolygonFillsOnEnterOrFirstVertexAndEscDropsIt() {
    const StandardView view = StandardView::RCC;  // mirrored in the hanging
    controller()->setEnabled(true);
    key(Qt::Key_Q);
    key(Qt::Key_P);
    QCOMPARE(controller()->tool(), ui::AnnotationTool::Polygon);
    const QPoint c = tissuePoint(view);
    const std::vector<QPoint> corners{c + QPoint(-25, -20), c + QPoint(25, -20), c + QPoint(25, 20),
                                      c + QPoint(-25, 20)};
    for (const QPoint& q : corners) QTest::mouseClick(panel(), Qt::LeftButton, {}, q);
    QCOMPARE(controller()->polygonVertices(), size_t(4));
    QCOMPARE(controller()->labelMap(view)->count(2), size_t(0));  // nothing until it is closed
    // Beside the square: whatever an earlier test painted there (a mass from the class-list test) stays.
    const auto outside = storedAt(c + QPoint(40, 0));
    const int outsideBefore = int(controller()->labelMap(view)->at(outside[0], outside[1]));
    test::sendMouseMove(panel(), c + QPoint(0, 35));  // the rubber band follows
    QCOMPARE(controller()->polygonVertices(), size_t(4));
    key(Qt::Key_Return);
    QCOMPARE(controller()->polygonVertices(), size_t(0));
    const core::LabelMap& map = *controller()->labelMap(view);
    // The square, in stored-image pixels (the view is mirrored): inside painted, area as the shoelace says.
    std::vector<std::array<int, 2>> stored;
    for (const QPoint& q : corners) stored.push_back(storedAt(q));
    double area2 = 0, perimeter = 0;
    for (size_t i = 0; i < stored.size(); ++i) {
      const auto& a = stored[i];
      const auto& b = stored[(i + 1) % stored.size()];
      area2 += double(a[1]) * b[0] - double(b[1]) * a[0];
      perimeter += std::hypot(b[0] - a[0], b[1] - a[1]);
    }
    const double area = std::abs(area2) / 2;
    QVERIFY(area > 400);
    QVERIFY2(std::abs(double(map.count(2)) - area) <= perimeter,
             qPrintable(QStringLiteral("%1 pixels for an area of %2").arg(map.count(2)).arg(area)));
    const auto centre = storedAt(c);
    QCOMPARE(int(map.at(centre[0], centre[1])), 2);
    QCOMPARE(int(map.at(outside[0], outside[1])), outsideBefore);
    QVERIFY(outsideBefore != 2);
    // One undo step.
    key(Qt::Key_Z, Qt::ControlModifier);
    QCOMPARE(controller()->labelMap(view)->count(2), size_t(0));

    // Esc drops a polygon; Backspace takes back a vertex; a click on the first vertex closes it.
    for (int i = 0; i < 3; ++i) QTest::mouseClick(panel(), Qt::LeftButton, {}, corners[i]);
    key(Qt::Key_Escape);
    QCOMPARE(controller()->polygonVertices(), size_t(0));
    QCOMPARE(controller()->labelMap(view)->count(2), size_t(0));
    for (const QPoint& q : corners) QTest::mouseClick(panel(), Qt::LeftButton, {}, q);
    QTest::mouseClick(panel(), Qt::LeftButton, {}, c + QPoint(0, 45));  // a stray fifth vertex
    QCOMPARE(controller()->polygonVertices(), size_t(5));
    key(Qt::Key_Backspace);
    QCOMPARE(controller()->polygonVertices(), size_t(4));
    key(Qt::Key_W);  // the class can still change: the polygon fills benign
    QTest::mouseClick(panel(), Qt::LeftButton, {}, corners[0] + QPoint(2, 1));
    QCOMPARE(controller()->polygonVertices(), size_t(0));
    QVERIFY(std::abs(double(controller()->labelMap(view)->count(1)) - area) <= perimeter);
    QCOMPARE(controller()->labelMap(view)->count(2), size_t(0));
  }

  void secondSessionOnTheSameExamWarns() {
    auto second = openWindow();
    QSignalSpy conflict(second->annotation(), &ui::AnnotationController::editConflict);
    second->panel()->setExam(m_exam);
    QTRY_COMPARE(conflict.count(), 1);
    QVERIFY(conflict.front().front().toString().contains(QStringLiteral("another session")));
    auto* panel = second->findChild<ui::AnnotationPanel*>();
    QVERIFY(panel && !panel->conflictLabel()->text().isEmpty());
    QVERIFY(!second->findChild<QDockWidget*>(QStringLiteral("annotationToolsDock"))->isHidden());
    QVERIFY(m_window->findChild<QDockWidget*>(QStringLiteral("annotationToolsDock"))->isHidden());
    second.reset();
    // The first session's lock survives the second one closing.
    QVERIFY(fs::exists(annotation::lockPath(annotatorFolder(), m_exam->id)));
  }

  void lassoEraserFloodFillSmartBrushAndAiSeed() {
    const StandardView view = StandardView::LCC;
    controller()->setEnabled(true);
    controller()->setActiveLabel(2);
    const core::Image& image = *m_exam->first(view);
    const QPoint c = tissuePoint(view);
    auto mapNow = [&] { return *controller()->labelMap(view); };

    // Lasso: a square drawn with the mouse fills its inside, as one undo step.
    controller()->setTool(ui::AnnotationTool::Polygon);
    const QPoint corners[] = {c + QPoint(-20, -20), c + QPoint(20, -20), c + QPoint(20, 20), c + QPoint(-20, 20)};
    QTest::mousePress(panel(), Qt::LeftButton, {}, corners[0]);
    for (int i = 1; i < 4; ++i) QTest::mouseMove(panel(), corners[i]);
    QTest::mouseRelease(panel(), Qt::LeftButton, {}, corners[3]);
    const auto centre = storedAt(c), outside = storedAt(c + QPoint(30, 30));
    QCOMPARE(int(mapNow().at(centre[0], centre[1])), 2);
    QCOMPARE(int(mapNow().at(outside[0], outside[1])), 0);
    const auto tl = storedAt(corners[0]), br = storedAt(corners[2]);
    const double side = std::abs(br[0] - tl[0]) * std::abs(br[1] - tl[1]);
    QVERIFY(std::abs(double(mapNow().count(2)) - side) < 0.1 * side);

    // Eraser through the middle.
    controller()->setTool(ui::AnnotationTool::Eraser);
    controller()->setBrushRadius(4.0);
    stroke(c - QPoint(30, 0), c + QPoint(30, 0), 3);
    QCOMPARE(int(mapNow().at(centre[0], centre[1])), 0);
    QVERIFY(mapNow().count(2) > 0);

    // Flood fill: exactly what annotation::FloodFill gives from the clicked pixel with the intensity range.
    controller()->setTool(ui::AnnotationTool::FloodFill);
    controller()->setActiveLabel(1);
    controller()->setTolerance(40);
    const QPoint fillAt = c + QPoint(0, 60);
    const auto seed = storedAt(fillAt);
    core::LabelMap expected = mapNow();
    const int v0 = image.at(seed[0], seed[1]);
    annotation::FloodFill(image, seed[0], seed[1], std::uint16_t(std::max(0, v0 - 40)), std::uint16_t(v0 + 40), 1)
        .apply(expected);
    QTest::mouseClick(panel(), Qt::LeftButton, {}, fillAt);
    QVERIFY(mapNow().labels == expected.labels);
    QVERIFY(mapNow().count(1) > 0);

    // Smart brush: only pixels within the range of the stroke's first pixel.
    controller()->setTool(ui::AnnotationTool::SmartBrush);
    controller()->setBrushRadius(10.0);
    controller()->setTolerance(30);
    const core::LabelMap beforeSmart = mapNow();
    // In this view, where nothing is painted yet (the flood fill may have reached any of these).
    QPoint s0 = c + QPoint(-60, -60);
    for (const QPoint d : {QPoint(-60, -60), QPoint(20, -60), QPoint(-60, 100), QPoint(20, 100), QPoint(40, 0)}) {
      const auto at = storedAt(c + d), end = storedAt(c + d + QPoint(20, 0));
      const bool inView = panel()->viewPointAt(c + d).view == panel()->viewIndex(view) &&
                          panel()->viewPointAt(c + d + QPoint(20, 0)).view == panel()->viewIndex(view);
      if (inView && at[0] >= 0 && end[0] >= 0 && beforeSmart.at(at[0], at[1]) == 0) {
        s0 = c + d;
        break;
      }
    }
    stroke(s0, s0 + QPoint(20, 0), 2);
    const auto first = storedAt(s0);
    const int ref = image.at(first[0], first[1]);
    const core::LabelMap smart = mapNow();
    size_t added = 0;
    size_t outOfRange = 0;
    for (size_t i = 0; i < smart.labels.size(); ++i) {
      if (smart.labels[i] == beforeSmart.labels[i]) continue;
      ++added;
      outOfRange += std::abs(int(image.pixels[i]) - ref) > 30;
    }
    QVERIFY(added > 0);
    QCOMPARE(outOfRange, size_t(0));

    // Seed from AI: nothing without a heatmap; with one, its hot block becomes malignant.
    controller()->setTool(ui::AnnotationTool::SeedFromAi);
    controller()->setActiveLabel(2);
    QSignalSpy messages(controller(), &ui::AnnotationController::message);
    const core::LabelMap beforeSeed = mapNow();
    QTest::mouseClick(panel(), Qt::LeftButton, {}, c);
    QCOMPARE(messages.count(), 1);
    QVERIFY(mapNow().labels == beforeSeed.labels);
    auto values = std::make_shared<std::vector<float>>(size_t(image.info.rows) * image.info.columns, 0.1f);
    for (int r = 10; r < 30; ++r) {
      for (int col = 40; col < 70; ++col) (*values)[size_t(r) * image.info.columns + col] = 0.9f;
    }
    panel()->setViewHeatmap(view, viewer::HeatmapKind::Malignant, {image.info.rows, image.info.columns, values});
    controller()->setSeedThreshold(0.5);
    QTest::mouseClick(panel(), Qt::LeftButton, {}, c);
    const core::LabelMap seeded = mapNow();
    size_t wrong = 0;
    for (int r = 0; r < image.info.rows; ++r) {
      for (int col = 0; col < image.info.columns; ++col) {
        const bool hot = r >= 10 && r < 30 && col >= 40 && col < 70;
        wrong += seeded.at(r, col) != (hot ? 2 : beforeSeed.at(r, col));
      }
    }
    QCOMPARE(wrong, size_t(0));

    // Every step undoes in turn, back to the empty map.
    for (int i = 0; i < 5; ++i) key(Qt::Key_Z, Qt::ControlModifier);
    QCOMPARE(mapNow().count(0), mapNow().labels.size());
    QVERIFY(!controller()->canUndo());

    // A layout change (CC pair) re-attaches the layers to the new scenes.
    key(Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier);
    key(Qt::Key_2);
    QCOMPARE(panel()->layout(), viewer::Layout::CcPair);
    QVERIFY(controller()->labelLayer(view)->attached());
    QVERIFY(!controller()->labelLayer(StandardView::LMLO)->attached());
    QVERIFY(controller()->labelLayer(view)->nonEmptyTiles() >= 1);
  }

  void reviewerSeesAgreementWithAnotherAnnotator() {
    const StandardView view = StandardView::LMLO;
    controller()->setEnabled(true);
    controller()->setActiveLabel(2);
    controller()->setBrushRadius(8.0);
    const QPoint c = tissuePoint(view);
    stroke(c - QPoint(15, 0), c + QPoint(15, 0), 3);
    const core::LabelMap ours = *controller()->labelMap(view);
    // Bob painted the same lesion plus one more pixel block of his own.
    core::LabelMap bob = ours;
    size_t extra = 0;
    for (int r = 0; r < 6; ++r) {
      for (int col = 0; col < 6; ++col) extra += std::exchange(bob.at(r + 2, col + 2), std::uint8_t(2)) == 0;
    }
    {
      annotation::Autosaver other({fs::path(m_root.toStdString()), "bob", "", std::chrono::milliseconds(0)});
      other.submit(m_exam->id, view, bob, m_exam->first(view)->info.spacing);
      other.flush();
    }
    QVERIFY(controller()->otherAnnotators().isEmpty());  // scanned when the session started
    QSignalSpy scanned(controller(), &ui::AnnotationController::annotatorsChanged);
    controller()->rescanAnnotators();
    QTRY_COMPARE(scanned.count(), 1);
    QCOMPARE(controller()->otherAnnotators(), QStringList{QStringLiteral("bob")});
    auto* review = m_window->findChild<ui::AnnotationReviewPanel*>();
    QVERIFY(review);
    QVERIFY(review->annotators()->findData(QStringLiteral("bob")) > 0);
    QSignalSpy updated(controller(), &ui::AnnotationController::reviewUpdated);
    controller()->review(QStringLiteral("bob"));
    QTRY_COMPARE(updated.count(), 1);
    const double a = double(ours.count(2)), b = a + double(extra);
    QCOMPARE(review->table()->rowCount(), 1);
    QCOMPARE(review->table()->item(0, ui::AnnotationReviewPanel::Class)->text(), QStringLiteral("malignant"));
    QCOMPARE(review->table()->item(0, ui::AnnotationReviewPanel::Dice)->text(),
             QString::number(2 * a / (a + b), 'f', 3));
    QCOMPARE(review->table()->item(0, ui::AnnotationReviewPanel::Iou)->text(), QString::number(a / b, 'f', 3));
    QCOMPARE(review->table()->item(0, ui::AnnotationReviewPanel::OursMatched)->text(), QStringLiteral("1 / 1"));
    QCOMPARE(review->table()->item(0, ui::AnnotationReviewPanel::TheirsMatched)->text(), QStringLiteral("1 / 2"));
    // Bob's masks show as outlines over ours; stopping the review removes them.
    const viewer::LabelLayer* outlines = controller()->reviewLayer(view);
    QVERIFY(outlines->attached() && outlines->style() == viewer::LabelLayer::Style::Outline);
    QVERIFY(outlines->nonEmptyTiles() >= 1);
    controller()->review(QString());
    QCOMPARE(updated.count(), 2);
    QVERIFY(!outlines->attached());

    // Bob now calls the same finding a malignant mass: per class nothing agrees, per pathology all does.
    core::LabelMap typedBob = ours;
    const auto mass = *annotation::ClassList::standard().label("malignant-mass");
    for (auto& v : typedBob.labels) v = v == 2 ? mass : v;
    {
      annotation::Autosaver other({fs::path(m_root.toStdString()), "bob", "", std::chrono::milliseconds(0)});
      other.submit(m_exam->id, view, typedBob, m_exam->first(view)->info.spacing);
      other.flush();
    }
    // The earlier plain malignant file is rewritten empty by that save (its class is in the list).
    controller()->review(QStringLiteral("bob"));
    QTRY_COMPARE(updated.count(), 3);
    QStringList rows;
    for (int r = 0; r < review->table()->rowCount(); ++r) {
      rows << review->table()->item(r, ui::AnnotationReviewPanel::Class)->text() + QLatin1Char(' ') +
                  review->table()->item(r, ui::AnnotationReviewPanel::Dice)->text() + QLatin1Char(' ') +
                  review->table()->item(r, ui::AnnotationReviewPanel::OursMatched)->text();
    }
    QCOMPARE(rows, (QStringList{QStringLiteral("malignant 0.000 0 / 1"), QStringLiteral("malignant-mass 0.000 0 / 0"),
                                QStringLiteral("any malignant 1.000 1 / 1")}));
  }
};

int main(int argc, char** argv) {
  ui::VtkOpenGLWidget::setDefaultSurfaceFormat();
  QApplication app(argc, argv);
  // Tests never touch the user's settings.
  QApplication::setOrganizationName(QStringLiteral("MammolensTests"));
  QApplication::setApplicationName(QStringLiteral("test_ui_annotation"));
  AnnotationTest test;
  return QTest::qExec(&test, argc, argv);
}

#include "AnnotationTest.moc"
