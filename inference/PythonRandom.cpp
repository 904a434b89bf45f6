#include "inference/PythonRandom.h"

#include <algorithm>
#include <bit>
#include <stdexcept>
#include <string>

namespace mammo::inference {

namespace {
// MT19937 parameters (Matsumoto & Nishimura 1998).
constexpr int kShift = 397;
constexpr std::uint32_t kMatrixA = 0x9908b0dfU;
constexpr std::uint32_t kUpperMask = 0x80000000U;
constexpr std::uint32_t kLowerMask = 0x7fffffffU;
// The fixed seed init_by_array starts from before mixing in the key.
constexpr std::uint32_t kArraySeed = 19650218U;
// CPython's sample(): below this many elements a list of the population is cheaper than a set.
constexpr int kSmallSetSize = 21;
}  // namespace

PythonRandom::PythonRandom(std::uint64_t seed) { this->seed(seed); }

void PythonRandom::seed(std::uint64_t seed) {
  // CPython splits |seed| into 32-bit words, least significant first; zero still gives one word.
  std::vector<std::uint32_t> key{static_cast<std::uint32_t>(seed)};
  if (const auto high = static_cast<std::uint32_t>(seed >> 32); high != 0) key.push_back(high);
  initByArray(key);
}

void PythonRandom::initGenrand(std::uint32_t s) {
  m_state[0] = s;
  for (int i = 1; i < kStateSize; ++i) {
    const std::uint32_t prev = m_state[i - 1];
    m_state[i] = 1812433253U * (prev ^ (prev >> 30)) + static_cast<std::uint32_t>(i);
  }
  m_index = kStateSize;
}

void PythonRandom::initByArray(const std::vector<std::uint32_t>& key) {
  initGenrand(kArraySeed);
  const int keyLength = static_cast<int>(key.size());
  int i = 1;
  int j = 0;
  for (int k = std::max(kStateSize, keyLength); k > 0; --k) {
    const std::uint32_t prev = m_state[i - 1];
    m_state[i] = (m_state[i] ^ ((prev ^ (prev >> 30)) * 1664525U)) + key[j] + static_cast<std::uint32_t>(j);
    ++i;
    ++j;
    if (i >= kStateSize) {
      m_state[0] = m_state[kStateSize - 1];
      i = 1;
    }
    if (j >= keyLength) j = 0;
  }
  for (int k = kStateSize - 1; k > 0; --k) {
    const std::uint32_t prev = m_state[i - 1];
    m_state[i] = (m_state[i] ^ ((prev ^ (prev >> 30)) * 1566083941U)) - static_cast<std::uint32_t>(i);
    ++i;
    if (i >= kStateSize) {
      m_state[0] = m_state[kStateSize - 1];
      i = 1;
    }
  }
  m_state[0] = kUpperMask;  // guarantees a non-zero state whatever the key
  m_index = kStateSize;
}

void PythonRandom::twist() {
  for (int k = 0; k < kStateSize; ++k) {
    const std::uint32_t y = (m_state[k] & kUpperMask) | (m_state[(k + 1) % kStateSize] & kLowerMask);
    m_state[k] = m_state[(k + kShift) % kStateSize] ^ (y >> 1) ^ ((y & 1U) ? kMatrixA : 0U);
  }
  m_index = 0;
}

std::uint32_t PythonRandom::nextUint32() {
  if (m_index >= kStateSize) twist();
  std::uint32_t y = m_state[m_index++];
  y ^= y >> 11;
  y ^= (y << 7) & 0x9d2c5680U;
  y ^= (y << 15) & 0xefc60000U;
  y ^= y >> 18;
  return y;
}

std::uint32_t PythonRandom::getRandBits(int bits) {
  if (bits < 0 || bits > 32) {
    throw std::invalid_argument("PythonRandom::getRandBits: bits must be in [0, 32], got " + std::to_string(bits));
  }
  if (bits == 0) return 0;  // CPython 3.9+ returns 0 without drawing
  return nextUint32() >> (32 - bits);
}

std::uint32_t PythonRandom::randBelow(std::uint32_t n) {
  if (n == 0) throw std::invalid_argument("PythonRandom::randBelow: n must be positive");
  // bit_length(n), not of n - 1: a power of two wastes half the draws, but that is what CPython does.
  const int bits = std::bit_width(n);
  std::uint32_t r = getRandBits(bits);
  while (r >= n) r = getRandBits(bits);
  return r;
}

double PythonRandom::random() {
  const std::uint32_t a = nextUint32() >> 5;  // 27 bits
  const std::uint32_t b = nextUint32() >> 6;  // 26 bits
  return (a * 67108864.0 + b) * (1.0 / 9007199254740992.0);
}

std::vector<int> PythonRandom::sample(int populationSize, int count) {
  if (count < 0 || count > populationSize) {
    throw std::invalid_argument("PythonRandom::sample: cannot draw " + std::to_string(count) + " of " +
                                std::to_string(populationSize) + " elements");
  }
  // CPython sizes a set for `count` elements as 4**ceil(log4(3 * count)) slots; 3 * count is never a power
  // of four, so the smallest power of four >= 3 * count is the same number computed exactly.
  long long setSize = kSmallSetSize;
  if (count > 5) {
    long long slots = 1;
    while (slots < 3LL * count) slots *= 4;
    setSize += slots;
  }
  std::vector<int> result(static_cast<std::size_t>(count));
  if (populationSize <= setSize) {
    // Pool method: partial Fisher-Yates that fills each vacancy with the pool's last live element.
    std::vector<int> pool(static_cast<std::size_t>(populationSize));
    for (int i = 0; i < populationSize; ++i) pool[i] = i;
    for (int i = 0; i < count; ++i) {
      const auto j = static_cast<int>(randBelow(static_cast<std::uint32_t>(populationSize - i)));
      result[i] = pool[j];
      pool[j] = pool[populationSize - i - 1];
    }
  } else {
    // Set method: redraw from the whole population until an unchosen index comes up.
    std::vector<bool> chosen(static_cast<std::size_t>(populationSize), false);
    for (int i = 0; i < count; ++i) {
      auto j = static_cast<int>(randBelow(static_cast<std::uint32_t>(populationSize)));
      while (chosen[j]) j = static_cast<int>(randBelow(static_cast<std::uint32_t>(populationSize)));
      chosen[j] = true;
      result[i] = j;
    }
  }
  return result;
}

}  // namespace mammo::inference
