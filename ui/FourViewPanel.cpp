#include "ui/FourViewPanel.h"

#include <QMouseEvent>
#include <QScreen>
#include <QWheelEvent>

#include <vtkGenericOpenGLRenderWindow.h>
#include <vtkRenderer.h>

#include "ui/ViewInteraction.h"
#include "viewer/ColourBar.h"
#include "viewer/Loupe.h"
#include "viewer/ViewScene.h"
#include "viewer/VoiTable.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace mammo::ui {

FourViewPanel::FourViewPanel(QWidget* parent)
    : VtkOpenGLWidget(parent), m_interaction(std::make_unique<ViewInteraction>(this)) {
  // Layers: 0 the views, 1 the colour bars (transparent, over the whole window), 2 the loupe.
  renderWindow()->SetNumberOfLayers(3);
  m_overlay = vtkSmartPointer<vtkRenderer>::New();
  m_overlay->SetLayer(1);
  m_overlay->InteractiveOff();
  const char* titles[] = {"Benign", "Malignant"};
  for (int k = 0; k < 2; ++k) {
    m_colourBars[k] = std::make_unique<viewer::ColourBar>();
    m_colourBars[k]->setTitle(titles[k]);
    m_overlay->AddViewProp(m_colourBars[k]->prop());
  }
  renderWindow()->AddRenderer(m_overlay);
  m_loupe = std::make_unique<viewer::Loupe>();
  m_loupe->setLayer(2);
  renderWindow()->AddRenderer(m_loupe->renderer());
  rebuild();
}

FourViewPanel::~FourViewPanel() {
  for (auto& scene : m_scenes) renderWindow()->RemoveRenderer(scene->renderer());
  renderWindow()->RemoveRenderer(m_loupe->renderer());
  renderWindow()->RemoveRenderer(m_overlay);
}

void FourViewPanel::setViewHeatmaps(core::StandardView view, viewer::Heatmap benign, viewer::Heatmap malignant) {
  m_state.heatmaps[static_cast<int>(view)] = {std::move(benign), std::move(malignant)};
  for (size_t i = 0; i < m_viewports.size(); ++i) {
    if (m_viewports[i].view != view || !m_images[i]) continue;
    for (int k = 0; k < 2; ++k) {
      m_scenes[i]->setHeatmapStyle(static_cast<viewer::HeatmapKind>(k), m_state.styles[k]);
      m_scenes[i]->setHeatmap(static_cast<viewer::HeatmapKind>(k), m_state.heatmaps[static_cast<int>(view)][k]);
    }
  }
  updateColourBars();
  update();
}

void FourViewPanel::setViewHeatmap(core::StandardView view, viewer::HeatmapKind kind, viewer::Heatmap heatmap) {
  auto pair = m_state.heatmaps[static_cast<int>(view)];
  pair[static_cast<int>(kind)] = std::move(heatmap);
  setViewHeatmaps(view, pair[0], pair[1]);
}

void FourViewPanel::clearHeatmaps() {
  for (core::StandardView v : core::kStandardViews) setViewHeatmaps(v, {}, {});
}

void FourViewPanel::setHeatmapStyle(viewer::HeatmapKind kind, const viewer::HeatmapStyle& style) {
  // Contour mode is the panel's (a reading toggle), whatever the style's sender knows of it.
  viewer::HeatmapStyle s = style;
  s.contours = m_state.contours;
  m_state.styles[static_cast<int>(kind)] = s;
  for (auto& scene : m_scenes) scene->setHeatmapStyle(kind, s);
  updateColourBars();
  update();
}

void FourViewPanel::setHeatmapContours(bool on) {
  m_state.contours = on;
  for (int k = 0; k < 2; ++k) setHeatmapStyle(static_cast<viewer::HeatmapKind>(k), m_state.styles[k]);
}

void FourViewPanel::setColourBarsEnabled(bool on) {
  m_state.colourBarsOn = on;
  updateColourBars();
  update();
}

