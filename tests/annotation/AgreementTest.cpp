#include <gtest/gtest.h>

#include "annotation/Agreement.h"

using namespace mammo;

TEST(Agreement, MatchesHandComputedDiceAndIou) {
  // A: class 1 on 4 pixels; B: class 1 on 3 pixels, 2 of them shared -> Dice 2*2/(4+3) = 4/7, IoU 2/5.
  core::LabelMap a(3, 3), b(3, 3);
  a.at(0, 0) = a.at(0, 1) = a.at(1, 0) = a.at(1, 1) = 1;
  b.at(0, 0) = b.at(0, 1) = b.at(2, 2) = 1;
  b.at(1, 1) = 2;  // B calls one of A's pixels class 2
  const auto result = annotation::agreement(a, b);
  ASSERT_EQ(result.size(), 2u);
  EXPECT_EQ(result.at(1).intersection, 2u);
  EXPECT_EQ(result.at(1).onlyA, 2u);
  EXPECT_EQ(result.at(1).onlyB, 1u);
  EXPECT_DOUBLE_EQ(result.at(1).dice(), 4.0 / 7.0);
  EXPECT_DOUBLE_EQ(result.at(1).iou(), 2.0 / 5.0);
  EXPECT_DOUBLE_EQ(result.at(2).dice(), 0.0);
  EXPECT_DOUBLE_EQ(result.at(2).iou(), 0.0);
}

TEST(Agreement, IdenticalAndEmptyMapsAgreePerfectly) {
  core::LabelMap a(2, 2);
  a.at(1, 1) = 3;
  const auto same = annotation::agreement(a, a);
  EXPECT_DOUBLE_EQ(same.at(3).dice(), 1.0);
  EXPECT_TRUE(annotation::agreement(core::LabelMap(2, 2), core::LabelMap(2, 2)).empty());
  EXPECT_THROW(annotation::agreement(core::LabelMap(2, 2), core::LabelMap(2, 3)), std::invalid_argument);
}
