#include "ui/AnnotationController.h"

#include <QEvent>
#include <QKeyEvent>
#include <QLineF>
#include <QFileInfo>
#include <QMouseEvent>
#include <QSettings>
#include <QStandardPaths>
#include <QWheelEvent>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <cmath>

#include "annotation/Autosaver.h"
#include "annotation/Brush.h"
#include "annotation/FloodFill.h"
#include "annotation/HeatmapSeed.h"
#include "annotation/MaskFiles.h"
#include "annotation/PolygonFill.h"
#include "annotation/Sidecar.h"
#include "ui/FourViewPanel.h"
#include "viewer/LabelLayer.h"
#include "viewer/ToolOverlay.h"
#include "viewer/ViewScene.h"

namespace mammo::ui {
namespace fs = std::filesystem;
using annotation::PixelPoint;
using annotation::PixelRect;

namespace {
constexpr double kMinRadius = 0.5, kMaxRadius = 400.0;
constexpr double kBrushStep = 1.25;  // [ and ]
constexpr double kWheelStep = 1.1;   // per wheel notch with Ctrl
constexpr std::uint8_t kFilledAlpha = 140;
// The other annotator's outlines, by pathology: cyan for benign classes, amber for malignant ones.
constexpr std::array<std::uint8_t, 3> kBenignOutline{0, 220, 255}, kMalignantOutline{255, 170, 0};
}  // namespace

annotation::ClassList configuredClassList(QString* error) {
  const QString file = QSettings().value(QStringLiteral("annotation/classes")).toString();
  if (file.isEmpty()) return annotation::ClassList::standard();
  try {
    return annotation::ClassList::read(file.toStdString());
  } catch (const std::exception& e) {
    if (error) *error = QObject::tr("Class list not used (the standard classes are): %1").arg(QString::fromStdString(e.what()));
    return annotation::ClassList::standard();
  }
}

struct AnnotationController::Gesture {
  QPointF pressed;       // widget point of the press
  double travelled = 0;  // widget pixels moved since
  int viewport = -1;
  core::StandardView view = core::StandardView::LCC;
  AnnotationTool tool = AnnotationTool::Brush;
  std::uint8_t label = 0;
  double radius = 1;
  std::optional<std::uint16_t> reference;  // smart brush: the value under the first point
  std::vector<PixelPoint> points;
  core::LabelMap before;  // brushes: the map as it was when the stroke began
  PixelRect dirty;        // brushes: what the preview changed
};

AnnotationController::AnnotationController(FourViewPanel* panel, QObject* parent)
    : QObject(parent), m_panel(panel), m_overlay(std::make_unique<viewer::ToolOverlay>()) {
  QString classError;
  m_configured = configuredClassList(&classError);
  if (!classError.isEmpty()) {
    QMetaObject::invokeMethod(this, [this, classError] { emit message(classError); }, Qt::QueuedConnection);
  }
  // The first class of the list is the one in hand at first.
  m_label = m_configured.classes().front().label;
  for (int v = 0; v < 4; ++v) {
    m_layers[v] = std::make_unique<viewer::LabelLayer>(viewer::LabelLayer::Style::Filled);
    m_reviewLayers[v] = std::make_unique<viewer::LabelLayer>(viewer::LabelLayer::Style::Outline);
  }
  applyClassColours(m_configured);
  m_panel->installEventFilter(this);
  connect(m_panel, &FourViewPanel::scenesRebuilt, this, &AnnotationController::onScenesRebuilt);
  connect(&m_loading, &QFutureWatcher<SavedAnnotation>::finished, this, [this] {
    const int generation = m_loading.property("generation").toInt();
    if (generation != m_generation || !m_exam) return;
    SavedAnnotation loaded = m_loading.result();
    const std::vector<std::string> loadedOthers = loaded.otherAnnotators;
    for (const std::string& e : loaded.errors) emit message(QString::fromStdString(e));
    if (loaded.conflict) {
      emit editConflict(
          tr("Exam %1 is being annotated by another session (%2). Changes made in both will "
             "overwrite each other's masks.")
              .arg(QString::fromStdString(m_exam->id), QString::fromStdString(loaded.conflict->describe())));
    }
    AnnotationSessionOptions options;
    options.root = rootFor(*m_exam);
    options.annotator = annotator().toStdString();
    options.autosaveDelay = m_autosaveDelay;
    options.classes = m_configured;
    if (!loaded.addedClasses.empty()) {
      QStringList names;
      for (const std::string& n : loaded.addedClasses) names << QString::fromStdString(n);
      emit message(tr("Masks of classes outside the class list were found and are shown and kept: %1")
                       .arg(names.join(QStringLiteral(", "))));
    }
    options.onSaved = [this, generation](const std::string&) {
      // The Autosaver's thread: hop to the GUI thread; a save of an earlier session is not news.
      QMetaObject::invokeMethod(
          this,
          [this, generation] {
            if (generation != m_generation) return;
            emit saved();
            emit lesionsChanged();
          },
          Qt::QueuedConnection);
    };
    try {
      m_session = std::make_unique<AnnotationSession>(m_exam, std::move(options), std::move(loaded));
    } catch (const std::exception& e) {
      emit message(tr("Annotation is not possible: %1").arg(QString::fromStdString(e.what())));
      return;
    }
    m_otherAnnotators.clear();
    for (const std::string& n : loadedOthers) m_otherAnnotators << QString::fromStdString(n);
    applyClassColours(m_session->options().classes);
    attachLayers();
    emit annotatorsChanged();
    emit sessionStarted();
    emit historyChanged();
    emit lesionsChanged();
  });
  connect(&m_scanning, &QFutureWatcher<QStringList>::finished, this, [this] {
    if (m_scanning.property("generation").toInt() != m_generation) return;
    m_otherAnnotators = m_scanning.result();
    emit annotatorsChanged();
  });
  connect(&m_reviewing, &QFutureWatcher<ReviewResult>::finished, this, [this] {
    if (m_reviewing.property("generation").toInt() != m_generation) return;
    m_review = m_reviewing.result();
    for (const QString& e : m_review->errors) emit message(e);
    applyClassColours(m_review->classes);
    attachLayers();
    emit reviewUpdated();
  });
}

AnnotationController::~AnnotationController() {
  if (m_panel) m_panel->removeEventFilter(this);
  m_loading.waitForFinished();
  m_reviewing.waitForFinished();
  m_scanning.waitForFinished();
  m_retiring.waitForFinished();
  ++m_generation;
  m_session.reset();  // the last writes
  for (auto& l : m_layers) l->detach();
  for (auto& l : m_reviewLayers) l->detach();
  m_overlay->detach();
}

// ---- Settings and session

QString AnnotationController::annotator() const {
  QString name = QSettings().value(QStringLiteral("annotation/user")).toString().trimmed();
  if (name.isEmpty())
    name = qEnvironmentVariable("USER", qEnvironmentVariable("USERNAME", QStringLiteral("annotator")));
  // A folder name (annotation/MaskFiles.h refuses separators and leading dots).
  name.replace(QLatin1Char('/'), QLatin1Char('_')).replace(QLatin1Char('\\'), QLatin1Char('_'));
  while (name.startsWith(QLatin1Char('.'))) name.remove(0, 1);
  return name.isEmpty() ? QStringLiteral("annotator") : name;
}

fs::path AnnotationController::rootFor(const core::Exam& exam) const {
  const QString configured = QSettings().value(QStringLiteral("annotation/root")).toString();
  if (!configured.isEmpty()) return configured.toStdString();
  for (const auto& images : exam.views) {
    for (const auto& image : images) {
      if (image.info.sourcePath.empty()) continue;
      const QFileInfo dir(QFileInfo(QString::fromStdString(image.info.sourcePath)).absolutePath());
      if (dir.isWritable()) return (dir.absoluteFilePath() + QStringLiteral("/annotations")).toStdString();
    }
  }
  return (QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/annotations/") +
          QString::fromStdString(exam.id))
      .toStdString();
}

void AnnotationController::onScenesRebuilt() {
  abortGesture();
  m_overlay->detach();
  if (m_panel->exam() != m_exam) {
    finishSession();
    m_exam = m_panel->exam();
    if (m_exam) startSession(m_exam);
  }
  attachLayers();
}

void AnnotationController::startSession(std::shared_ptr<const core::Exam> exam) {
  AnnotationSessionOptions options;
  options.root = rootFor(*exam);
  options.annotator = annotator().toStdString();
  options.classes = m_configured;
  m_loading.setProperty("generation", m_generation);
  QFuture<void> retiring = m_retiring;
  m_loading.setFuture(QtConcurrent::run([exam, options, retiring]() mutable {
    retiring.waitForFinished();  // the previous session's last writes (it may be this exam again)
    try {
      return AnnotationSession::load(*exam, options);
    } catch (const std::exception& e) {
      SavedAnnotation failed;
      failed.errors.push_back(e.what());
      return failed;
    }
  }));
}

void AnnotationController::finishSession() {
  ++m_generation;
  m_review.reset();
  m_otherAnnotators.clear();
  for (auto& l : m_reviewLayers) l->detach();
  if (!m_session) return;
  // The Autosaver writes what is pending and the lock is released on a worker thread, after any
  // earlier session's.
  std::shared_ptr<AnnotationSession> session(std::move(m_session));
  QFuture<void> previous = m_retiring;
  m_retiring = QtConcurrent::run([session, previous]() mutable {
    previous.waitForFinished();
    session.reset();
  });
  emit historyChanged();
  emit lesionsChanged();
}

void AnnotationController::attachLayers() {
  for (core::StandardView view : core::kStandardViews) {
    const int v = static_cast<int>(view);
    const int i = m_panel->viewIndex(view);
    const viewer::ViewScene* scene = i >= 0 ? &m_panel->scene(i) : nullptr;
    const core::Image* image = scene ? scene->image() : nullptr;
    const core::LabelMap* map = labelMap(view);
    if (image && map && map->rows == image->info.rows && map->columns == image->info.columns) {
      m_layers[v]->attach(scene->renderer(), map->rows, map->columns, scene->mirrored());
      m_layers[v]->setVisible(m_masksVisible);
      m_layers[v]->updateAll(*map);
    } else {
      m_layers[v]->detach();
    }
    const core::LabelMap* other = m_review && m_review->otherMaps[v] ? &*m_review->otherMaps[v] : nullptr;
    if (image && other && other->rows == image->info.rows && other->columns == image->info.columns) {
      m_reviewLayers[v]->attach(scene->renderer(), other->rows, other->columns, scene->mirrored());
      m_reviewLayers[v]->updateAll(*other);
    } else {
      m_reviewLayers[v]->detach();
    }
  }
  m_panel->update();
}

const core::LabelMap* AnnotationController::labelMap(core::StandardView view) const {
  return m_session ? m_session->map(view) : nullptr;
}

const viewer::LabelLayer* AnnotationController::labelLayer(core::StandardView view) const {
  return m_layers[static_cast<int>(view)].get();
}

const viewer::LabelLayer* AnnotationController::reviewLayer(core::StandardView view) const {
  return m_reviewLayers[static_cast<int>(view)].get();
}

std::vector<annotation::Lesion> AnnotationController::lesions() const {
  return m_session ? m_session->autosaver().lesions(m_session->examId()) : std::vector<annotation::Lesion>{};
}

bool AnnotationController::setLesionState(int lesionId, annotation::LesionStatus status, const QString& note) {
  if (!m_session) return false;
  const bool ok = m_session->autosaver().setLesionState(m_session->examId(), lesionId, status, note.toStdString());
  if (ok) emit lesionsChanged();
  return ok;
}

bool AnnotationController::linkLesions(int target, int other) {
  if (!m_session) return false;
  const bool ok = m_session->autosaver().linkLesions(m_session->examId(), target, other);
  if (ok) emit lesionsChanged();
  return ok;
}

bool AnnotationController::canUndo() const {
  return m_session && m_session->canUndo();
}
bool AnnotationController::canRedo() const {
  return m_session && m_session->canRedo();
}

// ---- Tool state

void AnnotationController::setEnabled(bool on) {
  if (on == m_enabled) return;
  abortGesture();
  m_enabled = on;
  hideCursor();
  m_overlay->setPath({});
  if (on) m_panel->setMouseTracking(true);
  m_panel->setCursor(on ? Qt::CrossCursor : Qt::ArrowCursor);
  emit enabledChanged(on);
}

void AnnotationController::setTool(AnnotationTool tool) {
  if (tool == m_tool) return;
  abortGesture();
  m_tool = tool;
  if (!usesBrushCursor()) hideCursor();
  emit toolChanged(tool);
}

const annotation::ClassList& AnnotationController::classes() const {
  return m_session ? m_session->options().classes : m_configured;
}

void AnnotationController::setConfiguredClasses(annotation::ClassList classes) {
  if (classes.classes().empty() || classes == m_configured) return;
  abortGesture();
  // The class in hand stays in hand when the new list has it (by name: ids may differ between lists).
  const std::string inHand = m_configured.name(m_label);
  m_configured = std::move(classes);
  applyClassColours(m_configured);
  m_label = m_configured.label(inHand).value_or(m_configured.classes().front().label);
  emit classesChanged();
  emit activeLabelChanged(m_label);
  if (m_exam) {
    finishSession();
    attachLayers();
    startSession(m_exam);
  }
}

void AnnotationController::applyClassColours(const annotation::ClassList& classes) {
  for (int v = 0; v < 4; ++v) {
    for (const annotation::MaskClass& c : classes.classes()) {
      m_layers[v]->setColour(c.label, {c.rgb[0], c.rgb[1], c.rgb[2], kFilledAlpha});
      const auto& o = c.pathology == annotation::Pathology::Malignant ? kMalignantOutline : kBenignOutline;
      m_reviewLayers[v]->setColour(c.label, {o[0], o[1], o[2], 255});
    }
  }
}

void AnnotationController::setActiveLabel(int label) {
  if (label == m_label || label <= 0 || label > 255 || !m_configured.find(static_cast<std::uint8_t>(label))) return;
  m_label = static_cast<std::uint8_t>(label);
  if (m_polygon) m_polygon->label = m_label;  // a class chosen while drawing fills the polygon
  emit activeLabelChanged(label);
}

void AnnotationController::setBrushRadius(double radius) {
  radius = std::clamp(radius, kMinRadius, kMaxRadius);
  if (radius == m_radius) return;
  m_radius = radius;
  if (m_overlay->circleVisible()) hover(m_panel->mapFromGlobal(QCursor::pos()));
  emit brushRadiusChanged(radius);
}

void AnnotationController::growBrush() {
  setBrushRadius(m_radius * kBrushStep);
}
void AnnotationController::shrinkBrush() {
  setBrushRadius(m_radius / kBrushStep);
}
void AnnotationController::setTolerance(int tolerance) {
  m_tolerance = std::max(0, tolerance);
}
void AnnotationController::setSeedThreshold(double threshold) {
  m_seedThreshold = threshold;
}

void AnnotationController::setMasksVisible(bool visible) {
  m_masksVisible = visible;
  for (auto& l : m_layers) l->setVisible(visible);
  m_panel->update();
}

bool AnnotationController::usesBrushCursor() const {
  return m_tool == AnnotationTool::Brush || m_tool == AnnotationTool::Eraser || m_tool == AnnotationTool::SmartBrush;
}

// ---- Editing

void AnnotationController::refreshView(core::StandardView view, const PixelRect* rect) {
  const core::LabelMap* map = labelMap(view);
  viewer::LabelLayer& layer = *m_layers[static_cast<int>(view)];
  if (!map || !layer.attached()) return;
  if (rect)
    layer.update(*map, *rect);
  else
    layer.updateAll(*map);
  m_panel->update();
}

void AnnotationController::abortGesture() {
  std::unique_ptr<Gesture> g = std::move(m_gesture);
  m_polygon.reset();
  m_overlay->setPath({});
  if (!g || !m_session || g->dirty.empty()) return;
  // A stroke cut short (mode, tool or scenes changed under the button) leaves no half-painted preview.
  core::LabelMap* map = m_session->previewMap(g->view);
  if (!map || map->rows != g->before.rows || map->columns != g->before.columns) return;
  const PixelRect r = g->dirty.clippedTo(map->rows, map->columns);
  for (int row = r.row0; row < r.row1; ++row) {
    const size_t offset = static_cast<size_t>(row) * map->columns + r.col0;
    std::copy_n(g->before.labels.begin() + static_cast<std::ptrdiff_t>(offset), r.columns(),
                map->labels.begin() + static_cast<std::ptrdiff_t>(offset));
  }
  refreshView(g->view, &r);
}

void AnnotationController::afterEdit(core::StandardView view) {
  emit masksChanged(view);
  emit historyChanged();
}

void AnnotationController::undo() {
  if (!m_session || m_gesture) return;
  if (const auto view = m_session->undo()) {
    refreshView(*view);
    afterEdit(*view);
  }
}

void AnnotationController::redo() {
  if (!m_session || m_gesture) return;
  if (const auto view = m_session->redo()) {
    refreshView(*view);
    afterEdit(*view);
  }
}

std::optional<PixelPoint> AnnotationController::imagePoint(int view, QPointF p) const {
  if (view < 0 || view >= static_cast<int>(m_panel->viewports().size())) return std::nullopt;
  const viewer::ViewScene& scene = m_panel->scene(view);
  const core::Image* image = scene.image();
  if (!image) return std::nullopt;
  // The panel's viewport frame (device pixels, y up), also outside the viewport while a stroke goes on.
  const auto& b = m_panel->viewports()[view].bounds;
  const double w = m_panel->width(), h = m_panel->height(), dpr = m_panel->devicePixelRatioF();
  const std::array<double, 2> world = scene.worldAt((p.x() - b[0] * w) * dpr, (h - p.y() - b[1] * h) * dpr);
  const double col = scene.mirrored() ? image->info.columns - 1 - world[0] : world[0];
  return PixelPoint{image->info.rows - 1 - world[1], col};
}

bool AnnotationController::eventFilter(QObject* watched, QEvent* event) {
  if (watched != m_panel || !m_enabled) return false;
  switch (event->type()) {
    case QEvent::MouseButtonPress: {
      auto* e = static_cast<QMouseEvent*>(event);
      if (e->button() != Qt::LeftButton) return false;
      return press(e->position());
    }
    case QEvent::MouseMove: {
      auto* e = static_cast<QMouseEvent*>(event);
      if (m_gesture) {
        move(e->position());
        return true;
      }
      hover(e->position());
      return false;  // the panel still shows the pixel under the cursor
    }
    case QEvent::MouseButtonRelease: {
      auto* e = static_cast<QMouseEvent*>(event);
      if (e->button() != Qt::LeftButton || !m_gesture) return false;
      release(e->position());
      return true;
    }
    case QEvent::MouseButtonDblClick:
      if (static_cast<QMouseEvent*>(event)->button() != Qt::LeftButton) return false;
      if (m_polygon) closePolygon();
      return true;  // painting clicks must not switch the layout
    case QEvent::KeyPress: {
      if (!m_polygon) return false;
      const int key = static_cast<QKeyEvent*>(event)->key();
      if (key == Qt::Key_Return || key == Qt::Key_Enter) {
        closePolygon();
        return true;
      }
      if (key == Qt::Key_Escape) {
        abortGesture();
        m_panel->update();
        return true;
      }
      if (key == Qt::Key_Backspace) {  // takes back the last vertex
        m_polygon->vertices.pop_back();
        if (m_polygon->vertices.empty()) abortGesture();
        showPolygon(std::nullopt);
        m_panel->update();
        return true;
      }
      return false;
    }
    case QEvent::Wheel: {
      auto* e = static_cast<QWheelEvent*>(event);
      if (!(e->modifiers() & Qt::ControlModifier)) return false;
      const QPoint d = e->angleDelta();
      const double notches = (d.y() != 0 ? d.y() : d.x()) / 120.0;
      setBrushRadius(m_radius * std::pow(kWheelStep, notches));
      return true;
    }
    case QEvent::Leave:
      if (!m_gesture) hideCursor();
      return false;
    default:
      return false;
  }
}

bool AnnotationController::press(QPointF point) {
  const FourViewPanel::ViewPoint vp = m_panel->viewPointAt(point);
  if (vp.view < 0) return true;
  if (!m_session) {
    emit message(tr("The masks of this exam are still being read."));
    return true;
  }
  const core::StandardView view = m_panel->viewports()[vp.view].view;
  core::LabelMap* map = m_session->previewMap(view);
  const std::optional<PixelPoint> p = imagePoint(vp.view, point);
  if (!map || !p) return true;
  if (m_polygon) {
    if (vp.view != m_polygon->viewport) return true;  // one view at a time; Esc drops it
    constexpr double kCloseDistance = 8;              // widget pixels from the first vertex
    if (m_polygon->vertices.size() >= 3 && QLineF(point, m_polygon->first).length() <= kCloseDistance) {
      closePolygon();
      return true;
    }
    m_polygon->vertices.push_back(*p);
    showPolygon(std::nullopt);
    return true;
  }
  if (m_tool == AnnotationTool::FloodFill || m_tool == AnnotationTool::SeedFromAi) {
    applyClick(vp.view, *p);
    return true;
  }
  m_gesture = std::make_unique<Gesture>();
  Gesture& g = *m_gesture;
  g.pressed = point;
  g.viewport = vp.view;
  g.view = view;
  g.tool = m_tool;
  g.label = m_tool == AnnotationTool::Eraser ? 0 : m_label;
  g.radius = m_radius;
  g.points.push_back(*p);
  if (m_tool == AnnotationTool::Polygon) {
    m_overlay->attach(m_panel->scene(vp.view).renderer(), map->rows, map->columns, m_panel->scene(vp.view).mirrored());
    m_overlay->setPath(g.points);
    m_panel->update();
    return true;
  }
  g.before = *map;
  if (m_tool == AnnotationTool::SmartBrush) {
    const annotation::SmartBrushStroke first(*m_session->image(view), g.points, g.radius, g.label, m_tolerance);
    g.reference = first.referenceValue();
  }
  move(point);  // paints the first dab
  return true;
}

void AnnotationController::move(QPointF point) {
  Gesture& g = *m_gesture;
  g.travelled = std::max(g.travelled, QLineF(point, g.pressed).length());
  const std::optional<PixelPoint> p = imagePoint(g.viewport, point);
  if (!p) return;
  if (g.tool == AnnotationTool::Polygon) {
    const PixelPoint& last = g.points.back();
    if (std::hypot(p->row - last.row, p->col - last.col) < 0.5) return;
    g.points.push_back(*p);
    m_overlay->setPath(g.points);
    m_panel->update();
    return;
  }
  // The segment from the previous event to this one, painted straight into the map as a preview.
  core::LabelMap* map = m_session->previewMap(g.view);
  const std::vector<PixelPoint> segment{g.points.back(), *p};
  PixelRect changed;
  if (g.tool == AnnotationTool::SmartBrush) {
    annotation::SmartBrushStroke op(*m_session->image(g.view), segment, g.radius, g.label, m_tolerance);
    op.setReferenceValue(*g.reference);
    changed = op.bounds(*map);
    op.apply(*map);
  } else {
    const annotation::BrushStroke op(segment, g.radius, g.label);
    changed = op.bounds(*map);
    op.apply(*map);
  }
  if (g.points.size() > 1 || p->row != g.points.back().row || p->col != g.points.back().col) g.points.push_back(*p);
  g.dirty = g.dirty.united(changed);
  refreshView(g.view, &changed);
  showCursor(g.viewport, *p);
}

void AnnotationController::release(QPointF point) {
  move(point);
  std::unique_ptr<Gesture> g = std::move(m_gesture);
  if (!m_session) return;
  if (g->tool == AnnotationTool::Polygon) {
    constexpr double kClickTravel = 4;  // widget pixels: less is a click, which starts a click polygon
    if (g->travelled < kClickTravel) {
      m_polygon = ClickPolygon{g->viewport, g->view, g->label, {g->points.front()}, g->pressed};
      showPolygon(std::nullopt);
      return;
    }
    m_overlay->setPath({});
    m_panel->update();
    if (g->points.size() < 3) return;
    const annotation::PolygonFill op(g->points, g->label);
    const PixelRect bounds = op.bounds(*m_session->map(g->view));
    if (m_session->apply(g->view, op) > 0) {
      refreshView(g->view, &bounds);
      afterEdit(g->view);
    }
    return;
  }
  std::size_t changed = 0;
  if (g->tool == AnnotationTool::SmartBrush) {
    annotation::SmartBrushStroke op(*m_session->image(g->view), g->points, g->radius, g->label, m_tolerance);
    op.setReferenceValue(*g->reference);
    changed = m_session->commitPreview(g->view, g->before, g->dirty, op);
  } else {
    changed =
        m_session->commitPreview(g->view, g->before, g->dirty, annotation::BrushStroke(g->points, g->radius, g->label));
  }
  refreshView(g->view, &g->dirty);
  if (changed > 0) afterEdit(g->view);
}

void AnnotationController::applyClick(int viewport, PixelPoint p) {
  const core::StandardView view = m_panel->viewports()[viewport].view;
  const core::Image& image = *m_session->image(view);
  const int row = static_cast<int>(std::lround(p.row)), col = static_cast<int>(std::lround(p.col));
  if (row < 0 || col < 0 || row >= image.info.rows || col >= image.info.columns) return;
  std::size_t changed = 0;
  if (m_tool == AnnotationTool::FloodFill) {
    const int v = image.at(row, col);
    const auto low = static_cast<std::uint16_t>(std::max(0, v - m_tolerance));
    const auto high = static_cast<std::uint16_t>(std::min(65535, v + m_tolerance));
    changed = m_session->apply(view, annotation::FloodFill(image, row, col, low, high, m_label));
  } else {
    // The heatmap of the class's pathology (a malignant mass seeds from the malignant heatmap).
    const annotation::MaskClass* c = classes().find(m_label);
    const viewer::HeatmapKind kind = c && c->pathology == annotation::Pathology::Benign ? viewer::HeatmapKind::Benign
                                                                                        : viewer::HeatmapKind::Malignant;
    const viewer::Heatmap& h = m_panel->viewHeatmap(view, kind);
    if (!h.values || h.rows != image.info.rows || h.columns != image.info.columns) {
      emit message(tr("No %1 heatmap is loaded for %2: run the AI or load heatmaps first.")
                       .arg(m_label == 2 ? tr("malignant") : tr("benign"),
                            QString::fromStdString(std::string(core::toString(view)))));
      return;
    }
    const annotation::FloatGrid grid{h.rows, h.columns, std::span<const float>(*h.values)};
    changed = m_session->apply(view, annotation::HeatmapSeed(grid, static_cast<float>(m_seedThreshold), m_label));
    if (changed == 0) emit message(tr("No heatmap value reaches %1 in this view.").arg(m_seedThreshold));
  }
  if (changed > 0) {
    refreshView(view);
    afterEdit(view);
  }
}

// ---- Cursor

void AnnotationController::closePolygon() {
  std::optional<ClickPolygon> polygon = std::move(m_polygon);
  m_polygon.reset();
  m_overlay->setPath({});
  m_panel->update();
  if (!polygon || !m_session || polygon->vertices.size() < 3) return;
  const annotation::PolygonFill op(polygon->vertices, polygon->label);
  const PixelRect bounds = op.bounds(*m_session->map(polygon->view));
  if (m_session->apply(polygon->view, op) > 0) {
    refreshView(polygon->view, &bounds);
    afterEdit(polygon->view);
  }
}

void AnnotationController::showPolygon(std::optional<PixelPoint> cursor) {
  if (!m_polygon) return;
  const viewer::ViewScene& scene = m_panel->scene(m_polygon->viewport);
  if (!scene.image()) return;
  m_overlay->attach(scene.renderer(), scene.image()->info.rows, scene.image()->info.columns, scene.mirrored());
  std::vector<PixelPoint> path = m_polygon->vertices;
  if (cursor) path.push_back(*cursor);  // the rubber band to the cursor
  m_overlay->setPath(path);
  m_panel->update();
}

void AnnotationController::hover(QPointF point) {
  if (m_polygon) {
    const FourViewPanel::ViewPoint vp = m_panel->viewPointAt(point);
    if (vp.view == m_polygon->viewport) showPolygon(imagePoint(vp.view, point));
    return;
  }
  if (!usesBrushCursor() || !m_session) {
    hideCursor();
    return;
  }
  const FourViewPanel::ViewPoint vp = m_panel->viewPointAt(point);
  const std::optional<PixelPoint> p = vp.view >= 0 ? imagePoint(vp.view, point) : std::nullopt;
  if (!p) {
    hideCursor();
    return;
  }
  showCursor(vp.view, *p);
}

void AnnotationController::showCursor(int viewport, PixelPoint p) {
  if (!usesBrushCursor()) return;
  const viewer::ViewScene& scene = m_panel->scene(viewport);
  if (!scene.image()) return;
  m_overlay->attach(scene.renderer(), scene.image()->info.rows, scene.image()->info.columns, scene.mirrored());
  std::array<double, 3> rgb{1, 1, 1};  // the eraser
  if (m_tool != AnnotationTool::Eraser) {
    if (const annotation::MaskClass* c = classes().find(m_label)) {
      rgb = {c->rgb[0] / 255.0, c->rgb[1] / 255.0, c->rgb[2] / 255.0};
    }
  }
  m_overlay->setColour(rgb);
  m_overlay->showCircle(p, m_radius);
  m_panel->update();
}

void AnnotationController::hideCursor() {
  if (!m_overlay->circleVisible()) return;
  m_overlay->hideCircle();
  m_panel->update();
}

// ---- Review

void AnnotationController::rescanAnnotators() {
  if (!m_exam) return;
  m_scanning.setProperty("generation", m_generation);
  m_scanning.setFuture(QtConcurrent::run([root = rootFor(*m_exam), me = annotator().toStdString(), id = m_exam->id] {
    QStringList names;
    for (const std::string& n : AnnotationSession::listOtherAnnotators(root, me, id))
      names << QString::fromStdString(n);
    return names;
  }));
}

void AnnotationController::review(const QString& other) {
  if (other.isEmpty() || !m_session) {
    m_review.reset();
    attachLayers();
    emit reviewUpdated();
    return;
  }
  std::array<std::optional<core::LabelMap>, 4> ours;
  for (core::StandardView v : core::kStandardViews) {
    if (const core::LabelMap* m = labelMap(v)) ours[static_cast<int>(v)] = *m;
  }
  const fs::path folder = rootFor(*m_exam) / other.toStdString();
  m_reviewing.setProperty("generation", m_generation);
  m_reviewing.setFuture(QtConcurrent::run([exam = m_exam, ours = std::move(ours), folder, other, classes = classes()] {
    ReviewResult result;
    result.other = other;
    result.classes = classes;
    std::vector<std::string> errors;
    result.otherMaps = AnnotationSession::readSavedMasks(*exam, folder, result.classes, errors);
    for (const std::string& e : errors) result.errors << QString::fromStdString(e);
    for (int v = 0; v < 4; ++v) {
      if (!ours[v]) continue;
      // A view the other annotator left untouched counts as empty.
      const core::LabelMap empty(ours[v]->rows, ours[v]->columns);
      const core::LabelMap& theirs = result.otherMaps[v] ? *result.otherMaps[v] : empty;
      const auto add = [](const core::LabelMap& a, const core::LabelMap& b, auto& pixels, auto& lesions) {
        for (const auto& [label, agreement] : annotation::agreement(a, b)) {
          annotation::ClassAgreement& sum = pixels[label];
          sum.intersection += agreement.intersection;
          sum.onlyA += agreement.onlyA;
          sum.onlyB += agreement.onlyB;
        }
        for (const auto& [label, m] : annotation::matchLesions(a, b)) lesions[label] += m;
      };
      add(*ours[v], theirs, result.pixels, result.lesions);
      add(annotation::pathologyMap(*ours[v], result.classes), annotation::pathologyMap(theirs, result.classes),
          result.pathologyPixels, result.pathologyLesions);
    }
    return result;
  }));
}

}  // namespace mammo::ui
