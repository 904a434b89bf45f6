#pragma once
// Which image edge the chest wall touches, and the "breast faces right" normalisation of the NYU
// pipeline (chest wall at column 0) with its inverse. Frames: pixel (row, col), row 0 at the top.
#include <cstdint>
#include <vector>

#include "core/Image.h"

namespace mammo::core {

// Detects the chest-wall edge from the pixels: the edge column whose rows are mostly breast.
// Breast = brighter than the background level (stored value > threshold, inverted for MONOCHROME1).
OrientationReport analyseOrientation(const Image& image);

// The edge a correctly stored image of this laterality has its chest wall on. Standard acquisition:
// left breasts face right (chest wall at the left edge), right breasts face left. PatientOrientation's
// row direction ("A" = columns run towards the nipple, "P" = towards the chest wall) overrides.
ImageEdge expectedChestWall(const ImageInfo& info);

// Explicit, reversible transform to the NYU frame in which every breast faces right.
struct FaceRightTransform {
  int columns = 0;
  bool flip = false;  // true when the stored image has its chest wall on the right edge
  int toNormalisedColumn(int col) const { return flip ? columns - 1 - col : col; }
  int toStoredColumn(int col) const { return flip ? columns - 1 - col : col; }
};

// Uses the detected chest wall when it is clear, otherwise the expected one.
FaceRightTransform faceRightTransform(const Image& image);

// Returns a copy of the pixels in the face-right frame (the stored pixels are never changed).
std::vector<std::uint16_t> toFaceRight(const Image& image, const FaceRightTransform& t);

// Mirrors a row-major rows x columns buffer left-right in place.
template <typename T>
void mirrorColumns(std::vector<T>& data, int rows, int columns) {
  for (int r = 0; r < rows; ++r) {
    T* row = data.data() + static_cast<size_t>(r) * columns;
    for (int a = 0, b = columns - 1; a < b; ++a, --b) std::swap(row[a], row[b]);
  }
}

}  // namespace mammo::core
