#include "viewer/ViewScene.h"

#include <vtkCamera.h>
#include <vtkImageActor.h>
#include <vtkImageData.h>
#include <vtkImageMapper3D.h>
#include <vtkImageProperty.h>
#include <vtkNew.h>
#include <vtkRenderer.h>

#include <algorithm>
#include <cmath>

namespace mammo::viewer {

struct ViewScene::Impl {
  vtkNew<vtkRenderer> renderer;
  vtkNew<vtkImageActor> actor;
  vtkNew<vtkImageData> data;
  std::shared_ptr<const core::Image> image;
  bool mirror = false;
  core::DisplaySettings display;
  struct Overlay {
    vtkNew<vtkImageActor> actor;
    vtkNew<vtkImageData> data;
    Heatmap heatmap;
    HeatmapStyle style;
  };
  std::array<Overlay, 2> overlays;

  void uploadOverlay(Overlay& o) {
    if (!o.heatmap.values || !image) {
      o.actor->VisibilityOff();
      return;
    }
    const int rows = o.heatmap.rows, cols = o.heatmap.columns;
    const std::vector<std::uint8_t> rgba = colourise(o.heatmap, o.style);
    o.data->SetDimensions(cols, rows, 1);
    o.data->AllocateScalars(VTK_UNSIGNED_CHAR, 4);
    auto* dst = static_cast<std::uint8_t*>(o.data->GetScalarPointer());
    for (int r = 0; r < rows; ++r) {
      const std::uint8_t* src = rgba.data() + static_cast<size_t>(r) * cols * 4;
      std::uint8_t* row = dst + static_cast<size_t>(rows - 1 - r) * cols * 4;
      if (mirror) {
        for (int c = 0; c < cols; ++c) std::copy_n(src + 4 * (cols - 1 - c), 4, row + 4 * c);
      } else {
        std::copy_n(src, static_cast<size_t>(cols) * 4, row);
      }
    }
    o.data->Modified();
    o.actor->SetVisibility(o.style.visible && o.style.opacity > 0);
  }

