#pragma once
// Text over one hung view: corner text (view label and study date on top; window/level and zoom below) and
// orientation markers at the middle of the four edges: "P" (posterior) on the chest-wall edge, "A" (anterior)
// on the nipple edge, and on the top and bottom edges the patient directions the image's columns run along
// (CC: the patient's right or left, i.e. lateral/medial; MLO: head "H" above, foot "F" below). The corner text sits on the nipple side, where the
// view shows air, so it never covers the base of the breast at the chest wall.
// Positions are in the renderer's normalised viewport coordinates (x right, y up, [0, 1]).
// GUI thread only.
#include <array>
#include <memory>
#include <string>

#include "core/Image.h"
#include "core/Types.h"

class vtkRenderer;

namespace mammo::viewer {

class ViewAnnotation {
 public:
  struct Lines {
    std::string label;  // "R CC"
    std::string date;  // "2026-01-01"
    std::string window;  // "W 2600 C 1700"
    std::string zoom;  // "Zoom 19%"
  };

  ViewAnnotation();
  ~ViewAnnotation();
  ViewAnnotation(const ViewAnnotation&) = delete;
  ViewAnnotation& operator=(const ViewAnnotation&) = delete;

  void addTo(vtkRenderer* renderer);
  void setChestWall(core::ImageEdge edgeOnScreen);
  void setLines(const Lines& lines);
  // The markers of the top and bottom edges ("" hides one).
  void setVerticalMarkers(const std::string& top, const std::string& bottom);
  void setVisible(bool visible);

  // The two blocks of corner text as drawn (lines joined by '\n').
  std::string topText() const;
  std::string bottomText() const;
  // Where the top block is anchored (its corner nearest the viewport's corner).
  std::array<double, 2> topTextPosition() const;
  // The chest-wall marker: its text and position (the anchor point of the text).
  std::string chestWallMarker() const;
  std::array<double, 2> chestWallMarkerPosition() const;
  // Every orientation marker as drawn: chest wall, nipple side, top, bottom.
  std::array<std::string, 4> markers() const;

 private:
  void place();

  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

// The top and bottom markers of an image as stored (hanging mirrors horizontally only): from the second value
// of PatientOrientation (the direction of increasing row) when present, for the bottom edge, and its opposite
// for the top; otherwise from the view: CC top lateral (the breast's own side), bottom medial; MLO "H" / "F".
// {"", ""} when neither is known.
std::array<std::string, 2> verticalMarkers(const core::ImageInfo& info);

// "R CC" from the image's laterality and view position; "" when unknown.
std::string viewLabel(core::Laterality laterality, core::ViewPosition view);
// "20260101" -> "2026-01-01"; anything else is returned as it is.
std::string formatStudyDate(const std::string& dicomDate);

}  // namespace mammo::viewer
