// Editing tools on hand-checkable synthetic images and on a phantom mammogram.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include "annotation/Brush.h"
#include "annotation/FloodFill.h"
#include "annotation/HeatmapSeed.h"
#include "annotation/PolygonFill.h"
#include "core/Phantom.h"

using namespace mammo;
using annotation::PixelPoint;

namespace {

core::Image imageOf(int rows, int columns, std::vector<std::uint16_t> values) {
  core::Image image;
  image.info.rows = rows;
  image.info.columns = columns;
  image.info.sourcePath = "synthetic";
  image.pixels = std::move(values);
  return image;
}

// The map as text, one line per row: '.' for 0, the class digit otherwise.
std::string picture(const core::LabelMap& map) {
  std::string s;
  for (int r = 0; r < map.rows; ++r) {
    for (int c = 0; c < map.columns; ++c) s += map.at(r, c) ? char('0' + map.at(r, c)) : '.';
    s += '\n';
  }
  return s;
}

// A small-size phantom view that carries a lesion (seed chosen so L-CC has one).
const core::PhantomImage& phantomView() {
  static const core::PhantomExam exam = [] {
    core::PhantomOptions o;
    o.seed = 4;
    o.lesionRate = 1.0;
    return core::generatePhantomExam(o, 0);
  }();
  return exam.views[static_cast<int>(core::StandardView::LCC)];
}

// Distance from p to segment a-b: to an endpoint when p projects outside the segment, else perpendicular.
double distanceToSegment(PixelPoint p, PixelPoint a, PixelPoint b) {
  const double abr = b.row - a.row, abc = b.col - a.col;
  if ((p.row - a.row) * abr + (p.col - a.col) * abc <= 0) return std::hypot(p.row - a.row, p.col - a.col);
  if ((p.row - b.row) * abr + (p.col - b.col) * abc >= 0) return std::hypot(p.row - b.row, p.col - b.col);
  return std::abs(abr * (p.col - a.col) - abc * (p.row - a.row)) / std::hypot(abr, abc);
}

}  // namespace

TEST(EditTools, BrushDiscOfRadiusOneIsAPlusAndOneAndAHalfIsASquare) {
  core::LabelMap map(5, 5);
  annotation::BrushStroke({{2, 2}}, 1.0, 1).apply(map);
  EXPECT_EQ(picture(map), ".....\n..1..\n.111.\n..1..\n.....\n");
  annotation::BrushStroke({{2, 2}}, 1.5, 2).apply(map);
  EXPECT_EQ(picture(map), ".....\n.222.\n.222.\n.222.\n.....\n");
}

TEST(EditTools, FastStrokeIsInterpolatedWithoutGaps) {
  // Two mouse events 10 pixels apart with a 0.5-pixel brush: the whole row between them is painted.
  core::LabelMap map(3, 11);
  annotation::BrushStroke({{1, 0}, {1, 10}}, 0.5, 1).apply(map);
  EXPECT_EQ(picture(map), "...........\n11111111111\n...........\n");
  // A diagonal stroke: only the pixels whose centres lie on it (neighbours are 0.71 away).
  core::LabelMap diag(5, 5);
  annotation::BrushStroke({{0, 0}, {4, 4}}, 0.5, 3).apply(diag);
  EXPECT_EQ(picture(diag), "3....\n.3...\n..3..\n...3.\n....3\n");
  // A three-point stroke bends without gaps at the corner.
  core::LabelMap bent(4, 4);
  annotation::BrushStroke({{0, 0}, {0, 3}, {3, 3}}, 0.5, 1).apply(bent);
  EXPECT_EQ(picture(bent), "1111\n...1\n...1\n...1\n");
}

TEST(EditTools, EraserClearsToBackgroundAndClipsAtTheBorder) {
  core::LabelMap map(3, 3);
  std::fill(map.labels.begin(), map.labels.end(), 2);
  annotation::BrushStroke::eraser({{1, 1}}, 1.0).apply(map);
  EXPECT_EQ(picture(map), "2.2\n...\n2.2\n");
  annotation::BrushStroke::eraser({{-1, -1}, {-1, 5}}, 1.0).apply(map);  // outside, touching row 0
  EXPECT_EQ(picture(map), "...\n...\n2.2\n");
  EXPECT_EQ(annotation::BrushStroke({{-50, -50}}, 2, 1).bounds(map), (annotation::PixelRect{0, 0, 0, 0}));
}

TEST(EditTools, PolygonFillsPixelCentresTopLeftInclusive) {
  core::LabelMap map(6, 6);
  annotation::PolygonFill({{1, 1}, {1, 4}, {4, 4}, {4, 1}}, 1).apply(map);
  // Vertices on pixel centres: the top/left edges' pixels are in, the bottom/right edges' out.
  EXPECT_EQ(picture(map), "......\n.111..\n.111..\n.111..\n......\n......\n");
  core::LabelMap tri(6, 7);
  annotation::PolygonFill({{0, 0}, {0, 6}, {6, 0}}, 2).apply(tri);
  EXPECT_EQ(tri.count(2), 6u + 5 + 4 + 3 + 2 + 1);
  EXPECT_EQ(picture(tri).substr(0, 16), "222222.\n22222..\n");
}

