#include "viewer/ViewScene.h"

#include <vtkActor.h>
#include <vtkCamera.h>
#include <vtkCellArray.h>
#include <vtkPoints.h>
#include <vtkPolyData.h>
#include <vtkFlyingEdges2D.h>
#include <vtkFloatArray.h>
#include <vtkPointData.h>
#include <vtkPolyDataMapper.h>
#include <vtkProperty.h>
#include <vtkImageActor.h>
#include <vtkImageData.h>
#include <vtkImageMapper3D.h>
#include <vtkImageProperty.h>
#include <vtkNew.h>
#include <vtkRenderer.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "viewer/ImageLayer.h"
#include "viewer/ViewAnnotation.h"
#include "viewer/VoiTable.h"

namespace mammo::viewer {

namespace {

// Beyond these the picture is either a dot or a few pixels: nothing a reader needs, and the camera maths
// stays well conditioned.
constexpr double kMinZoom = 0.1;
constexpr double kMaxPixelScale = 64.0;

std::string formatNumber(double v) {
  char buf[32];
  if (std::abs(v - std::round(v)) < 1e-6)
    std::snprintf(buf, sizeof buf, "%.0f", v);
  else
    std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

}  // namespace

struct ViewScene::Impl {
  vtkNew<vtkRenderer> renderer;
  ImageLayer layer;
  PixelStats stats;
  std::vector<std::uint8_t> table = std::vector<std::uint8_t>(kVoiTableSize, 0);
  ViewAnnotation annotation;
  bool annotationVisible = true;
  struct Overlay {
    vtkNew<vtkImageActor> actor;
    vtkNew<vtkImageData> data;
    // Contour mode: the values as VTK image data (world grid), iso-lines at the threshold.
    vtkNew<vtkImageData> values;
    const std::vector<float>* valuesUploaded = nullptr;
    bool valuesMirrored = false;
    vtkNew<vtkFlyingEdges2D> contour;
    vtkNew<vtkPolyDataMapper> contourMapper;
    vtkNew<vtkActor> contourActor;
    Heatmap heatmap;
    HeatmapStyle style;
  };
  std::array<Overlay, 2> overlays;
  std::unique_ptr<MeasurementLayer> measurements;
  // The linked cursor: a cross where the cursor in the partner view points to (world coordinates).
  vtkNew<vtkPolyData> cursorLines;
  vtkNew<vtkPolyDataMapper> cursorMapper;
  vtkNew<vtkActor> cursorActor;

  void uploadOverlay(Overlay& o, const core::Image* image, const ViewTransform& transform) {
    if (o.heatmap.empty() || !image) {
      o.actor->VisibilityOff();
      o.contourActor->VisibilityOff();
      return;
    }
    if (o.style.contours) {
      o.actor->VisibilityOff();
      uploadContours(o, transform);
      return;
    }
    o.contourActor->VisibilityOff();
    const int rows = o.heatmap.rows(), cols = o.heatmap.columns();
    const std::vector<std::uint8_t> rgba = colourise(o.heatmap, o.style);
    o.data->SetDimensions(cols, rows, 1);
    o.data->AllocateScalars(VTK_UNSIGNED_CHAR, 4);
    auto* dst = static_cast<std::uint8_t*>(o.data->GetScalarPointer());
    for (int r = 0; r < rows; ++r) {
      const std::uint8_t* src = rgba.data() + static_cast<size_t>(r) * cols * 4;
      transform.copyRowToWorld(src, dst + static_cast<size_t>(rows - 1 - r) * cols * 4, cols, 4);
    }
    o.data->Modified();
    o.actor->SetVisibility(o.style.visible && o.style.opacity > 0);
  }

