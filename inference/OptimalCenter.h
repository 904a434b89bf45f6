#pragma once
// Stage 2 of the NYU pipeline: the "best centre" of the model-input window inside a cropped mammogram
// (../shared/docs/NYU-PIPELINE.md §3). Pure computation; thread-safe.
#include <array>
#include <cstdint>

#include "core/ExamList.h"
#include "core/Types.h"

namespace mammo::inference {

// `croppedPixels` is the Stage-1 crop (rows x columns, row-major, original orientation). `faceRightFlip`
// mirrors it first so the breast faces right (needsFaceRightFlip(side, horizontalFlip)). `view` is CC or
// MLO (window kCcInputSize / kMloInputSize). Uses crop.rightmostX and, for MLO, crop.bottommostY.
// Returns (y, x) in the face-right frame of the crop; it may lie outside the crop or be negative.
// Throws std::invalid_argument for another view or an empty buffer, and std::runtime_error for an MLO crop
// without any nonzero pixel in its nipple-side window columns.
std::array<int, 2> optimalCenter(const std::uint16_t* croppedPixels, int rows, int columns, bool faceRightFlip,
                                 core::ViewPosition view, const core::CropMetadata& crop);

}  // namespace mammo::inference
