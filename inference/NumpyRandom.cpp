#include "inference/NumpyRandom.h"

#include <bit>
#include <stdexcept>
#include <string>

namespace mammo::inference {

NumpyRandom::NumpyRandom(std::uint32_t seed) : m_engine(seed) {}

std::uint32_t NumpyRandom::nextUint32() { return static_cast<std::uint32_t>(m_engine()); }

double NumpyRandom::randomSample() {
  const std::uint32_t a = nextUint32() >> 5;  // 27 bits
  const std::uint32_t b = nextUint32() >> 6;  // 26 bits
  return (a * 67108864.0 + b) / 9007199254740992.0;
}

double NumpyRandom::uniform(double low, double high) { return low + (high - low) * randomSample(); }

std::int64_t NumpyRandom::randint(std::int64_t high) {
  if (high < 1 || high > (std::int64_t{1} << 32)) {
    throw std::invalid_argument("NumpyRandom::randint: high must be in [1, 2^32], got " + std::to_string(high));
  }
  // numpy works with the inclusive range [0, high - 1]; an empty span needs no randomness at all.
  const auto maxValue = static_cast<std::uint32_t>(high - 1);
  if (maxValue == 0) return 0;
  // The smallest all-ones mask covering maxValue keeps the low bits of each draw; values beyond maxValue are
  // rejected rather than folded, so the result is unbiased and the draw count matches numpy.
  const std::uint32_t mask =
      maxValue == 0xffffffffU ? 0xffffffffU : (std::uint32_t{1} << std::bit_width(maxValue)) - 1U;
  std::uint32_t value = nextUint32() & mask;
  while (value > maxValue) value = nextUint32() & mask;
  return value;
}

}  // namespace mammo::inference
