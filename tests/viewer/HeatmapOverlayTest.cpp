// Heatmap overlays: the colour shows at the heatmap's hot spot, nothing where it is zero, and opacity 0
// removes it; the overlay follows the image's mirroring.
#include <gtest/gtest.h>
#include <vtkImageData.h>
#include <vtkNew.h>
#include <vtkRenderWindow.h>
#include <vtkRenderer.h>
#include <vtkWindowToImageFilter.h>

#include "RenderFrame.h"
#include "viewer/ViewScene.h"

using namespace mammo;

namespace {

constexpr int kSize = 200;

struct Rgb {
  int r, g, b;
};

// The shared frame reader, with named channels for readability here.
class Frame {
 public:
  explicit Frame(vtkRenderWindow* window) : m_frame(window) {}
  Rgb at(int x, int y) const {
    const auto c = m_frame.rgb(x, y);
    return {c[0], c[1], c[2]};
  }

 private:
  mammo::test::RenderFrame m_frame;
};

}  // namespace

TEST(HeatmapOverlay, HotSpotColouredZeroTransparentOpacityZeroRemoves) {
  auto image = std::make_shared<core::Image>();
  image->info.rows = image->info.columns = 100;
  image->info.bitsStored = 12;
  image->info.hasPixels = true;
  image->pixels.assign(100 * 100, 2048);  // mid grey
  auto values = std::make_shared<std::vector<float>>(100 * 100, 0.0f);
  for (int r = 10; r < 30; ++r) {
    for (int c = 60; c < 90; ++c) (*values)[r * 100 + c] = 0.5f;  // hot spot, upper right of the stored image
  }
  viewer::ViewScene scene;
  scene.setImage(image, false);
  scene.setHeatmap(viewer::HeatmapKind::Malignant, {100, 100, values});
  vtkNew<vtkRenderWindow> window;
  window->SetOffScreenRendering(1);
  window->SetSize(kSize, kSize);
  window->AddRenderer(scene.renderer());
  scene.fit(core::ImageEdge::Left, kSize, kSize);  // 2 screen px per image px

  const Frame on(window);
  const Rgb hot = on.at(150, 40), plain = on.at(40, 150);
  EXPECT_GT(hot.r, hot.b + 60) << "malignant colour missing at the hot spot";
  EXPECT_NEAR(plain.r, plain.g, 2);  // zero heatmap: the grey image only
  EXPECT_NEAR(plain.g, plain.b, 2);

  viewer::HeatmapStyle style = scene.heatmapStyle(viewer::HeatmapKind::Malignant);
  style.opacity = 0.0;
  scene.setHeatmapStyle(viewer::HeatmapKind::Malignant, style);
  const Frame off(window);
  const Rgb gone = off.at(150, 40);
  EXPECT_NEAR(gone.r, plain.r, 2);
  EXPECT_NEAR(gone.b, plain.b, 2);

  // Mirrored images carry their overlay with them: the hot spot moves to the left half.
  style.opacity = 0.6;
  scene.setHeatmapStyle(viewer::HeatmapKind::Malignant, style);
  scene.setImage(image, true);
  scene.setHeatmap(viewer::HeatmapKind::Malignant, {100, 100, values});
  scene.fit(core::ImageEdge::Left, kSize, kSize);
  const Frame mirrored(window);
  EXPECT_GT(mirrored.at(50, 40).r, mirrored.at(50, 40).b + 60);
  EXPECT_NEAR(mirrored.at(150, 40).r, mirrored.at(150, 40).b, 2);
}

TEST(HeatmapOverlay, ColourisingRespectsThresholdAndHiding) {
  viewer::Heatmap h{1, 3, std::make_shared<std::vector<float>>(std::vector<float>{0.05f, 0.5f, 1.0f})};
  viewer::HeatmapStyle style;
  style.threshold = 0.1;
  auto rgba = viewer::colourise(h, style);
  EXPECT_EQ(rgba[3], 0);  // below threshold
  EXPECT_GT(rgba[7], 0);  // shown
  EXPECT_GT(rgba[9], rgba[5]);  // the hot map turns yellow towards 1
  style.visible = false;
  rgba = viewer::colourise(h, style);
  EXPECT_EQ(rgba[7], 0);
}
