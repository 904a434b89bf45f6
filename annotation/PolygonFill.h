#pragma once
// Polygon / lasso fill with the even-odd rule, sampled at pixel centres: a pixel is filled when a ray
// from its centre to the right crosses the outline an odd number of times. Centres exactly on a top or
// left edge count as inside, on a bottom or right edge as outside, so two polygons sharing an edge never
// both claim its pixels. Self-intersecting lassos therefore leave their doubly-wound loops empty.
#include <cstdint>
#include <vector>

#include "annotation/Operation.h"

namespace mammo::annotation {

class PolygonFill : public Operation {
 public:
  // Vertices in the image's pixel grid; the outline closes from the last vertex back to the first.
  // label 0 erases the inside.
  PolygonFill(std::vector<PixelPoint> vertices, std::uint8_t label);

  PixelRect bounds(const core::LabelMap& map) const override;
  void apply(core::LabelMap& map) const override;

 private:
  std::vector<PixelPoint> m_vertices;
  std::uint8_t m_label;
};

}  // namespace mammo::annotation
