#pragma once
// What an annotation tool draws while it is used: the brush outline (a circle at the brush's true size)
// under the cursor and the lasso's outline while it is being drawn. Points are in the stored image's pixel
// grid (row, col) and are placed in ViewScene's world frame (mirrored with the image), so they follow zoom
// and pan. The overlay adds its actors to a renderer it is given. GUI thread only (VTK).
#include <array>
#include <memory>
#include <vector>

#include "annotation/Operation.h"
#include "viewer/ViewTransform.h"

class vtkRenderer;

namespace mammo::viewer {

class ToolOverlay {
 public:
  ToolOverlay();
  ~ToolOverlay();
  ToolOverlay(const ToolOverlay&) = delete;
  ToolOverlay& operator=(const ToolOverlay&) = delete;

  // The view the points are drawn in (its transform: size and mirroring) and where the actors go; detaches
  // from any earlier.
  void attach(vtkRenderer* renderer, const ViewTransform& transform);
  void detach();
  vtkRenderer* renderer() const;

  void setColour(const std::array<double, 3>& rgb);
  // A circle of `radius` pixels around `centre`; hidden by hideCircle().
  void showCircle(annotation::PixelPoint centre, double radius);
  void hideCircle();
  bool circleVisible() const;
  // An open polyline through `points` (the lasso so far); empty hides it.
  void setPath(const std::vector<annotation::PixelPoint>& points);

 private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

}  // namespace mammo::viewer
