// Parity of the networks with the NYU reference, using the parity set's own `.p` weight files imported
// in C++: per-patch probabilities on a subset of patches, and the deterministic stage-4 run of both
// view-wise models (pooled features, head outputs, predictions). Tolerance 1e-4 (target 1e-5).
#include <gtest/gtest.h>

#include "ParityData.h"
#include "inference/CancerModel.h"
#include "inference/Device.h"
#include "inference/Heatmaps.h"
#include "inference/ModelBundle.h"
#include "inference/NumpyRandom.h"
#include "inference/PatchClassifier.h"
#include "inference/WindowSampler.h"

using namespace mammo;

namespace {

const inference::ModelBundle& bundle() {
  static const inference::ModelBundle b = [] {
    inference::applyComputeSettings({});
    return inference::importNyuModels(test::parityDir() / "weights");
  }();
  return b;
}

// The reference's heatmaps, brought into the face-right frame of each crop.
std::array<std::array<std::vector<float>, 2>, 4> referenceHeatmaps() {
  std::array<std::array<std::vector<float>, 2>, 4> out;
  for (int v = 0; v < 4; ++v) {
    const auto& c = test::parityCrops()[v];
    const int H = c.crop.rows, W = c.crop.columns;
    int k = 0;
    for (const char* cls : {"benign", "malignant"}) {
      const auto stored = test::readXzFloats(test::parityDir() / "stage3_heatmaps" /
                                             (std::string(test::kParityNames[v]) + "_heatmap_" + cls + ".f32.xz"));
      std::vector<float> image(static_cast<size_t>(H) * W);
      for (int y = 0; y < H; ++y) {
        for (int x = 0; x < W; ++x) image[static_cast<size_t>(y) * W + x] = stored[static_cast<size_t>(x) * H + y];
      }
      if (c.mirrored) core::mirrorColumns(image, H, W);
      out[v][k++] = std::move(image);
    }
  }
  return out;
}

void checkDeterministicRun(const std::string& run, const inference::TensorMap& weights, int channels) {
  inference::CancerModel model(weights, inference::CancerHeads::ViewWise, channels, run);
  const nlohmann::json details = test::readJson(test::parityDir() / "stage4_predictions" / (run + "_details.json"));
  const nlohmann::json centres = test::readJson(test::parityDir() / "exam_list_after_stage2.json")[0]["best_center"];
  const auto heatmaps = channels == 3 ? referenceHeatmaps() : std::array<std::array<std::vector<float>, 2>, 4>{};
  inference::NumpyRandom rng(0);
  std::array<std::vector<float>, 4> images;
  std::array<inference::SampledWindow, 4> windows;
  std::array<inference::ViewInput, 4> inputs;
  for (int v = 0; v < 4; ++v) {
    const auto view = static_cast<core::StandardView>(v);
    const auto& c = test::parityCrops()[v];
    images[v].assign(c.faceRight.begin(), c.faceRight.end());
    inference::FaceRightInput input{c.crop.rows, c.crop.columns, {images[v].data()}};
    if (channels == 3) {
      input.channels.push_back(heatmaps[v][0].data());
      input.channels.push_back(heatmaps[v][1].data());
    }
    const auto centre = centres[std::string(core::toString(view))][0].get<std::array<int, 2>>();
    windows[v] = inference::sampleWindow(input, core::viewPositionOf(view), centre, false, rng);
    inputs[v] = {windows[v].data.data(), windows[v].rows, windows[v].columns};
  }
  const inference::CancerOutput out = model.forward(inputs);
  const auto& sample = details["samples"][0];
  double maxFeature = 0, maxHead = 0;
  for (int v = 0; v < 4; ++v) {
    const auto ref = sample["pooled_features_256"][std::string(core::toString(static_cast<core::StandardView>(v)))][0]
                         .get<std::vector<float>>();
    ASSERT_EQ(ref.size(), out.pooled[v].size());
    for (size_t i = 0; i < ref.size(); ++i)
      maxFeature = std::max(maxFeature, double(std::abs(ref[i] - out.pooled[v][i])));
  }
  const char* heads[] = {"CC", "MLO"};
  for (int h = 0; h < 2; ++h) {
    const auto ref = sample["log_softmax_heads"][heads[h]][0].get<std::vector<std::array<float, 2>>>();
    for (int r = 0; r < 4; ++r) {
      for (int c = 0; c < 2; ++c) maxHead = std::max(maxHead, double(std::abs(ref[r][c] - out.heads[h][2 * r + c])));
    }
  }
  const auto predictions = details["predictions"][0].get<std::array<float, 4>>();
  double maxPrediction = 0;
  for (int label = 0; label < 4; ++label) {
    const float p =
        (inference::positiveProbability(out.heads[0], label) + inference::positiveProbability(out.heads[1], label)) /
        2.0f;
    maxPrediction = std::max(maxPrediction, double(std::abs(p - predictions[label])));
  }
  std::printf("%s: max |diff| pooled features %.3g, log-softmax heads %.3g, predictions %.3g\n", run.c_str(),
              maxFeature, maxHead, maxPrediction);
  EXPECT_LT(maxFeature, 1e-4);
  EXPECT_LT(maxHead, 1e-4);
  EXPECT_LT(maxPrediction, 1e-4);
}

}  // namespace

