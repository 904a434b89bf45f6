#include "ui/AnnotationGestures.h"

#include <QCursor>
#include <QEvent>
#include <QKeyEvent>
#include <QLineF>
#include <QMouseEvent>

#include <algorithm>
#include <cmath>

#include "annotation/Brush.h"
#include "annotation/FloodFill.h"
#include "annotation/HeatmapSeed.h"
#include "annotation/PolygonFill.h"
#include "ui/FourViewPanel.h"
#include "viewer/ToolOverlay.h"
#include "viewer/ViewScene.h"
#include "workstation/AnnotationSession.h"

namespace mammo::ui {

using annotation::PixelPoint;
using annotation::PixelRect;

namespace {
constexpr double kCloseDistance = 8;  // widget pixels from the first vertex: a click there fills the polygon
constexpr double kClickTravel = 4;  // widget pixels: a press and release closer than this is a click
}  // namespace

struct AnnotationGestures::Gesture {
  QPointF pressed;  // widget point of the press
  double travelled = 0;  // widget pixels moved since
  int viewport = -1;
  core::StandardView view = core::StandardView::LCC;
  AnnotationTool tool = AnnotationTool::Brush;
  std::uint8_t label = 0;
  double radius = 1;
  std::optional<std::uint16_t> reference;  // smart brush: the value under the first point
  std::vector<PixelPoint> points;
  core::LabelMap before;  // brushes: the map as it was when the stroke began
  PixelRect dirty;  // brushes: what the preview changed
};

AnnotationGestures::AnnotationGestures(FourViewPanel* panel, Host host)
    : m_panel(panel), m_host(std::move(host)), m_overlay(std::make_unique<viewer::ToolOverlay>()) {}

AnnotationGestures::~AnnotationGestures() { m_overlay->detach(); }

bool AnnotationGestures::handle(QEvent* event) {
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
    case QEvent::KeyPress:
      return m_polygon && key(static_cast<QKeyEvent*>(event)->key());
    case QEvent::Leave:
      if (!m_gesture) hideCursor();
      return false;
    default:
      return false;
  }
}

bool AnnotationGestures::key(int key) {
  if (key == Qt::Key_Return || key == Qt::Key_Enter) {
    closePolygon();
    return true;
  }
  if (key == Qt::Key_Escape) {
    abort();
    m_panel->update();
    return true;
  }
  if (key == Qt::Key_Backspace) {  // takes back the last vertex
    m_polygon->vertices.pop_back();
    if (m_polygon->vertices.empty()) abort();
    showPolygon(std::nullopt);
    m_panel->update();
    return true;
  }
  return false;
}

void AnnotationGestures::abort() {
  std::unique_ptr<Gesture> g = std::move(m_gesture);
  m_polygon.reset();
  m_overlay->setPath({});
  if (!g || !session() || g->dirty.empty()) return;
  // A stroke cut short (mode, tool or scenes changed under the button) leaves no half-painted preview.
  core::LabelMap* map = session()->previewMap(g->view);
  if (!map || map->rows != g->before.rows || map->columns != g->before.columns) return;
  const PixelRect r = g->dirty.clippedTo(map->rows, map->columns);
  for (int row = r.row0; row < r.row1; ++row) {
    const size_t offset = static_cast<size_t>(row) * map->columns + r.col0;
    std::copy_n(g->before.labels.begin() + static_cast<std::ptrdiff_t>(offset), r.columns(),
                map->labels.begin() + static_cast<std::ptrdiff_t>(offset));
  }
  m_host.refresh(g->view, &r);
}

void AnnotationGestures::detach() { m_overlay->detach(); }

void AnnotationGestures::clearPath() { m_overlay->setPath({}); }

void AnnotationGestures::setPolygonLabel(std::uint8_t label) {
  if (m_polygon) m_polygon->label = label;
}

std::optional<PixelPoint> AnnotationGestures::imagePoint(int view, QPointF p) const {
  if (view < 0 || view >= static_cast<int>(m_panel->viewports().size())) return std::nullopt;
  const viewer::ViewScene& scene = m_panel->scene(view);
  if (!scene.image()) return std::nullopt;
  // The panel's viewport frame (device pixels, y up), also outside the viewport while a stroke goes on.
  const auto& b = m_panel->viewports()[view].bounds;
  const double w = m_panel->width(), h = m_panel->height(), dpr = m_panel->devicePixelRatioF();
  const std::array<double, 2> stored =
      scene.transform().viewportToStored((p.x() - b[0] * w) * dpr, (h - p.y() - b[1] * h) * dpr);
  return PixelPoint{stored[0], stored[1]};
}

