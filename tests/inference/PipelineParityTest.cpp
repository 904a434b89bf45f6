// The whole exam through the C++ pipeline (label: slow): crop metadata and centres identical, every patch
// probability and both heatmaps within 1e-4 of the reference, and the predictions of the deterministic and
// the 10-sample augmented runs of both view-wise models within 1e-4.
#include <gtest/gtest.h>

#include "ParityData.h"
#include "core/ExamLoader.h"
#include "core/Job.h"
#include "inference/Device.h"
#include "inference/ModelBundle.h"
#include "inference/Pipeline.h"
#include "inference/ResultWriter.h"

using namespace mammo;

namespace {

std::array<double, 4> referencePredictions(const std::string& run) {
  return inference::readPredictionsCsv(test::parityDir() / "stage4_predictions" / (run + "_full_precision.csv"))
      .at(0)
      .asArray();
}

void expectPredictions(const inference::BreastProbabilities& p, const std::string& run) {
  const auto ref = referencePredictions(run);
  const auto mine = p.asArray();
  double maxDiff = 0;
  for (int i = 0; i < 4; ++i) maxDiff = std::max(maxDiff, std::abs(mine[i] - ref[i]));
  std::printf("%s: max |diff| of the four predictions %.3g\n", run.c_str(), maxDiff);
  EXPECT_LT(maxDiff, 1e-4) << run;
}

}  // namespace

TEST(PipelineParity, WholeExamMatchesTheReference) {
  inference::applyComputeSettings({});
  const inference::ModelBundle bundle = inference::importNyuModels(test::parityDir() / "weights");
  inference::PipelineModels models = inference::buildModels(bundle);
  core::ExamListReadOptions listOptions;
  listOptions.imagesDir = test::parityDir() / "inputs";
  core::LoadOptions load;
  load.imagesDir = listOptions.imagesDir;
  const core::LoadResult loaded = core::loadExamList(
      core::readExamList(test::parityDir() / "inputs" / "exam_list_before_cropping.json", listOptions), load);
  ASSERT_EQ(loaded.exams.size(), 1u);

  core::JobContext job;
  inference::PipelineOptions options;  // run.sh: 10 augmented samples, seed 0
  const inference::PipelineResult result = inference::runPipeline(loaded.exams[0], models, options, &job);

  const nlohmann::json after = test::readJson(test::parityDir() / "exam_list_after_stage2.json")[0];
  double maxPatch = 0, maxHeatmap = 0;
  for (int v = 0; v < 4; ++v) {
    const inference::ViewAnalysis& a = result.views[v];
    const std::string view(core::toString(a.view)), name = test::kParityNames[v];
    const auto window = after["window_location"][view][0].get<std::array<int, 4>>();
    const auto centre = after["best_center"][view][0].get<std::array<int, 2>>();
    EXPECT_EQ(a.crop.windowLocation, window) << view;
    ASSERT_TRUE(a.crop.bestCenter.has_value());
    EXPECT_EQ(*a.crop.bestCenter, centre) << view;
    const auto patches = test::readPatchCsv(test::parityDir() / "stage3_heatmaps" / (name + "_patch_probs.csv"));
    ASSERT_EQ(static_cast<int>(patches.size()), a.heatmaps.grid.count()) << view;
    for (const auto& p : patches) {
      for (int k = 0; k < 4; ++k) {
        maxPatch = std::max(maxPatch, double(std::abs(a.heatmaps.patchProbabilities[p.index][k] - p.p[k])));
      }
    }
    // Heatmaps in the original image grid vs the reference's stored-orientation crop heatmaps.
    const int H = a.heatmaps.rows, W = a.heatmaps.columns, y0 = a.crop.windowLocation[0], x0 = a.crop.windowLocation[2];
    for (const char* cls : {"benign", "malignant"}) {
      const auto ref =
          test::readXzFloats(test::parityDir() / "stage3_heatmaps" / (name + "_heatmap_" + cls + ".f32.xz"));
      const std::span<const float> mine =
          std::string(cls) == "benign" ? a.benignOriginal.values() : a.malignantOriginal.values();
      for (int y = 0; y < H; ++y) {
        for (int x = 0; x < W; ++x) {
          const float m = mine[static_cast<size_t>(y0 + y) * a.columns + x0 + x];
          maxHeatmap = std::max(maxHeatmap, double(std::abs(m - ref[static_cast<size_t>(x) * H + y])));
        }
      }
    }
  }
  std::printf("whole exam: max |diff| patch probabilities %.3g, heatmaps %.3g\n", maxPatch, maxHeatmap);
  EXPECT_LT(maxPatch, 1e-4);
  EXPECT_LT(maxHeatmap, 1e-4);
  ASSERT_TRUE(result.imageOnly && result.imageHeatmaps);
  expectPredictions(*result.imageOnly, "image_only_aug10");
  expectPredictions(*result.imageHeatmaps, "image_heatmaps_aug10");

  // The deterministic runs, from the same crops and heatmaps.
  std::array<std::vector<std::uint16_t>, 4> faceRight;
  for (int v = 0; v < 4; ++v) faceRight[v] = test::parityCrops()[v].faceRight;
  expectPredictions(inference::predictExam(result.views, faceRight, *models.imageOnly, 1, false, 0),
                    "image_only_noaug1");
  expectPredictions(inference::predictExam(result.views, faceRight, *models.imageHeatmaps, 1, false, 0),
                    "image_heatmaps_noaug1");
  for (const auto& [stage, seconds] : result.stageSeconds) std::printf("stage %s: %.1f s\n", stage.c_str(), seconds);
}
