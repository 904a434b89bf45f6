#include "annotation/Brush.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <stdexcept>
#include <string>

#include "core/Image.h"

namespace mammo::annotation {

BrushStroke::BrushStroke(std::vector<PixelPoint> points, double radius, std::uint8_t label)
    : m_points(std::move(points)), m_radius(radius), m_label(label) {
  if (m_points.empty()) throw std::invalid_argument("brush stroke without points");
  if (!(radius >= 0)) throw std::invalid_argument("brush radius must be >= 0, not " + std::to_string(radius));
}

PixelRect BrushStroke::bounds(const core::LabelMap& map) const {
  PixelRect box;
  for (const PixelPoint& p : m_points) {
    const PixelRect disc{static_cast<int>(std::floor(p.row - m_radius)), static_cast<int>(std::floor(p.col - m_radius)),
                         static_cast<int>(std::ceil(p.row + m_radius)) + 1,
                         static_cast<int>(std::ceil(p.col + m_radius)) + 1};
    box = box.united(disc);
  }
  return box.clippedTo(map.rows, map.columns);
}

template <typename Visit>
void BrushStroke::forEachCoveredPixel(const core::LabelMap& map, Visit&& visit) const {
  const double r2 = m_radius * m_radius;
  // Segment i runs from point i to point i+1; a single point is a zero-length segment (a disc).
  const size_t segments = m_points.size() == 1 ? 1 : m_points.size() - 1;
  for (size_t i = 0; i < segments; ++i) {
    const PixelPoint a = m_points[i];
    const PixelPoint b = m_points.size() == 1 ? a : m_points[i + 1];
    const double dr = b.row - a.row, dc = b.col - a.col;
    const double len2 = dr * dr + dc * dc;
    const PixelRect box = PixelRect{static_cast<int>(std::floor(std::min(a.row, b.row) - m_radius)),
                                    static_cast<int>(std::floor(std::min(a.col, b.col) - m_radius)),
                                    static_cast<int>(std::ceil(std::max(a.row, b.row) + m_radius)) + 1,
                                    static_cast<int>(std::ceil(std::max(a.col, b.col) + m_radius)) + 1}
                              .clippedTo(map.rows, map.columns);
    for (int r = box.row0; r < box.row1; ++r) {
      for (int c = box.col0; c < box.col1; ++c) {
        // Distance from the pixel centre to the closest point of segment a-b.
        double t = len2 > 0 ? ((r - a.row) * dr + (c - a.col) * dc) / len2 : 0.0;
        t = std::clamp(t, 0.0, 1.0);
        const double er = r - (a.row + t * dr), ec = c - (a.col + t * dc);
        if (er * er + ec * ec <= r2) visit(r, c);
      }
    }
  }
}

void BrushStroke::apply(core::LabelMap& map) const {
  forEachCoveredPixel(map, [&](int r, int c) { map.at(r, c) = m_label; });
}

SmartBrushStroke::SmartBrushStroke(const core::Image& image, std::vector<PixelPoint> points, double radius,
                                   std::uint8_t label, int tolerance)
    : BrushStroke(std::move(points), radius, label), m_image(&image), m_tolerance(tolerance) {
  if (image.pixels.empty())
    throw std::invalid_argument("smart brush: image " + image.info.sourcePath + " has no pixels");
  if (tolerance < 0) throw std::invalid_argument("smart brush: tolerance must be >= 0");
  const int r = std::clamp(static_cast<int>(std::lround(m_points.front().row)), 0, image.info.rows - 1);
  const int c = std::clamp(static_cast<int>(std::lround(m_points.front().col)), 0, image.info.columns - 1);
  m_reference = image.at(r, c);
}

void SmartBrushStroke::apply(core::LabelMap& map) const {
  if (map.rows != m_image->info.rows || map.columns != m_image->info.columns) {
    throw std::invalid_argument("smart brush: label map " + std::to_string(map.rows) + "x" +
                                std::to_string(map.columns) + " is not in the grid of image " +
                                m_image->info.sourcePath);
  }
  forEachCoveredPixel(map, [&](int r, int c) {
    if (std::abs(static_cast<int>(m_image->at(r, c)) - static_cast<int>(m_reference)) <= m_tolerance) {
      map.at(r, c) = m_label;
    }
  });
}

}  // namespace mammo::annotation