void FourViewPanel::updateColourBars() {
  const qreal dpr = devicePixelRatioF();
  const double w = std::max(1.0, width() * dpr);
  // In a strip of their own along the right edge of the window, which the views make room for, so a bar
  // never covers an image, its orientation markers or its text; malignant above benign, about 80 device
  // pixels wide, labels towards the images.
  const double barWidth = std::min(0.2, 80.0 / w), x = 1.0 - barWidth - 8.0 / w;
  const std::array<std::array<double, 4>, 2> places{{{x, 0.08, barWidth, 0.36}, {x, 0.54, barWidth, 0.36}}};
  for (int k = 0; k < 2; ++k) {
    const viewer::HeatmapStyle& style = m_state.styles[k];
    bool shown = false;
    for (const auto& scene : m_scenes) shown = shown || scene->hasHeatmap(static_cast<viewer::HeatmapKind>(k));
    m_colourBars[k]->setStyle(style);
    m_colourBars[k]->setPlace(places[k]);
    const bool visible = m_state.colourBarsOn && shown && style.visible && style.opacity > 0;
    m_colourBars[k]->setVisible(visible);
  }
  // The strip: the bar, its labels (to its left) and a margin; kept while the bars are on, so the images do
  // not move when a result arrives.
  const double strip = m_state.colourBarsOn ? std::min(0.3, barWidth + 64.0 / w) : 0.0;
  if (std::abs(strip - m_colourBarStrip) > 1e-9) {
    m_colourBarStrip = strip;
    placeViewports();
  }
}

void FourViewPanel::placeViewports() {
  const std::vector<viewer::Viewport> layout = viewer::hangingViewports(m_state.layout, m_state.single);
  for (size_t i = 0; i < m_viewports.size() && i < layout.size(); ++i) {
    auto& b = m_viewports[i].bounds;
    b = layout[i].bounds;
    b[0] *= 1.0 - m_colourBarStrip;
    b[2] *= 1.0 - m_colourBarStrip;
    if (i < m_scenes.size()) m_scenes[i]->renderer()->SetViewport(b[0], b[1], b[2], b[3]);
  }
  if (m_scenes.size() == m_viewports.size()) applyViewportSizes(false);
}

bool FourViewPanel::viewHasHeatmap(core::StandardView view, viewer::HeatmapKind kind) const {
  const int i = viewIndex(view);
  return i >= 0 && m_scenes[i]->hasHeatmap(kind);
}

void FourViewPanel::setExam(std::shared_ptr<const core::Exam> exam) {
  m_state.setExam(std::move(exam));
  rebuild();
}

void FourViewPanel::setLayout(viewer::Layout layout, core::StandardView single) {
  m_state.layout = layout;
  m_state.single = single;
  rebuild();
}

void FourViewPanel::setPrior(std::shared_ptr<const core::Exam> prior,
                             std::array<std::optional<viewer::PriorLink>, 4> links) {
  m_state.setPrior(std::move(prior), std::move(links));
  rebuild();
}

const viewer::PriorLink* FourViewPanel::priorLink(core::StandardView view) const {
  const auto& link = m_state.priorLinks[static_cast<int>(view)];
  return m_state.prior && link ? &*link : nullptr;
}

