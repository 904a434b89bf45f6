#pragma once
// CPython's random.Random (Mersenne Twister MT19937), re-implemented as far as the NYU heatmap stage needs
// it: the stride lists of the patch grid are chosen by random.sample(range(k), m) after random.seed(0)
// (../shared/docs/NYU-PIPELINE.md §4.3). Every draw must match CPython bit for bit, so the seeding is
// CPython's init_by_array, not std::mt19937's init_genrand.
// Not thread-safe: one instance per run, used from one thread at a time.
#include <array>
#include <cstdint>
#include <vector>

namespace mammo::inference {

class PythonRandom {
 public:
  // Same state as CPython after random.seed(seed) for a non-negative integer seed.
  explicit PythonRandom(std::uint64_t seed = 0);
  void seed(std::uint64_t seed);

  // The next raw 32-bit MT19937 output (CPython's genrand_uint32).
  std::uint32_t nextUint32();
  // random.getrandbits(bits) for 0 <= bits <= 32: the top `bits` bits of one draw; 0 draws nothing.
  std::uint32_t getRandBits(int bits);
  // random._randbelow(n) for n >= 1: rejection sampling on getrandbits(n.bit_length()). Note that n = 1
  // still consumes at least one draw, as in CPython.
  std::uint32_t randBelow(std::uint32_t n);
  // random.random(): a double in [0, 1) with 53 random bits from two draws.
  double random();
  // random.sample(range(populationSize), count), in CPython's order, including its choice between the
  // pool method and the set method, which consume different draws.
  std::vector<int> sample(int populationSize, int count);

 private:
  void initGenrand(std::uint32_t s);
  void initByArray(const std::vector<std::uint32_t>& key);
  void twist();

  static constexpr int kStateSize = 624;
  std::array<std::uint32_t, kStateSize> m_state{};
  int m_index = kStateSize;
};

}  // namespace mammo::inference
