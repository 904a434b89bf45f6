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
      inference::computeHeatmaps(c.faceRight.data(), c.crop.rows, c.crop.columns, classifier, rng, 10, nullptr, 0,
                                 1, inference::HeatmapMode::Fast);
  const auto patches = test::readPatchCsv(test::parityDir() / "stage3_heatmaps" /
                                          (std::string(test::kParityNames[kView]) + "_patch_probs.csv"));
  ASSERT_EQ(static_cast<int>(patches.size()), fast.grid.count());

  // The reference's background probability: the most frequent row (all background patches are identical).
  std::map<std::array<float, 4>, int> counts;
  for (const auto& p : patches) ++counts[p.p];
  const auto background = std::max_element(counts.begin(), counts.end(), [](auto& a, auto& b) {
                            return a.second < b.second;
                          })->first;
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
  std::printf("classified patches (bfloat16): max |diff| %.3f; heatmap correlation benign %.4f, malignant %.4f; "
              "mean |diff| %.4f, %.4f\n",
              classifiedMax, benign.correlation, malignant.correlation, benign.meanAbsDifference,
              malignant.meanAbsDifference);
  EXPECT_LT(classifiedMax, 0.15);
  EXPECT_GT(benign.correlation, 0.95);
  EXPECT_GT(malignant.correlation, 0.95);
  EXPECT_LT(benign.meanAbsDifference, 0.04);
  EXPECT_LT(malignant.meanAbsDifference, 0.04);
}
