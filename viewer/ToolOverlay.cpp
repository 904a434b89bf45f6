#include "viewer/ToolOverlay.h"

#include <vtkActor.h>
#include <vtkCellArray.h>
#include <vtkNew.h>
#include <vtkPoints.h>
#include <vtkPolyData.h>
#include <vtkPolyDataMapper.h>
#include <vtkProperty.h>
#include <vtkRenderer.h>
#include <vtkSmartPointer.h>

#include <cmath>
#include <numbers>

namespace mammo::viewer {

namespace {
constexpr double kZ = 0.9;  // above images, heatmaps and label layers
constexpr int kCircleSegments = 72;

struct Line {
  vtkNew<vtkPolyData> data;
  vtkNew<vtkPolyDataMapper> mapper;
  vtkNew<vtkActor> actor;
  Line() {
    mapper->SetInputData(data);
    actor->SetMapper(mapper);
    actor->GetProperty()->SetLineWidth(1.5);
    actor->GetProperty()->LightingOff();
    actor->VisibilityOff();
  }
};
}  // namespace

struct ToolOverlay::Impl {
  vtkSmartPointer<vtkRenderer> renderer;
  ViewTransform transform;
  Line circle;
  Line path;

  std::array<double, 2> world(annotation::PixelPoint p) const { return transform.worldOf(p.row, p.col); }
  void setLine(Line& line, const std::vector<std::array<double, 2>>& pts, bool closed) {
    vtkNew<vtkPoints> points;
    for (const auto& p : pts) points->InsertNextPoint(p[0], p[1], kZ);
    vtkNew<vtkCellArray> cells;
    const auto n = static_cast<vtkIdType>(pts.size());
    cells->InsertNextCell(n + (closed ? 1 : 0));
    for (vtkIdType i = 0; i < n; ++i) cells->InsertCellPoint(i);
    if (closed) cells->InsertCellPoint(0);
    line.data->SetPoints(points);
    line.data->SetLines(cells);
    line.data->Modified();
    line.actor->SetVisibility(pts.size() >= 2);
  }
};

ToolOverlay::ToolOverlay() : m_impl(std::make_unique<Impl>()) { setColour({1.0, 1.0, 0.2}); }

ToolOverlay::~ToolOverlay() { detach(); }

void ToolOverlay::attach(vtkRenderer* renderer, const ViewTransform& transform) {
  const ViewTransform& t = m_impl->transform;
  if (m_impl->renderer == renderer && t.rows() == transform.rows() && t.columns() == transform.columns() &&
      t.mirrored() == transform.mirrored())
    return;
  detach();
  Impl& d = *m_impl;
  d.renderer = renderer;
  d.transform = transform;
  renderer->AddActor(d.circle.actor);
  renderer->AddActor(d.path.actor);
}

void ToolOverlay::detach() {
  Impl& d = *m_impl;
  if (d.renderer) {
    d.renderer->RemoveActor(d.circle.actor);
    d.renderer->RemoveActor(d.path.actor);
  }
  d.renderer = nullptr;
  d.circle.actor->VisibilityOff();
  d.path.actor->VisibilityOff();
}

vtkRenderer* ToolOverlay::renderer() const { return m_impl->renderer; }

void ToolOverlay::setColour(const std::array<double, 3>& rgb) {
  m_impl->circle.actor->GetProperty()->SetColor(rgb[0], rgb[1], rgb[2]);
  m_impl->path.actor->GetProperty()->SetColor(rgb[0], rgb[1], rgb[2]);
}

void ToolOverlay::showCircle(annotation::PixelPoint centre, double radius) {
  std::vector<std::array<double, 2>> pts;
  const auto c = m_impl->world(centre);
  for (int i = 0; i < kCircleSegments; ++i) {
    const double a = 2 * std::numbers::pi * i / kCircleSegments;
    pts.push_back({c[0] + radius * std::cos(a), c[1] + radius * std::sin(a)});
  }
  m_impl->setLine(m_impl->circle, pts, true);
}

void ToolOverlay::hideCircle() { m_impl->circle.actor->VisibilityOff(); }

bool ToolOverlay::circleVisible() const { return m_impl->circle.actor->GetVisibility() != 0; }

void ToolOverlay::setPath(const std::vector<annotation::PixelPoint>& points) {
  std::vector<std::array<double, 2>> pts;
  pts.reserve(points.size());
  for (const auto& p : points) pts.push_back(m_impl->world(p));
  m_impl->setLine(m_impl->path, pts, false);
}

}  // namespace mammo::viewer