bool AnnotationGestures::press(QPointF point) {
  const FourViewPanel::ViewPoint vp = m_panel->viewPointAt(point);
  if (vp.view < 0) return true;
  if (m_panel->viewports()[vp.view].prior) {
    m_host.message(QObject::tr("A prior study is shown for comparison only; paint on the current study."));
    return true;
  }
  if (!session()) {
    m_host.message(QObject::tr("The masks of this exam are still being read."));
    return true;
  }
  const core::StandardView view = m_panel->viewports()[vp.view].view;
  core::LabelMap* map = session()->previewMap(view);
  const std::optional<PixelPoint> p = imagePoint(vp.view, point);
  if (!map || !p) return true;
  if (m_polygon) {
    if (vp.view != m_polygon->viewport) return true;  // one view at a time; Esc drops it
    if (m_polygon->vertices.size() >= 3 && QLineF(point, m_polygon->first).length() <= kCloseDistance) {
      closePolygon();
      return true;
    }
    m_polygon->vertices.push_back(*p);
    showPolygon(std::nullopt);
    return true;
  }
  const ToolState& tool = state();
  if (tool.tool == AnnotationTool::FloodFill || tool.tool == AnnotationTool::SeedFromAi) {
    applyClick(vp.view, *p);
    return true;
  }
  m_gesture = std::make_unique<Gesture>();
  Gesture& g = *m_gesture;
  g.pressed = point;
  g.viewport = vp.view;
  g.view = view;
  g.tool = tool.tool;
  g.label = tool.tool == AnnotationTool::Eraser ? 0 : tool.label;
  g.radius = tool.radius;
  g.points.push_back(*p);
  if (tool.tool == AnnotationTool::Polygon) {
    m_overlay->attach(m_panel->scene(vp.view).renderer(), m_panel->scene(vp.view).transform());
    m_overlay->setPath(g.points);
    m_panel->update();
    return true;
  }
  g.before = *map;
  if (tool.tool == AnnotationTool::SmartBrush) {
    const annotation::SmartBrushStroke first(*session()->image(view), g.points, g.radius, g.label, tool.tolerance);
    g.reference = first.referenceValue();
  }
  move(point);  // paints the first dab
  return true;
}

