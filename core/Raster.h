#pragma once
// An immutable raster: rows x columns values, row-major (row, col), with the pixel spacing of the grid when
// known. The values are shared, never copied: handing a raster to another thread or layer copies a pointer.
// Heatmaps (AI output, heatmap files, overlays), label-map snapshots (autosave, review) and the heatmaps of
// prepared training views are Rasters. Thread-safe to read from any thread (nothing in it changes).
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/Image.h"

namespace mammo::core {

template <class T>
class Raster {
 public:
  Raster() = default;
  Raster(int rows, int columns, std::vector<T> values, std::optional<PixelSpacing> spacing = std::nullopt)
      : Raster(rows, columns, std::make_shared<const std::vector<T>>(std::move(values)), std::move(spacing)) {}
  Raster(int rows, int columns, std::shared_ptr<const std::vector<T>> values,
         std::optional<PixelSpacing> spacing = std::nullopt)
      : m_rows(rows), m_columns(columns), m_values(std::move(values)), m_spacing(std::move(spacing)) {
    if (rows < 0 || columns < 0 || (m_values && m_values->size() != static_cast<std::size_t>(rows) * columns)) {
      throw std::invalid_argument("raster of " + std::to_string(rows) + "x" + std::to_string(columns) + " given " +
                                  std::to_string(m_values ? m_values->size() : 0) + " values");
    }
  }

  int rows() const { return m_rows; }
  int columns() const { return m_columns; }
  // No values (the default raster): "no heatmap", "nothing saved".
  bool empty() const { return !m_values; }
  std::size_t size() const { return m_values ? m_values->size() : 0; }
  std::span<const T> values() const { return m_values ? std::span<const T>(*m_values) : std::span<const T>(); }
  const T* data() const { return m_values ? m_values->data() : nullptr; }
  T at(int row, int col) const { return (*m_values)[static_cast<std::size_t>(row) * m_columns + col]; }
  // Whether the raster has values on a rows x columns grid.
  bool covers(int rows, int columns) const { return m_values && m_rows == rows && m_columns == columns; }
  const std::shared_ptr<const std::vector<T>>& storage() const { return m_values; }
  const std::optional<PixelSpacing>& spacing() const { return m_spacing; }
  Raster withSpacing(std::optional<PixelSpacing> spacing) const { return Raster(m_rows, m_columns, m_values, spacing); }

 private:
  int m_rows = 0, m_columns = 0;
  std::shared_ptr<const std::vector<T>> m_values;
  std::optional<PixelSpacing> m_spacing;
};

using FloatRaster = Raster<float>;
using LabelRaster = Raster<std::uint8_t>;

// Reduction of `values` (rows x columns, row-major) by an integer factor f: output (rows / f) x
// (columns / f), trailing rows and columns dropped. The NYU pipeline's and training's downsampling share
// these, so a model trained on reduced crops is read at exactly the same reduction.
// Stored values: the block mean rounded half up to uint16.
std::vector<std::uint16_t> boxAverage(std::span<const std::uint16_t> values, int rows, int columns, int f);
// Float maps (heatmaps): the block mean accumulated in double.
std::vector<float> boxAverage(std::span<const float> values, int rows, int columns, int f);
// Bit masks (lesion bits): the OR of the block.
std::vector<std::uint8_t> boxOr(std::span<const std::uint8_t> values, int rows, int columns, int f);

}  // namespace mammo::core
