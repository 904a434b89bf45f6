// The reading tools of a view, rendered offscreen: the loupe magnifies the image and its heatmap overlay
// around the cursor and leaves the frame as it was when hidden; distance measurements in mm (pixels without
// spacing) stay on the image under zoom; heatmap contour mode draws the hot spot's boundary only; the colour
// bar shows the colour map; orientation markers for CC and MLO; pixel padding is shown as air.
#include <gtest/gtest.h>
#include <vtkRenderWindow.h>
#include <vtkRenderer.h>

#include <cmath>
#include <filesystem>
#include <memory>

#include "RenderFrame.h"
#include "TestSupport.h"
#include "core/DicomIO.h"
#include "viewer/ColourBar.h"
#include "viewer/Loupe.h"
#include "viewer/Measurement.h"
#include "viewer/ViewAnnotation.h"
#include "viewer/ViewScene.h"
#include "viewer/VoiTable.h"

using namespace mammo;

namespace {

// A uniform mid-grey 12-bit image with air in column 0 (so the window has an air level to keep black).
std::shared_ptr<core::Image> greyImage(int rows, int cols, std::uint16_t value = 2048) {
  auto image = std::make_shared<core::Image>();
  image->info.rows = rows;
  image->info.columns = cols;
  image->info.bitsStored = 12;
  image->info.hasPixels = true;
  image->pixels.assign(static_cast<size_t>(rows) * cols, value);
  return image;
}

viewer::Heatmap block(int rows, int cols, int r0, int r1, int c0, int c1, float value) {
  auto values = std::make_shared<std::vector<float>>(static_cast<size_t>(rows) * cols, 0.0f);
  for (int r = r0; r < r1; ++r) {
    for (int c = c0; c < c1; ++c) (*values)[static_cast<size_t>(r) * cols + c] = value;
  }
  return {rows, cols, values};
}

bool isRed(const std::array<int, 3>& c) { return c[0] > c[1] + 60 && c[0] > c[2] + 60; }
bool isGrey(const std::array<int, 3>& c, int tolerance = 3) {
  return std::abs(c[0] - c[1]) <= tolerance && std::abs(c[1] - c[2]) <= tolerance;
}
bool isCyan(const std::array<int, 3>& c) { return c[2] > c[0] + 60 && c[1] > c[0] + 40; }

}  // namespace

TEST(Loupe, MagnifiesImageAndOverlayAroundTheCursorAndHidesCleanly) {
  // 200 x 200 stored pixels in 400 x 400 device pixels (2 per stored pixel). A bright square (stored columns
  // and rows 95..104) under the cursor and a malignant hot spot just right of it (columns 110..119).
  constexpr int kSize = 400;
  auto image = greyImage(200, 200, 1000);
  for (int r = 95; r < 105; ++r) {
    for (int c = 95; c < 105; ++c) image->pixels[r * 200 + c] = 3500;
  }
  image->info.windows = {{2048, 4096, ""}};
  viewer::ViewScene scene;
  scene.setImage(image, false);
  scene.setHeatmap(viewer::HeatmapKind::Malignant, block(200, 200, 95, 105, 110, 120, 0.3f));
  scene.setAnnotationVisible(false);
  auto window = test::offscreenWindow(kSize, kSize);
  window->SetNumberOfLayers(2);
  window->AddRenderer(scene.renderer());
  scene.fit(core::ImageEdge::Left, kSize, kSize);
  viewer::Loupe loupe;
  window->AddRenderer(loupe.renderer());

  // The cursor on the square's centre (stored (99.5, 99.5): viewport (200, 200)).
  const auto cursor = scene.viewportPointOf(99.5, 99.5);
  ASSERT_NEAR(cursor[0], 200, 1e-9);
  const int cy = kSize - static_cast<int>(cursor[1]);  // from the top
  const test::RenderFrame plain(window);
  // Unmagnified: the square spans x 190..210, the hot spot 220..240, grey beyond.
  EXPECT_GT(plain.grey(205, cy), 200);
  EXPECT_TRUE(isRed(plain.rgb(230, cy)));
  EXPECT_TRUE(isGrey(plain.rgb(225 + 40, cy)));
  EXPECT_LT(plain.grey(185, cy), 100);

  loupe.setSizePx(220);
  loupe.setMagnification(3.0);
  loupe.show(scene, cursor[0], cursor[1]);
  EXPECT_TRUE(loupe.visible());
  const test::RenderFrame magnified(window);
  // x 3: the square spans 170..230, the hot spot 260..300 (the loupe ends at 310).
  EXPECT_GT(magnified.grey(175, cy), 200) << "the square is not magnified";
  EXPECT_GT(magnified.grey(225, cy), 200);
  EXPECT_FALSE(isRed(magnified.rgb(225, cy))) << "the hot spot did not move outwards";
  EXPECT_TRUE(isRed(magnified.rgb(275, cy))) << "the loupe does not show the heatmap overlay";
  EXPECT_TRUE(isRed(magnified.rgb(295, cy)));
  EXPECT_LT(magnified.grey(165, cy), 100);
  // Outside the loupe (and the loupe's frame) the view is as before.
  EXPECT_EQ(magnified.rgb(60, cy), plain.rgb(60, cy));
  EXPECT_EQ(magnified.rgb(200, 40), plain.rgb(200, 40));

  loupe.setMagnification(6.0);  // the square now fills the middle 120 px
  loupe.show(scene, cursor[0], cursor[1]);
  EXPECT_GT(test::RenderFrame(window).grey(145, cy), 200);

  loupe.hide();
  const test::RenderFrame restored(window);
  for (int y = 0; y < kSize; y += 7) {
    for (int x = 0; x < kSize; x += 7) ASSERT_EQ(restored.rgb(x, y), plain.rgb(x, y)) << x << "," << y;
  }
}