void AnnotationGestures::move(QPointF point) {
  Gesture& g = *m_gesture;
  g.travelled = std::max(g.travelled, QLineF(point, g.pressed).length());
  const std::optional<PixelPoint> p = imagePoint(g.viewport, point);
  if (!p || !session()) return;
  if (g.tool == AnnotationTool::Polygon) {
    const PixelPoint& last = g.points.back();
    if (std::hypot(p->row - last.row, p->col - last.col) < 0.5) return;
    g.points.push_back(*p);
    m_overlay->setPath(g.points);
    m_panel->update();
    return;
  }
  // The segment from the previous event to this one, painted straight into the map as a preview.
  core::LabelMap* map = session()->previewMap(g.view);
  const std::vector<PixelPoint> segment{g.points.back(), *p};
  PixelRect changed;
  if (g.tool == AnnotationTool::SmartBrush) {
    annotation::SmartBrushStroke op(*session()->image(g.view), segment, g.radius, g.label, state().tolerance);
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
  m_host.refresh(g.view, &changed);
  showCursor(g.viewport, *p);
}

void AnnotationGestures::release(QPointF point) {
  move(point);
  std::unique_ptr<Gesture> g = std::move(m_gesture);
  if (!session()) return;
  if (g->tool != AnnotationTool::Polygon) {
    releaseStroke(std::move(g));
    return;
  }
  if (g->travelled < kClickTravel) {  // a click starts a click polygon
    m_polygon = ClickPolygon{g->viewport, g->view, g->label, {g->points.front()}, g->pressed};
    showPolygon(std::nullopt);
    return;
  }
  m_overlay->setPath({});
  m_panel->update();
  if (g->points.size() >= 3) fill(g->view, g->points, g->label);
}

void AnnotationGestures::releaseStroke(std::unique_ptr<Gesture> g) {
  std::size_t changed = 0;
  if (g->tool == AnnotationTool::SmartBrush) {
    annotation::SmartBrushStroke op(*session()->image(g->view), g->points, g->radius, g->label, state().tolerance);
    op.setReferenceValue(*g->reference);
    changed = session()->commitPreview(g->view, g->before, g->dirty, op);
  } else {
    changed =
        session()->commitPreview(g->view, g->before, g->dirty, annotation::BrushStroke(g->points, g->radius, g->label));
  }
  m_host.refresh(g->view, &g->dirty);
  if (changed > 0) m_host.edited(g->view);
}

void AnnotationGestures::fill(core::StandardView view, const std::vector<PixelPoint>& vertices, std::uint8_t label) {
  const annotation::PolygonFill op(vertices, label);
  const PixelRect bounds = op.bounds(*session()->map(view));
  if (session()->apply(view, op) > 0) {
    m_host.refresh(view, &bounds);
    m_host.edited(view);
  }
}

void AnnotationGestures::applyClick(int viewport, PixelPoint p) {
  const core::StandardView view = m_panel->viewports()[viewport].view;
  const core::Image& image = *session()->image(view);
  const ToolState& tool = state();
  const int row = static_cast<int>(std::lround(p.row)), col = static_cast<int>(std::lround(p.col));
  if (row < 0 || col < 0 || row >= image.info.rows || col >= image.info.columns) return;
  std::size_t changed = 0;
  if (tool.tool == AnnotationTool::FloodFill) {
    const int v = image.at(row, col);
    const auto low = static_cast<std::uint16_t>(std::max(0, v - tool.tolerance));
    const auto high = static_cast<std::uint16_t>(std::min(65535, v + tool.tolerance));
    changed = session()->apply(view, annotation::FloodFill(image, row, col, low, high, tool.label));
  } else {
    // The heatmap of the class's pathology (a malignant mass seeds from the malignant heatmap).
    const annotation::MaskClass* c = m_host.classes().find(tool.label);
    const core::HeatmapKind kind =
        c && c->pathology == annotation::Pathology::Benign ? core::HeatmapKind::Benign : core::HeatmapKind::Malignant;
    const core::FloatRaster& h = m_panel->viewHeatmap(view, kind);
    if (!h.covers(image.info.rows, image.info.columns)) {
      m_host.message(QObject::tr("No %1 heatmap is loaded for %2: run the AI or load heatmaps first.")
                         .arg(tool.label == 2 ? QObject::tr("malignant") : QObject::tr("benign"),
                              QString::fromStdString(std::string(core::toString(view)))));
      return;
    }
    changed = session()->apply(view, annotation::HeatmapSeed(h, static_cast<float>(tool.seedThreshold), tool.label));
    if (changed == 0) m_host.message(QObject::tr("No heatmap value reaches %1 in this view.").arg(tool.seedThreshold));
  }
  if (changed > 0) {
    m_host.refresh(view, nullptr);
    m_host.edited(view);
  }
}

void AnnotationGestures::closePolygon() {
  std::optional<ClickPolygon> polygon = std::move(m_polygon);
  m_polygon.reset();
  m_overlay->setPath({});
  m_panel->update();
  if (!polygon || !session() || polygon->vertices.size() < 3) return;
  fill(polygon->view, polygon->vertices, polygon->label);
}

void AnnotationGestures::showPolygon(std::optional<PixelPoint> cursor) {
  if (!m_polygon) return;
  const viewer::ViewScene& scene = m_panel->scene(m_polygon->viewport);
  if (!scene.image()) return;
  m_overlay->attach(scene.renderer(), scene.transform());
  std::vector<PixelPoint> path = m_polygon->vertices;
  if (cursor) path.push_back(*cursor);  // the rubber band to the cursor
  m_overlay->setPath(path);
  m_panel->update();
}

void AnnotationGestures::hover(QPointF point) {
  if (m_polygon) {
    const FourViewPanel::ViewPoint vp = m_panel->viewPointAt(point);
    if (vp.view == m_polygon->viewport) showPolygon(imagePoint(vp.view, point));
    return;
  }
  if (!usesBrushCursor() || !session()) {
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

void AnnotationGestures::refreshCursor() {
  if (m_overlay->circleVisible()) hover(m_panel->mapFromGlobal(QCursor::pos()));
}

void AnnotationGestures::showCursor(int viewport, PixelPoint p) {
  if (!usesBrushCursor()) return;
  const viewer::ViewScene& scene = m_panel->scene(viewport);
  if (!scene.image()) return;
  m_overlay->attach(scene.renderer(), scene.transform());
  std::array<double, 3> rgb{1, 1, 1};  // the eraser
  if (state().tool != AnnotationTool::Eraser) {
    if (const annotation::MaskClass* c = m_host.classes().find(state().label)) {
      rgb = {c->rgb[0] / 255.0, c->rgb[1] / 255.0, c->rgb[2] / 255.0};
    }
  }
  m_overlay->setColour(rgb);
  m_overlay->showCircle(p, state().radius);
  m_panel->update();
}

void AnnotationGestures::hideCursor() {
  if (!m_overlay->circleVisible()) return;
  m_overlay->hideCircle();
  m_panel->update();
}

bool AnnotationGestures::usesBrushCursor() const {
  const AnnotationTool t = state().tool;
  return t == AnnotationTool::Brush || t == AnnotationTool::Eraser || t == AnnotationTool::SmartBrush;
}

}  // namespace mammo::ui
