#include "viewer/ViewAnnotation.h"

#include <vtkCoordinate.h>
#include <vtkNew.h>
#include <vtkRenderer.h>
#include <vtkTextActor.h>
#include <vtkTextProperty.h>

#include <cctype>

namespace mammo::viewer {

namespace {

// Readable over air and over bright tissue alike: light text with a shadow.
void styleText(vtkTextProperty* p, int size) {
  p->SetFontFamilyToArial();
  p->SetFontSize(size);
  p->SetColor(0.95, 0.85, 0.35);
  p->ShadowOn();
}

constexpr int kTextSize = 13, kMarkerSize = 16;  // points at 72 dpi: device pixels
constexpr double kInset = 0.012;  // of the viewport, so nothing touches its edge

}  // namespace

// Plain text actors rather than vtkCornerAnnotation: the corner annotation searches for a font size by
// laying out its text again on every render in which the text changed, which cost about 90 ms per view and
// frame during a window/level drag (the text changes on every frame).
struct ViewAnnotation::Impl {
  vtkNew<vtkTextActor> top;
  vtkNew<vtkTextActor> bottom;
  vtkNew<vtkTextActor> posterior;  // chest-wall edge
  vtkNew<vtkTextActor> anterior;  // nipple edge
  vtkNew<vtkTextActor> topMarker;
  vtkNew<vtkTextActor> bottomMarker;
  core::ImageEdge chestWall = core::ImageEdge::Right;
  Lines lines;
};

ViewAnnotation::ViewAnnotation() : m_impl(std::make_unique<Impl>()) {
  Impl& d = *m_impl;
  for (vtkTextActor* text : {d.top.GetPointer(), d.bottom.GetPointer()}) {
    text->SetTextScaleModeToNone();
    styleText(text->GetTextProperty(), kTextSize);
    text->GetPositionCoordinate()->SetCoordinateSystemToNormalizedViewport();
  }
  d.top->GetTextProperty()->SetVerticalJustificationToTop();
  d.bottom->GetTextProperty()->SetVerticalJustificationToBottom();
  for (vtkTextActor* marker :
       {d.posterior.GetPointer(), d.anterior.GetPointer(), d.topMarker.GetPointer(), d.bottomMarker.GetPointer()}) {
    marker->SetTextScaleModeToNone();
    styleText(marker->GetTextProperty(), kMarkerSize);
    marker->GetTextProperty()->BoldOn();
    marker->GetTextProperty()->SetVerticalJustificationToCentered();
    marker->GetPositionCoordinate()->SetCoordinateSystemToNormalizedViewport();
  }
  d.posterior->SetInput("P");
  d.anterior->SetInput("A");
  d.topMarker->SetInput("");
  d.bottomMarker->SetInput("");
  d.topMarker->GetTextProperty()->SetJustificationToCentered();
  d.topMarker->GetTextProperty()->SetVerticalJustificationToTop();
  d.bottomMarker->GetTextProperty()->SetJustificationToCentered();
  d.bottomMarker->GetTextProperty()->SetVerticalJustificationToBottom();
  d.topMarker->GetPositionCoordinate()->SetValue(0.5, 1.0 - kInset);
  d.bottomMarker->GetPositionCoordinate()->SetValue(0.5, kInset);
  place();
}

ViewAnnotation::~ViewAnnotation() = default;

void ViewAnnotation::addTo(vtkRenderer* renderer) {
  renderer->AddViewProp(m_impl->top);
  renderer->AddViewProp(m_impl->bottom);
  renderer->AddViewProp(m_impl->posterior);
  renderer->AddViewProp(m_impl->anterior);
  renderer->AddViewProp(m_impl->topMarker);
  renderer->AddViewProp(m_impl->bottomMarker);
}

void ViewAnnotation::setVerticalMarkers(const std::string& top, const std::string& bottom) {
  m_impl->topMarker->SetInput(top.c_str());
  m_impl->bottomMarker->SetInput(bottom.c_str());
}

void ViewAnnotation::setChestWall(core::ImageEdge edgeOnScreen) {
  m_impl->chestWall = edgeOnScreen;
  place();
}

void ViewAnnotation::setLines(const Lines& lines) {
  m_impl->lines = lines;
  place();
}

void ViewAnnotation::setVisible(bool visible) {
  m_impl->top->SetVisibility(visible);
  m_impl->bottom->SetVisibility(visible);
  m_impl->posterior->SetVisibility(visible && m_impl->chestWall != core::ImageEdge::Unknown);
  m_impl->anterior->SetVisibility(visible && m_impl->chestWall != core::ImageEdge::Unknown);
  m_impl->topMarker->SetVisibility(visible);
  m_impl->bottomMarker->SetVisibility(visible);
}

void ViewAnnotation::place() {
  Impl& d = *m_impl;
  auto join = [](const std::string& a, const std::string& b) { return a.empty() ? b : b.empty() ? a : a + "\n" + b; };
  // vtkTextActor ignores unchanged text, so this re-renders only what changed.
  d.top->SetInput(join(d.lines.label, d.lines.date).c_str());
  d.bottom->SetInput(join(d.lines.window, d.lines.zoom).c_str());
  const bool wallRight = d.chestWall != core::ImageEdge::Left;
  const double nipple = wallRight ? kInset : 1.0 - kInset, wall = wallRight ? 1.0 - kInset : kInset;
  const int nippleJustification = wallRight ? VTK_TEXT_LEFT : VTK_TEXT_RIGHT;
  const int wallJustification = wallRight ? VTK_TEXT_RIGHT : VTK_TEXT_LEFT;
  d.top->GetPositionCoordinate()->SetValue(nipple, 1.0 - kInset);
  d.top->GetTextProperty()->SetJustification(nippleJustification);
  d.bottom->GetPositionCoordinate()->SetValue(nipple, kInset);
  d.bottom->GetTextProperty()->SetJustification(nippleJustification);
  d.posterior->GetPositionCoordinate()->SetValue(wall, 0.5);
  d.posterior->GetTextProperty()->SetJustification(wallJustification);
  d.anterior->GetPositionCoordinate()->SetValue(nipple, 0.5);
  d.anterior->GetTextProperty()->SetJustification(nippleJustification);
}

std::string ViewAnnotation::topText() const {
  const char* t = m_impl->top->GetInput();
  return t ? t : "";
}

std::string ViewAnnotation::bottomText() const {
  const char* t = m_impl->bottom->GetInput();
  return t ? t : "";
}

std::array<double, 2> ViewAnnotation::topTextPosition() const {
  double* v = m_impl->top->GetPositionCoordinate()->GetValue();
  return {v[0], v[1]};
}

std::string ViewAnnotation::chestWallMarker() const { return m_impl->posterior->GetInput(); }

std::array<double, 2> ViewAnnotation::chestWallMarkerPosition() const {
  double* v = m_impl->posterior->GetPositionCoordinate()->GetValue();
  return {v[0], v[1]};
}

std::array<std::string, 4> ViewAnnotation::markers() const {
  auto text = [](vtkTextActor* a) { return std::string(a->GetInput() ? a->GetInput() : ""); };
  return {text(m_impl->posterior), text(m_impl->anterior), text(m_impl->topMarker), text(m_impl->bottomMarker)};
}

namespace {

char oppositeDirection(char c) {
  switch (c) {
    case 'A':
      return 'P';
    case 'P':
      return 'A';
    case 'R':
      return 'L';
    case 'L':
      return 'R';
    case 'H':
      return 'F';
    case 'F':
      return 'H';
    default:
      return '?';
  }
}

}  // namespace

std::array<std::string, 2> verticalMarkers(const core::ImageInfo& info) {
  const std::string& po = info.patientOrientation;
  const size_t sep = po.find('\\');
  if (sep != std::string::npos && sep + 1 < po.size()) {
    std::string bottom, top;
    for (char c : po.substr(sep + 1)) {
      const char u = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      if (oppositeDirection(u) == '?') return {"", ""};  // not a direction code: trust nothing
      bottom += u;
      top += oppositeDirection(u);
    }
    if (!bottom.empty()) return {top, bottom};
  }
  const bool cc = info.view == core::ViewPosition::CC || info.view == core::ViewPosition::XCCL;
  const bool mlo = info.view == core::ViewPosition::MLO;
  if (mlo) return {"H", "F"};
  if (cc && info.laterality != core::Laterality::Unknown) {
    const bool right = info.laterality == core::Laterality::Right;
    return {right ? "R" : "L", right ? "L" : "R"};
  }
  return {"", ""};
}

std::string viewLabel(core::Laterality laterality, core::ViewPosition view) {
  if (laterality == core::Laterality::Unknown) return "";
  std::string label = laterality == core::Laterality::Right ? "R" : "L";
  if (view != core::ViewPosition::Unknown) label += " " + std::string(core::toString(view));
  return label;
}

std::string formatStudyDate(const std::string& d) {
  if (d.size() != 8) return d;
  for (char c : d) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return d;
  }
  return d.substr(0, 4) + "-" + d.substr(4, 2) + "-" + d.substr(6, 2);
}

}  // namespace mammo::viewer