TEST(Measurement, DistanceInMmFromTheSpacingAndInPixelsWithout) {
  core::ImageInfo info;
  const viewer::Measurement m{{10, 20}, {40, 60}};  // 30 rows, 40 columns
  EXPECT_EQ(viewer::formatDistance(viewer::measureDistance(info, m)), "50.0 px");
  info.spacing = core::PixelSpacing{0.1, 0.2, "PixelSpacing"};  // rows 0.1 mm apart, columns 0.2 mm
  const viewer::Distance d = viewer::measureDistance(info, m);
  EXPECT_TRUE(d.millimetres);
  EXPECT_NEAR(d.value, std::hypot(3.0, 8.0), 1e-12);
  EXPECT_EQ(viewer::formatDistance(d), "8.5 mm");
  // The detector's spacing: at the breast with the magnification factor, said so without one.
  info.spacing->source = "ImagerPixelSpacing";
  EXPECT_EQ(viewer::formatDistance(viewer::measureDistance(info, m)), "8.5 mm (at detector)");
  info.magnification = 1.0;  // contact: the detector's spacing is the breast's
  EXPECT_EQ(viewer::formatDistance(viewer::measureDistance(info, m)), "8.5 mm");
  info.magnification = 1.25;
  const viewer::Distance atBreast = viewer::measureDistance(info, m);
  EXPECT_NEAR(atBreast.value, std::hypot(3.0, 8.0) / 1.25, 1e-12);
  EXPECT_EQ(viewer::formatDistance(atBreast), "6.8 mm (mag 1.25)");
  // A PixelSpacing is taken as calibrated: no correction.
  info.spacing->source = "PixelSpacing";
  EXPECT_EQ(viewer::formatDistance(viewer::measureDistance(info, m)), "8.5 mm");
}