void FourViewPanel::rebuild() {
  m_loupe->hide();  // it shows the props of a scene about to go
  m_draft.reset();
  for (auto& scene : m_scenes) renderWindow()->RemoveRenderer(scene->renderer());
  m_scenes.clear();
  m_images.clear();
  m_activeView = -1;
  m_lastPoint = {};
  m_viewports = viewer::hangingViewports(m_state.layout, m_state.single);
  for (viewer::Viewport& vp : m_viewports) {
    vp.bounds[0] *= 1.0 - m_colourBarStrip;  // room for the colour bars (updateColourBars)
    vp.bounds[2] *= 1.0 - m_colourBarStrip;
  }
  m_linkedCursor.reset();
  for (const viewer::Viewport& vp : m_viewports) {
    auto scene = std::make_unique<viewer::ViewScene>();
    std::shared_ptr<const core::Image> image;
    if (vp.prior) {
      // The prior's own display settings; no AI overlays or measurements of the current study on it.
      if (m_state.prior && !m_state.prior->view(vp.view).empty()) {
        image = std::shared_ptr<const core::Image>(m_state.prior, &m_state.prior->view(vp.view).front());
        scene->setImage(image, viewer::needsMirror(*image, vp.chestWallOnScreen));
        if (const auto& display = m_state.priorDisplay[static_cast<int>(vp.view)]) scene->setDisplay(*display);
        const viewer::PriorLink* link = priorLink(vp.view);
        scene->setCaption(link ? link->caption : "PRIOR");
      }
    } else if (m_state.exam && !m_state.exam->view(vp.view).empty()) {
      // Share the exam's image without copying its pixels.
      image = std::shared_ptr<const core::Image>(m_state.exam, &m_state.exam->view(vp.view).front());
      scene->setImage(image, viewer::needsMirror(*image, vp.chestWallOnScreen));
      if (const auto& display = m_state.display[static_cast<int>(vp.view)]) scene->setDisplay(*display);
      for (int k = 0; k < 2; ++k) {
        scene->setHeatmapStyle(static_cast<viewer::HeatmapKind>(k), m_state.styles[k]);
        const viewer::Heatmap& h = m_state.heatmaps[static_cast<int>(vp.view)][k];
        if (h.covers(image->info.rows, image->info.columns)) {
          scene->setHeatmap(static_cast<viewer::HeatmapKind>(k), h);
        }
      }
      if (m_state.layout == viewer::Layout::Prior) scene->setCaption("CURRENT");
    }
    scene->renderer()->SetViewport(vp.bounds[0], vp.bounds[1], vp.bounds[2], vp.bounds[3]);
    renderWindow()->AddRenderer(scene->renderer());
    m_images.push_back(image);
    m_scenes.push_back(std::move(scene));
    applyMeasurements(static_cast<int>(m_scenes.size()) - 1);
  }
  updateColourBars();
  applyViewportSizes(true);
  update();
  emit scenesRebuilt();
}

std::array<int, 2> FourViewPanel::viewportSizePx(int view) const {
  const qreal dpr = devicePixelRatioF();
  const auto& b = m_viewports[view].bounds;
  return {static_cast<int>((b[2] - b[0]) * width() * dpr), static_cast<int>((b[3] - b[1]) * height() * dpr)};
}

void FourViewPanel::applyViewportSizes(bool refit) {
  std::vector<std::array<int, 2>> sizes;
  std::vector<const core::ImageInfo*> images;
  for (int i = 0; i < static_cast<int>(m_scenes.size()); ++i) {
    sizes.push_back(viewportSizePx(i));
    images.push_back(m_images[i] ? &m_images[i]->info : nullptr);
  }
  // A mirrored pair at one physical scale, the larger image fitted (viewer::pairFitScales).
  const std::vector<std::optional<double>> scales = viewer::pairFitScales(m_viewports, sizes, images);
  for (int i = 0; i < static_cast<int>(m_scenes.size()); ++i) {
    const auto [w, h] = sizes[i];
    m_scenes[i]->setFitScale(scales[i]);
    if (refit)
      m_scenes[i]->fit(m_viewports[i].chestWallOnScreen, w, h);
    else
      m_scenes[i]->setViewportSize(w, h);
  }
}

void FourViewPanel::resizeGL(int width, int height) {
  VtkOpenGLWidget::resizeGL(width, height);
  applyViewportSizes(false);  // a resize keeps what the reader zoomed into
  updateColourBars();
}

int FourViewPanel::viewIndex(core::StandardView view) const {
  for (size_t i = 0; i < m_viewports.size(); ++i) {
    if (m_viewports[i].view == view && !m_viewports[i].prior) return static_cast<int>(i);
  }
  return -1;
}

