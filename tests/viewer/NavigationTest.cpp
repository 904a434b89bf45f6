// Zoom, pan and their synchronisation: zooming at a point keeps the image point under it (in numbers and in
// displayed pixels), 1:1 and fit, and a synchronised pan moves both views of the mirrored pair.
#include <gtest/gtest.h>
#include <vtkRenderer.h>

#include <memory>

#include "RenderFrame.h"
#include "viewer/HangingLayout.h"
#include "viewer/ViewScene.h"
#include "viewer/ViewSync.h"

using namespace mammo;
using core::ImageEdge;
using core::StandardView;

namespace {

constexpr int kRows = 400, kCols = 300;

// A ramp that makes every stored column and row recognisable by its displayed grey: value grows with the
// column in the upper half and with the row in the lower half; column 0 is air.
std::shared_ptr<core::Image> rampImage(core::Laterality side) {
  auto image = std::make_shared<core::Image>();
  image->info.rows = kRows;
  image->info.columns = kCols;
  image->info.bitsStored = 12;
  image->info.hasPixels = true;
  image->info.laterality = side;
  image->info.view = core::ViewPosition::CC;
  image->pixels.resize(kRows * kCols);
  for (int r = 0; r < kRows; ++r) {
    for (int c = 0; c < kCols; ++c) {
      image->pixels[r * kCols + c] = static_cast<std::uint16_t>(c == 0          ? 0
                                                                : r < kRows / 2 ? 10 * c + 500
                                                                                : 5 * r + 1000);
    }
  }
  return image;
}

}  // namespace

TEST(Navigation, ZoomAtCursorKeepsTheImagePointUnderTheCursor) {
  constexpr int w = 300, h = 400;
  auto image = rampImage(core::Laterality::Left);
  viewer::ViewScene scene;
  scene.setImage(image, false);
  scene.fit(ImageEdge::Left, w, h);  // 1 device pixel per stored pixel
  scene.setAnnotationVisible(false);
  auto window = test::offscreenWindow(w, h);
  window->AddRenderer(scene.renderer());

  const double x = 210, y = 300;  // viewport point, y up: upper half of the image, column 210
  const auto before = scene.storedPixelAt(x, y);
  ASSERT_TRUE(before);
  const int greyBefore = test::RenderFrame(window).grey(static_cast<int>(x), h - 1 - static_cast<int>(y));
  for (double factor : {2.0, 1.7, 3.0}) {
    scene.zoomAt(factor, x, y);
    const auto after = scene.storedPixelAt(x, y);
    ASSERT_TRUE(after);
    EXPECT_EQ(*after, *before) << "zoom x" << factor << " moved the image point under the cursor";
    EXPECT_NEAR(test::RenderFrame(window).grey(static_cast<int>(x), h - 1 - static_cast<int>(y)), greyBefore, 2);
  }
  EXPECT_NEAR(scene.zoom(), 2.0 * 1.7 * 3.0, 1e-9);
  // Elsewhere the picture did change: the viewport's left edge now shows a column much nearer the cursor's.
  const auto edge = scene.storedPixelAt(0.5, y);
  ASSERT_TRUE(edge);
  EXPECT_GT((*edge)[1], 180);  // 210 - 210 / 10.2

  scene.zoomAt(0.25, 20, 30);  // zoom out elsewhere: again the point under that cursor stays
  scene.setPixelScaleAt(1.0, 150, 200);
  EXPECT_NEAR(scene.pixelScale(), 1.0, 1e-9);
  scene.fit();
  EXPECT_EQ(scene.zoom(), 1.0);
  EXPECT_EQ(scene.pan()[0], 0.0);
  EXPECT_EQ(scene.storedPixelAt(x, y), before);
}

