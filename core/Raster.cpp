#include "core/Raster.h"

namespace mammo::core {

namespace {

// Calls reduce(block) for every output pixel, block(y, x) giving the input value at offset (y, x).
template <class Out, class In, class Reduce>
std::vector<Out> reduceBlocks(std::span<const In> values, int rows, int columns, int f, Reduce reduce) {
  if (f < 1) throw std::invalid_argument("a box factor must be >= 1");
  if (values.size() != static_cast<std::size_t>(rows) * columns) {
    throw std::invalid_argument("box reduction of " + std::to_string(rows) + "x" + std::to_string(columns) + " given " +
                                std::to_string(values.size()) + " values");
  }
  const int outRows = rows / f, outColumns = columns / f;
  std::vector<Out> out(static_cast<std::size_t>(outRows) * outColumns);
  for (int r = 0; r < outRows; ++r) {
    for (int c = 0; c < outColumns; ++c) {
      const auto at = [&](int y, int x) { return values[static_cast<std::size_t>(r * f + y) * columns + c * f + x]; };
      out[static_cast<std::size_t>(r) * outColumns + c] = reduce(at);
    }
  }
  return out;
}

}  // namespace

std::vector<std::uint16_t> boxAverage(std::span<const std::uint16_t> values, int rows, int columns, int f) {
  return reduceBlocks<std::uint16_t>(values, rows, columns, f, [f](const auto& at) {
    std::uint32_t sum = 0;
    for (int y = 0; y < f; ++y) {
      for (int x = 0; x < f; ++x) sum += at(y, x);
    }
    return static_cast<std::uint16_t>((sum + f * f / 2) / (f * f));
  });
}

std::vector<float> boxAverage(std::span<const float> values, int rows, int columns, int f) {
  return reduceBlocks<float>(values, rows, columns, f, [f](const auto& at) {
    double sum = 0;
    for (int y = 0; y < f; ++y) {
      for (int x = 0; x < f; ++x) sum += at(y, x);
    }
    return static_cast<float>(sum / (f * f));
  });
}

std::vector<std::uint8_t> boxOr(std::span<const std::uint8_t> values, int rows, int columns, int f) {
  return reduceBlocks<std::uint8_t>(values, rows, columns, f, [f](const auto& at) {
    std::uint8_t bits = 0;
    for (int y = 0; y < f; ++y) {
      for (int x = 0; x < f; ++x) bits |= at(y, x);
    }
    return bits;
  });
}

}  // namespace mammo::core
