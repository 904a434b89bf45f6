// The four-view hanging protocol, rendered offscreen: each quadrant shows its view, chest walls meet at
// the vertical midline, R views point left and L views point right, also for mirrored-stored exams.
#include <gtest/gtest.h>
#include <vtkImageData.h>
#include <vtkNew.h>
#include <vtkRenderWindow.h>
#include <vtkRenderer.h>
#include <vtkWindowToImageFilter.h>

#include <algorithm>
#include <memory>

#include "TestSupport.h"
#include "core/ExamLoader.h"
#include "core/Orientation.h"
#include "core/Phantom.h"
#include "viewer/HangingLayout.h"
#include "viewer/ViewScene.h"
#include "viewer/ViewSync.h"

using namespace mammo;
using core::ImageEdge;
using core::StandardView;

namespace {

constexpr int kWidth = 800, kHeight = 600;

struct Frame {
  std::vector<std::uint8_t> grey;  // row 0 = top
  std::uint8_t at(int x, int yFromTop) const { return grey[static_cast<size_t>(yFromTop) * kWidth + x]; }
};

Frame renderExam(const core::Exam& exam) {
  vtkNew<vtkRenderWindow> window;
  window->SetOffScreenRendering(1);
  window->SetSize(kWidth, kHeight);
  std::vector<std::unique_ptr<viewer::ViewScene>> scenes;
  for (const viewer::Viewport& vp : viewer::hangingViewports(viewer::Layout::FourView)) {
    auto scene = std::make_unique<viewer::ViewScene>();
    const core::Image& image = exam.view(vp.view).front();
    scene->setImage(std::make_shared<core::Image>(image), viewer::needsMirror(image, vp.chestWallOnScreen));
    scene->renderer()->SetViewport(vp.bounds.data());
    window->AddRenderer(scene->renderer());
    scene->fit(vp.chestWallOnScreen, kWidth / 2, kHeight / 2);
    scenes.push_back(std::move(scene));
  }
  window->Render();
  vtkNew<vtkWindowToImageFilter> grab;
  grab->SetInput(window);
  grab->ReadFrontBufferOff();
  grab->Update();
  vtkImageData* out = grab->GetOutput();
  Frame frame;
  frame.grey.resize(kWidth * kHeight);
  const int comps = out->GetNumberOfScalarComponents();
  auto* px = static_cast<std::uint8_t*>(out->GetScalarPointer());
  for (int y = 0; y < kHeight; ++y) {
    for (int x = 0; x < kWidth; ++x) frame.grey[(kHeight - 1 - y) * kWidth + x] = px[(y * kWidth + x) * comps];
  }
  return frame;
}

// Fraction of rows in [y0, y1) whose pixel at column x is not background.
double coverage(const Frame& f, int x, int y0, int y1) {
  int hits = 0;
  for (int y = y0; y < y1; ++y) hits += f.at(x, y) > 8;
  return double(hits) / (y1 - y0);
}

void expectHungCorrectly(const Frame& f) {
  const int mid = kWidth / 2;
  for (const auto& [y0, y1] : {std::pair{0, kHeight / 2}, std::pair{kHeight / 2, kHeight}}) {
    // Both chest walls touch the midline...
    EXPECT_GT(coverage(f, mid - 1, y0 + 20, y1 - 20), 0.3) << "right-breast chest wall not at midline";
    EXPECT_GT(coverage(f, mid, y0 + 20, y1 - 20), 0.3) << "left-breast chest wall not at midline";
    // ...and the outer edges (nipple side) are mostly air.
    EXPECT_LT(coverage(f, 2, y0 + 20, y1 - 20), 0.1) << "R view does not point left";
    EXPECT_LT(coverage(f, kWidth - 3, y0 + 20, y1 - 20), 0.1) << "L view does not point right";
  }
}

}  // namespace

TEST(HangingLayout, FourViewQuadrantsAndAnchors) {
  const auto vps = viewer::hangingViewports(viewer::Layout::FourView);
  ASSERT_EQ(vps.size(), 4u);
  EXPECT_EQ(vps[0].view, StandardView::RCC);  // top left
  EXPECT_DOUBLE_EQ(vps[0].bounds[0], 0.0);
  EXPECT_DOUBLE_EQ(vps[0].bounds[1], 0.5);
  EXPECT_EQ(vps[0].chestWallOnScreen, ImageEdge::Right);
  EXPECT_EQ(vps[3].view, StandardView::LMLO);  // bottom right
  EXPECT_EQ(vps[3].chestWallOnScreen, ImageEdge::Left);
  EXPECT_EQ(viewer::parseLayout("mlo"), viewer::Layout::MloPair);
}

