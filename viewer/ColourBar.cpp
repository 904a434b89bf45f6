#include "viewer/ColourBar.h"

#include <vtkCoordinate.h>
#include <vtkLookupTable.h>
#include <vtkNew.h>
#include <vtkScalarBarActor.h>
#include <vtkTextProperty.h>

#include <algorithm>

namespace mammo::viewer {

namespace {
constexpr int kEntries = 256;
}

struct ColourBar::Impl {
  vtkNew<vtkScalarBarActor> bar;
  vtkNew<vtkLookupTable> table;
  std::array<double, 4> place{0, 0, 0, 0};
};

ColourBar::ColourBar() : m_impl(std::make_unique<Impl>()) {
  Impl& d = *m_impl;
  d.table->SetNumberOfTableValues(kEntries);
  d.bar->SetLookupTable(d.table);
  d.bar->SetOrientationToVertical();
  d.bar->SetNumberOfLabels(3);
  d.bar->SetLabelFormat("%.2f");
  d.bar->SetBarRatio(0.35);
  d.bar->SetTextPositionToPrecedeScalarBar();  // labels towards the image, the bar against the window edge
  d.bar->GetPositionCoordinate()->SetCoordinateSystemToNormalizedViewport();
  d.bar->UnconstrainedFontSizeOn();
  for (vtkTextProperty* p : {d.bar->GetLabelTextProperty(), d.bar->GetTitleTextProperty()}) {
    p->SetFontFamilyToArial();
    p->SetFontSize(12);
    p->SetColor(0.9, 0.9, 0.9);
    p->ShadowOn();
    p->ItalicOff();
  }
  d.bar->GetTitleTextProperty()->BoldOn();
  d.bar->VisibilityOff();
  setStyle(HeatmapStyle{});
}

ColourBar::~ColourBar() = default;

vtkProp* ColourBar::prop() const { return m_impl->bar; }

void ColourBar::setTitle(const std::string& title) { m_impl->bar->SetTitle(title.c_str()); }

void ColourBar::setStyle(const HeatmapStyle& style) {
  Impl& d = *m_impl;
  const double top = style.maxValue > 0 ? style.maxValue : 1.0;
  const double bottom = std::clamp(style.threshold, 0.0, top * (1.0 - 1.0 / kEntries));
  // The range first: setting it after the entries would let VTK rebuild its own ramp over them.
  d.table->SetRange(bottom, top);
  for (int i = 0; i < kEntries; ++i) {
    // Entry i shows value v; the overlay colours v with the map at v / maxValue.
    const double v = bottom + (top - bottom) * i / (kEntries - 1);
    const auto c = colourAt(style.colours, v / top);
    d.table->SetTableValue(i, c[0] / 255.0, c[1] / 255.0, c[2] / 255.0, 1.0);
  }
}

void ColourBar::setPlace(const std::array<double, 4>& xywh) {
  m_impl->place = xywh;
  m_impl->bar->GetPositionCoordinate()->SetValue(xywh[0], xywh[1]);
  m_impl->bar->SetWidth(xywh[2]);
  m_impl->bar->SetHeight(xywh[3]);
}

void ColourBar::setVisible(bool visible) { m_impl->bar->SetVisibility(visible); }

std::array<double, 4> ColourBar::place() const { return m_impl->place; }

bool ColourBar::visible() const { return m_impl->bar->GetVisibility() != 0; }

std::array<double, 2> ColourBar::range() const {
  const double* r = m_impl->table->GetRange();
  return {r[0], r[1]};
}

}  // namespace mammo::viewer
