#pragma once
// The contract every editing tool fulfils so EditHistory can record it: an operation says which pixels it
// may touch (bounds) and then changes the label map in place (apply). Coordinates are the original
// image's pixel grid, (row, col), row-major, the same grid as core::LabelMap and core::Image.
#include <algorithm>
#include <cstdint>

#include "core/LabelMap.h"

namespace mammo::annotation {

// A continuous position in pixel units: (row, col) = (0, 0) is the centre of the top-left pixel.
struct PixelPoint {
  double row = 0;
  double col = 0;
};

// Half-open pixel rectangle [row0, row1) x [col0, col1).
struct PixelRect {
  int row0 = 0;
  int col0 = 0;
  int row1 = 0;
  int col1 = 0;

  bool empty() const { return row1 <= row0 || col1 <= col0; }
  int rows() const { return row1 - row0; }
  int columns() const { return col1 - col0; }
  static PixelRect whole(const core::LabelMap& map) { return {0, 0, map.rows, map.columns}; }
  PixelRect clippedTo(int rows, int columns) const {
    return {std::clamp(row0, 0, rows), std::clamp(col0, 0, columns), std::clamp(row1, 0, rows),
            std::clamp(col1, 0, columns)};
  }
  PixelRect united(const PixelRect& o) const {
    if (empty()) return o;
    if (o.empty()) return *this;
    return {std::min(row0, o.row0), std::min(col0, o.col0), std::max(row1, o.row1), std::max(col1, o.col1)};
  }
  bool operator==(const PixelRect&) const = default;
};

class Operation {
 public:
  virtual ~Operation() = default;
  // Every pixel apply() may change lies inside this rectangle (already clipped to the map). EditHistory
  // snapshots only this region, so a tight rectangle keeps recording cheap.
  virtual PixelRect bounds(const core::LabelMap& map) const = 0;
  virtual void apply(core::LabelMap& map) const = 0;
};

}  // namespace mammo::annotation
