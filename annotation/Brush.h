#pragma once
// Brush, eraser and the intensity-aware smart brush. A stroke is the polyline through the pointer
// positions; every pixel whose centre lies within `radius` pixels of that polyline is painted, so a fast
// stroke (far-apart mouse events) leaves no gaps at any zoom. Points are in the image's pixel grid.
#include <cstdint>
#include <vector>

#include "annotation/Operation.h"

namespace mammo::core {
struct Image;
}

namespace mammo::annotation {

// Paints `label` (1..255), or erases to 0 with eraser(). Overwrites whatever class was there.
class BrushStroke : public Operation {
 public:
  BrushStroke(std::vector<PixelPoint> points, double radius, std::uint8_t label);
  static BrushStroke eraser(std::vector<PixelPoint> points, double radius) { return {std::move(points), radius, 0}; }

  PixelRect bounds(const core::LabelMap& map) const override;
  void apply(core::LabelMap& map) const override;

 protected:
  // Calls visit(row, col) once per covered pixel inside the map (pixels under two segments may repeat).
  template <typename Visit>
  void forEachCoveredPixel(const core::LabelMap& map, Visit&& visit) const;

  std::vector<PixelPoint> m_points;
  double m_radius;
  std::uint8_t m_label;
};

// Like BrushStroke, but within the brush only pixels whose raw stored value v satisfies
// |v - v0| <= tolerance are painted, where v0 is the image value under the stroke's first point
// (rounded to the nearest pixel, clamped into the image). `image` must outlive the operation.
class SmartBrushStroke : public BrushStroke {
 public:
  SmartBrushStroke(const core::Image& image, std::vector<PixelPoint> points, double radius, std::uint8_t label,
                   int tolerance);
  void apply(core::LabelMap& map) const override;
  std::uint16_t referenceValue() const { return m_reference; }
  // A live stroke is previewed segment by segment; each segment must compare with the value under the
  // whole stroke's first point, not its own.
  void setReferenceValue(std::uint16_t value) { m_reference = value; }

 private:
  const core::Image* m_image;
  int m_tolerance;
  std::uint16_t m_reference = 0;
};

}  // namespace mammo::annotation
