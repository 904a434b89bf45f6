#include "annotation/FloodFill.h"

#include <stdexcept>
#include <string>
#include <vector>

#include "core/Image.h"
#include "core/RegionWalk.h"

namespace mammo::annotation {

FloodFill::FloodFill(const core::Image& image, int seedRow, int seedCol, std::uint16_t low, std::uint16_t high,
                     std::uint8_t label)
    : m_image(&image), m_seedRow(seedRow), m_seedCol(seedCol), m_low(low), m_high(high), m_label(label) {
  if (image.pixels.empty())
    throw std::invalid_argument("flood fill: image " + image.info.sourcePath + " has no pixels");
  if (seedRow < 0 || seedCol < 0 || seedRow >= image.info.rows || seedCol >= image.info.columns) {
    throw std::invalid_argument("flood fill: seed (" + std::to_string(seedRow) + ", " + std::to_string(seedCol) +
                                ") is outside image " + image.info.sourcePath);
  }
}

void FloodFill::apply(core::LabelMap& map) const {
  const int rows = m_image->info.rows, cols = m_image->info.columns;
  if (map.rows != rows || map.columns != cols) {
    throw std::invalid_argument("flood fill: label map is not in the grid of image " + m_image->info.sourcePath);
  }
  const auto inRange = [&](size_t i) { return m_image->pixels[i] >= m_low && m_image->pixels[i] <= m_high; };
  const size_t seed = static_cast<size_t>(m_seedRow) * cols + m_seedCol;
  if (!inRange(seed)) return;
  // Visited flags rather than "label already set": the fill must also pass through pixels that already
  // carry this label, or it would stop at them.
  std::vector<bool> visited(static_cast<size_t>(rows) * cols, false);
  std::vector<size_t> stack;
  visited[seed] = true;
  core::walkRegion4(
      seed, rows, cols, stack,
      [&](size_t j) {
        if (visited[j] || !inRange(j)) return false;
        visited[j] = true;
        return true;
      },
      [&](size_t i) { map.labels[i] = m_label; });
}

}  // namespace mammo::annotation
