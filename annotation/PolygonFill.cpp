#include "annotation/PolygonFill.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace mammo::annotation {

PolygonFill::PolygonFill(std::vector<PixelPoint> vertices, std::uint8_t label)
    : m_vertices(std::move(vertices)), m_label(label) {
  if (m_vertices.size() < 3) throw std::invalid_argument("polygon fill needs at least 3 vertices");
}

PixelRect PolygonFill::bounds(const core::LabelMap& map) const {
  PixelRect box{static_cast<int>(std::floor(m_vertices[0].row)), static_cast<int>(std::floor(m_vertices[0].col)),
                static_cast<int>(std::ceil(m_vertices[0].row)) + 1, static_cast<int>(std::ceil(m_vertices[0].col)) + 1};
  for (const PixelPoint& p : m_vertices) {
    box = box.united({static_cast<int>(std::floor(p.row)), static_cast<int>(std::floor(p.col)),
                      static_cast<int>(std::ceil(p.row)) + 1, static_cast<int>(std::ceil(p.col)) + 1});
  }
  return box.clippedTo(map.rows, map.columns);
}

void PolygonFill::apply(core::LabelMap& map) const {
  const PixelRect box = bounds(map);
  std::vector<double> crossings;
  const size_t n = m_vertices.size();
  for (int r = box.row0; r < box.row1; ++r) {
    crossings.clear();
    for (size_t i = 0; i < n; ++i) {
      const PixelPoint a = m_vertices[i], b = m_vertices[(i + 1) % n];
      // Half-open in y: an edge counts for rows y with min <= y < max, so a vertex on the scan line is
      // counted once and horizontal edges never.
      if ((a.row <= r) == (b.row <= r)) continue;
      crossings.push_back(a.col + (r - a.row) * (b.col - a.col) / (b.row - a.row));
    }
    std::sort(crossings.begin(), crossings.end());
    for (size_t k = 0; k + 1 < crossings.size(); k += 2) {
      // Centres c with x[2k] <= c < x[2k+1] have an odd number of crossings to their right.
      const int c0 = std::max(box.col0, static_cast<int>(std::ceil(crossings[k])));
      int c1 = std::min(box.col1, static_cast<int>(std::ceil(crossings[k + 1])));
      for (int c = c0; c < c1; ++c) map.at(r, c) = m_label;
    }
  }
}

}  // namespace mammo::annotation
