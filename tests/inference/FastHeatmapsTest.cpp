// Fast heatmap mode (HeatmapMode::Fast, an approximation) on one parity view against the reference's
// exact patch probabilities: background patches exact, the classified grid close, every probability in
// [0, 1], and the heatmaps close to the exact ones (bounds a little below the figures measured with
// mammolens-bench, docs/performance.md "Fast heatmap mode"). About 5 s on a 2-core CPU.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "ParityData.h"
#include "inference/Device.h"
#include "inference/Fidelity.h"
#include "inference/Heatmaps.h"
#include "inference/ModelBundle.h"
#include "inference/PatchClassifier.h"
#include "inference/PythonRandom.h"

using namespace mammo;

TEST(FastHeatmaps, CloseToExactOnTheSmallestParityView) {
  inference::applyComputeSettings({});
  const inference::ModelBundle bundle = inference::importNyuModels(test::parityDir() / "weights");
  inference::PatchClassifier classifier(bundle.patch, "sample_patch_model.p");
  constexpr int kView = 1;  // R-CC, the smallest crop
  inference::PythonRandom rng(0);
  for (int v = 0; v < kView; ++v) {  // the random stream carries over the views in order
    inference::patchGrid(test::parityCrops()[v].crop.rows, test::parityCrops()[v].crop.columns, rng);
  }
  const auto& c = test::parityCrops()[kView];
  const inference::ImageHeatmaps fast =
      inference::computeHeatmaps(c.faceRight.data(), c.crop.rows, c.crop.columns, classifier, rng, 10, nullptr, 0, 1,
                                 inference::HeatmapMode::Fast);
  const auto patches = test::readPatchCsv(test::parityDir() / "stage3_heatmaps" /
                                          (std::string(test::kParityNames[kView]) + "_patch_probs.csv"));
  ASSERT_EQ(static_cast<int>(patches.size()), fast.grid.count());

  // The reference's background probability: the most frequent row (all background patches are identical).
  std::map<std::array<float, 4>, int> counts;
  for (const auto& p : patches) ++counts[p.p];
  const auto background =
      std::max_element(counts.begin(), counts.end(), [](auto& a, auto& b) { return a.second < b.second; })->first;
  inference::ImageHeatmaps exact = fast;
  const int gridRows = static_cast<int>(fast.grid.rowStarts.size());
  const int gridColumns = static_cast<int>(fast.grid.columnStarts.size());
  double classifiedMax = 0;
  for (const auto& p : patches) {
    exact.patchProbabilities[p.index] = p.p;
    const auto& mine = fast.patchProbabilities[p.index];
    for (int k = 0; k < 4; ++k) {
      EXPECT_GE(mine[k], 0.0f);
      EXPECT_LE(mine[k], 1.0f);
    }
    if (p.p == background) {
      for (int k = 0; k < 4; ++k) EXPECT_NEAR(mine[k], p.p[k], 1e-4) << "background patch " << p.index;
    }
    const int r = p.index % gridRows, col = p.index / gridRows;
    const bool classified = (r % 3 == 0 || r == gridRows - 1) && (col % 3 == 0 || col == gridColumns - 1);
    if (classified) {
      for (int k = 0; k < 4; ++k) classifiedMax = std::max(classifiedMax, double(std::abs(mine[k] - p.p[k])));
    }
  }
  inference::assembleHeatmaps(exact);
  const auto benign = inference::compareMaps(exact.benign, fast.benign);
  const auto malignant = inference::compareMaps(exact.malignant, fast.malignant);
  std::printf(
      "classified patches (bfloat16): max |diff| %.3f; heatmap correlation benign %.4f, malignant %.4f; "
      "mean |diff| %.4f, %.4f\n",
      classifiedMax, benign.correlation, malignant.correlation, benign.meanAbsDifference, malignant.meanAbsDifference);
  EXPECT_LT(classifiedMax, 0.15);
  EXPECT_GT(benign.correlation, 0.95);
  EXPECT_GT(malignant.correlation, 0.95);
  EXPECT_LT(benign.meanAbsDifference, 0.04);
  EXPECT_LT(malignant.meanAbsDifference, 0.04);
}