TEST(EditTools, SelfIntersectingLassoUsesTheEvenOddRule) {
  // A pentagram drawn in one stroke: the inner pentagon is wound twice, so even-odd leaves it empty.
  core::LabelMap map(101, 101);
  std::vector<PixelPoint> star;
  for (int k = 0; k < 5; ++k) {
    const double a = -std::numbers::pi / 2 + k * 4 * std::numbers::pi / 5;  // every second tip
    star.push_back({50.3 + 40 * std::sin(a), 50.3 + 40 * std::cos(a)});
  }
  annotation::PolygonFill(star, 1).apply(map);
  EXPECT_EQ(map.at(50, 50), 0);  // centre: inside the doubly wound pentagon
  EXPECT_EQ(map.at(20, 50), 1);  // just below the top tip
  EXPECT_EQ(map.at(5, 50), 0);  // above the tip
}

TEST(EditTools, FloodFillStaysInRangeAndIsFourConnected) {
  // 100s form an L and an island touching it only diagonally; 500 is a wall.
  const core::Image image = imageOf(4, 5, {100, 500, 500, 500, 500,  //
                                           100, 500, 100, 100, 500,  //
                                           100, 100, 500, 500, 100,  //
                                           500, 500, 500, 100, 500});
  core::LabelMap map(4, 5);
  annotation::FloodFill(image, 0, 0, 90, 110, 1).apply(map);
  EXPECT_EQ(picture(map), "1....\n1....\n11...\n.....\n");
  core::LabelMap none(4, 5);
  annotation::FloodFill(image, 0, 1, 90, 110, 1).apply(none);  // seed on the wall: out of range
  EXPECT_EQ(none.count(0), 20u);
  core::LabelMap wide(4, 5);
  annotation::FloodFill(image, 0, 0, 0, 500, 2).apply(wide);
  EXPECT_EQ(wide.count(2), 20u);
  EXPECT_THROW(annotation::FloodFill(image, 9, 0, 0, 1, 1), std::invalid_argument);
}

TEST(EditTools, SmartBrushPaintsOnlyPixelsNearTheStartValue) {
  // Left half 100, right half 300 (with one 130 pixel); the stroke starts on the left.
  std::vector<std::uint16_t> v(5 * 6);
  for (int r = 0; r < 5; ++r)
    for (int c = 0; c < 6; ++c) v[r * 6 + c] = c < 3 ? 100 : 300;
  v[2 * 6 + 3] = 130;
  const core::Image image = imageOf(5, 6, v);
  core::LabelMap map(5, 6);
  annotation::SmartBrushStroke stroke(image, {{2, 1}, {2, 2}}, 2.0, 1, 50);
  EXPECT_EQ(stroke.referenceValue(), 100);
  stroke.apply(map);
  EXPECT_EQ(picture(map), ".11...\n111...\n1111..\n111...\n.11...\n");
}

TEST(EditTools, HeatmapSeedThresholdsInsideTheRegion) {
  const std::vector<float> heat{0.1f, 0.6f,  0.9f, 0.2f,  //
                                0.5f, 0.49f, 0.7f, 0.0f,  //
                                0.8f, 0.8f,  0.8f, 0.8f};
  core::LabelMap map(3, 4);
  map.at(0, 0) = 1;  // what the annotator painted stays
  annotation::HeatmapSeed({3, 4, heat}, 0.5f, 2).apply(map);
  EXPECT_EQ(picture(map), "122.\n2.2.\n2222\n");
  core::LabelMap region(3, 4);
  annotation::HeatmapSeed({3, 4, heat}, 0.5f, 2, annotation::PixelRect{0, 1, 2, 3}).apply(region);
  EXPECT_EQ(picture(region), ".22.\n..2.\n....\n");
  EXPECT_THROW(annotation::HeatmapSeed({2, 4, heat}, 0.5f, 2), std::invalid_argument);
}

TEST(EditTools, BrushAndEraserOnAPhantomMatchADirectDistanceTest) {
  const core::Image& image = phantomView().image;
  core::LabelMap map(image.info.rows, image.info.columns);
  const std::vector<PixelPoint> stroke{{300.4, 200.2}, {340.9, 260.7}, {420.1, 255.5}};
  annotation::BrushStroke(stroke, 12.5, 1).apply(map);
  annotation::BrushStroke::eraser({{340, 260}}, 6).apply(map);
  // Independent check: the distance from each pixel centre to the polyline (endpoint distances or the
  // perpendicular one), against the radius; pixels within 0.01 of a rim are not judged.
  size_t checked = 0;
  for (int r = 270; r < 450; ++r) {
    for (int c = 170; c < 290; ++c) {
      double best = 1e9;
      for (size_t s = 0; s + 1 < stroke.size(); ++s) {
        best = std::min(best, distanceToSegment({double(r), double(c)}, stroke[s], stroke[s + 1]));
      }
      const double toErased = std::hypot(r - 340.0, c - 260.0);
      if (std::abs(best - 12.5) < 0.01 || std::abs(toErased - 6) < 0.01) continue;
      const int expected = toErased <= 6 ? 0 : best <= 12.5 ? 1 : 0;
      ASSERT_EQ(map.at(r, c), expected) << r << "," << c;
      ++checked;
    }
  }
  EXPECT_GT(map.count(1), 3000u);
  EXPECT_GT(checked, 20000u);
}

