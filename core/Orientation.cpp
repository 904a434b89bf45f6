#include "core/Orientation.h"

#include <algorithm>

namespace mammo::core {
namespace {

// Background level: real FFDM backgrounds are (near) zero; digitised film and MONOCHROME1 images are
// not, so the threshold is taken from the image's own histogram of its two edge columns' opposite.
std::uint16_t backgroundThreshold(const Image& image) {
  const int bits = std::clamp(image.info.bitsStored, 1, 16);
  const unsigned maxValue = (1u << bits) - 1u;
  // 4 % of the stored range above the darkest value of the image's corners.
  const int rows = image.info.rows, cols = image.info.columns;
  std::uint16_t darkest = 0xffff;
  auto bright = [&](int r, int c) -> std::uint16_t {
    const std::uint16_t v = image.at(r, c);
    return image.info.photometric == Photometric::Monochrome1
               ? static_cast<std::uint16_t>(maxValue - std::min<unsigned>(v, maxValue))
               : v;
  };
  for (int r : {0, rows - 1}) {
    for (int c : {0, cols - 1}) darkest = std::min(darkest, bright(r, c));
  }
  return static_cast<std::uint16_t>(std::min<unsigned>(maxValue, darkest + std::max(1u, maxValue / 25)));
}

double edgeFraction(const Image& image, int col, std::uint16_t threshold) {
  const unsigned maxValue = (1u << std::clamp(image.info.bitsStored, 1, 16)) - 1u;
  const bool invert = image.info.photometric == Photometric::Monochrome1;
  int hits = 0;
  for (int r = 0; r < image.info.rows; ++r) {
    // A 3-column band makes the test robust to a dark border line at the very edge.
    bool breast = false;
    for (int d = 0; d < 3 && !breast; ++d) {
      const int c = col == 0 ? d : col - d;
      if (c < 0 || c >= image.info.columns) continue;
      unsigned v = image.at(r, c);
      if (invert) v = maxValue - std::min(v, maxValue);
      breast = v > threshold;
    }
    hits += breast ? 1 : 0;
  }
  return image.info.rows ? static_cast<double>(hits) / image.info.rows : 0.0;
}

}  // namespace

ImageEdge expectedChestWall(const ImageInfo& info) {
  if (!info.patientOrientation.empty()) {
    const char rowDirection = info.patientOrientation.front();
    if (rowDirection == 'A') return ImageEdge::Left;
    if (rowDirection == 'P') return ImageEdge::Right;
  }
  if (info.laterality == Laterality::Left) return ImageEdge::Left;
  if (info.laterality == Laterality::Right) return ImageEdge::Right;
  return ImageEdge::Unknown;
}

OrientationReport analyseOrientation(const Image& image) {
  OrientationReport report;
  report.expected = expectedChestWall(image.info);
  if (!image.info.hasPixels || image.info.rows < 8 || image.info.columns < 8) return report;
  const std::uint16_t threshold = backgroundThreshold(image);
  report.leftEdgeFraction = edgeFraction(image, 0, threshold);
  report.rightEdgeFraction = edgeFraction(image, image.info.columns - 1, threshold);
  const double l = report.leftEdgeFraction, r = report.rightEdgeFraction;
  // Clear only when one edge is mostly breast and the other mostly not.
  if (l >= 0.3 && l > 2.0 * r) report.chestWall = ImageEdge::Left;
  if (r >= 0.3 && r > 2.0 * l) report.chestWall = ImageEdge::Right;
  report.mirrored = report.chestWall != ImageEdge::Unknown && report.expected != ImageEdge::Unknown &&
                    report.chestWall != report.expected;
  return report;
}

std::string OrientationReport::verdict() const {
  if (chestWall == ImageEdge::Unknown) return "undetermined";
  if (mirrored) return "mirrored";
  return "ok";
}

FaceRightTransform faceRightTransform(const Image& image) {
  FaceRightTransform t;
  t.columns = image.info.columns;
  ImageEdge edge = image.orientation.chestWall;
  if (edge == ImageEdge::Unknown) edge = image.orientation.expected;
  if (edge == ImageEdge::Unknown) edge = expectedChestWall(image.info);
  t.flip = edge == ImageEdge::Right;
  return t;
}

std::vector<std::uint16_t> toFaceRight(const Image& image, const FaceRightTransform& t) {
  std::vector<std::uint16_t> out = image.pixels;
  if (t.flip) mirrorColumns(out, image.info.rows, image.info.columns);
  return out;
}

}  // namespace mammo::core
