#include <gtest/gtest.h>

#include "core/Voi.h"

using namespace mammo::core;

namespace {
Image ramp(Photometric p) {
  Image image;
  image.info.rows = 1;
  image.info.columns = 4096;
  image.info.bitsStored = 12;
  image.info.photometric = p;
  image.info.windows = {{2048, 1024, "test"}};
  for (int i = 0; i < 4096; ++i) image.pixels.push_back(static_cast<std::uint16_t>(i));
  return image;
}
}  // namespace

TEST(Voi, LinearWindowFollowsDicomFormula) {
  const Image image = ramp(Photometric::Monochrome2);
  EXPECT_DOUBLE_EQ(displayValue(image.info, 0, {}), 0.0);
  EXPECT_DOUBLE_EQ(displayValue(image.info, 4095, {}), 1.0);
  EXPECT_NEAR(displayValue(image.info, 2048, {}), 0.5 + 0.5 / 1023.0, 1e-12);
  EXPECT_DOUBLE_EQ(displayValue(image.info, 1535, {}), 0.0);  // below c - 0.5 - (w-1)/2
  EXPECT_DOUBLE_EQ(displayValue(image.info, 2560, {}), 1.0);
}

TEST(Voi, MonochromeOneDisplaysInvertedRelativeToMonochromeTwo) {
  const auto m2 = renderDisplay8(ramp(Photometric::Monochrome2), {});
  const auto m1 = renderDisplay8(ramp(Photometric::Monochrome1), {});
  ASSERT_EQ(m1.size(), m2.size());
  for (size_t i = 0; i < m1.size(); ++i) ASSERT_EQ(int(m1[i]), 255 - int(m2[i])) << i;
  // The user's invert on top of MONOCHROME1 gives MONOCHROME2's picture back.
  DisplaySettings invert;
  invert.invert = true;
  EXPECT_EQ(renderDisplay8(ramp(Photometric::Monochrome1), invert), m2);
}

TEST(Voi, SigmoidAndLutAndUserWindow) {
  Image image = ramp(Photometric::Monochrome2);
  image.info.voiFunction = VoiFunction::Sigmoid;
  EXPECT_NEAR(displayValue(image.info, 2048, {}), 0.5, 1e-12);
  EXPECT_GT(displayValue(image.info, 2600, {}), 0.85);
  image.info.voiLuts.push_back({"lut", 100, 8, {0, 10, 255}});
  DisplaySettings lut;
  lut.lutIndex = 0;
  EXPECT_DOUBLE_EQ(displayValue(image.info, 50, lut), 0.0);
  EXPECT_NEAR(displayValue(image.info, 101, lut), 10.0 / 255.0, 1e-12);
  EXPECT_DOUBLE_EQ(displayValue(image.info, 4000, lut), 1.0);
  DisplaySettings user;
  user.window = VoiWindow{100, 2, ""};
  image.info.voiFunction = VoiFunction::Linear;
  EXPECT_DOUBLE_EQ(displayValue(image.info, 98, user), 0.0);
  EXPECT_DOUBLE_EQ(displayValue(image.info, 101, user), 1.0);
}