FourViewPanel::ViewPoint FourViewPanel::viewPointAt(QPointF p) const {
  const double u = p.x() / width(), v = 1.0 - p.y() / height();
  const qreal dpr = devicePixelRatioF();
  for (size_t i = 0; i < m_viewports.size(); ++i) {
    const auto& b = m_viewports[i].bounds;
    if (u >= b[0] && u < b[2] && v >= b[1] && v < b[3]) {
      return {static_cast<int>(i), (p.x() - b[0] * width()) * dpr, (height() - p.y() - b[1] * height()) * dpr};
    }
  }
  return {};
}

QPointF FourViewPanel::widgetPointOf(int view, double x, double y) const {
  const qreal dpr = devicePixelRatioF();
  const auto& b = m_viewports.at(view).bounds;
  return {x / dpr + b[0] * width(), height() - (y / dpr + b[1] * height())};
}

// ---- Reading operations

std::vector<int> FourViewPanel::windowTargets(int view) const {
  // With the cursor over no view, a key acts on all of them.
  // A prior has its own exposure: a window set on one study is not carried to the other.
  const bool all = view < 0 || m_state.syncWindowLevel;
  std::vector<int> out;
  for (int i = 0; i < static_cast<int>(m_scenes.size()); ++i) {
    const bool sameStudy = view < 0 || m_viewports[i].prior == m_viewports[view].prior;
    if (m_images[i] && ((all && sameStudy) || i == view)) out.push_back(i);
  }
  return out;
}

std::vector<int> FourViewPanel::cameraTargets(int view) const {
  std::vector<int> out;
  for (int i : viewer::syncedViewports(m_viewports, view, m_state.syncScope)) {
    if (m_images[i]) out.push_back(i);
  }
  return out;
}

std::optional<core::Affine2D> FourViewPanel::linkBetween(int from, int to) const {
  const viewer::Viewport &a = m_viewports[from], &b = m_viewports[to];
  if (a.prior == b.prior || a.view != b.view) return std::nullopt;
  const viewer::PriorLink* link = priorLink(a.view);
  if (!link) return std::nullopt;
  if (!a.prior) return link->currentToPrior;
  try {
    return link->currentToPrior.inverse();
  } catch (const std::domain_error&) {
    return std::nullopt;
  }
}

void FourViewPanel::followCamera(int view) {
  for (int i : cameraTargets(view)) {
    if (const auto link = linkBetween(view, i))
      viewer::followLinkedCamera(*m_scenes[view], *m_scenes[i], *link);
    else
      viewer::followCamera(*m_scenes[view], *m_scenes[i]);
  }
}

void FourViewPanel::updateLinkedCursor(const ViewPoint& point) {
  std::optional<LinkedCursor> next;
  if (point.view >= 0 && m_images[point.view]) {
    const auto stored = m_scenes[point.view]->storedPointAt(point.x, point.y);
    for (int i = 0; stored && i < static_cast<int>(m_scenes.size()); ++i) {
      const auto link = i == point.view || !m_images[i] ? std::nullopt : linkBetween(point.view, i);
      if (!link) continue;
      const auto p = link->apply((*stored)[1], (*stored)[0]);  // (x, y) = (col, row)
      next = LinkedCursor{i, {p[1], p[0]}};
      break;
    }
  }
  if (m_linkedCursor) m_scenes[m_linkedCursor->view]->setCursorMark(std::nullopt);
  m_linkedCursor = next;
  if (next) m_scenes[next->view]->setCursorMark(next->stored);
  if (m_linkedCursor || next) update();
}

void FourViewPanel::changed() {
  updateLoupe();  // the loupe magnifies what the view shows now
  if (m_lastPoint.view >= 0) showPixelInfo(m_lastPoint);  // the displayed grey follows W/L
  update();
  emit viewStateChanged();
}

// ---- Loupe

void FourViewPanel::setLoupeEnabled(bool on) {
  if (on == m_state.loupeOn) return;
  m_state.loupeOn = on;
  updateLoupe();
  update();
  emit loupeToggled(on);
}

void FourViewPanel::setLoupeGeometry(int sizePx, double magnification) {
  if (sizePx > 0) m_loupe->setSizePx(sizePx);
  if (magnification > 0) m_loupe->setMagnification(magnification);
  updateLoupe();
  update();
}

