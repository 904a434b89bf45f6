#pragma once
// The colour bar of one heatmap layer: the colour map over the values it colours (threshold to maxValue,
// labelled), with a title, as a 2D prop placed in normalised viewport coordinates of the renderer it is
// added to. GUI thread only.
#include <array>
#include <memory>
#include <string>

#include "viewer/HeatmapLayer.h"

class vtkProp;
class vtkRenderer;

namespace mammo::viewer {

class ColourBar {
 public:
  ColourBar();
  ~ColourBar();
  ColourBar(const ColourBar&) = delete;
  ColourBar& operator=(const ColourBar&) = delete;

  vtkProp* prop() const;
  void setTitle(const std::string& title);
  // Colours and labelled range from the style.
  void setStyle(const HeatmapStyle& style);
  // (x, y) of the lower-left corner, width and height: normalised viewport coordinates.
  void setPlace(const std::array<double, 4>& xywh);
  std::array<double, 4> place() const;
  void setVisible(bool visible);
  bool visible() const;
  // The labelled range (threshold, maxValue).
  std::array<double, 2> range() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

}  // namespace mammo::viewer
