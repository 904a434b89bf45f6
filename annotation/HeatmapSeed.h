#pragma once
// "Seed from AI": the model's heatmap for an image (probabilities in the image's own grid) thresholded
// into an editable mask. Pixels with value >= threshold get `label`; others are left as they are, so a
// seed adds to what the annotator already painted and can be undone as one operation.
#include <cstdint>
#include <optional>
#include <span>

#include "annotation/Operation.h"

namespace mammo::annotation {

// A non-owning view of a float image, row-major (row, col), in the label map's grid.
struct FloatGrid {
  int rows = 0;
  int columns = 0;
  std::span<const float> values;
};

class HeatmapSeed : public Operation {
 public:
  // The heatmap's storage must outlive the operation. `region` (if given) restricts the seed to it.
  HeatmapSeed(FloatGrid heatmap, float threshold, std::uint8_t label, std::optional<PixelRect> region = {});

  PixelRect bounds(const core::LabelMap& map) const override;
  void apply(core::LabelMap& map) const override;

 private:
  FloatGrid m_heatmap;
  float m_threshold;
  std::uint8_t m_label;
  std::optional<PixelRect> m_region;
};

}  // namespace mammo::annotation