void FourViewPanel::changeLoupeSize(int steps) {
  m_loupe->setSizePx(m_loupe->sizePx() + 50 * steps);
  updateLoupe();
  update();
  emit loupeGeometryChanged(m_loupe->sizePx(), m_loupe->magnification());
}

void FourViewPanel::changeLoupeMagnification(int steps) {
  m_loupe->setMagnification(m_loupe->magnification() + 0.5 * steps);
  updateLoupe();
  update();
  emit loupeGeometryChanged(m_loupe->sizePx(), m_loupe->magnification());
}

void FourViewPanel::updateLoupe() {
  const ViewPoint& p = m_loupePoint;
  if (m_state.loupeOn && p.view >= 0 && p.view < static_cast<int>(m_scenes.size()) && m_images[p.view]) {
    m_loupe->show(*m_scenes[p.view], p.x, p.y);
  } else {
    m_loupe->hide();
  }
}

// ---- Measurements

std::vector<viewer::Measurement> FourViewPanel::measurements(core::StandardView view) const {
  return m_state.measurements[static_cast<int>(view)];
}

void FourViewPanel::applyMeasurements(int view) {
  if (view < 0 || view >= static_cast<int>(m_scenes.size()) || m_viewports[view].prior) return;
  std::vector<viewer::Measurement> shown = m_state.measurements[static_cast<int>(m_viewports[view].view)];
  if (m_draft && m_draft->view == view) shown.push_back(m_draft->measurement);
  m_scenes[view]->setMeasurements(std::move(shown));
}

void FourViewPanel::setMeasureMode(bool on) {
  if (on == m_state.measureMode) return;
  m_state.measureMode = on;
  setCursor(on ? Qt::CrossCursor : Qt::ArrowCursor);
  emit measureModeToggled(on);
}

void FourViewPanel::addMeasurement(int view, const viewer::Measurement& m) {
  if (view < 0 || view >= static_cast<int>(m_scenes.size()) || !m_images[view] || m_viewports[view].prior) return;
  m_state.addMeasurement(m_viewports[view].view, m);
  applyMeasurements(view);
  changed();
}

void FourViewPanel::setDraftMeasurement(int view, const std::optional<viewer::Measurement>& m) {
  const int previous = m_draft ? m_draft->view : -1;
  m_draft.reset();
  if (m) m_draft = Draft{view, *m};
  applyMeasurements(previous);
  if (view != previous) applyMeasurements(view);
  updateLoupe();
  update();
}

void FourViewPanel::deleteMeasurement() {
  const ViewPoint& p = m_lastPoint;
  if (p.view >= 0 && m_images[p.view]) {
    const auto at = m_scenes[p.view]->storedPointAt(p.x, p.y);
    if (at && m_state.deleteNearestMeasurement(m_viewports[p.view].view, *at)) {
      applyMeasurements(p.view);
      changed();
      return;
    }
  }
  const std::optional<core::StandardView> deleted = m_state.deleteLastMeasurement();
  if (!deleted) return;
  applyMeasurements(viewIndex(*deleted));
  changed();
}

void FourViewPanel::clearMeasurements() {
  m_state.measurements = {};
  for (int i = 0; i < static_cast<int>(m_scenes.size()); ++i) applyMeasurements(i);
  changed();
}

void FourViewPanel::setDisplay(int view, const core::DisplaySettings& settings) {
  m_scenes[view]->setDisplay(settings);
  auto& displays = m_viewports[view].prior ? m_state.priorDisplay : m_state.display;
  displays[static_cast<int>(m_viewports[view].view)] = settings;
}

void FourViewPanel::setWindowLevel(int view, const core::VoiWindow& window) {
  for (int i : windowTargets(view)) {
    core::DisplaySettings s = m_scenes[i]->display();
    s.window = window;
    setDisplay(i, s);
  }
  changed();
}

