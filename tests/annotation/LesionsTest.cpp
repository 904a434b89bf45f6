// Lesions (4-connected components per class), the exam lesion list, and lesion-level matching.
#include <gtest/gtest.h>

#include "annotation/Agreement.h"
#include "annotation/Lesions.h"

using namespace mammo;

namespace {
core::LabelMap mapOf(const std::vector<std::string>& rows) {
  core::LabelMap m(static_cast<int>(rows.size()), static_cast<int>(rows[0].size()));
  for (int r = 0; r < m.rows; ++r)
    for (int c = 0; c < m.columns; ++c) m.at(r, c) = rows[r][c] == '.' ? 0 : rows[r][c] - '0';
  return m;
}
}  // namespace

TEST(Lesions, ComponentsAreFourConnectedPerClass) {
  const core::LabelMap m = mapOf({"11..2",  //
                                  "1.1.2",  //
                                  "..122",  //
                                  "2...."});
  const annotation::ComponentMap cm = annotation::connectedComponents(m);
  ASSERT_EQ(cm.components.size(), 4u);  // (0,0) group, (1,2)-(2,2) group (diagonal to nothing), 2-group, (3,0)
  EXPECT_EQ(cm.components[0].label, 1);
  EXPECT_EQ(cm.components[0].pixels, 3u);
  EXPECT_EQ(cm.components[0].box, (annotation::PixelRect{0, 0, 2, 2}));
  EXPECT_EQ(cm.components[1].label, 2);
  EXPECT_EQ(cm.components[1].pixels, 4u);
  EXPECT_EQ(cm.components[1].box, (annotation::PixelRect{0, 3, 3, 5}));
  EXPECT_EQ(cm.components[2].pixels, 2u);  // (1,2),(2,2): class 1, not joined to class 2 at (2,3)
  EXPECT_EQ(cm.components[3].box, (annotation::PixelRect{3, 0, 4, 1}));
  EXPECT_EQ(cm.ids[2 * 5 + 3], 1);
  EXPECT_EQ(cm.ids[1 * 5 + 1], -1);
}

TEST(Lesions, ListFollowsEditsAndKeepsStatusAndNote) {
  std::vector<annotation::Lesion> lesions;
  const core::PixelSpacing spacing{0.1, 0.2, "PixelSpacing"};
  core::LabelMap cc = mapOf({"11....", "11..2.", "......"});
  annotation::updateLesions(lesions, "L-CC", cc, spacing);
  ASSERT_EQ(lesions.size(), 2u);
  EXPECT_EQ(lesions[0].id, 1);
  EXPECT_EQ(lesions[0].className, "benign");
  EXPECT_DOUBLE_EQ(*lesions[0].areaMm2(), 4 * 0.1 * 0.2);
  EXPECT_EQ(lesions[1].className, "malignant");
  lesions[1].status = annotation::LesionStatus::Flagged;
  lesions[1].note = "spiculated";
  // The same finding in MLO, linked by the annotator to lesion 2.
  annotation::updateLesions(lesions, "L-MLO", mapOf({"..22", "...."}), std::nullopt);
  ASSERT_EQ(lesions.size(), 3u);
  EXPECT_FALSE(annotation::linkLesions(lesions, 1, 3));  // benign and malignant are never one finding
  EXPECT_FALSE(annotation::linkLesions(lesions, 2, 9));
  ASSERT_TRUE(annotation::linkLesions(lesions, 2, 3));
  ASSERT_EQ(lesions.size(), 2u);
  EXPECT_EQ(lesions[1].views(), (std::vector<std::string>{"L-CC", "L-MLO"}));
  EXPECT_FALSE(lesions[1].areaMm2());  // MLO spacing unknown

  // Grow the malignant CC region and erase the benign one: lesion 2 keeps its identity, status, note and
  // its MLO link; lesion 1 disappears; a new benign region becomes lesion 3 (the next id after the highest).
  cc = mapOf({"......", "....22", "1...22"});
  annotation::updateLesions(lesions, "L-CC", cc, spacing);
  ASSERT_EQ(lesions.size(), 2u);
  EXPECT_EQ(lesions[0].id, 2);
  EXPECT_EQ(lesions[0].status, annotation::LesionStatus::Flagged);
  EXPECT_EQ(lesions[0].note, "spiculated");
  EXPECT_EQ(lesions[0].views(), (std::vector<std::string>{"L-MLO", "L-CC"}));
  EXPECT_EQ(lesions[1].id, 3);
  EXPECT_EQ(lesions[1].className, "benign");
  EXPECT_EQ(annotation::parseLesionStatus("done"), annotation::LesionStatus::Done);
  EXPECT_FALSE(annotation::parseLesionStatus("finished"));
}

TEST(Lesions, MatchingUsesIouOfOneTenth) {
  // A: three class-1 lesions (10, 10 and 1 pixels). B: one of 8 pixels over A's first, one of 12 that
  // touches A's second at one pixel and covers A's third.
  const core::LabelMap a = mapOf({"11111.....",  //
                                  "11111.....",  //
                                  "..........",  //
                                  "11111.1...",  //
                                  "11111....."});
  const core::LabelMap b = mapOf({"1111......",  //
                                  "1111......",  //
                                  ".........1",  //
                                  "....111111",  //
                                  ".....11111"});
  const auto m = annotation::matchLesions(a, b);
  ASSERT_EQ(m.size(), 1u);
  const annotation::LesionMatch& x = m.at(1);
  EXPECT_EQ(x.lesionsA, 3u);
  EXPECT_EQ(x.lesionsB, 2u);
  // A1 vs B1: 8 / (10 + 8 - 8) = 0.8. A2 vs B2: 1 / (10 + 12 - 1) = 0.048. A3 vs B2: 1 / (1 + 12 - 1) = 0.083.
  EXPECT_EQ(x.matchedA, 1u);
  EXPECT_EQ(x.missedA, 2u);
  EXPECT_EQ(x.matchedB, 1u);
  EXPECT_EQ(x.extraB, 1u);
  // At 0.08 A3 matches B2 as well (so B2 is no longer extra), A2 still does not.
  const auto low = annotation::matchLesions(a, b, 0.08);
  EXPECT_EQ(low.at(1).matchedA, 2u);
  EXPECT_EQ(low.at(1).missedA, 1u);
  EXPECT_EQ(low.at(1).extraB, 0u);
  // Classes must agree: a class-2 lesion over a class-1 one is no match.
  const auto cls = annotation::matchLesions(mapOf({"11"}), mapOf({"22"}));
  EXPECT_EQ(cls.at(1).missedA, 1u);
  EXPECT_EQ(cls.at(2).extraB, 1u);
  // And the pixel-level metrics of the same maps, by hand: |A| = 21, |B| = 20, |A∩B| = 8 + 1 + 1 = 10.
  const auto px = annotation::agreement(a, b).at(1);
  EXPECT_EQ(px.intersection, 10u);
  EXPECT_DOUBLE_EQ(px.dice(), 20.0 / 41.0);
  EXPECT_DOUBLE_EQ(px.iou(), 10.0 / 31.0);
}