  void upload() {
    const int rows = image->info.rows, cols = image->info.columns;
    const std::vector<std::uint8_t> shown = core::renderDisplay8(*image, display);
    data->SetDimensions(cols, rows, 1);
    data->AllocateScalars(VTK_UNSIGNED_CHAR, 1);
    auto* dst = static_cast<std::uint8_t*>(data->GetScalarPointer());
    for (int r = 0; r < rows; ++r) {
      const std::uint8_t* src = shown.data() + static_cast<size_t>(r) * cols;
      std::uint8_t* row = dst + static_cast<size_t>(rows - 1 - r) * cols;  // VTK rows run bottom-up
      if (mirror) std::reverse_copy(src, src + cols, row);
      else std::copy(src, src + cols, row);
    }
    data->Modified();
  }
};

ViewScene::ViewScene() : m_impl(std::make_unique<Impl>()) {
  m_impl->renderer->SetBackground(0, 0, 0);
  m_impl->actor->GetMapper()->SetInputData(m_impl->data);
  m_impl->actor->GetProperty()->SetInterpolationTypeToLinear();
  // The picture is already VOI-mapped to 0..255: show it 1:1.
  m_impl->actor->GetProperty()->SetColorWindow(255.0);
  m_impl->actor->GetProperty()->SetColorLevel(127.5);
  m_impl->actor->VisibilityOff();
  m_impl->renderer->AddActor(m_impl->actor);
  m_impl->renderer->GetActiveCamera()->ParallelProjectionOn();
  m_impl->overlays[1].style.colours = ColourMap::Hot;
  m_impl->overlays[0].style.colours = ColourMap::Green;
  for (auto& o : m_impl->overlays) {
    o.actor->GetMapper()->SetInputData(o.data);
    o.actor->GetProperty()->SetInterpolationTypeToLinear();
    o.actor->SetPosition(0, 0, 0.5);  // above the image (parallel camera looks down -z)
    o.actor->VisibilityOff();
    m_impl->renderer->AddActor(o.actor);
  }
}

void ViewScene::setHeatmap(HeatmapKind kind, Heatmap heatmap) {
  auto& o = m_impl->overlays[static_cast<int>(kind)];
  o.heatmap = std::move(heatmap);
  m_impl->uploadOverlay(o);
}

void ViewScene::setHeatmapStyle(HeatmapKind kind, const HeatmapStyle& style) {
  auto& o = m_impl->overlays[static_cast<int>(kind)];
  o.style = style;
  m_impl->uploadOverlay(o);
}

const HeatmapStyle& ViewScene::heatmapStyle(HeatmapKind kind) const {
  return m_impl->overlays[static_cast<int>(kind)].style;
}

bool ViewScene::hasHeatmap(HeatmapKind kind) const {
  return m_impl->overlays[static_cast<int>(kind)].heatmap.values != nullptr;
}

ViewScene::~ViewScene() = default;

vtkRenderer* ViewScene::renderer() const { return m_impl->renderer; }

void ViewScene::setImage(std::shared_ptr<const core::Image> image, bool mirror) {
  m_impl->image = std::move(image);
  m_impl->mirror = mirror;
  if (!m_impl->image || !m_impl->image->info.hasPixels) {
    clear();
    return;
  }
  m_impl->upload();
  m_impl->actor->VisibilityOn();
}

void ViewScene::clear() {
  m_impl->image.reset();
  m_impl->actor->VisibilityOff();
  for (auto& o : m_impl->overlays) {
    o.heatmap = {};
    o.actor->VisibilityOff();
  }
}

bool ViewScene::hasImage() const { return m_impl->image != nullptr; }

void ViewScene::setDisplay(const core::DisplaySettings& settings) {
  m_impl->display = settings;
  if (m_impl->image) m_impl->upload();
}

const core::DisplaySettings& ViewScene::display() const { return m_impl->display; }

void ViewScene::fit(core::ImageEdge anchor, int viewportWidthPx, int viewportHeightPx) {
  if (!m_impl->image || viewportWidthPx <= 0 || viewportHeightPx <= 0) return;
  const double w = m_impl->image->info.columns, h = m_impl->image->info.rows;
  const double scale = std::min(viewportWidthPx / w, viewportHeightPx / h);  // screen px per image px
  const double halfWidthWorld = viewportWidthPx / (2.0 * scale);
  double focalX = (w - 1) / 2.0;
  if (anchor == core::ImageEdge::Right) focalX = (w - 0.5) - halfWidthWorld;
  if (anchor == core::ImageEdge::Left) focalX = -0.5 + halfWidthWorld;
  const double focalY = (h - 1) / 2.0;
  vtkCamera* camera = m_impl->renderer->GetActiveCamera();
  camera->SetFocalPoint(focalX, focalY, 0);
  camera->SetPosition(focalX, focalY, 1000);
  camera->SetViewUp(0, 1, 0);
  camera->SetParallelScale(viewportHeightPx / (2.0 * scale));
  m_impl->renderer->ResetCameraClippingRange();
}

std::optional<std::array<int, 2>> ViewScene::storedPixelAt(double x, double y, int width, int height) const {
  if (!m_impl->image || height <= 0) return std::nullopt;
  vtkCamera* camera = m_impl->renderer->GetActiveCamera();
  double focal[3];
  camera->GetFocalPoint(focal);
  const double worldPerPixel = 2.0 * camera->GetParallelScale() / height;
  const double wx = focal[0] + (x - width / 2.0) * worldPerPixel;
  const double wy = focal[1] + (y - height / 2.0) * worldPerPixel;
  const int cols = m_impl->image->info.columns, rows = m_impl->image->info.rows;
  const int cx = static_cast<int>(std::lround(wx)), ry = static_cast<int>(std::lround(wy));
  if (cx < 0 || cx >= cols || ry < 0 || ry >= rows) return std::nullopt;
  const int col = m_impl->mirror ? cols - 1 - cx : cx;
  return std::array<int, 2>{rows - 1 - ry, col};
}

}  // namespace mammo::viewer
