#include <gtest/gtest.h>

#include "core/Orientation.h"

using namespace mammo::core;

namespace {
// A synthetic half-disc breast against one edge.
Image halfDisc(ImageEdge chestWall, Laterality laterality) {
  Image image;
  image.info.rows = 100;
  image.info.columns = 80;
  image.info.bitsStored = 12;
  image.info.laterality = laterality;
  image.info.hasPixels = true;
  image.pixels.assign(100 * 80, 0);
  for (int r = 0; r < 100; ++r) {
    for (int c = 0; c < 80; ++c) {
      const int depth = chestWall == ImageEdge::Left ? c : 79 - c;
      const double dy = (r - 50) / 45.0, dx = depth / 60.0;
      if (dx * dx + dy * dy < 1) image.pixels[r * 80 + c] = 1500;
    }
  }
  return image;
}
}  // namespace

TEST(Orientation, DetectsChestWallAndMirroring) {
  const Image left = halfDisc(ImageEdge::Left, Laterality::Left);
  OrientationReport r = analyseOrientation(left);
  EXPECT_EQ(r.chestWall, ImageEdge::Left);
  EXPECT_FALSE(r.mirrored);
  EXPECT_EQ(r.verdict(), "ok");
  const Image wrong = halfDisc(ImageEdge::Left, Laterality::Right);
  r = analyseOrientation(wrong);
  EXPECT_TRUE(r.mirrored);
  EXPECT_EQ(r.verdict(), "mirrored");
}

TEST(Orientation, PatientOrientationOverridesLateralityForExpectation) {
  ImageInfo info;
  info.laterality = Laterality::Right;
  EXPECT_EQ(expectedChestWall(info), ImageEdge::Right);
  info.patientOrientation = "A\\F";  // columns run towards the nipple: chest wall on the left
  EXPECT_EQ(expectedChestWall(info), ImageEdge::Left);
}

TEST(Orientation, FaceRightTransformAndInverse) {
  Image right = halfDisc(ImageEdge::Right, Laterality::Right);
  right.orientation = analyseOrientation(right);
  const FaceRightTransform t = faceRightTransform(right);
  EXPECT_TRUE(t.flip);
  const auto normalised = toFaceRight(right, t);
  EXPECT_EQ(normalised[50 * 80 + 0], 1500);  // chest wall now at column 0
  EXPECT_EQ(right.at(50, 79), 1500);  // original untouched
  for (int c = 0; c < 80; ++c) EXPECT_EQ(t.toStoredColumn(t.toNormalisedColumn(c)), c);
  std::vector<std::uint16_t> back = normalised;
  mirrorColumns(back, 100, 80);
  EXPECT_EQ(back, right.pixels);
}

TEST(Orientation, BlankImageIsUndetermined) {
  Image blank = halfDisc(ImageEdge::Left, Laterality::Left);
  std::fill(blank.pixels.begin(), blank.pixels.end(), 0);
  EXPECT_EQ(analyseOrientation(blank).verdict(), "undetermined");
}
