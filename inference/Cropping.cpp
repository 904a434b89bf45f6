#include "inference/Cropping.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>

#include "core/RegionWalk.h"

namespace mammo::inference {
namespace {

constexpr std::int32_t kFar = std::numeric_limits<std::int32_t>::max() / 2;  // "no source pixel", no overflow

void checkMask(const char* function, const std::vector<std::uint8_t>& mask, int rows, int columns, int iterations) {
  if (rows <= 0 || columns <= 0 || mask.size() != static_cast<std::size_t>(rows) * static_cast<std::size_t>(columns)) {
    throw std::invalid_argument(std::string(function) + ": mask size does not match " + std::to_string(rows) + " x " +
                                std::to_string(columns));
  }
  if (iterations < 0) {
    throw std::invalid_argument(std::string(function) + ": iterations must be >= 0, got " + std::to_string(iterations));
  }
}

// City-block distance from each set pixel to the nearest unset pixel, where the virtual pixels outside the
// image count as unset; 0 on unset pixels. The forward pass looks up and left, the backward pass down and
// right; for the L1 metric these two passes are exact.
std::vector<std::int32_t> distanceToBackground(const std::vector<std::uint8_t>& mask, int rows, int columns) {
  std::vector<std::int32_t> d(mask.size());
  for (int y = 0; y < rows; ++y) {
    const std::size_t row = static_cast<std::size_t>(y) * columns;
    for (int x = 0; x < columns; ++x) {
      const std::size_t i = row + x;
      if (!mask[i]) {
        d[i] = 0;
        continue;
      }
      const std::int32_t up = y > 0 ? d[i - columns] : 0;
      const std::int32_t left = x > 0 ? d[i - 1] : 0;
      d[i] = std::min(up, left) + 1;
    }
  }
  for (int y = rows - 1; y >= 0; --y) {
    const std::size_t row = static_cast<std::size_t>(y) * columns;
    for (int x = columns - 1; x >= 0; --x) {
      const std::size_t i = row + x;
      if (d[i] == 0) continue;
      const std::int32_t down = y + 1 < rows ? d[i + columns] : 0;
      const std::int32_t right = x + 1 < columns ? d[i + 1] : 0;
      d[i] = std::min(d[i], std::min(down, right) + 1);
    }
  }
  return d;
}

// City-block distance from each pixel to the nearest set pixel (kFar when the mask is empty). Inside a
// rectangle every shortest L1 path stays inside, so the image border needs no special case.
std::vector<std::int32_t> distanceToSet(const std::vector<std::uint8_t>& mask, int rows, int columns) {
  std::vector<std::int32_t> d(mask.size());
  for (int y = 0; y < rows; ++y) {
    const std::size_t row = static_cast<std::size_t>(y) * columns;
    for (int x = 0; x < columns; ++x) {
      const std::size_t i = row + x;
      if (mask[i]) {
        d[i] = 0;
        continue;
      }
      const std::int32_t up = y > 0 ? d[i - columns] : kFar;
      const std::int32_t left = x > 0 ? d[i - 1] : kFar;
      d[i] = std::min(kFar, std::min(up, left) + 1);
    }
  }
  for (int y = rows - 1; y >= 0; --y) {
    const std::size_t row = static_cast<std::size_t>(y) * columns;
    for (int x = columns - 1; x >= 0; --x) {
      const std::size_t i = row + x;
      if (d[i] == 0) continue;
      const std::int32_t down = y + 1 < rows ? d[i + columns] : kFar;
      const std::int32_t right = x + 1 < columns ? d[i + 1] : kFar;
      d[i] = std::min(d[i], std::min(down, right) + 1);
    }
  }
  return d;
}

// The largest 4-connected component of `mask` (scipy.ndimage.label's default structure). Reference
// quirk: ties go to the lowest label, and scipy numbers components in raster order of their first pixel,
// so the component met first in a raster scan wins. Returns an empty vector when the mask is empty.
std::vector<std::uint8_t> largestComponent(const std::vector<std::uint8_t>& mask, int rows, int columns) {
  std::vector<std::int32_t> labels(mask.size(), 0);
  std::vector<std::size_t> stack;
  std::int32_t nextLabel = 0, bestLabel = 0;
  std::size_t bestSize = 0;
  for (std::size_t seed = 0; seed < mask.size(); ++seed) {
    if (!mask[seed] || labels[seed] != 0) continue;
    const std::int32_t label = ++nextLabel;
    std::size_t size = 0;
    labels[seed] = label;
    core::walkRegion4(
        seed, rows, columns, stack,
        [&](std::size_t j) {
          if (!mask[j] || labels[j] != 0) return false;
          labels[j] = label;
          return true;
        },
        [&](std::size_t) { ++size; });
    if (size > bestSize) {  // strictly larger: an equal later component never replaces an earlier one
      bestSize = size;
      bestLabel = label;
    }
  }
  if (bestLabel == 0) return {};
  std::vector<std::uint8_t> out(mask.size());
  for (std::size_t i = 0; i < mask.size(); ++i) out[i] = labels[i] == bestLabel ? 1 : 0;
  return out;
}

struct Box {
  int y0 = 0, y1 = 0, x0 = 0, x1 = 0;  // half-open
};

Box boundingBox(const std::vector<std::uint8_t>& mask, int rows, int columns) {
  Box box{rows, 0, columns, 0};
  for (int y = 0; y < rows; ++y) {
    const std::uint8_t* row = mask.data() + static_cast<std::size_t>(y) * columns;
    int first = 0, last = columns - 1;
    while (first < columns && !row[first]) ++first;
    if (first == columns) continue;
    while (!row[last]) --last;
    box.y0 = std::min(box.y0, y);
    box.y1 = y + 1;
    box.x0 = std::min(box.x0, first);
    box.x1 = std::max(box.x1, last + 1);
  }
  return box;
}

// Right-most (nipple) point of the opened mask inside the crop box (§2.2 step 11): the outermost column
// with a set pixel below the top part of the crop, and the first and last such rows in that column.
void findRightmost(const std::vector<std::uint8_t>& opened, int columns, const Box& box, bool pointsLeft,
                   double skipRatio, core::CropMetadata& m) {
  const int cropRows = box.y1 - box.y0, cropColumns = box.x1 - box.x0;
  // Reference quirk: the rows to skip are int(Hc * (1/3)) evaluated in double, i.e. truncated.
  const int skip = static_cast<int>(static_cast<double>(cropRows) * skipRatio);
  const auto cropRow = [&](int r) { return opened.data() + static_cast<std::size_t>(box.y0 + r) * columns + box.x0; };
  int column = -1;
  for (int r = skip; r < cropRows; ++r) {
    const std::uint8_t* row = cropRow(r);
    if (pointsLeft) {
      const int end = column < 0 ? cropColumns : column;  // only a column left of the best so far matters
      for (int c = 0; c < end; ++c) {
        if (row[c]) {
          column = c;
          break;
        }
      }
    } else {
      for (int c = cropColumns - 1; c > column; --c) {
        if (row[c]) {
          column = c;
          break;
        }
      }
    }
  }
  if (column < 0) {
    throw std::runtime_error("no breast found: the breast region lies entirely in the top part of the crop");
  }
  int firstRow = -1, lastRow = -1;
  for (int r = skip; r < cropRows; ++r) {
    if (!cropRow(r)[column]) continue;
    if (firstRow < 0) firstRow = r;
    lastRow = r;
  }
  m.rightmostRows = {firstRow, lastRow};
  // Reference quirk: mode left reports Wc - c, not the true mirror Wc - 1 - c (as for the bottom-most columns).
  m.rightmostX = pointsLeft ? cropColumns - column : column;
}

void checkCropArguments(const std::uint16_t* pixels, int rows, int columns, core::Laterality side,
                        const CropParameters& p) {
  if (pixels == nullptr || rows <= 0 || columns <= 0) {
    throw std::invalid_argument("cropMammogram: empty image (" + std::to_string(rows) + " x " +
                                std::to_string(columns) + ")");
  }
  if (side != core::Laterality::Left && side != core::Laterality::Right) {
    throw std::invalid_argument("cropMammogram: laterality must be left or right to orient the crop");
  }
  if (p.iterations < 0 || p.buffer < 0 || !(p.rightmostSkipRatio >= 0.0 && p.rightmostSkipRatio < 1.0)) {
    throw std::invalid_argument("cropMammogram: need iterations >= 0, buffer >= 0 and 0 <= skip ratio < 1");
  }
}

}  // namespace

std::vector<std::uint8_t> erodeCross(const std::vector<std::uint8_t>& mask, int rows, int columns, int iterations) {
  checkMask("erodeCross", mask, rows, columns, iterations);
  // k erosions keep exactly the pixels whose whole L1 ball of radius k is set, i.e. whose distance to the
  // nearest background (or outside) pixel is at least k + 1.
  const std::vector<std::int32_t> d = distanceToBackground(mask, rows, columns);
  std::vector<std::uint8_t> out(mask.size());
  for (std::size_t i = 0; i < d.size(); ++i) out[i] = d[i] > iterations ? 1 : 0;
  return out;
}

std::vector<std::uint8_t> dilateCross(const std::vector<std::uint8_t>& mask, int rows, int columns, int iterations) {
  checkMask("dilateCross", mask, rows, columns, iterations);
  const std::vector<std::int32_t> d = distanceToSet(mask, rows, columns);
  std::vector<std::uint8_t> out(mask.size());
  for (std::size_t i = 0; i < d.size(); ++i) out[i] = d[i] <= iterations ? 1 : 0;
  return out;
}

CropResult cropMammogram(const std::uint16_t* pixels, int rows, int columns, core::Laterality side, bool horizontalFlip,
                         const CropParameters& p) {
  checkCropArguments(pixels, rows, columns, side, p);
  // The reference's "mode": left when the stored breast points left (§2.1).
  const bool pointsLeft = needsFaceRightFlip(side, horizontalFlip);
  const std::size_t count = static_cast<std::size_t>(rows) * static_cast<std::size_t>(columns);

  std::vector<std::uint8_t> mask(count);
  for (std::size_t i = 0; i < count; ++i) mask[i] = pixels[i] > 0 ? 1 : 0;
  const std::vector<std::uint8_t> breast =
      largestComponent(erodeCross(mask, rows, columns, p.iterations), rows, columns);
  if (breast.empty()) {
    // The reference dies here with numpy's "argmax of an empty sequence" (NYU issue #27).
    throw std::runtime_error("no breast found: nothing is left of the image after " + std::to_string(p.iterations) +
                             " erosion steps (blank image, or a breast region thinner than " +
                             std::to_string(2 * p.iterations + 1) +
                             " pixels); the background must be stored as exactly 0");
  }
  const std::vector<std::uint8_t> opened = dilateCross(breast, rows, columns, p.iterations);
  Box box = boundingBox(opened, rows, columns);

  // Bottom-most set pixels, taken before any buffer is applied.
  const int bottomRow = box.y1 - 1;
  const std::uint8_t* bottom = opened.data() + static_cast<std::size_t>(bottomRow) * columns;
  int bottomFirst = 0, bottomLast = columns - 1;
  while (!bottom[bottomFirst]) ++bottomFirst;
  while (!bottom[bottomLast]) --bottomLast;

  box.y0 = std::max(0, box.y0 - p.buffer);
  box.y1 = std::min(rows, box.y1 + p.buffer);
  // Recorded before the x buffer; the reference never uses it downstream.
  const int distanceFromStartingSide = pointsLeft ? columns - box.x1 : box.x0;
  if (pointsLeft) {
    box.x0 = std::max(0, box.x0 - p.buffer);  // buffer only on the nipple side
  } else {
    box.x1 = std::min(columns, box.x1 + p.buffer);
  }
  const int cropRows = box.y1 - box.y0, cropColumns = box.x1 - box.x0;

  CropResult result;
  core::CropMetadata& m = result.metadata;
  m.windowLocation = {box.y0, box.y1, box.x0, box.x1};
  m.distanceFromStartingSide = distanceFromStartingSide;
  m.bottommostY = bottomRow - box.y0;
  // Reference quirk: the face-right x of an original column X is x1 - X, not the true mirror
  // (x1 - 1) - X, so mode-left x values are one larger than a mirror would give. Reproduced on purpose.
  m.bottommostColumns = pointsLeft ? std::array<int, 2>{box.x1 - bottomLast, box.x1 - bottomFirst}
                                   : std::array<int, 2>{bottomFirst - box.x0, bottomLast - box.x0};

  findRightmost(opened, columns, box, pointsLeft, p.rightmostSkipRatio, m);

  result.rows = cropRows;
  result.columns = cropColumns;
  result.pixels.resize(static_cast<std::size_t>(cropRows) * cropColumns);
  for (int r = 0; r < cropRows; ++r) {
    const std::uint16_t* source = pixels + static_cast<std::size_t>(box.y0 + r) * columns + box.x0;
    std::copy(source, source + cropColumns, result.pixels.begin() + static_cast<std::ptrdiff_t>(r) * cropColumns);
  }
  return result;
}

}  // namespace mammo::inference
