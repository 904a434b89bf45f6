// Expected numbers: the first doubles are from ../shared/docs/NYU-PIPELINE.md §5.3; the randint row is the
// widely published output of `np.random.seed(0); np.random.randint(10, size=(3, 10))` (legacy RandomState
// stream; numpy was not available on the build machine to regenerate it).
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <vector>

#include "inference/NumpyRandom.h"

using mammo::inference::NumpyRandom;

TEST(NumpyRandom, FirstDoublesMatchNumpySeedZero) {
  NumpyRandom rng(0);
  EXPECT_EQ(rng.randomSample(), 0.5488135039273248);
  EXPECT_EQ(rng.randomSample(), 0.7151893663724195);
  EXPECT_EQ(rng.randomSample(), 0.6027633760716439);
}

TEST(NumpyRandom, EngineIsInitGenrandLikeStdMt19937) {
  NumpyRandom rng(12345);
  std::mt19937 reference(12345);
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(rng.nextUint32(), reference()) << i;
}

TEST(NumpyRandom, UniformIsLowPlusSpanTimesRandomSample) {
  NumpyRandom rng(0);
  EXPECT_EQ(rng.uniform(-1.0, 1.0), -1.0 + 2.0 * 0.5488135039273248);
  EXPECT_EQ(rng.uniform(10.0, 20.0), 10.0 + 10.0 * 0.7151893663724195);
}

TEST(NumpyRandom, RandintMatchesPublishedNumpyOutput) {
  NumpyRandom rng(0);
  const std::vector<std::int64_t> expected{5, 0, 3, 3, 7, 9, 3, 5, 2, 4,  //
                                           7, 6, 8, 8, 1, 6, 7, 7, 8, 1,  //
                                           5, 9, 8, 9, 4, 3, 0, 3, 5, 0};
  for (std::size_t i = 0; i < expected.size(); ++i) EXPECT_EQ(rng.randint(10), expected[i]) << i;
}

TEST(NumpyRandom, RandintOfOneDrawsNothing) {
  // The NYU stream relies on this: a view with one image consumes no randomness for the image choice.
  NumpyRandom rng(0);
  EXPECT_EQ(rng.randint(1), 0);
  EXPECT_EQ(rng.randomSample(), 0.5488135039273248);
}

TEST(NumpyRandom, RandintUsesTheLowBitsUnderTheMask) {
  // high = 4: mask 3 covers [0, 3] exactly, so every draw is accepted and is its two low bits.
  NumpyRandom rng(0);
  std::mt19937 reference(0);
  for (int i = 0; i < 100; ++i) ASSERT_EQ(rng.randint(4), static_cast<std::int64_t>(reference() & 3U)) << i;
  EXPECT_THROW(rng.randint(0), std::invalid_argument);
}
