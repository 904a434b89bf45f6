#include "viewer/Loupe.h"

#include <vtkActor2D.h>
#include <vtkCamera.h>
#include <vtkCellArray.h>
#include <vtkCoordinate.h>
#include <vtkNew.h>
#include <vtkPoints.h>
#include <vtkPolyData.h>
#include <vtkPolyDataMapper2D.h>
#include <vtkProperty2D.h>
#include <vtkRenderWindow.h>
#include <vtkRenderer.h>

#include <algorithm>

#include "viewer/ViewScene.h"

namespace mammo::viewer {

struct Loupe::Impl {
  vtkNew<vtkRenderer> renderer;
  vtkNew<vtkPolyData> frame;
  vtkNew<vtkCoordinate> frameCoordinates;
  vtkNew<vtkPolyDataMapper2D> frameMapper;
  vtkNew<vtkActor2D> frameActor;
};

Loupe::Loupe() : m_impl(std::make_unique<Impl>()) {
  Impl& d = *m_impl;
  d.renderer->SetBackground(0, 0, 0);
  d.renderer->GetActiveCamera()->ParallelProjectionOn();
  d.renderer->InteractiveOff();
  d.renderer->DrawOff();
  // A thin frame just inside the loupe's edge, so it reads as a lens over the image.
  vtkNew<vtkPoints> points;
  const double inset = 0.002;
  for (const auto& p :
       {std::array<double, 2>{inset, inset}, {1 - inset, inset}, {1 - inset, 1 - inset}, {inset, 1 - inset}}) {
    points->InsertNextPoint(p[0], p[1], 0);
  }
  vtkNew<vtkCellArray> lines;
  const vtkIdType ids[5] = {0, 1, 2, 3, 0};
  lines->InsertNextCell(5, ids);
  d.frame->SetPoints(points);
  d.frame->SetLines(lines);
  d.frameCoordinates->SetCoordinateSystemToNormalizedViewport();
  d.frameMapper->SetInputData(d.frame);
  d.frameMapper->SetTransformCoordinate(d.frameCoordinates);
  d.frameActor->SetMapper(d.frameMapper);
  d.frameActor->GetProperty()->SetColor(0.75, 0.75, 0.75);
  d.frameActor->GetProperty()->SetLineWidth(2);
  setLayer(1);
}

Loupe::~Loupe() = default;

vtkRenderer* Loupe::renderer() const { return m_impl->renderer; }

void Loupe::setLayer(int layer) {
  m_impl->renderer->SetLayer(layer);
  // Opaque: it clears its own square before drawing (SetLayer made it transparent).
  m_impl->renderer->PreserveColorBufferOff();
  m_impl->renderer->PreserveDepthBufferOff();
}

void Loupe::setSizePx(int size) { m_size = std::clamp(size, kMinSizePx, kMaxSizePx); }

void Loupe::setMagnification(double magnification) {
  m_magnification = std::clamp(magnification, kMinMagnification, kMaxMagnification);
}

void Loupe::show(const ViewScene& scene, double x, double y) {
  Impl& d = *m_impl;
  vtkRenderWindow* window = scene.renderer()->GetRenderWindow();
  if (!scene.hasImage() || !window) {
    hide();
    return;
  }
  const int* size = window->GetSize();
  const double* vp = scene.renderer()->GetViewport();
  const double cx = vp[0] * size[0] + x, cy = vp[1] * size[1] + y;  // the cursor in window device pixels
  // The square around the cursor, kept inside the window; a clamped square shows what lies under it.
  const double half = m_size / 2.0;
  const double x0 = std::clamp(cx - half, 0.0, std::max(0.0, size[0] - 2 * half));
  const double y0 = std::clamp(cy - half, 0.0, std::max(0.0, size[1] - 2 * half));
  const double x1 = std::min<double>(size[0], x0 + 2 * half), y1 = std::min<double>(size[1], y0 + 2 * half);
  d.renderer->SetViewport(x0 / size[0], y0 / size[1], x1 / size[0], y1 / size[1]);
  m_centre = {(x0 + x1) / 2, (y0 + y1) / 2};

  // World point under the cursor, and world units per loupe device pixel.
  const std::array<double, 2> at = scene.worldAt(x, y);
  const double scale = scene.pixelScale() * m_magnification;
  const double fx = at[0] + (m_centre[0] - cx) / scale, fy = at[1] + (m_centre[1] - cy) / scale;
  vtkCamera* camera = d.renderer->GetActiveCamera();
  camera->SetFocalPoint(fx, fy, 0);
  camera->SetPosition(fx, fy, 1000);
  camera->SetViewUp(0, 1, 0);
  camera->SetParallelScale((y1 - y0) / (2.0 * scale));

  d.renderer->RemoveAllViewProps();
  for (vtkProp* prop : scene.loupeProps()) d.renderer->AddViewProp(prop);
  d.renderer->AddViewProp(d.frameActor);
  d.renderer->ResetCameraClippingRange();
  d.renderer->DrawOn();
  m_visible = true;
}

void Loupe::hide() {
  m_impl->renderer->DrawOff();
  m_impl->renderer->RemoveAllViewProps();
  m_visible = false;
}

}  // namespace mammo::viewer
