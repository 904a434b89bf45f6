#include "ui/FourViewPanel.h"

#include <QMouseEvent>
#include <QScreen>
#include <QWheelEvent>

#include <vtkGenericOpenGLRenderWindow.h>
#include <vtkRenderer.h>

#include "ui/ViewInteraction.h"
#include "viewer/ViewScene.h"
#include "viewer/VoiTable.h"

namespace mammo::ui {

FourViewPanel::FourViewPanel(QWidget* parent)
    : VtkOpenGLWidget(parent), m_interaction(std::make_unique<ViewInteraction>(this)) {
  m_styles[static_cast<int>(viewer::HeatmapKind::Benign)].colours = viewer::ColourMap::Green;
  m_styles[static_cast<int>(viewer::HeatmapKind::Malignant)].colours = viewer::ColourMap::Hot;
  rebuild();
}

FourViewPanel::~FourViewPanel() {
  for (auto& scene : m_scenes) renderWindow()->RemoveRenderer(scene->renderer());
}

void FourViewPanel::setViewHeatmaps(core::StandardView view, viewer::Heatmap benign, viewer::Heatmap malignant) {
  m_heatmaps[static_cast<int>(view)] = {std::move(benign), std::move(malignant)};
  for (size_t i = 0; i < m_viewports.size(); ++i) {
    if (m_viewports[i].view != view || !m_images[i]) continue;
    for (int k = 0; k < 2; ++k) {
      m_scenes[i]->setHeatmapStyle(static_cast<viewer::HeatmapKind>(k), m_styles[k]);
      m_scenes[i]->setHeatmap(static_cast<viewer::HeatmapKind>(k), m_heatmaps[static_cast<int>(view)][k]);
    }
  }
  update();
}

void FourViewPanel::setViewHeatmap(core::StandardView view, viewer::HeatmapKind kind, viewer::Heatmap heatmap) {
  auto pair = m_heatmaps[static_cast<int>(view)];
  pair[static_cast<int>(kind)] = std::move(heatmap);
  setViewHeatmaps(view, pair[0], pair[1]);
}

void FourViewPanel::clearHeatmaps() {
  for (core::StandardView v : core::kStandardViews) setViewHeatmaps(v, {}, {});
}

void FourViewPanel::setHeatmapStyle(viewer::HeatmapKind kind, const viewer::HeatmapStyle& style) {
  m_styles[static_cast<int>(kind)] = style;
  for (auto& scene : m_scenes) scene->setHeatmapStyle(kind, style);
  update();
}

bool FourViewPanel::viewHasHeatmap(core::StandardView view, viewer::HeatmapKind kind) const {
  const int i = viewIndex(view);
  return i >= 0 && m_scenes[i]->hasHeatmap(kind);
}

void FourViewPanel::setExam(std::shared_ptr<const core::Exam> exam) {
  m_exam = std::move(exam);
  m_heatmaps = {};
  m_display = {};
  rebuild();
}

void FourViewPanel::setLayout(viewer::Layout layout, core::StandardView single) {
  m_layout = layout;
  m_single = single;
  rebuild();
}

void FourViewPanel::rebuild() {
  for (auto& scene : m_scenes) renderWindow()->RemoveRenderer(scene->renderer());
  m_scenes.clear();
  m_images.clear();
  m_activeView = -1;
  m_lastPoint = {};
  m_viewports = viewer::hangingViewports(m_layout, m_single);
  for (const viewer::Viewport& vp : m_viewports) {
    auto scene = std::make_unique<viewer::ViewScene>();
    std::shared_ptr<const core::Image> image;
    if (m_exam && !m_exam->view(vp.view).empty()) {
      // Share the exam's image without copying its pixels.
      image = std::shared_ptr<const core::Image>(m_exam, &m_exam->view(vp.view).front());
      scene->setImage(image, viewer::needsMirror(*image, vp.chestWallOnScreen));
      if (const auto& display = m_display[static_cast<int>(vp.view)]) scene->setDisplay(*display);
      for (int k = 0; k < 2; ++k) {
        scene->setHeatmapStyle(static_cast<viewer::HeatmapKind>(k), m_styles[k]);
        const viewer::Heatmap& h = m_heatmaps[static_cast<int>(vp.view)][k];
        if (h.values && h.rows == image->info.rows && h.columns == image->info.columns) {
          scene->setHeatmap(static_cast<viewer::HeatmapKind>(k), h);
        }
      }
    }
    scene->renderer()->SetViewport(vp.bounds[0], vp.bounds[1], vp.bounds[2], vp.bounds[3]);
    renderWindow()->AddRenderer(scene->renderer());
    m_images.push_back(image);
    m_scenes.push_back(std::move(scene));
  }
  applyViewportSizes(true);
  update();
}

std::array<int, 2> FourViewPanel::viewportSizePx(int view) const {
  const qreal dpr = devicePixelRatioF();
  const auto& b = m_viewports[view].bounds;
  return {static_cast<int>((b[2] - b[0]) * width() * dpr), static_cast<int>((b[3] - b[1]) * height() * dpr)};
}

void FourViewPanel::applyViewportSizes(bool refit) {
  for (int i = 0; i < static_cast<int>(m_scenes.size()); ++i) {
    const auto [w, h] = viewportSizePx(i);
    if (refit) m_scenes[i]->fit(m_viewports[i].chestWallOnScreen, w, h);
    else m_scenes[i]->setViewportSize(w, h);
  }
}

void FourViewPanel::resizeGL(int width, int height) {
  VtkOpenGLWidget::resizeGL(width, height);
  applyViewportSizes(false);  // a resize keeps what the reader zoomed into
}

int FourViewPanel::viewIndex(core::StandardView view) const {
  for (size_t i = 0; i < m_viewports.size(); ++i) {
    if (m_viewports[i].view == view) return static_cast<int>(i);
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
  const bool all = view < 0 || m_syncWindowLevel;
  std::vector<int> out;
  for (int i = 0; i < static_cast<int>(m_scenes.size()); ++i) {
    if (m_images[i] && (all || i == view)) out.push_back(i);
  }
  return out;
}

std::vector<int> FourViewPanel::cameraTargets(int view) const {
  std::vector<int> out;
  for (int i : viewer::syncedViewports(m_viewports, view, m_syncScope)) {
    if (m_images[i]) out.push_back(i);
  }
  return out;
}

void FourViewPanel::followCamera(int view) {
  for (int i : cameraTargets(view)) viewer::followCamera(*m_scenes[view], *m_scenes[i]);
}

void FourViewPanel::changed() {
  update();
  emit viewStateChanged();
}

void FourViewPanel::setDisplay(int view, const core::DisplaySettings& settings) {
  m_scenes[view]->setDisplay(settings);
  m_display[static_cast<int>(m_viewports[view].view)] = settings;
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
  m_display = {};
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

void FourViewPanel::setSyncWindowLevel(bool on) { m_syncWindowLevel = on; }

void FourViewPanel::setSyncScope(viewer::SyncScope scope) { m_syncScope = scope; }

// ---- Mouse

void FourViewPanel::mousePressEvent(QMouseEvent* event) {
  m_lastPoint = viewPointAt(event->position());
  m_activeView = m_lastPoint.view;
  if (!m_interaction->mousePress(event)) VtkOpenGLWidget::mousePressEvent(event);
}

void FourViewPanel::mouseMoveEvent(QMouseEvent* event) {
  const ViewPoint point = viewPointAt(event->position());
  if (m_interaction->mouseMove(event)) return;
  m_lastPoint = point;
  m_activeView = point.view;
  showPixelInfo(point);
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
  }
  VtkOpenGLWidget::leaveEvent(event);
}

void FourViewPanel::showPixelInfo(const ViewPoint& point) {
  if (point.view < 0 || !m_images[point.view]) {
    emit pixelInfoChanged(QString());
    return;
  }
  const QString view = QString::fromStdString(std::string(core::toString(m_viewports[point.view].view)));
  const auto pixel = m_scenes[point.view]->storedPixelAt(point.x, point.y);
  if (!pixel) {
    emit pixelInfoChanged(view);
    return;
  }
  const core::Image& image = *m_images[point.view];
  QString text = QStringLiteral("%1  row %2 col %3  stored %4")
                     .arg(view)
                     .arg((*pixel)[0])
                     .arg((*pixel)[1])
                     .arg(image.at((*pixel)[0], (*pixel)[1]));
  if (image.info.spacing) {
    text += QStringLiteral("  (%1, %2) mm")
                .arg((*pixel)[0] * image.info.spacing->rowMm, 0, 'f', 1)
                .arg((*pixel)[1] * image.info.spacing->columnMm, 0, 'f', 1);
  }
  emit pixelInfoChanged(text);
}

void FourViewPanel::mouseDoubleClickEvent(QMouseEvent* event) {
  const int i = viewPointAt(event->position()).view;
  if (i < 0) return;
  if (m_layout == viewer::Layout::Single) setLayout(viewer::Layout::FourView);
  else setLayout(viewer::Layout::Single, m_viewports[i].view);
}

}  // namespace mammo::ui
