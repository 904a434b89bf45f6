#pragma once
// "Seed from AI": the model's heatmap for an image (probabilities in the image's own grid) thresholded
// into an editable mask. Pixels with value >= threshold get `label`; others are left as they are, so a
// seed adds to what the annotator already painted and can be undone as one operation.
#include <cstdint>
#include <optional>

#include "annotation/Operation.h"
#include "core/Raster.h"

namespace mammo::annotation {

class HeatmapSeed : public Operation {
 public:
  // `heatmap` in the label map's grid (shared, not copied). `region` (if given) restricts the seed to it.
  HeatmapSeed(core::FloatRaster heatmap, float threshold, std::uint8_t label, std::optional<PixelRect> region = {});

  PixelRect bounds(const core::LabelMap& map) const override;
  void apply(core::LabelMap& map) const override;

 private:
  core::FloatRaster m_heatmap;
  float m_threshold;
  std::uint8_t m_label;
  std::optional<PixelRect> m_region;
};

}  // namespace mammo::annotation