TEST(Measurement, LineStaysOnTheImageUnderZoomAndPan) {
  constexpr int kSize = 300;
  auto image = greyImage(150, 150);
  image->info.spacing = core::PixelSpacing{0.07, 0.07, "ImagerPixelSpacing"};
  image->info.windows = {{2048, 4096, ""}};
  viewer::ViewScene scene;
  scene.setImage(image, true);  // mirrored: the line must be mirrored with the image
  scene.setAnnotationVisible(false);
  auto window = test::offscreenWindow(kSize, kSize);
  window->AddRenderer(scene.renderer());
  scene.fit(core::ImageEdge::Right, kSize, kSize);

  // Measured between the image points under two viewport points, as the measure tool does.
  const auto a = scene.storedPointAt(60, 100), b = scene.storedPointAt(160, 200);
  ASSERT_TRUE(a && b);
  EXPECT_NEAR((*b)[0] - (*a)[0], -50.0, 1e-9);  // 100 viewport px up = 50 rows up at 2 px per pixel
  EXPECT_NEAR((*b)[1] - (*a)[1], -50.0, 1e-9);  // mirrored: right on screen is lower columns
  scene.setMeasurements({{*a, *b}});
  ASSERT_EQ(scene.measurementLabels().size(), 1u);
  // hypot(50, 50) x 0.07 = 4.95 -> printf rounds to even; the detector spacing, no magnification factor
  EXPECT_EQ(scene.measurementLabels()[0], "4.9 mm (at detector)");
  auto midpointOnScreen = [&] {
    const auto p = scene.viewportPointOf(((*a)[0] + (*b)[0]) / 2, ((*a)[1] + (*b)[1]) / 2);
    return std::array<int, 2>{static_cast<int>(p[0]), kSize - 1 - static_cast<int>(p[1])};
  };
  const auto before = midpointOnScreen();
  EXPECT_EQ(before, (std::array<int, 2>{110, kSize - 1 - 150}));
  const test::RenderFrame fitted(window);
  EXPECT_TRUE(isCyan(fitted.rgb(before[0], before[1]))) << "no line at the measurement";
  EXPECT_TRUE(isGrey(fitted.rgb(before[0] + 30, before[1])));

  scene.zoomAt(2.0, 110, 100);
  scene.panByPixels(-20, 10);
  ASSERT_EQ(scene.measurements().size(), 1u);
  EXPECT_EQ(scene.measurementLabels()[0], "4.9 mm (at detector)");  // the image's length, not the screen's
  const auto after = midpointOnScreen();
  EXPECT_EQ(after, (std::array<int, 2>{90, kSize - 1 - 210}));
  ASSERT_TRUE(after[0] >= 0 && after[0] < kSize && after[1] >= 0 && after[1] < kSize);
  EXPECT_GT(std::abs(after[0] - before[0]) + std::abs(after[1] - before[1]), 50);
  const test::RenderFrame zoomed(window);
  EXPECT_TRUE(isCyan(zoomed.rgb(after[0], after[1]))) << "the line did not follow the zoom";
  EXPECT_FALSE(isCyan(zoomed.rgb(before[0], before[1]))) << "the line stayed on the screen";

  scene.setMeasurements({});
  EXPECT_TRUE(isGrey(test::RenderFrame(window).rgb(after[0], after[1])));
}

TEST(HeatmapContours, BoundaryColouredInteriorClear) {
  // 120 x 120 stored pixels at 2 device px each; hot spot rows/columns 40..79.
  constexpr int kSize = 240;
  auto image = greyImage(120, 120);
  image->info.windows = {{2048, 4096, ""}};
  viewer::ViewScene scene;
  scene.setImage(image, false);
  scene.setAnnotationVisible(false);
  scene.setHeatmap(viewer::HeatmapKind::Malignant, block(120, 120, 40, 80, 40, 80, 0.5f));
  auto window = test::offscreenWindow(kSize, kSize);
  window->AddRenderer(scene.renderer());
  scene.fit(core::ImageEdge::Left, kSize, kSize);
  const int middle = 120;  // screen row through the hot spot's middle
  const test::RenderFrame filled(window);
  EXPECT_TRUE(isRed(filled.rgb(middle, middle))) << "filled mode colours the interior";

  viewer::HeatmapStyle style = scene.heatmapStyle(viewer::HeatmapKind::Malignant);
  style.contours = true;
  scene.setHeatmapStyle(viewer::HeatmapKind::Malignant, style);
  const test::RenderFrame contours(window);
  // The iso-line at the threshold lies between stored columns 39 and 40 (screen x about 79) and 79 and 80
  // (about 160), and likewise in y.
  auto redIn = [&](int x0, int x1, int y0, int y1) {
    int n = 0;
    for (int y = y0; y <= y1; ++y) {
      for (int x = x0; x <= x1; ++x) n += isRed(contours.rgb(x, y));
    }
    return n;
  };
  EXPECT_GT(redIn(74, 85, middle - 1, middle + 1), 0) << "no contour at the left boundary";
  EXPECT_GT(redIn(155, 166, middle - 1, middle + 1), 0) << "no contour at the right boundary";
  EXPECT_GT(redIn(middle - 1, middle + 1, 74, 85), 0) << "no contour at the top boundary";
  EXPECT_EQ(redIn(90, 150, 90, 150), 0) << "contour mode coloured the interior";
  EXPECT_EQ(redIn(0, 65, 0, 239), 0) << "colour outside the hot spot";
  EXPECT_TRUE(isGrey(contours.rgb(middle, middle)));
  EXPECT_EQ(contours.rgb(middle, middle), contours.rgb(20, 20)) << "interior not the plain image";

  style.opacity = 0;  // opacity 0 hides contours too
  scene.setHeatmapStyle(viewer::HeatmapKind::Malignant, style);
  const test::RenderFrame hidden(window);
  EXPECT_TRUE(isGrey(hidden.rgb(79, middle)) && isGrey(hidden.rgb(80, middle)));
}