TEST(EditTools, PolygonOnAPhantomMatchesTheCrossingTest) {
  const core::Image& image = phantomView().image;
  core::LabelMap map(image.info.rows, image.info.columns);
  const std::vector<PixelPoint> lasso{{100.3, 80.7}, {180.2, 400.1}, {420.6, 350.4}, {260.5, 220.9}, {390.8, 60.2}};
  annotation::PolygonFill(lasso, 2).apply(map);
  size_t inside = 0;
  for (int r = 0; r < map.rows; ++r) {
    for (int c = 0; c < map.columns; ++c) {
      bool in = false;  // W. R. Franklin's point-in-polygon test
      for (size_t i = 0, j = lasso.size() - 1; i < lasso.size(); j = i++) {
        if ((lasso[i].row > r) != (lasso[j].row > r) &&
            c < (lasso[j].col - lasso[i].col) * (r - lasso[i].row) / (lasso[j].row - lasso[i].row) + lasso[i].col) {
          in = !in;
        }
      }
      ASSERT_EQ(map.at(r, c), in ? 2 : 0) << r << "," << c;
      inside += in;
    }
  }
  EXPECT_GT(inside, 10000u);
}

TEST(EditTools, FloodFillOnAPhantomFillsExactlyTheConnectedInRangeRegion) {
  const core::Image& image = phantomView().image;
  const int rows = image.info.rows, cols = image.info.columns;
  // Seed inside the breast, range around its value: the result must be the seed's 4-connected component
  // of in-range pixels, i.e. every filled pixel is in range, and no in-range pixel borders a filled one
  // without being filled itself (closure), and the seed is filled.
  const int seedR = rows / 2, seedC = image.info.columns / 2;
  const std::uint16_t v = image.at(seedR, seedC);
  ASSERT_GT(v, 0);
  const std::uint16_t lo = v - 150, hi = v + 150;
  core::LabelMap map(rows, cols);
  annotation::FloodFill(image, seedR, seedC, lo, hi, 1).apply(map);
  ASSERT_EQ(map.at(seedR, seedC), 1);
  const auto in = [&](int r, int c) { return image.at(r, c) >= lo && image.at(r, c) <= hi; };
  for (int r = 0; r < rows; ++r) {
    for (int c = 0; c < cols; ++c) {
      if (!map.at(r, c)) continue;
      ASSERT_TRUE(in(r, c));
      for (auto [dr, dc] : {std::pair{-1, 0}, std::pair{1, 0}, std::pair{0, -1}, std::pair{0, 1}}) {
        const int rr = r + dr, cc = c + dc;
        if (rr < 0 || cc < 0 || rr >= rows || cc >= cols) continue;
        ASSERT_TRUE(map.at(rr, cc) || !in(rr, cc)) << rr << "," << cc;
      }
    }
  }
  EXPECT_GT(map.count(1), 100u);
  EXPECT_LT(map.count(1), size_t(rows) * cols / 2);
}

TEST(EditTools, SmartBrushAndHeatmapSeedOnAPhantom) {
  const core::PhantomImage& view = phantomView();
  const core::Image& image = view.image;
  core::LabelMap map(image.info.rows, image.info.columns);
  const PixelPoint start{512, 300};
  annotation::SmartBrushStroke(image, {start, {530, 330}}, 25, 1, 120).apply(map);
  const int v0 = image.at(512, 300);
  size_t expected = 0;
  for (int r = 0; r < map.rows; ++r) {
    for (int c = 0; c < map.columns; ++c) {
      const double d = distanceToSegment({double(r), double(c)}, start, {530, 330});
      if (std::abs(d - 25) < 1e-9) continue;  // exactly on the rim: rounding decides
      const bool inBrush = d <= 25;
      const bool want = inBrush && std::abs(int(image.at(r, c)) - v0) <= 120;
      ASSERT_EQ(map.at(r, c), want ? 1 : 0) << r << "," << c;
      expected += want;
    }
  }
  EXPECT_GT(expected, 50u);
  // Seed from AI: a heatmap that is exactly the phantom's malignant-or-benign mask gives that mask back.
  std::vector<float> heat(view.benignMask.size());
  for (size_t i = 0; i < heat.size(); ++i) heat[i] = (view.benignMask[i] || view.malignantMask[i]) ? 0.9f : 0.1f;
  core::LabelMap seeded(image.info.rows, image.info.columns);
  annotation::HeatmapSeed({image.info.rows, image.info.columns, heat}, 0.5f, 2).apply(seeded);
  size_t lesion = 0;
  for (size_t i = 0; i < heat.size(); ++i) {
    ASSERT_EQ(seeded.labels[i], heat[i] > 0.5f ? 2 : 0);
    lesion += heat[i] > 0.5f;
  }
  EXPECT_GT(lesion, 0u);
}
