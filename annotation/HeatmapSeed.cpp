#include "annotation/HeatmapSeed.h"

#include <stdexcept>
#include <string>

namespace mammo::annotation {

HeatmapSeed::HeatmapSeed(core::FloatRaster heatmap, float threshold, std::uint8_t label,
                         std::optional<PixelRect> region)
    : m_heatmap(std::move(heatmap)), m_threshold(threshold), m_label(label), m_region(region) {
  if (m_heatmap.empty()) throw std::invalid_argument("heatmap seed: no heatmap");
}

PixelRect HeatmapSeed::bounds(const core::LabelMap& map) const {
  const PixelRect whole = PixelRect::whole(map);
  return (m_region ? *m_region : whole).clippedTo(map.rows, map.columns);
}

void HeatmapSeed::apply(core::LabelMap& map) const {
  if (!m_heatmap.covers(map.rows, map.columns)) {
    throw std::invalid_argument("heatmap seed: heatmap " + std::to_string(m_heatmap.rows()) + "x" +
                                std::to_string(m_heatmap.columns()) + " is not in the label map's grid " +
                                std::to_string(map.rows) + "x" + std::to_string(map.columns));
  }
  const PixelRect box = bounds(map);
  for (int r = box.row0; r < box.row1; ++r) {
    const size_t rowStart = static_cast<size_t>(r) * map.columns;
    for (int c = box.col0; c < box.col1; ++c) {
      if (m_heatmap.values()[rowStart + c] >= m_threshold) map.labels[rowStart + c] = m_label;
    }
  }
}

}  // namespace mammo::annotation