TEST(ColourBar, ShowsTheColourMapOverItsRange) {
  constexpr int kSize = 300;
  auto window = test::offscreenWindow(kSize, kSize);
  vtkNew<vtkRenderer> renderer;
  window->AddRenderer(renderer);
  viewer::ColourBar bar;
  renderer->AddViewProp(bar.prop());
  bar.setTitle("malignant");
  bar.setPlace({0.6, 0.05, 0.35, 0.9});
  viewer::HeatmapStyle style;
  style.colours = viewer::ColourMap::Hot;
  style.threshold = 0.2;
  bar.setStyle(style);
  EXPECT_EQ(bar.range(), (std::array<double, 2>{0.2, 1.0}));
  auto count = [&](const test::RenderFrame& f, auto predicate) {
    int n = 0;
    for (int y = 0; y < kSize; y += 2) {
      for (int x = kSize / 2; x < kSize; x += 2) n += predicate(f.rgb(x, y));
    }
    return n;
  };
  auto red = [](const std::array<int, 3>& c) { return c[0] > 180 && c[1] < 60 && c[2] < 60; };
  auto yellow = [](const std::array<int, 3>& c) { return c[0] > 220 && c[1] > 160 && c[2] < 120; };
  auto green = [](const std::array<int, 3>& c) { return c[1] > 150 && c[0] < 120 && c[2] < 100; };

  EXPECT_EQ(count(test::RenderFrame(window), red), 0) << "hidden by default";
  bar.setVisible(true);
  const test::RenderFrame hot(window);
  EXPECT_GT(count(hot, red), 20) << "no red part of the hot map";
  EXPECT_GT(count(hot, yellow), 20) << "no yellow part of the hot map";
  EXPECT_EQ(count(hot, green), 0);
  style.colours = viewer::ColourMap::Green;
  bar.setStyle(style);
  const test::RenderFrame benign(window);
  EXPECT_GT(count(benign, green), 20);
  EXPECT_EQ(count(benign, red), 0);
}

TEST(OrientationMarkers, CcShowsLateralMedialMloHeadFoot) {
  core::ImageInfo info;
  info.laterality = core::Laterality::Right;
  info.view = core::ViewPosition::CC;
  EXPECT_EQ(viewer::verticalMarkers(info), (std::array<std::string, 2>{"R", "L"}));
  info.laterality = core::Laterality::Left;
  EXPECT_EQ(viewer::verticalMarkers(info), (std::array<std::string, 2>{"L", "R"}));
  info.view = core::ViewPosition::MLO;
  EXPECT_EQ(viewer::verticalMarkers(info), (std::array<std::string, 2>{"H", "F"}));
  // The header wins: the second value of PatientOrientation is the bottom edge's direction.
  info.patientOrientation = "A\\FL";
  EXPECT_EQ(viewer::verticalMarkers(info), (std::array<std::string, 2>{"HR", "FL"}));
  info.view = core::ViewPosition::CC;
  info.patientOrientation = "P\\L";
  EXPECT_EQ(viewer::verticalMarkers(info), (std::array<std::string, 2>{"R", "L"}));

  // In a scene: all four markers, drawn.
  auto image = greyImage(200, 160, 0);
  image->info.laterality = core::Laterality::Right;
  image->info.view = core::ViewPosition::MLO;
  viewer::ViewScene scene;
  scene.setImage(image, false);
  scene.fit(core::ImageEdge::Right, 320, 400);
  EXPECT_EQ(scene.annotation().markers(), (std::array<std::string, 4>{"P", "A", "H", "F"}));
  auto window = test::offscreenWindow(320, 400);
  window->AddRenderer(scene.renderer());
  const test::RenderFrame f(window);
  auto lit = [&](int y0, int y1) {
    int n = 0;
    for (int y = y0; y < y1; ++y) {
      for (int x = 140; x < 180; ++x) n += f.grey(x, y) > 100;
    }
    return n;
  };
  EXPECT_GT(lit(0, 30), 5) << "no top marker drawn";
  EXPECT_GT(lit(370, 400), 5) << "no bottom marker drawn";
}