TEST(HangingLayout, PriorBesideTheCurrentViewBackToBackAtOneScale) {
  EXPECT_EQ(viewer::parseLayout("prior"), viewer::Layout::Prior);
  // Right breast: current | prior; left breast: prior | current; the current hangs as in the 2x2.
  for (StandardView v : {StandardView::RCC, StandardView::LMLO}) {
    const auto vps = viewer::hangingViewports(viewer::Layout::Prior, v);
    ASSERT_EQ(vps.size(), 2u);
    const bool right = v == StandardView::RCC;
    const int current = right ? 0 : 1, prior = 1 - current;
    EXPECT_FALSE(vps[current].prior);
    EXPECT_TRUE(vps[prior].prior);
    EXPECT_EQ(vps[current].view, v);
    EXPECT_EQ(vps[prior].view, v);
    EXPECT_EQ(vps[current].chestWallOnScreen, right ? ImageEdge::Right : ImageEdge::Left);
    EXPECT_EQ(vps[0].chestWallOnScreen, ImageEdge::Right);  // back to back at the midline
    EXPECT_EQ(vps[1].chestWallOnScreen, ImageEdge::Left);
    EXPECT_TRUE(viewer::hungPair(vps[0], vps[1]));
    EXPECT_EQ(viewer::syncedViewports(vps, 0, viewer::SyncScope::MirroredPair), std::vector<int>{1});
    // A prior at another spacing and size: one millimetre scale, the larger image fitted.
    core::ImageInfo a, b;
    a.rows = 400, a.columns = 300, a.spacing = core::PixelSpacing{0.1, 0.1, "PixelSpacing"};
    b.rows = 300, b.columns = 200, b.spacing = core::PixelSpacing{0.2, 0.2, "PixelSpacing"};
    const auto scales = viewer::pairFitScales(vps, {{{500, 500}}, {{500, 500}}}, {&a, &b});
    ASSERT_TRUE(scales[0] && scales[1]);
    EXPECT_NEAR(*scales[0] / 0.1, *scales[1] / 0.2, 1e-9);  // device pixels per mm
    EXPECT_NEAR(std::max(*scales[0] * a.rows, *scales[1] * b.rows), 500.0, 1e-9);  // the prior (60 mm) fits
  }
  // Not a pair: the same view of one study twice, or different views of current and prior.
  viewer::Viewport c{StandardView::RCC, {0, 0, 0.5, 1}, ImageEdge::Right, false};
  viewer::Viewport p{StandardView::LCC, {0.5, 0, 1, 1}, ImageEdge::Left, true};
  EXPECT_FALSE(viewer::hungPair(c, p));
  EXPECT_FALSE(viewer::hungPair(c, c));
}

TEST(HangingRender, PhantomExamHangsBackToBack) {
  core::PhantomOptions o;
  o.seed = 9;
  const core::PhantomExam phantom = core::generatePhantomExam(o, 0);
  core::Exam exam;
  for (StandardView v : core::kStandardViews) {
    core::Image image = phantom.views[static_cast<int>(v)].image;
    image.orientation = core::analyseOrientation(image);
    exam.view(v).push_back(image);
  }
  expectHungCorrectly(renderExam(exam));
}

TEST(HangingRender, DensityExamWithMirroredRightViewsHangsCorrectly) {
  const core::LoadResult result = core::loadPaths({mammo::test::realDataDir() / "density-exam"});
  ASSERT_EQ(result.exams.size(), 1u);
  expectHungCorrectly(renderExam(result.exams[0]));
}

TEST(ViewScene, DisplayToStoredPixelRoundTrip) {
  auto image = std::make_shared<core::Image>();
  image->info.rows = 100;
  image->info.columns = 50;
  image->info.hasPixels = true;
  image->pixels.assign(5000, 1);
  viewer::ViewScene scene;
  scene.setImage(image, true);
  scene.fit(ImageEdge::Left, 200, 200);  // scale 2 screen px per image px; image spans x 0..100
  // Mirrored and anchored left: the viewport's left edge shows stored column 49.
  auto p = scene.storedPixelAt(1, 199, 200, 200);
  ASSERT_TRUE(p);
  EXPECT_EQ((*p)[0], 0);
  EXPECT_EQ((*p)[1], 49);
  auto q = scene.storedPixelAt(97, 1, 200, 200);
  ASSERT_TRUE(q);
  EXPECT_EQ((*q)[0], 99);
  EXPECT_EQ((*q)[1], 1);
  EXPECT_FALSE(scene.storedPixelAt(150, 100, 200, 200));  // right of the image: air
}
