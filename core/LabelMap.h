#pragma once
// A per-pixel label image in the original image grid: 0 = background, 1..255 = class ids.
// Row-major (row, col), same size as the image it annotates.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "core/Raster.h"

namespace mammo::core {

struct LabelMap {
  int rows = 0;
  int columns = 0;
  std::vector<std::uint8_t> labels;

  LabelMap() = default;
  LabelMap(int r, int c) : rows(r), columns(c), labels(static_cast<size_t>(r) * c, 0) {}
  // An editable copy of a snapshot.
  explicit LabelMap(const LabelRaster& raster)
      : rows(raster.rows()), columns(raster.columns()), labels(raster.values().begin(), raster.values().end()) {}
  // An immutable snapshot (the labels copied once, then shared), with the image's pixel spacing.
  LabelRaster snapshot(std::optional<PixelSpacing> spacing = std::nullopt) const {
    return LabelRaster(rows, columns, labels, std::move(spacing));
  }
  std::uint8_t at(int r, int c) const { return labels[static_cast<size_t>(r) * columns + c]; }
  std::uint8_t& at(int r, int c) { return labels[static_cast<size_t>(r) * columns + c]; }
  size_t count(std::uint8_t label) const {
    size_t n = 0;
    for (auto v : labels) n += v == label;
    return n;
  }
};

}  // namespace mammo::core
