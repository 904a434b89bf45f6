// Expected positions come from a short CPython 3.11 emulation of the grid rule in
// ../shared/docs/NYU-PIPELINE.md §4.2, written from that description, using CPython's own random.sample.
#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <vector>

#include "inference/PythonRandom.h"
#include "inference/StrideList.h"

using mammo::inference::kPatchSize;
using mammo::inference::kPatchStride;
using mammo::inference::PythonRandom;
using mammo::inference::strideList;

namespace {
std::vector<int> stepsOf(const std::vector<int>& starts) {
  std::vector<int> steps;
  for (std::size_t i = 1; i < starts.size(); ++i) steps.push_back(starts[i] - starts[i - 1]);
  return steps;
}

const std::vector<int> kRows2600 = {0,    69,   138,  207,  276,  345,  414,  483,  552,  621,  690,  759,
                                    828,  897,  966,  1035, 1104, 1173, 1242, 1311, 1380, 1449, 1518, 1587,
                                    1656, 1724, 1793, 1861, 1930, 1999, 2068, 2137, 2206, 2275, 2344};
}  // namespace

TEST(StrideList, MatchesCPythonForAnImageRowsThenColumns) {
  // L = 2600: k = 34 steps, m = 2 shortened -> random.sample's set method (34 > 21).
  // L = 1402 next, same generator: k = 17, m = 10 -> pool method.
  PythonRandom rng(0);
  EXPECT_EQ(strideList(2600, rng), kRows2600);
  const std::vector<int> cols1402 = {0,   68,  135, 202, 269, 336, 403,  470,  537,
                                     604, 672, 740, 808, 876, 943, 1011, 1078, 1146};
  EXPECT_EQ(strideList(1402, rng), cols1402);
}

TEST(StrideList, MatchesCPythonFromAFreshGenerator) {
  PythonRandom rng(0);
  const std::vector<int> expected = {0,   67,  135, 203, 271, 338, 405,  472,  539,
                                     606, 674, 742, 809, 876, 943, 1011, 1078, 1146};
  EXPECT_EQ(strideList(1402, rng), expected);
}

TEST(StrideList, MatchesCPythonOverAMixedSequence) {
  // Even axes draw nothing, so the uneven ones after them must still line up with CPython.
  PythonRandom rng(0);
  EXPECT_EQ(strideList(256, rng), std::vector<int>{0});
  EXPECT_EQ(strideList(326, rng), (std::vector<int>{0, 70}));
  EXPECT_EQ(strideList(2776, rng).size(), 37U);
  EXPECT_EQ(strideList(300, rng), (std::vector<int>{0, 44}));  // one step, nothing to shorten
  const std::vector<int> rows2974 = {0,    70,   140,  209,  279,  349,  419,  489,  559,  629,  699,  769,  838,  908,
                                     978,  1048, 1117, 1186, 1256, 1325, 1394, 1464, 1534, 1604, 1674, 1743, 1812, 1881,
                                     1951, 2021, 2091, 2160, 2229, 2298, 2368, 2438, 2508, 2578, 2648, 2718};
  EXPECT_EQ(strideList(2974, rng), rows2974);
  const std::vector<int> cols1748 = {0,   68,  136, 204,  272,  339,  407,  474,  542,  610,  677, 745,
                                     813, 881, 949, 1017, 1085, 1152, 1220, 1288, 1356, 1424, 1492};
  EXPECT_EQ(strideList(1748, rng), cols1748);
  EXPECT_EQ(strideList(2677, rng).back(), 2421);
  const std::vector<int> cols1942 = {0,   67,  135,  202,  269,  337,  405,  472,  539,  607,  674,  741,  809,
                                     876, 944, 1011, 1078, 1146, 1214, 1282, 1349, 1416, 1483, 1551, 1619, 1686};
  EXPECT_EQ(strideList(1942, rng), cols1942);
  EXPECT_EQ(rng.nextUint32(), 3450340716U);  // CPython's next getrandbits(32) after the same calls
}

TEST(StrideList, EvenAxisUsesFullStridesAndDrawsNothing) {
  PythonRandom rng(0);
  const int length = kPatchSize + 36 * kPatchStride;  // 2776
  const std::vector<int> starts = strideList(length, rng);
  ASSERT_EQ(starts.size(), 37U);
  for (const int step : stepsOf(starts)) EXPECT_EQ(step, kPatchStride);
  EXPECT_EQ(rng.nextUint32(), 3626764237U);  // still the first draw of seed 0
}

TEST(StrideList, LastPatchEndsAtTheEdgeAndStepsDifferByAtMostOne) {
  PythonRandom rng(0);
  for (int length = kPatchSize; length < 3500; ++length) {
    const std::vector<int> starts = strideList(length, rng);
    ASSERT_EQ(starts.front(), 0);
    ASSERT_EQ(starts.back() + kPatchSize, length) << length;
    const std::vector<int> steps = stepsOf(starts);
    ASSERT_EQ(std::accumulate(steps.begin(), steps.end(), 0), length - kPatchSize) << length;
    const int span = length - kPatchSize;
    const std::size_t expectedCount = span / kPatchStride + (span % kPatchStride == 0 ? 1 : 2);
    ASSERT_EQ(starts.size(), expectedCount) << length;
    if (!steps.empty()) {
      const auto [lo, hi] = std::minmax_element(steps.begin(), steps.end());
      ASSERT_LE(*hi - *lo, 1) << length;
      ASSERT_LE(*hi, kPatchStride) << length;
    }
  }
}

TEST(StrideList, RejectsAxesShorterThanAPatch) {
  PythonRandom rng(0);
  EXPECT_THROW(strideList(255, rng), std::invalid_argument);
  EXPECT_THROW(strideList(300, rng, 256, 0), std::invalid_argument);
}