TEST(ModelParity, ImportedWeightsHaveTheReferenceShapes) {
  EXPECT_EQ(bundle().patch.at("features.conv0.weight").shape, (std::vector<std::int64_t>{64, 3, 7, 7}));
  EXPECT_EQ(bundle().imageHeatmaps.at("four_view_resnet.cc.first_conv.weight").shape,
            (std::vector<std::int64_t>{16, 3, 7, 7}));
  ASSERT_TRUE(bundle().imageOnlyImageWise.has_value());
}

TEST(ModelParity, PatchProbabilitiesOnASubsetOfPatches) {
  inference::PatchClassifier classifier(bundle().patch, "sample_patch_model.p");
  double maxDiff = 0;
  int checked = 0;
  for (int v : {0, 1}) {  // L-CC and R-CC (R: face-right frame, as the reference classifies)
    const auto& c = test::parityCrops()[v];
    const auto standardised = inference::standardiseForPatches(c.faceRight.data(), c.faceRight.size());
    const auto patches = test::readPatchCsv(test::parityDir() / "stage3_heatmaps" /
                                            (std::string(test::kParityNames[v]) + "_patch_probs.csv"));
    std::vector<int> picks = {0, 1, 17, 34, 35, 200, 311, static_cast<int>(patches.size()) - 1};
    std::vector<float> batch(picks.size() * 256 * 256);
    for (size_t i = 0; i < picks.size(); ++i) {
      inference::extractPatch(standardised, c.crop.columns, patches[picks[i]].y0, patches[picks[i]].x0,
                              batch.data() + i * 256 * 256);
    }
    const auto probabilities = classifier.classify(batch.data(), static_cast<int>(picks.size()));
    for (size_t i = 0; i < picks.size(); ++i) {
      for (int k = 0; k < 4; ++k) {
        maxDiff = std::max(maxDiff, double(std::abs(probabilities[i][k] - patches[picks[i]].p[k])));
      }
      ++checked;
    }
  }
  std::printf("patch probabilities: %d patches, max |diff| %.3g\n", checked, maxDiff);
  EXPECT_LT(maxDiff, 1e-4);
}

TEST(ModelParity, ImageOnlyDeterministicRun) { checkDeterministicRun("image_only_noaug1", bundle().imageOnly, 1); }

TEST(ModelParity, ImageHeatmapsDeterministicRunWithReferenceHeatmaps) {
  checkDeterministicRun("image_heatmaps_noaug1", bundle().imageHeatmaps, 3);
}
