#include "inference/OptimalCenter.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "inference/NyuConstants.h"

namespace mammo::inference {
namespace {

// The model-input window split around its centre: [c - half, c + rest) on each axis.
struct Window {
  int halfRows, halfColumns, restRows, restColumns;
};

Window windowFor(core::ViewPosition view) {
  std::array<int, 2> size{};
  if (view == core::ViewPosition::CC) {
    size = kCcInputSize;
  } else if (view == core::ViewPosition::MLO) {
    size = kMloInputSize;
  } else {
    throw std::invalid_argument("optimalCenter: the NYU model has windows for CC and MLO views only, not " +
                                std::string(core::toString(view)));
  }
  return {size[0] / 2, size[1] / 2, size[0] - size[0] / 2, size[1] - size[1] / 2};
}

// The reference's placement of a window on one axis of length `length`: a window that starts before 0
// slides forward to 0 keeping its size and is then clipped at the end; one that only overruns the end is
// clipped. A window entirely outside the axis (never the case for the parity data) becomes empty.
std::pair<int, int> placeWindow(int center, int half, int rest, int length) {
  int start = center - half, end = center + rest;
  if (start < 0) {
    end -= start;
    start = 0;
  }
  end = std::min(end, length);
  start = std::min(start, end);
  return {start, std::max(end, start)};
}

// Original column range [begin, end) of face-right columns [begin, end).
std::pair<int, int> storedColumns(int begin, int end, int columns, bool faceRightFlip) {
  return faceRightFlip ? std::pair<int, int>{columns - end, columns - begin} : std::pair<int, int>{begin, end};
}

bool anyNonzero(const std::uint16_t* row, std::pair<int, int> range) {
  return std::any_of(row + range.first, row + range.second, [](std::uint16_t v) { return v > 0; });
}

// MLO: no search. The window's bottom edge goes to the lower of the crop's bottom-most breast row and the
// last row with tissue within the nipple-side window width, and its right edge just left of the nipple.
std::array<int, 2> mloCenter(const std::uint16_t* pixels, int rows, int columns, bool faceRightFlip, const Window& win,
                             const core::CropMetadata& crop) {
  const int windowColumns = win.halfColumns + win.restColumns;
  const auto range = storedColumns(std::max(0, columns - windowColumns), columns, columns, faceRightFlip);
  int lastRow = rows - 1;
  while (lastRow >= 0 && !anyNonzero(pixels + static_cast<std::size_t>(lastRow) * columns, range)) --lastRow;
  if (lastRow < 0) {
    throw std::runtime_error("optimalCenter: the MLO crop has no tissue in its nipple-side " +
                             std::to_string(windowColumns) + " columns; check the crop and its laterality");
  }
  // Reference quirk: both offsets subtract one more than the half window (y = bottom - 1488, x = rightmost - 875).
  return {std::min(crop.bottommostY, lastRow) - win.halfRows - 1, crop.rightmostX - win.halfColumns - 1};
}

// CC: x fixed next to the nipple, y searched for the window holding the most tissue pixels.
std::array<int, 2> ccCenter(const std::uint16_t* pixels, int rows, int columns, bool faceRightFlip, const Window& win,
                            const core::CropMetadata& crop) {
  // Reference quirk: x = rightmost_x - hw - 1, one column further left than centring would need.
  const int x = crop.rightmostX - win.halfColumns - 1;
  const int comY = rows / 2, comX = columns / 2;
  if (!(win.halfRows < rows - win.restRows)) return {comY, x};  // the window does not fit: no search

  // The reference scores with a 2-D summed-area table; with x fixed every candidate shares one column
  // range, so a running sum over per-row counts of that range gives the same (exact, integer) scores.
  const auto [columnBegin, columnEnd] = placeWindow(x, win.halfColumns, win.restColumns, columns);
  const auto range = storedColumns(columnBegin, columnEnd, columns, faceRightFlip);
  std::vector<std::int64_t> prefix(static_cast<std::size_t>(rows) + 1, 0);
  for (int y = 0; y < rows; ++y) {
    const std::uint16_t* row = pixels + static_cast<std::size_t>(y) * columns;
    const auto tissue = std::count_if(row + range.first, row + range.second, [](std::uint16_t v) { return v > 0; });
    prefix[static_cast<std::size_t>(y) + 1] = prefix[static_cast<std::size_t>(y)] + tissue;
  }

  // Highest score; ties -> nearest (squared Euclidean) to the crop centre; then the first in scan order.
  std::array<int, 2> best{};
  std::int64_t bestScore = -1, bestDistance = 0;
  for (int y = win.halfRows; y <= rows - win.restRows; ++y) {
    const auto [top, bottom] = placeWindow(y, win.halfRows, win.restRows, rows);
    const std::int64_t score = prefix[static_cast<std::size_t>(bottom)] - prefix[static_cast<std::size_t>(top)];
    const std::int64_t dy = y - comY, dx = x - comX;
    const std::int64_t distance = dy * dy + dx * dx;
    if (score > bestScore || (score == bestScore && distance < bestDistance)) {
      best = {y, x};
      bestScore = score;
      bestDistance = distance;
    }
  }
  return best;
}

}  // namespace

std::array<int, 2> optimalCenter(const std::uint16_t* croppedPixels, int rows, int columns, bool faceRightFlip,
                                 core::ViewPosition view, const core::CropMetadata& crop) {
  const Window win = windowFor(view);
  if (croppedPixels == nullptr || rows <= 0 || columns <= 0) {
    throw std::invalid_argument("optimalCenter: empty crop (" + std::to_string(rows) + " x " + std::to_string(columns) +
                                ")");
  }
  return view == core::ViewPosition::MLO ? mloCenter(croppedPixels, rows, columns, faceRightFlip, win, crop)
                                         : ccCenter(croppedPixels, rows, columns, faceRightFlip, win, crop);
}

}  // namespace mammo::inference
