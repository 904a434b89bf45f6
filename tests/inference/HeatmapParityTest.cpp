// Stage 3 parity without the network: the patch grid (CPython random stream) and the heatmap assembly
// from the reference's own patch probabilities must match the reference exactly.
#include <gtest/gtest.h>

#include "ParityData.h"
#include "inference/Heatmaps.h"
#include "inference/PythonRandom.h"

using namespace mammo;

TEST(HeatmapParity, PatchGridMatchesReferenceForTheWholeExam) {
  const nlohmann::json summary = test::readJson(test::parityDir() / "stage3_heatmaps" / "stage3_summary.json");
  inference::PythonRandom rng(0);  // seeded once per run; the state carries over the views in order
  for (int v = 0; v < 4; ++v) {
    const auto& crop = test::parityCrops()[v];
    const inference::PatchGrid grid = inference::patchGrid(crop.crop.rows, crop.crop.columns, rng);
    const auto& ref = summary["images"][v];
    ASSERT_EQ(ref["image"], test::kParityNames[v]);
    EXPECT_EQ(grid.rowStarts, ref["row_positions_y0"].get<std::vector<int>>()) << test::kParityNames[v];
    EXPECT_EQ(grid.columnStarts, ref["col_positions_x0"].get<std::vector<int>>()) << test::kParityNames[v];
  }
}

TEST(HeatmapParity, AssemblyFromReferenceProbabilitiesIsBitExact) {
  inference::PythonRandom rng(0);
  for (int v = 0; v < 4; ++v) {
    const auto& crop = test::parityCrops()[v];
    inference::ImageHeatmaps h;
    h.rows = crop.crop.rows;
    h.columns = crop.crop.columns;
    h.grid = inference::patchGrid(h.rows, h.columns, rng);
    const std::string name = test::kParityNames[v];
    const auto patches = test::readPatchCsv(test::parityDir() / "stage3_heatmaps" / (name + "_patch_probs.csv"));
    ASSERT_EQ(static_cast<int>(patches.size()), h.grid.count());
    for (const auto& p : patches) {
      const auto origin = h.grid.origin(p.index);
      ASSERT_EQ(origin[0], p.y0);
      ASSERT_EQ(origin[1], p.x0);
      h.patchProbabilities.push_back(p.p);
    }
    inference::assembleHeatmaps(h);
    for (const char* cls : {"malignant", "benign"}) {
      std::vector<float> mine = std::string(cls) == "malignant" ? h.malignant : h.benign;
      if (crop.mirrored) core::mirrorColumns(mine, h.rows, h.columns);  // back to the stored orientation
      const std::vector<float> ref =
          test::readXzFloats(test::parityDir() / "stage3_heatmaps" / (name + "_heatmap_" + cls + ".f32.xz"));
      ASSERT_EQ(ref.size(), mine.size());
      // On disk the reference stores the transpose: value x * H + y is pixel (y, x).
      float maxDiff = 0;
      for (int y = 0; y < h.rows; ++y) {
        for (int x = 0; x < h.columns; ++x) {
          maxDiff = std::max(maxDiff, std::abs(mine[static_cast<size_t>(y) * h.columns + x] -
                                               ref[static_cast<size_t>(x) * h.rows + y]));
        }
      }
      EXPECT_EQ(maxDiff, 0.0f) << name << " " << cls;
    }
  }
}
