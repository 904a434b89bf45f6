#pragma once
// numpy.random.RandomState(seed) (the legacy MT19937 generator), as far as NYU stage 4 uses it: the
// augmentation window noise and the per-view image choice (../shared/docs/NYU-PIPELINE.md §5.3).
// Integer seeding is MT19937 init_genrand(seed), so the engine is exactly std::mt19937; only the
// conversions to doubles and bounded integers are numpy's own and are reproduced here.
// Not thread-safe: one instance per run, shared by all exams in order, used from one thread at a time.
#include <cstdint>
#include <random>

namespace mammo::inference {

class NumpyRandom {
 public:
  explicit NumpyRandom(std::uint32_t seed = 0);

  // The next raw 32-bit MT19937 output.
  std::uint32_t nextUint32();
  // RandomState.random_sample(): a double in [0, 1) with 53 bits from two draws.
  double randomSample();
  // RandomState.uniform(low, high) = low + (high - low) * random_sample().
  double uniform(double low, double high);
  // RandomState.randint(0, high) for high >= 1: masked rejection on 32-bit draws. high == 1 returns 0
  // without drawing, which the NYU stream relies on (one image per view consumes nothing).
  std::int64_t randint(std::int64_t high);

 private:
  std::mt19937 m_engine;
};

}  // namespace mammo::inference
