#include "viewer/Measurement.h"

#include <vtkActor.h>
#include <vtkCellArray.h>
#include <vtkCoordinate.h>
#include <vtkNew.h>
#include <vtkPoints.h>
#include <vtkPolyData.h>
#include <vtkPolyDataMapper.h>
#include <vtkProperty.h>
#include <vtkRenderer.h>
#include <vtkSmartPointer.h>
#include <vtkTextActor.h>
#include <vtkTextProperty.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace mammo::viewer {

namespace {

// Cyan: apart from the grey image, the red/yellow malignant and green benign maps and the yellow text.
constexpr double kColour[3] = {0.25, 0.85, 1.0};
constexpr double kZ = 0.8;  // above the image (0) and the heatmaps (0.5)

// End ticks scale with the image so they read at fit and stay short when zoomed in: 1% of the larger side.
double tickLength(const core::ImageInfo& info) { return 0.01 * std::max(info.rows, info.columns); }

}  // namespace

Distance measureDistance(const core::ImageInfo& info, const Measurement& m) {
  const double dr = m.to[0] - m.from[0], dc = m.to[1] - m.from[1];
  if (info.spacing && info.spacing->rowMm > 0 && info.spacing->columnMm > 0) {
    Distance d{std::hypot(dr * info.spacing->rowMm, dc * info.spacing->columnMm), true, {}};
    if (info.spacing->source == "ImagerPixelSpacing") {
      if (info.magnification && *info.magnification > 1.0) {
        d.value /= *info.magnification;
        char buf[32];
        std::snprintf(buf, sizeof buf, "mag %.2f", *info.magnification);
        d.basis = buf;
      } else if (!info.magnification) {
        d.basis = "at detector";
      }
    } else if (info.spacing->source == "file name") {
      d.basis = "from file name";
    }
    return d;
  }
  return {std::hypot(dr, dc), false, {}};
}

std::string formatDistance(const Distance& d) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.1f %s", d.value, d.millimetres ? "mm" : "px");
  return d.basis.empty() ? std::string(buf) : std::string(buf) + " (" + d.basis + ")";
}

struct MeasurementLayer::Impl {
  vtkRenderer* renderer = nullptr;
  vtkNew<vtkPolyData> lines;
  vtkNew<vtkPolyDataMapper> mapper;
  vtkNew<vtkActor> actor;
  std::vector<vtkSmartPointer<vtkTextActor>> labels;
};

MeasurementLayer::MeasurementLayer(vtkRenderer* renderer) : m_impl(std::make_unique<Impl>()) {
  Impl& d = *m_impl;
  d.renderer = renderer;
  d.mapper->SetInputData(d.lines);
  d.actor->SetMapper(d.mapper);
  d.actor->GetProperty()->SetColor(kColour[0], kColour[1], kColour[2]);
  d.actor->GetProperty()->SetLineWidth(2);
  d.actor->GetProperty()->LightingOff();
  d.actor->VisibilityOff();
  renderer->AddActor(d.actor);
}

MeasurementLayer::~MeasurementLayer() {
  clear();
  m_impl->renderer->RemoveActor(m_impl->actor);
}

void MeasurementLayer::clear() {
  for (auto& label : m_impl->labels) m_impl->renderer->RemoveViewProp(label);
  m_impl->labels.clear();
  m_impl->actor->VisibilityOff();
}

void MeasurementLayer::update(const std::vector<Measurement>& measurements, const core::ImageInfo& info,
                              const ViewTransform& transform) {
  clear();
  if (measurements.empty()) return;
  Impl& d = *m_impl;
  auto world = [&](const std::array<double, 2>& p) { return transform.worldOf(p[0], p[1]); };
  vtkNew<vtkPoints> points;
  vtkNew<vtkCellArray> cells;
  const double tick = tickLength(info);
  auto segment = [&](double x0, double y0, double x1, double y1) {
    const vtkIdType a = points->InsertNextPoint(x0, y0, kZ), b = points->InsertNextPoint(x1, y1, kZ);
    const vtkIdType ids[2] = {a, b};
    cells->InsertNextCell(2, ids);
  };
  for (const Measurement& m : measurements) {
    const auto a = world(m.from), b = world(m.to);
    segment(a[0], a[1], b[0], b[1]);
    // Ticks across the line at both ends.
    const double len = std::hypot(b[0] - a[0], b[1] - a[1]);
    const double nx = len > 0 ? -(b[1] - a[1]) / len : 0, ny = len > 0 ? (b[0] - a[0]) / len : 1;
    for (const auto& e : {a, b}) segment(e[0] - nx * tick, e[1] - ny * tick, e[0] + nx * tick, e[1] + ny * tick);

    auto label = vtkSmartPointer<vtkTextActor>::New();
    label->SetInput(formatDistance(measureDistance(info, m)).c_str());
    label->SetTextScaleModeToNone();
    vtkTextProperty* text = label->GetTextProperty();
    text->SetFontFamilyToArial();
    text->SetFontSize(14);
    text->BoldOn();
    text->ShadowOn();
    text->SetColor(kColour[0], kColour[1], kColour[2]);
    text->SetVerticalJustificationToBottom();
    text->SetJustification(b[0] >= a[0] ? VTK_TEXT_LEFT : VTK_TEXT_RIGHT);
    label->GetPositionCoordinate()->SetCoordinateSystemToWorld();
    label->GetPositionCoordinate()->SetValue(b[0] + (b[0] >= a[0] ? tick : -tick), b[1] + tick, kZ);
    d.renderer->AddViewProp(label);
    d.labels.push_back(label);
  }
  d.lines->SetPoints(points);
  d.lines->SetLines(cells);
  d.lines->Modified();
  d.actor->VisibilityOn();
}

std::vector<vtkProp*> MeasurementLayer::props() const {
  std::vector<vtkProp*> out{m_impl->actor};
  for (const auto& label : m_impl->labels) out.push_back(label);
  return out;
}

std::vector<std::string> MeasurementLayer::labels() const {
  std::vector<std::string> out;
  for (const auto& label : m_impl->labels) out.emplace_back(label->GetInput());
  return out;
}

}  // namespace mammo::viewer
