// Expected numbers come from CPython 3.11.2 (Debian 12 /usr/bin/python3), e.g.
//   python3 -c "import random; r = random.Random(0); print([r.getrandbits(32) for _ in range(5)])"
// and are baked in here so the test needs no Python.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "inference/PythonRandom.h"

using mammo::inference::PythonRandom;

TEST(PythonRandom, SeedZeroMatchesCPythonInitByArray) {
  PythonRandom rng(0);
  const std::vector<std::uint32_t> expected{3626764237U, 1654615998U, 3255389356U, 3823568514U, 1806341205U};
  for (const std::uint32_t value : expected) EXPECT_EQ(rng.nextUint32(), value);
}

TEST(PythonRandom, SeedsOfOneAndTwoWordsMatchCPython) {
  struct Case {
    std::uint64_t seed;
    std::uint32_t first[3];
  };
  const Case cases[] = {
      {1, {577090037U, 2444712010U, 3639700191U}},
      {12345, {1789368711U, 3146859322U, 43676229U}},
      {(std::uint64_t{1} << 32) + 5, {675479763U, 2085189291U, 1213270837U}},  // key [5, 1]
      {(std::uint64_t{1} << 63) + 7, {1302938503U, 2170340503U, 2341271591U}},
  };
  for (const Case& c : cases) {
    PythonRandom rng(c.seed);
    for (const std::uint32_t value : c.first) EXPECT_EQ(rng.nextUint32(), value) << "seed " << c.seed;
  }
}

TEST(PythonRandom, ReseedingRestartsTheStream) {
  PythonRandom rng(7);
  rng.nextUint32();
  rng.seed(0);
  EXPECT_EQ(rng.nextUint32(), 3626764237U);
}

TEST(PythonRandom, RandomMatchesCPython) {
  PythonRandom rng(0);
  EXPECT_EQ(rng.random(), 0.8444218515250481);
  EXPECT_EQ(rng.random(), 0.7579544029403025);
}

TEST(PythonRandom, GetRandBitsKeepsTheTopBitsAndZeroBitsDrawNothing) {
  // CPython: [r.getrandbits(k) for k in (1, 7, 16, 31, 32, 0, 5)] after seed 0.
  PythonRandom rng(0);
  EXPECT_EQ(rng.getRandBits(1), 1U);
  EXPECT_EQ(rng.getRandBits(7), 49U);
  EXPECT_EQ(rng.getRandBits(16), 49673U);
  EXPECT_EQ(rng.getRandBits(31), 1911784257U);
  EXPECT_EQ(rng.getRandBits(32), 1806341205U);
  EXPECT_EQ(rng.getRandBits(0), 0U);
  EXPECT_EQ(rng.getRandBits(5), 1U);
  EXPECT_THROW(rng.getRandBits(33), std::invalid_argument);
}

TEST(PythonRandom, RandBelowMatchesCPythonIncludingRejections) {
  // CPython: [r._randbelow(n) for n in (1, 2, 3, 10, 64, 100, 1000, 2**31 + 1)], then getrandbits(32).
  PythonRandom rng(0);
  const std::vector<std::uint32_t> bounds{1, 2, 3, 10, 64, 100, 1000, (1U << 31) + 1};
  const std::vector<std::uint32_t> expected{0, 1, 0, 4, 62, 51, 940, 1302718217U};
  for (std::size_t i = 0; i < bounds.size(); ++i) EXPECT_EQ(rng.randBelow(bounds[i]), expected[i]) << bounds[i];
  EXPECT_EQ(rng.nextUint32(), 4156669319U);  // same number of draws consumed as CPython
  EXPECT_THROW(rng.randBelow(0), std::invalid_argument);
}

TEST(PythonRandom, SampleMatchesCPythonInBothBranches) {
  // One generator through all calls, as CPython: r = random.Random(0); r.sample(range(k), m) for each row.
  struct Case {
    int k;
    int m;
    std::vector<int> expected;
  };
  // Rows marked (*) would give a different answer with the other method, so they pin the
  // branch choice at both set-size boundaries (21, and 21 + 64 for 6 <= m <= 21).
  const std::vector<Case> cases = {
      {31, 2, {27, 12}},  // set method (31 > 21), the doc's example
      {10, 3, {6, 0, 4}},  // pool
      {20, 7, {16, 15, 12, 9, 18, 5, 19}},  // pool (*)
      {100, 7, {27, 64, 17, 36, 96, 12, 79}},  // set (*)
      {21, 5, {8, 17, 4, 9, 3}},  // pool: k == set size 21 (*)
      {22, 2, {2, 21}},  // set: k == 21 + 1 (*)
      {1, 1, {0}},  // pool; randbelow(1) still draws
      {5, 0, {}},  // no draws
      {5, 5, {3, 0, 1, 2, 4}},  // whole population (*)
      {86, 10, {78, 81, 26, 70, 61, 56, 66, 33, 7, 1}},  // set: 86 > 21 + 64 (*)
      {85, 21, {11, 51, 80, 0, 78, 63, 42, 31, 41, 8, 24, 72, 28, 30, 18, 69, 57, 84, 10, 40, 62}},  // pool (*)
      {70, 6, {13, 38, 37, 15, 42, 26}},  // pool: m = 6 already gets the 64-slot set (*)
  };
  PythonRandom rng(0);
  for (const Case& c : cases)
    EXPECT_EQ(rng.sample(c.k, c.m), c.expected) << "sample(range(" << c.k << "), " << c.m << ")";
  EXPECT_EQ(rng.nextUint32(), 4139655026U);
}

TEST(PythonRandom, SampleRejectsImpossibleCounts) {
  PythonRandom rng(0);
  EXPECT_THROW(rng.sample(3, 4), std::invalid_argument);
  EXPECT_THROW(rng.sample(3, -1), std::invalid_argument);
}
