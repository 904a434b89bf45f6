#pragma once
// One view of a training exam in the NYU face-right crop frame (../shared/docs/NYU-PIPELINE.md §2, §4.1):
// the stage-1 crop of the stored pixels mirrored so the breast faces right, the whole-crop standardisation
// of stage 3 and the lesion masks cropped and mirrored the same way. Pixel buffers are row-major
// (row, column), rows x columns of the crop. Plain values; thread-safe (no shared state).
#include <array>
#include <cstdint>
#include <vector>

#include "core/ExamList.h"
#include "core/Raster.h"
#include "core/Types.h"

namespace mammo::training {

enum MaskBits : std::uint8_t { kBenignBit = 1, kMalignantBit = 2 };

struct PreparedView {
  core::StandardView view = core::StandardView::LCC;
  int rows = 0, columns = 0;
  std::vector<std::uint16_t> pixels;  // face-right crop, stored values
  std::vector<float> standardised;  // (x - mean) / std over the whole crop (stage 3, float64 -> float32)
  std::vector<std::uint8_t> lesions;  // MaskBits per pixel; empty when the image has no mask files
  core::CropMetadata crop;  // stage-1 metadata (windowLocation in the stored image)
  bool faceRightFlip = false;  // the crop was mirrored to face right
  std::array<int, 2> bestCenter{};  // (row, column) of the model window centre, face-right crop frame
  // rows x columns when the heatmap model is trained (shared when the view is copied); empty otherwise.
  core::FloatRaster benignHeatmap, malignantHeatmap;
  bool examHasFindings = false;  // any benign or malignant breast label in the exam
  bool imageHasFinding = false;  // a non-empty lesion mask in this image
};

// Loads the first image of `view` of `exam` (PNG or DICOM through core::loadImage, MONOCHROME1 inverted)
// and its "benign"/"malignant" mask PNGs (any nonzero value is inside). `inputSize` (rows, columns) is the
// model window of this view; the best centre is a simplified stage 2 for it: the crop's middle row and the
// window's right edge at the nipple column (the reference's optimal centre is tied to the full input size).
// Throws std::runtime_error naming the file when it cannot be read or a mask's size differs.
PreparedView prepareView(const core::ExamEntry& exam, core::StandardView view, std::array<int, 2> inputSize);

}  // namespace mammo::training
