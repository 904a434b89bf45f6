#include <gtest/gtest.h>

#include "core/ExamLoader.h"
#include "core/Types.h"

using namespace mammo::core;

TEST(Types, ParsesStandardViewSpellings) {
  EXPECT_EQ(parseStandardView("L-CC"), StandardView::LCC);
  EXPECT_EQ(parseStandardView("r_mlo"), StandardView::RMLO);
  EXPECT_EQ(parseStandardView("RCC"), StandardView::RCC);
  EXPECT_FALSE(parseStandardView("L-ML").has_value());
  for (StandardView v : kStandardViews) EXPECT_EQ(parseStandardView(toString(v)), v);
}

TEST(Types, StandardViewFromLateralityAndPosition) {
  EXPECT_EQ(standardView(Laterality::Left, ViewPosition::MLO), StandardView::LMLO);
  EXPECT_FALSE(standardView(Laterality::Left, ViewPosition::ML).has_value());
  EXPECT_FALSE(standardView(Laterality::Unknown, ViewPosition::CC).has_value());
}

TEST(Types, ParsesNyuFileNames) {
  auto a = parseImageName("0_L_CC.png");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->examId, "0");
  EXPECT_EQ(a->laterality, Laterality::Left);
  EXPECT_EQ(a->view, ViewPosition::CC);
  auto b = parseImageName("/x/R-MLO.png");
  ASSERT_TRUE(b);
  EXPECT_EQ(b->examId, "");
  EXPECT_EQ(b->laterality, Laterality::Right);
  EXPECT_EQ(b->view, ViewPosition::MLO);
  auto c = parseImageName("exam_12_R_MLO.png");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->examId, "exam_12");
  EXPECT_FALSE(parseImageName("scan.png"));
  EXPECT_FALSE(parseImageName("A_L-CC_benign.png"));
}