TEST(Navigation, PanMovesTheImageWithTheMouse) {
  auto image = rampImage(core::Laterality::Left);
  viewer::ViewScene scene;
  scene.setImage(image, false);
  scene.fit(ImageEdge::Left, 300, 400);
  scene.zoomAt(2.0, 150, 200);
  const auto before = scene.storedPixelAt(100, 300);
  scene.panByPixels(40, -20);  // drag right and down
  const auto after = scene.storedPixelAt(140, 280);
  ASSERT_TRUE(before && after);
  EXPECT_EQ(*after, *before) << "the point dragged did not follow the mouse";
  EXPECT_NEAR(scene.pan()[0], -20.0, 1e-9);  // 40 device px at 2 px per stored pixel
  EXPECT_NEAR(scene.pan()[1], 10.0, 1e-9);
}

TEST(ViewSync, MirroredPairAndAllViews) {
  const auto vps = viewer::hangingViewports(viewer::Layout::FourView);  // R-CC, L-CC, R-MLO, L-MLO
  EXPECT_EQ(viewer::syncedViewports(vps, 0, viewer::SyncScope::MirroredPair), std::vector<int>{1});
  EXPECT_EQ(viewer::syncedViewports(vps, 3, viewer::SyncScope::MirroredPair), std::vector<int>{2});
  EXPECT_EQ(viewer::syncedViewports(vps, 2, viewer::SyncScope::AllViews), (std::vector<int>{0, 1, 3}));
  EXPECT_TRUE(viewer::syncedViewports(vps, 1, viewer::SyncScope::None).empty());
}

TEST(ViewSync, SynchronisedPanMovesBothViewsOfTheMirroredPair) {
  // The CC pair as hung: R-CC on the left half (chest wall right), L-CC on the right half (chest wall left).
  constexpr int w = 600, h = 400;
  auto window = test::offscreenWindow(w, h);
  const auto vps = viewer::hangingViewports(viewer::Layout::CcPair);
  std::vector<std::unique_ptr<viewer::ViewScene>> scenes;
  for (const viewer::Viewport& vp : vps) {
    auto scene = std::make_unique<viewer::ViewScene>();
    auto image = rampImage(core::lateralityOf(vp.view));
    // Both ramps have their air column 0 on the left: the right breast must be mirrored to face the midline.
    scene->setImage(image, vp.chestWallOnScreen == ImageEdge::Right);
    scene->renderer()->SetViewport(vp.bounds.data());
    scene->fit(vp.chestWallOnScreen, w / 2, h);
    scene->setAnnotationVisible(false);
    window->AddRenderer(scene->renderer());
    scenes.push_back(std::move(scene));
  }
  viewer::ViewScene& right = *scenes[0];
  viewer::ViewScene& left = *scenes[1];
  right.zoomAt(2.0, 150, 300);
  viewer::followCamera(right, left);
  const test::RenderFrame before(window);
  const auto rBefore = right.storedPixelAt(150, 300), lBefore = left.storedPixelAt(150, 300);

  right.panByPixels(60, 0);  // drag the right breast 60 px to the right, towards the midline
  for (int i : viewer::syncedViewports(vps, 0, viewer::SyncScope::MirroredPair))
    viewer::followCamera(right, *scenes[i]);
  const test::RenderFrame after(window);
  const auto rAfter = right.storedPixelAt(150, 300), lAfter = left.storedPixelAt(150, 300);
  ASSERT_TRUE(rBefore && lBefore && rAfter && lAfter);
  // Both views moved by the same 30 stored columns (60 px at 2 px per pixel), in mirrored screen directions:
  // the points watched now show columns further from the air column 0 (towards the chest wall) in both.
  EXPECT_EQ((*rAfter)[1] - (*rBefore)[1], 30);
  EXPECT_EQ((*lAfter)[1] - (*lBefore)[1], 30);
  EXPECT_EQ(left.pan()[0], -right.pan()[0]);
  // And the pixels: in each half the grey at the same screen point changed (upper half: grey grows with the column).
  EXPECT_GT(std::abs(after.grey(150, 100) - before.grey(150, 100)), 10) << "the right view did not move";
  EXPECT_GT(std::abs(after.grey(450, 100) - before.grey(450, 100)), 10) << "the left view did not move";
  // Mirrored pair, mirrored pictures: the two views show the same stored columns at mirrored screen points.
  for (int x : {40, 150, 260}) EXPECT_NEAR(after.grey(x, 100), after.grey(w - 1 - x, 100), 3) << "x " << x;
}