TEST(PixelPadding, PaddedPixelsAreAirWhateverTheWindow) {
  // Left third: padding (stored 4000, bright if it were shown); middle third: real air (50); right: tissue.
  constexpr int kRows = 100, kCols = 150;
  auto image = greyImage(kRows, kCols, 2000);
  for (int r = 0; r < kRows; ++r) {
    for (int c = 0; c < 50; ++c) image->pixels[r * kCols + c] = 4000 + (r % 3);  // 4000..4002
    for (int c = 50; c < 100; ++c) image->pixels[r * kCols + c] = 50;
  }
  image->info.pixelPaddingValue = 4000;
  image->info.pixelPaddingRangeLimit = 4002;
  const viewer::PixelStats stats = viewer::analysePixels(*image);
  ASSERT_TRUE(stats.padding);
  EXPECT_TRUE(viewer::isPadding(stats, 4001));
  EXPECT_FALSE(viewer::isPadding(stats, 3999));
  ASSERT_TRUE(stats.background);
  EXPECT_EQ(*stats.background, 50) << "the air level is looked for among the unpadded values";

  viewer::ViewScene scene;
  scene.setImage(image, false);
  scene.setAnnotationVisible(false);
  auto window = test::offscreenWindow(300, 200);
  window->AddRenderer(scene.renderer());
  scene.fit(core::ImageEdge::Left, 300, 200);
  for (const core::VoiWindow& w :
       {core::VoiWindow{2048, 4096, ""}, core::VoiWindow{4000, 100, ""}, core::VoiWindow{100, 20, ""}}) {
    scene.setVoiWindow(w);
    const test::RenderFrame f(window);
    EXPECT_EQ(f.grey(40, 100), 0) << "padding shown under W " << w.width << " C " << w.center;
    EXPECT_EQ(f.grey(150, 100), 0) << "air shown";
    EXPECT_EQ(scene.displayedGrey(4002), 0);
  }
  scene.setVoiWindow({2000, 100, ""});
  EXPECT_NEAR(test::RenderFrame(window).grey(250, 100), 128, 2) << "tissue is windowed as usual";
  // Without the padding attribute the same pixels are the brightest thing on screen.
  image->info.pixelPaddingValue.reset();
  scene.setImage(image, false);
  scene.setVoiWindow({2048, 4096, ""});
  EXPECT_GT(test::RenderFrame(window).grey(40, 100), 240);
}

TEST(PixelPadding, ReadFromDicomUnsignedAndSigned) {
  std::filesystem::create_directories(MAMMO_TEST_TMP);
  for (const bool isSigned : {false, true}) {
    auto image = greyImage(8, 8, 1000);
    image->info.pixelSigned = isSigned;
    image->info.pixelPaddingValue = isSigned ? -2000 : 4095;
    image->info.pixelPaddingRangeLimit = isSigned ? -1990 : 4090;
    image->pixels[0] = static_cast<std::uint16_t>(static_cast<std::int16_t>(*image->info.pixelPaddingValue));
    const std::filesystem::path path =
        std::filesystem::path(MAMMO_TEST_TMP) / (isSigned ? "padding-ss.dcm" : "padding-us.dcm");
    core::writeDicom(*image, path, core::TransferSyntax::ExplicitLittleEndian);
    const core::Image read = core::readDicom(path);
    ASSERT_TRUE(read.info.pixelPaddingValue) << path;
    EXPECT_EQ(*read.info.pixelPaddingValue, *image->info.pixelPaddingValue);
    ASSERT_TRUE(read.info.pixelPaddingRangeLimit);
    EXPECT_EQ(*read.info.pixelPaddingRangeLimit, *image->info.pixelPaddingRangeLimit);
    const viewer::PixelStats stats = viewer::analysePixels(read);
    EXPECT_TRUE(viewer::isPadding(stats, viewer::textureValue(read.info, read.pixels[0])));
    EXPECT_FALSE(viewer::isPadding(stats, viewer::textureValue(read.info, read.pixels[1])));
  }
}