  static void uploadContours(Overlay& o, const ViewTransform& transform) {
    const int rows = o.heatmap.rows(), cols = o.heatmap.columns();
    // Point (i, j) of the image data sits at world (i, j): the world grid of the image's pixel centres.
    if (o.valuesUploaded != o.heatmap.storage().get() || o.valuesMirrored != transform.mirrored()) {
      o.values->SetDimensions(cols, rows, 1);
      o.values->AllocateScalars(VTK_FLOAT, 1);
      auto* dst = static_cast<float*>(o.values->GetScalarPointer());
      const float* src = o.heatmap.data();
      for (int r = 0; r < rows; ++r) {
        transform.copyRowToWorld(src + static_cast<size_t>(r) * cols, dst + static_cast<size_t>(rows - 1 - r) * cols,
                                 cols);
      }
      o.values->Modified();
      o.valuesUploaded = o.heatmap.storage().get();
      o.valuesMirrored = transform.mirrored();
    }
    o.contour->SetValue(0, o.style.threshold);
    const auto c = contourColour(o.style);
    o.contourActor->GetProperty()->SetColor(c[0] / 255.0, c[1] / 255.0, c[2] / 255.0);
    o.contourActor->SetVisibility(o.style.visible && o.style.opacity > 0);
  }
};

ViewScene::ViewScene() : m_impl(std::make_unique<Impl>()) {
  Impl& d = *m_impl;
  d.renderer->SetBackground(0, 0, 0);
  d.renderer->AddActor(d.layer.actor());
  d.renderer->GetActiveCamera()->ParallelProjectionOn();
  d.overlays[static_cast<int>(HeatmapKind::Malignant)].style.colours = ColourMap::Hot;
  d.overlays[static_cast<int>(HeatmapKind::Benign)].style.colours = ColourMap::Green;
  for (auto& o : d.overlays) {
    o.contour->SetInputData(o.values);
    o.contour->ComputeScalarsOff();
    o.contourMapper->SetInputConnection(o.contour->GetOutputPort());
    o.contourMapper->ScalarVisibilityOff();
    o.contourActor->SetMapper(o.contourMapper);
    o.contourActor->GetProperty()->SetLineWidth(2);
    o.contourActor->GetProperty()->LightingOff();
    o.contourActor->SetPosition(0, 0, 0.6);
    o.contourActor->VisibilityOff();
    d.renderer->AddActor(o.contourActor);
    o.actor->GetMapper()->SetInputData(o.data);
    o.actor->GetProperty()->SetInterpolationTypeToLinear();
    o.actor->SetPosition(0, 0, 0.5);  // above the image (parallel camera looks down -z)
    o.actor->VisibilityOff();
    d.renderer->AddActor(o.actor);
  }
  d.measurements = std::make_unique<MeasurementLayer>(d.renderer);
  d.cursorMapper->SetInputData(d.cursorLines);
  d.cursorActor->SetMapper(d.cursorMapper);
  d.cursorActor->GetProperty()->SetColor(0.2, 0.9, 1.0);
  d.cursorActor->GetProperty()->SetLineWidth(2);
  d.cursorActor->GetProperty()->LightingOff();
  d.cursorActor->VisibilityOff();
  d.renderer->AddActor(d.cursorActor);
  d.annotation.addTo(d.renderer);
  d.annotation.setVisible(false);
}

ViewScene::~ViewScene() = default;

vtkRenderer* ViewScene::renderer() const { return m_impl->renderer; }

const ViewAnnotation& ViewScene::annotation() const { return m_impl->annotation; }

void ViewScene::setAnnotationVisible(bool visible) {
  m_impl->annotationVisible = visible;
  m_impl->annotation.setVisible(visible && m_image != nullptr);
}

void ViewScene::setImage(std::shared_ptr<const core::Image> image, bool mirror) {
  m_image = std::move(image);
  m_mirror = mirror;
  if (!m_image || !m_image->info.hasPixels ||
      m_image->pixels.size() != static_cast<size_t>(m_image->info.rows) * m_image->info.columns) {
    clear();
    return;
  }
  m_transform = ViewTransform(m_image->info.rows, m_image->info.columns, mirror);
  m_impl->layer.setImage(*m_image, m_transform);
  m_impl->stats = analysePixels(*m_image);
  const auto markers = verticalMarkers(m_image->info);
  m_impl->annotation.setVerticalMarkers(markers[0], markers[1]);
  m_impl->measurements->update(m_measurements, m_image->info, m_transform);
  applyDisplay();
  m_impl->annotation.setVisible(m_impl->annotationVisible);
  applyCamera();
}

void ViewScene::clear() {
  m_image.reset();
  m_transform = ViewTransform();
  m_impl->layer.clear();
  m_impl->annotation.setVisible(false);
  for (auto& o : m_impl->overlays) {
    o.heatmap = {};
    o.actor->VisibilityOff();
    o.contourActor->VisibilityOff();
  }
  m_measurements.clear();
  m_impl->measurements->clear();
  setCursorMark(std::nullopt);
}

// ---- Linked cursor

void ViewScene::setCursorMark(const std::optional<std::array<double, 2>>& storedPoint) {
  m_cursorMark = m_image ? storedPoint : std::nullopt;
  Impl& d = *m_impl;
  if (!m_cursorMark) {
    d.cursorActor->VisibilityOff();
    return;
  }
  const auto c = m_transform.worldOf((*m_cursorMark)[0], (*m_cursorMark)[1]);
  const double arm = std::max(m_image->info.rows, m_image->info.columns) / 60.0, gap = arm / 4;
  vtkNew<vtkPoints> points;
  vtkNew<vtkCellArray> cells;
  const double ends[4][4] = {{-arm, 0, -gap, 0}, {gap, 0, arm, 0}, {0, -arm, 0, -gap}, {0, gap, 0, arm}};
  for (const auto& e : ends) {
    const vtkIdType ids[2] = {points->InsertNextPoint(c[0] + e[0], c[1] + e[1], 0.7),
                              points->InsertNextPoint(c[0] + e[2], c[1] + e[3], 0.7)};
    cells->InsertNextCell(2, ids);
  }
  d.cursorLines->SetPoints(points);
  d.cursorLines->SetLines(cells);
  d.cursorLines->Modified();
  d.cursorActor->VisibilityOn();
}

void ViewScene::setCaption(std::string caption) {
  m_caption = std::move(caption);
  updateText();
}

bool ViewScene::hasImage() const { return m_image != nullptr; }

// ---- Display

void ViewScene::setDisplay(const core::DisplaySettings& settings) {
  m_display = settings;
  applyDisplay();
}

void ViewScene::setVoiWindow(const core::VoiWindow& window) {
  m_display.window = window;
  m_display.window->width = std::max(1.0, window.width);
  applyDisplay();
}

core::VoiWindow ViewScene::voiWindow() const {
  if (!m_image) return {};
  return core::effectiveWindow(m_image->info, m_display);
}

void ViewScene::setInverted(bool inverted) {
  m_display.invert = inverted;
  applyDisplay();
}

int ViewScene::displayedGrey(std::uint16_t stored) const {
  if (!m_image) return 0;
  return m_impl->table[textureValue(m_image->info, stored)];
}

void ViewScene::applyDisplay() {
  if (!m_image) return;
  m_impl->table = buildVoiTable(m_image->info, m_impl->stats, m_display);
  m_impl->layer.setTable(m_impl->table);
  updateText();
}

// ---- Overlays

void ViewScene::setHeatmap(HeatmapKind kind, Heatmap heatmap) {
  auto& o = m_impl->overlays[static_cast<int>(kind)];
  o.heatmap = std::move(heatmap);
  m_impl->uploadOverlay(o, m_image.get(), m_transform);
}

void ViewScene::setHeatmapStyle(HeatmapKind kind, const HeatmapStyle& style) {
  auto& o = m_impl->overlays[static_cast<int>(kind)];
  o.style = style;
  m_impl->uploadOverlay(o, m_image.get(), m_transform);
}

const HeatmapStyle& ViewScene::heatmapStyle(HeatmapKind kind) const {
  return m_impl->overlays[static_cast<int>(kind)].style;
}

bool ViewScene::hasHeatmap(HeatmapKind kind) const { return !m_impl->overlays[static_cast<int>(kind)].heatmap.empty(); }

std::optional<float> ViewScene::heatmapValue(HeatmapKind kind, int row, int col) const {
  const Heatmap& h = m_impl->overlays[static_cast<int>(kind)].heatmap;
  if (h.empty() || row < 0 || col < 0 || row >= h.rows() || col >= h.columns()) return std::nullopt;
  return h.at(row, col);
}

// ---- Measurements

void ViewScene::setMeasurements(std::vector<Measurement> measurements) {
  m_measurements = std::move(measurements);
  if (m_image) m_impl->measurements->update(m_measurements, m_image->info, m_transform);
}

std::vector<std::string> ViewScene::measurementLabels() const { return m_impl->measurements->labels(); }

std::vector<vtkProp*> ViewScene::loupeProps() const {
  std::vector<vtkProp*> props{m_impl->layer.actor()};
  for (const auto& o : m_impl->overlays) {
    props.push_back(o.actor);
    props.push_back(o.contourActor);
  }
  for (vtkProp* p : m_impl->measurements->props()) props.push_back(p);
  return props;
}

// ---- Camera

void ViewScene::fit(core::ImageEdge anchor, int viewportWidthPx, int viewportHeightPx) {
  m_anchor = anchor;
  m_viewWidth = viewportWidthPx;
  m_viewHeight = viewportHeightPx;
  m_impl->annotation.setChestWall(anchor);
  fit();
}

void ViewScene::fit() {
  m_zoom = 1.0;
  m_pan = {0, 0};
  applyCamera();
}

void ViewScene::setViewportSize(int viewportWidthPx, int viewportHeightPx) {
  m_viewWidth = viewportWidthPx;
  m_viewHeight = viewportHeightPx;
  applyCamera();
}

void ViewScene::setFitScale(std::optional<double> scale) {
  m_fitOverride = scale && *scale > 0 ? scale : std::nullopt;
  applyCamera();
}

double ViewScene::fitScale() const {
  if (m_fitOverride) return *m_fitOverride;
  if (!m_image || m_viewWidth <= 0 || m_viewHeight <= 0) return 1.0;
  return std::min(m_viewWidth / static_cast<double>(m_image->info.columns),
                  m_viewHeight / static_cast<double>(m_image->info.rows));
}

double ViewScene::pixelScale() const { return fitScale() * m_zoom; }

std::array<double, 2> ViewScene::fittedCentre() const {
  if (!m_image) return {0, 0};
  const double w = m_image->info.columns, h = m_image->info.rows;
  const double halfWidthWorld = m_viewWidth / (2.0 * fitScale());
  double x = (w - 1) / 2.0;
  if (m_anchor == core::ImageEdge::Right) x = (w - 0.5) - halfWidthWorld;
  if (m_anchor == core::ImageEdge::Left) x = -0.5 + halfWidthWorld;
  return {x, (h - 1) / 2.0};
}

void ViewScene::applyCamera() {
  const std::array<double, 2> c = fittedCentre();
  m_transform.setCamera(c, m_pan, pixelScale(), m_viewWidth, m_viewHeight);
  if (!m_image || m_viewWidth <= 0 || m_viewHeight <= 0) return;
  const double fx = c[0] + m_pan[0], fy = c[1] + m_pan[1];
  vtkCamera* camera = m_impl->renderer->GetActiveCamera();
  camera->SetFocalPoint(fx, fy, 0);
  camera->SetPosition(fx, fy, 1000);
  camera->SetViewUp(0, 1, 0);
  camera->SetParallelScale(m_viewHeight / (2.0 * pixelScale()));
  m_impl->renderer->ResetCameraClippingRange();
  updateText();
}

void ViewScene::setZoom(double zoom) { zoomAt(zoom / m_zoom, m_viewWidth / 2.0, m_viewHeight / 2.0); }

void ViewScene::zoomAt(double factor, double x, double y) {
  if (!m_image || !(factor > 0)) return;
  setPixelScaleAt(pixelScale() * factor, x, y);
}

void ViewScene::setPixelScaleAt(double scale, double x, double y) {
  if (!m_image || !(scale > 0)) return;
  const std::array<double, 2> p = worldAt(x, y);
  const double s0 = fitScale();
  m_zoom = std::clamp(scale / s0, kMinZoom, std::max(kMinZoom, kMaxPixelScale / s0));
  const double s = pixelScale();
  const std::array<double, 2> c = fittedCentre();
  // Keep p under (x, y): the new viewport centre is p minus the cursor's offset from the centre.
  m_pan = {p[0] - (x - m_viewWidth / 2.0) / s - c[0], p[1] - (y - m_viewHeight / 2.0) / s - c[1]};
  applyCamera();
}

void ViewScene::setPan(const std::array<double, 2>& pan) {
  m_pan = pan;
  applyCamera();
}

void ViewScene::panByPixels(double dx, double dy) {
  const double s = pixelScale();
  setPan({m_pan[0] - dx / s, m_pan[1] - dy / s});
}

std::array<double, 2> ViewScene::worldAt(double x, double y) const { return m_transform.worldAt(x, y); }

std::optional<std::array<double, 2>> ViewScene::storedPointAt(double x, double y) const {
  if (!m_image) return std::nullopt;
  const std::array<double, 2> w = m_transform.worldAt(x, y);
  if (!m_transform.onImage(w)) return std::nullopt;
  return m_transform.storedOf(w[0], w[1]);
}

std::array<double, 2> ViewScene::viewportPointOf(double row, double col) const {
  if (!m_image) return {0, 0};
  return m_transform.storedToViewport(row, col);
}

std::optional<std::array<int, 2>> ViewScene::storedPixelAt(double x, double y) const {
  return storedPixelAt(x, y, m_viewWidth, m_viewHeight);
}

std::optional<std::array<int, 2>> ViewScene::storedPixelAt(double x, double y, int width, int height) const {
  if (!m_image || height <= 0) return std::nullopt;
  vtkCamera* camera = m_impl->renderer->GetActiveCamera();
  double focal[3];
  camera->GetFocalPoint(focal);
  const double worldPerPixel = 2.0 * camera->GetParallelScale() / height;
  const double wx = focal[0] + (x - width / 2.0) * worldPerPixel;
  const double wy = focal[1] + (y - height / 2.0) * worldPerPixel;
  const int cx = static_cast<int>(std::lround(wx)), ry = static_cast<int>(std::lround(wy));
  if (cx < 0 || cx >= m_transform.columns() || ry < 0 || ry >= m_transform.rows()) return std::nullopt;
  return std::array<int, 2>{m_transform.storedRow(ry), m_transform.storedColumn(cx)};
}

// ---- Text

void ViewScene::updateText() {
  if (!m_image) return;
  const core::ImageInfo& info = m_image->info;
  ViewAnnotation::Lines lines;
  lines.label = viewLabel(info.laterality, info.view);
  if (!m_caption.empty()) lines.label += "  " + m_caption;
  lines.date = formatStudyDate(info.studyDate);
  const bool lut =
      !m_display.window && m_display.lutIndex >= 0 && m_display.lutIndex < static_cast<int>(info.voiLuts.size());
  if (lut) {
    const std::string& name = info.voiLuts[m_display.lutIndex].explanation;
    lines.window = "VOI LUT" + (name.empty() ? std::string() : " " + name);
  } else {
    const core::VoiWindow w = voiWindow();
    lines.window = "W " + formatNumber(w.width) + " C " + formatNumber(w.center);
  }
  if (m_display.invert) lines.window += "  INV";
  lines.zoom = "Zoom " + formatNumber(std::round(pixelScale() * 100.0)) + "%";
  m_impl->annotation.setLines(lines);
}

}  // namespace mammo::viewer
