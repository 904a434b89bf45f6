// The GPU display pipeline against core::Voi: window/level, VOI LUT, sigmoid, invert and MONOCHROME1 change
// the displayed grey exactly as core::displayValue predicts, background air stays black under any window,
// and the corner text follows the state.
#include <gtest/gtest.h>
#include <vtkRenderer.h>

#include <cmath>
#include <memory>

#include "RenderFrame.h"
#include "core/Voi.h"
#include "viewer/ViewAnnotation.h"
#include "viewer/ViewScene.h"
#include "viewer/VoiTable.h"

using namespace mammo;

namespace {

constexpr int kRows = 200, kCols = 160, kWidth = 320, kHeight = 400;  // fit scale 2: image fills the window
constexpr std::uint16_t kAir = 0, kDim = 1500, kBright = 2600;
// Screen points (x, y from the top) in the middle of each region (stored col = x / 2, row = y / 2).
constexpr int kAirX = 80, kAirY = 100, kDimX = 240, kDimY = 100, kBrightX = 240, kBrightY = 300;

// Left half air, right half tissue: kDim above, kBright below, and a saturated strip (4095) at the right
// edge, which is where a MONOCHROME1 reading of the same values finds its air. 12 bits, MONOCHROME2, two
// header windows.
std::shared_ptr<core::Image> phantomImage() {
  auto image = std::make_shared<core::Image>();
  core::ImageInfo& info = image->info;
  info.rows = kRows;
  info.columns = kCols;
  info.bitsStored = 12;
  info.hasPixels = true;
  info.laterality = core::Laterality::Right;
  info.view = core::ViewPosition::CC;
  info.studyDate = "20260101";
  info.windows = {{1700, 2600, "DEFAULT"}, {2000, 1000, "CONTRAST"}};
  image->pixels.assign(kRows * kCols, kAir);
  for (int r = 0; r < kRows; ++r) {
    for (int c = kCols / 2; c < kCols; ++c) image->pixels[r * kCols + c] = r < kRows / 2 ? kDim : kBright;
    for (int c = kCols - 10; c < kCols; ++c) image->pixels[r * kCols + c] = 4095;
  }
  return image;
}

class WindowLevel : public ::testing::Test {
 protected:
  void show(std::shared_ptr<const core::Image> image) {
    m_image = std::move(image);
    m_scene.setImage(m_image, false);
    m_scene.fit(core::ImageEdge::Left, kWidth, kHeight);
    m_scene.setAnnotationVisible(false);  // text would cover the sampled pixels of this small window
    m_window->AddRenderer(m_scene.renderer());
  }
  int expected(std::uint16_t stored) const {
    return static_cast<int>(std::lround(255.0 * core::displayValue(m_image->info, stored, m_scene.display())));
  }
  void expectRegionsAsPredicted(const char* what, bool leftHalfIsAir = true) {
    const test::RenderFrame f(m_window);
    EXPECT_NEAR(f.grey(kDimX, kDimY), expected(kDim), 2) << what;
    EXPECT_NEAR(f.grey(kBrightX, kBrightY), expected(kBright), 2) << what;
    if (leftHalfIsAir) {
      EXPECT_EQ(f.grey(kAirX, kAirY), m_scene.inverted() ? 255 : 0) << what << ": air";
    }
  }

  std::shared_ptr<const core::Image> m_image;
  viewer::ViewScene m_scene;
  vtkSmartPointer<vtkRenderWindow> m_window = test::offscreenWindow(kWidth, kHeight);
};

}  // namespace

TEST_F(WindowLevel, DisplayedGreyFollowsDisplayValue) {
  show(phantomImage());
  expectRegionsAsPredicted("header window");
  const int before = test::RenderFrame(m_window).grey(kDimX, kDimY);
  m_scene.setVoiWindow({1400, 600, ""});
  expectRegionsAsPredicted("narrow user window");
  EXPECT_GT(std::abs(test::RenderFrame(m_window).grey(kDimX, kDimY) - before), 40) << "W/L did not change the grey";
  m_scene.setVoiWindow({2000, 3000, ""});
  expectRegionsAsPredicted("wide user window");
}