void FourViewPanel::zoomAt(int view, double factor, double x, double y) {
  if (view < 0 || !m_images[view]) return;
  m_scenes[view]->zoomAt(factor, x, y);
  followCamera(view);
  changed();
}

void FourViewPanel::panBy(int view, double dx, double dy) {
  if (view < 0 || !m_images[view]) return;
  m_scenes[view]->panByPixels(dx, dy);
  followCamera(view);
  changed();
}

void FourViewPanel::fitViews() {
  for (auto& scene : m_scenes) scene->fit();
  changed();
}

void FourViewPanel::setPixelScale(const std::function<std::optional<double>(int)>& scaleOf) {
  // The view under the cursor zooms around the cursor and its synchronised views follow; with the cursor
  // over no view, every view zooms around its centre.
  for (int i = 0; i < static_cast<int>(m_scenes.size()); ++i) {
    if (!m_images[i] || (m_activeView >= 0 && i != m_activeView)) continue;
    const std::optional<double> scale = scaleOf(i);
    if (!scale) continue;
    const auto [w, h] = viewportSizePx(i);
    const bool atCursor = m_lastPoint.view == i;
    m_scenes[i]->setPixelScaleAt(*scale, atCursor ? m_lastPoint.x : w / 2.0, atCursor ? m_lastPoint.y : h / 2.0);
    if (m_activeView >= 0) followCamera(i);
  }
  changed();
}

void FourViewPanel::showActualPixels() {
  setPixelScale([](int) { return std::optional<double>(1.0); });
}

void FourViewPanel::showTrueSize() {
  // Device pixels per millimetre of the screen, from the physical size it reports.
  const QScreen* s = screen();
  if (!s) return;
  const double pxPerMm = s->physicalDotsPerInchX() / 25.4 * devicePixelRatioF();
  setPixelScale([&](int i) {
    const auto& spacing = m_images[i]->info.spacing;
    return spacing && spacing->columnMm > 0 ? std::optional<double>(spacing->columnMm * pxPerMm) : std::nullopt;
  });
}

void FourViewPanel::toggleInvert() {
  const std::vector<int> targets = windowTargets(m_activeView);
  if (targets.empty()) return;
  const bool invert = !m_scenes[targets.front()]->inverted();
  for (int i : targets) {
    core::DisplaySettings s = m_scenes[i]->display();
    s.invert = invert;
    setDisplay(i, s);
  }
  changed();
}

void FourViewPanel::resetViews() {
  m_state.display = {};
  m_state.priorDisplay = {};
  for (int i = 0; i < static_cast<int>(m_scenes.size()); ++i) {
    if (m_images[i]) m_scenes[i]->setDisplay({});
    m_scenes[i]->fit();
  }
  changed();
}

void FourViewPanel::applyHeaderPreset(int index) {
  for (int i : windowTargets(m_activeView)) {
    const auto presets = viewer::headerPresets(m_images[i]->info, m_scenes[i]->inverted());
    if (index >= 0 && index < static_cast<int>(presets.size())) setDisplay(i, presets[index]);
  }
  changed();
}

void FourViewPanel::applyFullRange() {
  for (int i : windowTargets(m_activeView)) {
    setDisplay(i, viewer::fullRangePreset(m_images[i]->info, m_scenes[i]->inverted()));
  }
  changed();
}

void FourViewPanel::setSyncWindowLevel(bool on) { m_state.syncWindowLevel = on; }

void FourViewPanel::setSyncScope(viewer::SyncScope scope) { m_state.syncScope = scope; }

// ---- Mouse

void FourViewPanel::mousePressEvent(QMouseEvent* event) {
  m_lastPoint = viewPointAt(event->position());
  m_activeView = m_lastPoint.view;
  if (!m_interaction->mousePress(event)) VtkOpenGLWidget::mousePressEvent(event);
}

void FourViewPanel::mouseMoveEvent(QMouseEvent* event) {
  const ViewPoint point = viewPointAt(event->position());
  m_loupePoint = point;
  if (m_state.loupeOn) {
    updateLoupe();
    update();
  }
  if (m_interaction->mouseMove(event)) return;
  m_lastPoint = point;
  m_activeView = point.view;
  showPixelInfo(point);
  updateLinkedCursor(point);
}

