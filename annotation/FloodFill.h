#pragma once
// Flood fill on the image's raw stored values: from a seed pixel, every 4-connected pixel whose value
// lies in [low, high] (inclusive) gets `label`. Nothing is filled when the seed itself is out of range.
#include <cstdint>

#include "annotation/Operation.h"

namespace mammo::core {
struct Image;
}

namespace mammo::annotation {

class FloodFill : public Operation {
 public:
  // `image` must outlive the operation and share the label map's grid.
  FloodFill(const core::Image& image, int seedRow, int seedCol, std::uint16_t low, std::uint16_t high,
            std::uint8_t label);

  // The region is only known after the search, so the whole map is reported; EditHistory still stores
  // only the tiles that actually change.
  PixelRect bounds(const core::LabelMap& map) const override { return PixelRect::whole(map); }
  void apply(core::LabelMap& map) const override;

 private:
  const core::Image* m_image;
  int m_seedRow, m_seedCol;
  std::uint16_t m_low, m_high;
  std::uint8_t m_label;
};

}  // namespace mammo::annotation