TEST_F(WindowLevel, SigmoidLinearExactAndVoiLutFollowDisplayValue) {
  auto image = phantomImage();
  image->info.voiFunction = core::VoiFunction::Sigmoid;
  show(image);
  expectRegionsAsPredicted("sigmoid");

  auto exact = phantomImage();
  exact->info.voiFunction = core::VoiFunction::LinearExact;
  show(exact);
  m_scene.setVoiWindow({2050.25, 1333.5, ""});
  expectRegionsAsPredicted("linear exact");

  auto withLut = phantomImage();
  core::VoiLut lut;
  lut.firstMapped = 1000;
  lut.bitsPerEntry = 8;
  for (int i = 0; i < 2000; ++i) lut.data.push_back(static_cast<std::uint16_t>(std::min(255, i / 7)));
  withLut->info.voiLuts.push_back(lut);
  show(withLut);
  core::DisplaySettings settings;
  settings.lutIndex = 0;
  m_scene.setDisplay(settings);
  expectRegionsAsPredicted("VOI LUT");
}

TEST_F(WindowLevel, BackgroundStaysBlackUnderExtremeWindows) {
  show(phantomImage());
  // Windows whose lower edge lies below the air level would show air grey or white without the rule.
  for (const core::VoiWindow& w :
       {core::VoiWindow{-2000, 10, ""}, core::VoiWindow{0, 2, ""}, core::VoiWindow{100, 20000, ""}}) {
    m_scene.setVoiWindow(w);
    const test::RenderFrame f(m_window);
    EXPECT_EQ(f.grey(kAirX, kAirY), 0) << "air not black under W " << w.width << " C " << w.center;
    EXPECT_GT(f.grey(kDimX, kDimY), 0) << "tissue should be above black under this window";
  }
  EXPECT_EQ(m_scene.displayedGrey(kAir), 0);
}

TEST_F(WindowLevel, InvertFlipsTheDisplayedGrey) {
  show(phantomImage());
  const test::RenderFrame normal(m_window);
  m_scene.setInverted(true);
  const test::RenderFrame inverted(m_window);
  EXPECT_NEAR(inverted.grey(kDimX, kDimY), 255 - normal.grey(kDimX, kDimY), 2);
  EXPECT_NEAR(inverted.grey(kBrightX, kBrightY), 255 - normal.grey(kBrightX, kBrightY), 2);
  // Invert is the Presentation LUT INVERSE: the whole picture, air included.
  EXPECT_EQ(inverted.grey(kAirX, kAirY), 255);
  expectRegionsAsPredicted("inverted");
  m_scene.setInverted(false);
  EXPECT_EQ(test::RenderFrame(m_window).grey(kDimX, kDimY), normal.grey(kDimX, kDimY));
}

TEST_F(WindowLevel, Monochrome1DisplaysInvertedAgainstMonochrome2) {
  show(phantomImage());
  const test::RenderFrame mono2(m_window);

  // The same stored values read as MONOCHROME1: every tissue grey is inverted.
  auto same = phantomImage();
  same->info.photometric = core::Photometric::Monochrome1;
  show(same);
  const test::RenderFrame mono1(m_window);
  EXPECT_NEAR(mono1.grey(kDimX, kDimY), 255 - mono2.grey(kDimX, kDimY), 2);
  EXPECT_NEAR(mono1.grey(kBrightX, kBrightY), 255 - mono2.grey(kBrightX, kBrightY), 2);
  expectRegionsAsPredicted("MONOCHROME1, same stored values", false);
  EXPECT_EQ(mono1.grey(kAirX, kAirY), 255) << "stored 0 is the brightest value in MONOCHROME1";

  // An image stored as MONOCHROME1 (values and window centres inverted, as a detector writes it) looks like
  // the MONOCHROME2 original, and its air (now the highest stored value) is black.
  auto stored1 = phantomImage();
  stored1->info.photometric = core::Photometric::Monochrome1;
  for (auto& p : stored1->pixels) p = static_cast<std::uint16_t>(4095 - p);
  for (auto& w : stored1->info.windows) w.center = 4096 - w.center;
  show(stored1);
  const test::RenderFrame written(m_window);
  EXPECT_NEAR(written.grey(kDimX, kDimY), mono2.grey(kDimX, kDimY), 2);
  EXPECT_NEAR(written.grey(kBrightX, kBrightY), mono2.grey(kBrightX, kBrightY), 2);
  EXPECT_EQ(written.grey(kAirX, kAirY), 0);
  m_scene.setVoiWindow({5000, 10, ""});  // everything stored below 4995 would be black, air white
  EXPECT_EQ(test::RenderFrame(m_window).grey(kAirX, kAirY), 0) << "MONOCHROME1 air not black";
}

