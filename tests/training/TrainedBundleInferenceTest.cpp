#include <gtest/gtest.h>

#include <ATen/Parallel.h>

#include <memory>

#include "PhantomData.h"
#include "TestSupport.h"
#include "core/ExamLoader.h"
#include "inference/CancerModel.h"
#include "inference/ModelBundle.h"
#include "inference/Pipeline.h"
#include "training/BundleExport.h"
#include "training/CancerTrainer.h"

using namespace mammo;
using namespace mammo::training;

// A trained bundle records how its cancer models were fed (bundle.json "cancer_input"); inference must
// feed them the same windows: the crops box-averaged by the factor, the trainer's best centre, its reduced
// input size. Checked against the trainer's own evaluation path (predictCancer) on a phantom exam, with a
// seeded, untrained image-only model (no heatmaps involved, so the two paths must agree to float rounding).
namespace {
constexpr double kScale = 0.125;
constexpr int kDownsample = 2;
}  // namespace

TEST(TrainedBundle, InferenceFeedsTheCancerModelAsTrainingEvaluates) {
  at::set_num_threads(2);
  const auto dir = test::scratchDir();
  const core::ExamList list = test::phantomDataset(dir / "data", 1, 11, 1.0, 0.5);
  CancerTrainOptions c;
  c.channels = 1;
  c.inputScale = kScale;
  c.train.seed = 9;
  const inference::TensorMap weights = initialCancerWeights(c);

  // The trainer's path: crops prepared for scale x downsample, then box-averaged.
  CancerDataset data = loadCancerDataset(list, {0}, kScale * kDownsample, 1);
  const CancerDataset fullResolution = data;
  downsampleDataset(data, kDownsample);
  const std::array<double, 4> expected = predictCancer(weights, data, 1, kScale).at(0);

  const inference::CancerInputGeometry geometry = trainedCancerInput(kScale, kDownsample);
  EXPECT_EQ(geometry.inputSizeCc, (std::array<int, 2>{335, 243}));
  EXPECT_EQ(geometry.inputSizeMlo, (std::array<int, 2>{372, 219}));

  // Inference's runPipeline with the geometry, deterministic (one sample, no augmentation).
  const core::LoadResult loaded = core::loadExamList(list);
  ASSERT_EQ(loaded.exams.size(), 1u);
  inference::PipelineModels models;
  models.imageOnly = std::make_shared<inference::CancerModel>(weights, inference::CancerHeads::ViewWise, 1, "seeded");
  models.cancerInput = std::make_shared<const inference::CancerInputGeometry>(geometry);
  inference::PipelineOptions options;
  options.samples = 1;
  options.augment = false;
  options.imageHeatmapsModel = false;
  const inference::PipelineResult result = inference::runPipeline(loaded.exams[0], models, options);
  ASSERT_TRUE(result.imageOnly.has_value());
  const auto got = result.imageOnly->asArray();
  for (int label = 0; label < 4; ++label) {
    EXPECT_NEAR(got[label], expected[label], 2e-5) << "label " << label;
  }
  for (int v = 0; v < 4; ++v) {
    EXPECT_EQ(*result.views[v].crop.bestCenter, fullResolution.views[0][v].bestCenter) << "view " << v;
  }

  // Stage 4's inputs: the reduced size with the geometry, the reference's without (NYU bundles).
  std::array<inference::ViewAnalysis, 4> views;
  std::array<std::vector<std::uint16_t>, 4> crops;
  for (int v = 0; v < 4; ++v) {
    const PreparedView& p = fullResolution.views[0][v];
    views[v].view = p.view;
    views[v].heatmaps.rows = p.rows;
    views[v].heatmaps.columns = p.columns;
    views[v].crop.bestCenter = p.bestCenter;
    crops[v] = p.pixels;
  }
  std::array<std::array<int, 2>, 4> sizes{};
  const auto reduced =
      inference::predictExam(views, crops, *models.imageOnly, 1, false, 0, nullptr, &geometry, &sizes).asArray();
  for (int v = 0; v < 4; ++v) {
    const bool cc = v < 2;  // L-CC, R-CC, L-MLO, R-MLO
    EXPECT_EQ(sizes[v], cc ? geometry.inputSizeCc : geometry.inputSizeMlo) << "view " << v;
  }
  for (int label = 0; label < 4; ++label) EXPECT_NEAR(reduced[label], expected[label], 2e-5);
  inference::predictExam(views, crops, *models.imageOnly, 1, false, 0, nullptr, nullptr, &sizes);
  EXPECT_EQ(sizes[0], (std::array<int, 2>{2677, 1942}));
  EXPECT_EQ(sizes[2], (std::array<int, 2>{2974, 1748}));
}
