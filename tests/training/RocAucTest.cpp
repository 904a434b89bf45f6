#include <gtest/gtest.h>

#include <cmath>

#include "training/RocAuc.h"

using namespace mammo::training;

TEST(RocAuc, HandComputedCases) {
  EXPECT_DOUBLE_EQ(rocAuc({0.9, 0.8, 0.2, 0.1}, {1, 1, 0, 0}), 1.0);
  EXPECT_DOUBLE_EQ(rocAuc({0.1, 0.2, 0.8, 0.9}, {1, 1, 0, 0}), 0.0);
  // Positives 0.8, 0.4; negatives 0.6, 0.2: pairs won 3 of 4.
  EXPECT_DOUBLE_EQ(rocAuc({0.8, 0.6, 0.4, 0.2}, {1, 0, 1, 0}), 0.75);
  // All tied: 1/2.
  EXPECT_DOUBLE_EQ(rocAuc({0.5, 0.5, 0.5}, {1, 0, 0}), 0.5);
  // One tie between a positive and a negative counts half: (1 + 0.5) / 2.
  EXPECT_DOUBLE_EQ(rocAuc({0.7, 0.5, 0.5}, {0, 1, 0}), 0.25);
  EXPECT_TRUE(std::isnan(rocAuc({0.1, 0.2}, {1, 1})));
  EXPECT_THROW(rocAuc({0.1}, {1, 0}), std::invalid_argument);
}

TEST(RocAuc, CurveEndsAtOneOneAndIsMonotone) {
  const auto curve = rocCurve({0.8, 0.6, 0.4, 0.2}, {1, 0, 1, 0});
  ASSERT_EQ(curve.size(), 5u);
  EXPECT_DOUBLE_EQ(curve.front().falsePositiveRate, 0);
  EXPECT_DOUBLE_EQ(curve.back().falsePositiveRate, 1);
  EXPECT_DOUBLE_EQ(curve.back().truePositiveRate, 1);
  EXPECT_DOUBLE_EQ(curve[1].truePositiveRate, 0.5);
  EXPECT_DOUBLE_EQ(curve[2].falsePositiveRate, 0.5);
}