TEST(VoiTable, SignedPixelsKeepValueOrderOnTheTexture) {
  core::Image image;
  image.info.rows = 1;
  image.info.columns = 4;
  image.info.bitsStored = 16;
  image.info.pixelSigned = true;
  image.info.hasPixels = true;
  image.pixels = {static_cast<std::uint16_t>(-1000), static_cast<std::uint16_t>(-1), 0, 1000};
  std::uint16_t previous = 0;
  for (std::uint16_t p : image.pixels) {
    const std::uint16_t t = viewer::textureValue(image.info, p);
    EXPECT_GT(t, previous);
    EXPECT_EQ(viewer::storedValue(image.info, t), p);
    previous = t;
  }
  const viewer::PixelStats stats = viewer::analysePixels(image);
  EXPECT_EQ(viewer::storedValue(image.info, stats.lowest), static_cast<std::uint16_t>(-1000));
  EXPECT_EQ(viewer::storedValue(image.info, stats.highest), 1000);
  core::DisplaySettings s;
  s.window = core::VoiWindow{0, 1000, ""};
  const auto table = viewer::buildVoiTable(image.info, stats, s);
  EXPECT_EQ(table[viewer::textureValue(image.info, 1000)], 255);
  // -1000 is the air level here (a quarter of the pixels): black.
  EXPECT_EQ(table[viewer::textureValue(image.info, static_cast<std::uint16_t>(-1000))], 0);
  EXPECT_NEAR(table[viewer::textureValue(image.info, 0)], 128, 1);
}

TEST(VoiTable, NoAirLevelWhenTheDarkestValueIsRare) {
  core::Image image;
  image.info.rows = 10;
  image.info.columns = 200;
  image.info.bitsStored = 12;
  image.info.hasPixels = true;
  image.pixels.assign(2000, 2000);
  EXPECT_FALSE(viewer::analysePixels(image).background) << "a flat field is not air";
  image.pixels[5] = 100;  // one dark pixel in tissue: 0.05%
  EXPECT_FALSE(viewer::analysePixels(image).background);
}

TEST(ViewAnnotation, CornerTextFollowsStateOnTheNippleSide) {
  auto image = phantomImage();
  viewer::ViewScene scene;
  scene.setImage(image, false);
  scene.fit(core::ImageEdge::Right, kWidth, kHeight);
  const viewer::ViewAnnotation& text = scene.annotation();
  EXPECT_EQ(text.topText(), "R CC\n2026-01-01");
  EXPECT_EQ(text.bottomText(), "W 2600 C 1700\nZoom 200%");
  scene.setVoiWindow({1234, 567, ""});
  scene.setInverted(true);
  scene.zoomAt(1.5, 10, 10);
  EXPECT_EQ(text.bottomText(), "W 567 C 1234  INV\nZoom 300%");
  // Chest wall on the right: the "P" marker at the right edge, text in the left corners (checked by pixels).
  EXPECT_EQ(text.chestWallMarker(), "P");
  EXPECT_GT(text.chestWallMarkerPosition()[0], 0.9);
  scene.fit(core::ImageEdge::Left, kWidth, kHeight);
  EXPECT_LT(text.chestWallMarkerPosition()[0], 0.1);

  // Drawn: light text over the black air in the upper-left corner.
  auto window = test::offscreenWindow(kWidth, kHeight);
  scene.setInverted(false);
  scene.fit(core::ImageEdge::Right, kWidth, kHeight);
  window->AddRenderer(scene.renderer());
  const test::RenderFrame f(window);
  auto textPixels = [&](int x0, int x1) {
    int n = 0;
    for (int y = 0; y < 40; ++y) {
      for (int x = x0; x < x1; ++x) n += f.grey(x, y) > 100;
    }
    return n;
  };
  EXPECT_GT(textPixels(0, 100), 20) << "corner text not drawn";
}
