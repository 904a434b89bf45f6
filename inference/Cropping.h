#pragma once
// Stage 1 of the NYU pipeline: find the breast in a raw mammogram and crop to it, producing the reference's
// crop metadata (../shared/docs/NYU-PIPELINE.md §2). Pure computation on a caller-owned buffer; thread-safe
// (no shared state). Pixel buffers are row-major, (row, column) = (y, x), 0-based, top row first.
#include <cstdint>
#include <vector>

#include "core/ExamList.h"
#include "core/Types.h"
#include "inference/NyuConstants.h"

namespace mammo::inference {

struct CropParameters {
  int iterations = kCropIterations;  // erosion and dilation steps of the 4-connected cross
  int buffer = kCropBuffer;  // pixels added around the breast (not on the chest-wall side in x)
  double rightmostSkipRatio = 1.0 / 3.0;  // top share of the crop ignored when looking for the nipple column
};

struct CropResult {
  // windowLocation in the input image; rightmost/bottommost points in crop coordinates, x in the
  // "breast faces right" frame with the reference's mirror convention; bestCenter left empty.
  core::CropMetadata metadata;
  int rows = 0;  // y1 - y0
  int columns = 0;  // x1 - x0
  std::vector<std::uint16_t> pixels;  // input[y0:y1, x0:x1], original orientation, values unchanged
};

// Crops `pixels` (rows x columns, background stored as exactly 0). `side` must be Left or Right;
// `horizontalFlip` is the NYU exam flag ("YES" = true). Throws std::invalid_argument for bad arguments and
// std::runtime_error("no breast found: ...") when no foreground survives the erosion.
CropResult cropMammogram(const std::uint16_t* pixels, int rows, int columns, core::Laterality side, bool horizontalFlip,
                         const CropParameters& p = {});

// The morphology behind the crop, exposed so tests can hold it against literal iteration. Masks are
// row-major rows x columns, 1 = set. Both equal `iterations` repetitions of binary erosion/dilation with the
// 4-connected cross and border value 0 (outside the image counts as background), computed in O(N) through
// two-pass city-block distance transforms.
std::vector<std::uint8_t> erodeCross(const std::vector<std::uint8_t>& mask, int rows, int columns, int iterations);
std::vector<std::uint8_t> dilateCross(const std::vector<std::uint8_t>& mask, int rows, int columns, int iterations);

}  // namespace mammo::inference
