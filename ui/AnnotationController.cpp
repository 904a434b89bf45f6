#include "ui/AnnotationController.h"

#include <QEvent>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

#include "annotation/Autosaver.h"
#include "ui/AnnotationReviewModel.h"
#include "ui/AnnotationSessionHost.h"
#include "ui/FourViewPanel.h"
#include "ui/Services.h"
#include "viewer/LabelLayer.h"
#include "viewer/ViewScene.h"
#include "workstation/AnnotationPlaces.h"
#include "workstation/Settings.h"

namespace mammo::ui {
namespace fs = std::filesystem;
using annotation::PixelPoint;
using annotation::PixelRect;

namespace {
constexpr double kMinRadius = 0.5, kMaxRadius = 400.0;
constexpr double kBrushStep = 1.25;  // [ and ]
constexpr double kWheelStep = 1.1;  // per wheel notch with Ctrl
constexpr std::uint8_t kFilledAlpha = 140;
// The other annotator's outlines, by pathology: cyan for benign classes, amber for malignant ones.
constexpr std::array<std::uint8_t, 3> kBenignOutline{0, 220, 255}, kMalignantOutline{255, 170, 0};
}  // namespace

annotation::ClassList configuredClassList(const workstation::Settings& settings, QString* error) {
  const std::string file = settings.annotation().classesFile;
  if (file.empty()) return annotation::ClassList::standard();
  try {
    return annotation::ClassList::read(file);
  } catch (const std::exception& e) {
    if (error)
      *error = QObject::tr("Class list not used (the standard classes are): %1").arg(QString::fromStdString(e.what()));
    return annotation::ClassList::standard();
  }
}

AnnotationController::AnnotationController(FourViewPanel* panel, Services services, QObject* parent)
    : QObject(parent),
      m_panel(panel),
      m_settings(services.settings),
      m_host(new AnnotationSessionHost(services.jobs, this)),
      m_review(new AnnotationReviewModel(services.jobs, this)) {
  QString classError;
  m_configured = configuredClassList(m_settings, &classError);
  if (!classError.isEmpty()) {
    QMetaObject::invokeMethod(
        this, [this, classError] { emit message(classError); }, Qt::QueuedConnection);
  }
  // The first class of the list is the one in hand at first.
  m_tool.label = m_configured.classes().front().label;
  for (int v = 0; v < 4; ++v) {
    m_layers[v] = std::make_unique<viewer::LabelLayer>(viewer::LabelLayer::Style::Filled);
    m_reviewLayers[v] = std::make_unique<viewer::LabelLayer>(viewer::LabelLayer::Style::Outline);
  }
  applyClassColours(m_configured);
  AnnotationGestures::Host host;
  host.session = [this] { return editableSession(); };
  host.tool = [this]() -> const ToolState& { return m_tool; };
  host.classes = [this]() -> const annotation::ClassList& { return classes(); };
  host.refresh = [this](core::StandardView view, const PixelRect* rect) { refreshView(view, rect); };
  host.edited = [this](core::StandardView view) { afterEdit(view); };
  host.message = [this](const QString& text) { emit message(text); };
  m_gestures = std::make_unique<AnnotationGestures>(m_panel, std::move(host));
  m_panel->installEventFilter(this);
  connect(m_panel, &FourViewPanel::scenesRebuilt, this, &AnnotationController::onScenesRebuilt);
  connect(m_host, &AnnotationSessionHost::sessionStarted, this, &AnnotationController::sessionReady);
  connect(m_host, &AnnotationSessionHost::editConflict, this, &AnnotationController::editConflict);
  connect(m_host, &AnnotationSessionHost::annotatorsChanged, this, &AnnotationController::annotatorsChanged);
  connect(m_host, &AnnotationSessionHost::message, this, &AnnotationController::message);
  connect(m_host, &AnnotationSessionHost::saved, this, [this] {
    emit saved();
    emit lesionsChanged();
  });
  connect(m_review, &AnnotationReviewModel::message, this, &AnnotationController::message);
  connect(m_review, &AnnotationReviewModel::reviewUpdated, this, [this] {
    if (m_review->result()) applyClassColours(m_review->result()->classes);
    attachLayers();
    emit reviewUpdated();
  });
}

AnnotationController::~AnnotationController() {
  if (m_panel) m_panel->removeEventFilter(this);
  m_gestures.reset();
  for (auto& l : m_layers) l->detach();
  for (auto& l : m_reviewLayers) l->detach();
  // m_host (a child) finishes the session's last writes and waits for them as it goes.
}

// ---- Settings and session

QString AnnotationController::annotator() const {
  return QString::fromStdString(workstation::annotatorName(m_settings.annotation().user));
}

fs::path AnnotationController::rootFor(const core::Exam& exam) const {
  return workstation::annotationRoot(exam, m_settings.annotation().root, m_settings.userDataDir());
}

const workstation::AnnotationSession* AnnotationController::session() const { return m_host->session(); }

workstation::AnnotationSession* AnnotationController::editableSession() const { return m_host->session(); }

void AnnotationController::onScenesRebuilt() {
  m_gestures->abort();
  m_gestures->detach();
  if (m_panel->exam() != m_exam) {
    finishSession();
    m_exam = m_panel->exam();
    if (m_exam) startSession(m_exam);
  }
  attachLayers();
}

void AnnotationController::startSession(std::shared_ptr<const core::Exam> exam) {
  workstation::AnnotationSessionOptions options;
  options.root = rootFor(*exam);
  options.annotator = annotator().toStdString();
  options.autosaveDelay = m_autosaveDelay;
  options.classes = m_configured;
  m_host->start(std::move(exam), std::move(options));
}

void AnnotationController::sessionReady() {
  applyClassColours(m_host->session()->options().classes);
  attachLayers();
  emit sessionStarted();
  emit historyChanged();
  emit lesionsChanged();
}

void AnnotationController::finishSession() {
  m_review->reset();
  for (auto& l : m_reviewLayers) l->detach();
  const bool had = m_host->session() != nullptr;
  m_host->finish();
  if (!had) return;
  emit historyChanged();
  emit lesionsChanged();
}

void AnnotationController::attachLayers() {
  const std::optional<ReviewResult>& review = m_review->result();
  for (core::StandardView view : core::kStandardViews) {
    const int v = static_cast<int>(view);
    const int i = m_panel->viewIndex(view);
    const viewer::ViewScene* scene = i >= 0 ? &m_panel->scene(i) : nullptr;
    const core::Image* image = scene ? scene->image() : nullptr;
    const core::LabelMap* map = labelMap(view);
    if (image && map && map->rows == image->info.rows && map->columns == image->info.columns) {
      m_layers[v]->attach(scene->renderer(), scene->transform());
      m_layers[v]->setVisible(m_masksVisible);
      m_layers[v]->updateAll(*map);
    } else {
      m_layers[v]->detach();
    }
    const core::LabelMap* other = review && review->otherMaps[v] ? &*review->otherMaps[v] : nullptr;
    if (image && other && other->rows == image->info.rows && other->columns == image->info.columns) {
      m_reviewLayers[v]->attach(scene->renderer(), scene->transform());
      m_reviewLayers[v]->updateAll(*other);
    } else {
      m_reviewLayers[v]->detach();
    }
  }
  m_panel->update();
}

const core::LabelMap* AnnotationController::labelMap(core::StandardView view) const {
  return m_host->session() ? m_host->session()->map(view) : nullptr;
}

const viewer::LabelLayer* AnnotationController::labelLayer(core::StandardView view) const {
  return m_layers[static_cast<int>(view)].get();
}

const viewer::LabelLayer* AnnotationController::reviewLayer(core::StandardView view) const {
  return m_reviewLayers[static_cast<int>(view)].get();
}

std::vector<annotation::Lesion> AnnotationController::lesions() const {
  const workstation::AnnotationSession* s = session();
  return s ? s->autosaver().lesions(s->examId()) : std::vector<annotation::Lesion>{};
}

bool AnnotationController::setLesionState(int lesionId, annotation::LesionStatus status, const QString& note) {
  workstation::AnnotationSession* s = editableSession();
  if (!s) return false;
  const bool ok = s->autosaver().setLesionState(s->examId(), lesionId, status, note.toStdString());
  if (ok) emit lesionsChanged();
  return ok;
}

bool AnnotationController::linkLesions(int target, int other) {
  workstation::AnnotationSession* s = editableSession();
  if (!s) return false;
  const bool ok = s->autosaver().linkLesions(s->examId(), target, other);
  if (ok) emit lesionsChanged();
  return ok;
}

bool AnnotationController::canUndo() const { return session() && session()->canUndo(); }
bool AnnotationController::canRedo() const { return session() && session()->canRedo(); }

std::size_t AnnotationController::polygonVertices() const { return m_gestures->polygonVertices(); }

std::optional<PixelPoint> AnnotationController::imagePoint(int view, QPointF p) const {
  return m_gestures->imagePoint(view, p);
}

// ---- Tool state

void AnnotationController::setEnabled(bool on) {
  if (on == m_enabled) return;
  m_gestures->abort();
  m_enabled = on;
  m_gestures->hideCursor();
  m_gestures->clearPath();
  if (on) m_panel->setMouseTracking(true);
  m_panel->setCursor(on ? Qt::CrossCursor : Qt::ArrowCursor);
  emit enabledChanged(on);
}

void AnnotationController::setTool(AnnotationTool tool) {
  if (tool == m_tool.tool) return;
  m_gestures->abort();
  m_tool.tool = tool;
  if (tool != AnnotationTool::Brush && tool != AnnotationTool::Eraser && tool != AnnotationTool::SmartBrush) {
    m_gestures->hideCursor();
  }
  emit toolChanged(tool);
}

const annotation::ClassList& AnnotationController::classes() const {
  return session() ? session()->options().classes : m_configured;
}

void AnnotationController::setConfiguredClasses(annotation::ClassList classes) {
  if (classes.classes().empty() || classes == m_configured) return;
  m_gestures->abort();
  // The class in hand stays in hand when the new list has it (by name: ids may differ between lists).
  const std::string inHand = m_configured.name(m_tool.label);
  m_configured = std::move(classes);
  applyClassColours(m_configured);
  m_tool.label = m_configured.label(inHand).value_or(m_configured.classes().front().label);
  emit classesChanged();
  emit activeLabelChanged(m_tool.label);
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
  if (label == m_tool.label || label <= 0 || label > 255 || !m_configured.find(static_cast<std::uint8_t>(label))) {
    return;
  }
  m_tool.label = static_cast<std::uint8_t>(label);
  m_gestures->setPolygonLabel(m_tool.label);  // a class chosen while drawing fills the polygon
  emit activeLabelChanged(label);
}

void AnnotationController::setBrushRadius(double radius) {
  radius = std::clamp(radius, kMinRadius, kMaxRadius);
  if (radius == m_tool.radius) return;
  m_tool.radius = radius;
  m_gestures->refreshCursor();
  emit brushRadiusChanged(radius);
}

void AnnotationController::growBrush() { setBrushRadius(m_tool.radius * kBrushStep); }
void AnnotationController::shrinkBrush() { setBrushRadius(m_tool.radius / kBrushStep); }
void AnnotationController::setTolerance(int tolerance) { m_tool.tolerance = std::max(0, tolerance); }
void AnnotationController::setSeedThreshold(double threshold) { m_tool.seedThreshold = threshold; }

void AnnotationController::setMasksVisible(bool visible) {
  m_masksVisible = visible;
  for (auto& l : m_layers) l->setVisible(visible);
  m_panel->update();
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

void AnnotationController::afterEdit(core::StandardView view) {
  emit masksChanged(view);
  emit historyChanged();
}

void AnnotationController::undo() {
  workstation::AnnotationSession* s = editableSession();
  if (!s || m_gestures->gestureActive()) return;
  if (const auto view = s->undo()) {
    refreshView(*view);
    afterEdit(*view);
  }
}

void AnnotationController::redo() {
  workstation::AnnotationSession* s = editableSession();
  if (!s || m_gestures->gestureActive()) return;
  if (const auto view = s->redo()) {
    refreshView(*view);
    afterEdit(*view);
  }
}

bool AnnotationController::eventFilter(QObject* watched, QEvent* event) {
  if (watched != m_panel || !m_enabled) return false;
  if (event->type() == QEvent::Wheel) {  // Ctrl+wheel sizes the brush
    auto* e = static_cast<QWheelEvent*>(event);
    if (!(e->modifiers() & Qt::ControlModifier)) return false;
    const QPoint d = e->angleDelta();
    const double notches = (d.y() != 0 ? d.y() : d.x()) / 120.0;
    setBrushRadius(m_tool.radius * std::pow(kWheelStep, notches));
    return true;
  }
  return m_gestures->handle(event);
}

// ---- Review

QStringList AnnotationController::otherAnnotators() const { return m_host->otherAnnotators(); }

void AnnotationController::rescanAnnotators() { m_host->rescanAnnotators(); }

const std::optional<ReviewResult>& AnnotationController::reviewResult() const { return m_review->result(); }

void AnnotationController::review(const QString& other) {
  if (other.isEmpty() || !session()) {
    m_review->clear();
    return;
  }
  std::array<std::optional<core::LabelMap>, 4> ours;
  for (core::StandardView v : core::kStandardViews) {
    if (const core::LabelMap* m = labelMap(v)) ours[static_cast<int>(v)] = *m;
  }
  m_review->review(m_exam, std::move(ours), rootFor(*m_exam) / other.toStdString(), other, classes());
}

}  // namespace mammo::ui