// The grid interpolation behind fast mode and mammolens-bench --bounds: lattices keep the last index,
// a field linear in the grid indices is reproduced exactly between known corners (with and without an
// estimate to correct), known patches are never written, and values are clamped to [0, 1].
TEST(FastHeatmaps, GridInterpolationIsBilinearAndLeavesKnownPatches) {
  EXPECT_EQ(inference::latticeIndices(7, 3), (std::vector<int>{0, 3, 6}));
  EXPECT_EQ(inference::latticeIndices(8, 3), (std::vector<int>{0, 3, 6, 7}));
  EXPECT_EQ(inference::latticeIndices(1, 3), (std::vector<int>{0}));
  const int rows = 7, columns = 8;
  const auto keptRows = inference::latticeIndices(rows, 3), keptColumns = inference::latticeIndices(columns, 3);
  const auto cells = inference::latticeCells(keptRows, keptColumns);
  EXPECT_EQ(cells.size(), 2u * 3u);
  auto field = [](int r, int c) { return std::array<float, 4>{0.1f + 0.05f * r, 0.02f * c, 0.3f, 0.01f * r * 1.0f}; };
  std::vector<std::array<float, 4>> values(rows * columns, {-1, -1, -1, -1}), estimate(rows * columns);
  std::vector<char> known(rows * columns, 0);
  for (int c = 0; c < columns; ++c) {
    for (int r = 0; r < rows; ++r) estimate[c * rows + r] = {0.2f, 0.1f * (r % 2), 0.0f, 0.0f};
  }
  for (int r : keptRows) {
    for (int c : keptColumns) {
      values[c * rows + r] = field(r, c);
      known[c * rows + r] = 1;
    }
  }
  const int knownOffLattice = 2 * rows + 1;  // (row 1, column 2): known, with a value off the field
  values[knownOffLattice] = {0.9f, 0.9f, 0.9f, 0.9f};
  known[knownOffLattice] = 1;
  using Values = std::vector<std::array<float, 4>>;
  for (const Values* withEstimate : std::vector<const Values*>{nullptr, &estimate}) {
    auto filled = values;
    inference::interpolateWithinCells(cells, rows, known, withEstimate, filled);
    for (int c = 0; c < columns; ++c) {
      for (int r = 0; r < rows; ++r) {
        const int k = c * rows + r;
        if (k == knownOffLattice) {
          EXPECT_EQ(filled[k], values[k]);
          continue;
        }
        // A field linear in the indices is reproduced exactly; with an estimate, the estimate's own departure
        // from the bilinear interpolation of its corners is added.
        for (int i = 0; i < 4; ++i) {
          double expected = field(r, c)[i];
          if (withEstimate && !known[k]) {
            const auto& e = estimate;
            const auto [ra, rb] = std::pair{r / 3 * 3, std::min(r / 3 * 3 + 3, rows - 1)};
            const int ca = std::min(c / 3 * 3, 6), cb = c >= 6 ? 7 : ca + 3;
            const double tr = rb > ra ? double(r - ra) / (rb - ra) : 0, tc = cb > ca ? double(c - ca) / (cb - ca) : 0;
            auto at = [&](int rr, int cc) { return double(e[cc * rows + rr][i]); };
            const double bilinearEstimate = (1 - tr) * (1 - tc) * at(ra, ca) + (1 - tr) * tc * at(ra, cb) +
                                            tr * (1 - tc) * at(rb, ca) + tr * tc * at(rb, cb);
            expected += e[k][i] - bilinearEstimate;
          }
          EXPECT_NEAR(filled[k][i], std::clamp(expected, 0.0, 1.0), 1e-6) << "row " << r << " column " << c;
        }
      }
    }
  }
  // Clamping: an estimate far above 1 stays at 1.
  auto high = estimate;
  for (auto& e : high) e[0] = 5.0f;
  for (int r : keptRows) {
    for (int c : keptColumns) high[c * rows + r][0] = values[c * rows + r][0];  // zero correction at corners
  }
  auto filled = values;
  inference::interpolateWithinCells(cells, rows, known, &high, filled);
  EXPECT_FLOAT_EQ(filled[1 * rows + 1][0], 1.0f);
}

// compareMaps on hand-computed maps: a = {0, 1, 2, 3}, b = a + {0.5, -0.5, 0.5, 1.5}.
TEST(FastHeatmaps, CompareMapsMatchesHandComputedFigures) {
  const std::vector<float> a{0, 1, 2, 3}, b{0.5f, 0.5f, 2.5f, 4.5f};
  const inference::MapAgreement m = inference::compareMaps(a, b);
  EXPECT_DOUBLE_EQ(m.maxAbsDifference, 1.5);
  EXPECT_DOUBLE_EQ(m.meanAbsDifference, 0.75);
  EXPECT_DOUBLE_EQ(m.meanDifference, 0.5);
  // Pearson: a - 1.5 = {-1.5, -0.5, 0.5, 1.5}, b - 2 = {-1.5, -1.5, 0.5, 2.5}: cov 7, var 5 and 11.
  EXPECT_NEAR(m.correlation, 7.0 / std::sqrt(5.0 * 11.0), 1e-12);
  EXPECT_THROW(inference::compareMaps(a, std::vector<float>{1, 2}), std::invalid_argument);
}