void FourViewPanel::mouseReleaseEvent(QMouseEvent* event) {
  if (!m_interaction->mouseRelease(event)) VtkOpenGLWidget::mouseReleaseEvent(event);
}

void FourViewPanel::wheelEvent(QWheelEvent* event) {
  m_lastPoint = viewPointAt(event->position());
  m_activeView = m_lastPoint.view;
  if (!m_interaction->wheel(event)) VtkOpenGLWidget::wheelEvent(event);
}

void FourViewPanel::leaveEvent(QEvent* event) {
  if (!m_interaction->dragging()) {
    m_activeView = -1;
    m_lastPoint = {};
    m_loupePoint = {};
    updateLoupe();
    updateLinkedCursor({});
    update();
  }
  VtkOpenGLWidget::leaveEvent(event);
}

void FourViewPanel::showPixelInfo(const ViewPoint& point) {
  if (point.view < 0 || !m_images[point.view]) {
    emit pixelInfoChanged(QString());
    return;
  }
  QString view = QString::fromStdString(std::string(core::toString(m_viewports[point.view].view)));
  if (m_viewports[point.view].prior) view += tr(" prior");
  const auto pixel = m_scenes[point.view]->storedPixelAt(point.x, point.y);
  if (!pixel) {
    emit pixelInfoChanged(view);
    return;
  }
  emit pixelInfoChanged(view + QStringLiteral("  ") + pixelInfoText(*m_scenes[point.view], (*pixel)[0], (*pixel)[1]));
}

QString pixelInfoText(const viewer::ViewScene& scene, int row, int col) {
  const core::Image& image = *scene.image();
  const core::ImageInfo& info = image.info;
  const std::uint16_t stored = image.at(row, col);
  // Position: stored pixel (row, col) and, with a spacing, its centre in mm from the first pixel's centre.
  QString text = QStringLiteral("row %1 col %2").arg(row).arg(col);
  if (info.spacing) {
    text += QStringLiteral("  (%1, %2) mm")
                .arg(row * info.spacing->rowMm, 0, 'f', 2)
                .arg(col * info.spacing->columnMm, 0, 'f', 2);
  }
  // Values: stored (signed when the pixel representation is), the modality value when a rescale changes it,
  // and the grey shown after VOI, photometric interpretation and invert.
  const int value = info.pixelSigned ? static_cast<int>(static_cast<std::int16_t>(stored)) : static_cast<int>(stored);
  text += QStringLiteral("  stored %1").arg(value);
  if (info.rescaleSlope != 1.0 || info.rescaleIntercept != 0.0) {
    text += QStringLiteral("  modality %1").arg(value * info.rescaleSlope + info.rescaleIntercept, 0, 'g', 6);
  }
  text += QStringLiteral("  displayed %1").arg(scene.displayedGrey(stored));
  if (const auto padding = viewer::paddingRange(info)) {
    const std::uint16_t t = viewer::textureValue(info, stored);
    if (t >= (*padding)[0] && t <= (*padding)[1]) text += QStringLiteral(" (padding)");
  }
  const std::pair<viewer::HeatmapKind, const char*> kinds[] = {{viewer::HeatmapKind::Malignant, "malignant"},
                                                               {viewer::HeatmapKind::Benign, "benign"}};
  for (const auto& [kind, name] : kinds) {
    if (const auto v = scene.heatmapValue(kind, row, col))
      text += QStringLiteral("  %1 %2").arg(QLatin1String(name)).arg(*v, 0, 'f', 3);
  }
  return text;
}

void FourViewPanel::mouseDoubleClickEvent(QMouseEvent* event) {
  const int i = viewPointAt(event->position()).view;
  if (i < 0) return;
  if (m_state.layout == viewer::Layout::Single)
    setLayout(viewer::Layout::FourView);
  else
    setLayout(viewer::Layout::Single, m_viewports[i].view);
}

}  // namespace mammo::ui
