#pragma once
// Fixed numbers and the orientation rule of the NYU reference pipeline (../shared/docs/NYU-PIPELINE.md §0,
// §2.1, §3), shared by the cropping, optimal-centre, heatmap and model stages.
#include <array>

#include "core/Types.h"

namespace mammo::inference {

// Model input sizes (rows, columns) in pixels; also the optimal-centre window of each view.
inline constexpr std::array<int, 2> kCcInputSize{2677, 1942};
inline constexpr std::array<int, 2> kMloInputSize{2974, 1748};

// Stage 1 defaults: erosion/dilation iterations and crop buffer in pixels.
inline constexpr int kCropIterations = 100;
inline constexpr int kCropBuffer = 50;

// True when the stored image shows the breast pointing left (the reference's crop "mode" left), i.e. it
// must be mirrored to face right: side R stored as acquired (NYU flag "NO"), or side L with flag "YES".
// Unknown laterality counts as not mirrored; callers that need a side must check it themselves.
inline constexpr bool needsFaceRightFlip(core::Laterality side, bool horizontalFlip) {
  return (side == core::Laterality::Right && !horizontalFlip) || (side == core::Laterality::Left && horizontalFlip);
}

}  // namespace mammo::inference
