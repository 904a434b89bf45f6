// The reference's single-image pipeline on R-CC of the parity exam (image-wise weights): stage 4 with the
// reference's own heatmaps (quick), and stages 1-4 from the PNG (label slow).
#include <gtest/gtest.h>

#include "ParityData.h"
#include "inference/CancerModel.h"
#include "inference/Device.h"
#include "inference/ModelBundle.h"
#include "inference/PatchClassifier.h"
#include "inference/SingleImage.h"

using namespace mammo;

namespace {

const std::filesystem::path kSingle = test::parityDir() / "single_image_R-CC";

const inference::ModelBundle& bundle() {
  static const inference::ModelBundle b = [] {
    inference::applyComputeSettings({});
    return inference::importNyuModels(test::parityDir() / "weights");
  }();
  return b;
}

struct Reference {
  double benign, malignant;
};

Reference reference(const std::string& run) {
  const auto j = test::readJson(test::parityDir() / "single_image_summary.json")["R-CC"][run];
  return {j["benign"].get<double>(), j["malignant"].get<double>()};
}

void expectNear(const inference::SingleImagePrediction& p, const std::string& run) {
  const Reference r = reference(run);
  std::printf("single R-CC %s: benign %.9f (ref %.9f), malignant %.9f (ref %.9f)\n", run.c_str(), p.benign, r.benign,
              p.malignant, r.malignant);
  EXPECT_NEAR(p.benign, r.benign, 1e-4) << run;
  EXPECT_NEAR(p.malignant, r.malignant, 1e-4) << run;
}

// Crop, centre and the reference's stored-frame heatmaps, without running the patch classifier.
inference::SingleImageAnalysis withReferenceHeatmaps() {
  const auto& c = test::parityCrops()[1];  // R-CC
  inference::SingleImageAnalysis a;
  a.view = core::StandardView::RCC;
  a.crop = c.crop.metadata;
  a.rows = c.crop.rows;
  a.columns = c.crop.columns;
  a.storedCrop = c.crop.pixels;
  a.faceRightFlip = true;
  const auto meta = test::readJson(kSingle / "metadata.json");
  a.crop.bestCenter = meta["best_center"].get<std::array<int, 2>>();
  a.heatmaps.rows = a.rows;
  a.heatmaps.columns = a.columns;
  for (const char* cls : {"benign", "malignant"}) {
    const auto raw = test::readXzFloats(kSingle / (std::string("single_R-CC_heatmap_") + cls + ".f32.xz"));
    std::vector<float> image(raw.size());
    for (int y = 0; y < a.rows; ++y) {
      for (int x = 0; x < a.columns; ++x)
        image[static_cast<size_t>(y) * a.columns + x] = raw[static_cast<size_t>(x) * a.rows + y];
    }
    (std::string(cls) == "benign" ? a.heatmaps.benign : a.heatmaps.malignant) = std::move(image);
  }
  return a;
}

}  // namespace

TEST(SingleImageParity, DeterministicRunsWithReferenceHeatmaps) {
  const inference::SingleImageAnalysis a = withReferenceHeatmaps();
  inference::CancerModel imageOnly(*bundle().imageOnlyImageWise, inference::CancerHeads::ImageWise, 1,
                                   "image-wise 1ch");
  inference::CancerModel imageHeatmaps(*bundle().imageHeatmapsImageWise, inference::CancerHeads::ImageWise, 3,
                                       "image-wise 3ch");
  expectNear(inference::predictSingleImage(a, imageOnly, 1, false), "image_noaug1");
  expectNear(inference::predictSingleImage(a, imageHeatmaps, 1, false), "imageheatmaps_noaug1");
}

TEST(SingleImageParitySlow, WholeSingleImagePipeline) {
  const core::PngPixels png = core::readPng(test::parityDir() / "inputs" / "A_R_CC.png");
  inference::PatchClassifier classifier(bundle().patch, "patch");
  const inference::SingleImageAnalysis a =
      inference::analyseSingleImage(png.pixels.data(), png.rows, png.columns, core::StandardView::RCC, classifier);
  const auto meta = test::readJson(kSingle / "metadata.json");
  EXPECT_EQ(a.crop.windowLocation, (meta["window_location"].get<std::array<int, 4>>()));
  EXPECT_EQ(*a.crop.bestCenter, (meta["best_center"].get<std::array<int, 2>>()));
  // Patches cut from the unmirrored crop (the reference quirk), with a fresh CPython stream.
  const auto patches = test::readPatchCsv(kSingle / "single_R-CC_patch_probs.csv");
  ASSERT_EQ(static_cast<int>(patches.size()), a.heatmaps.grid.count());
  double maxPatch = 0;
  for (const auto& p : patches) {
    const auto origin = a.heatmaps.grid.origin(p.index);
    ASSERT_EQ(origin[0], p.y0);
    ASSERT_EQ(origin[1], p.x0);
    for (int k = 0; k < 4; ++k)
      maxPatch = std::max(maxPatch, double(std::abs(a.heatmaps.patchProbabilities[p.index][k] - p.p[k])));
  }
  const auto reference = withReferenceHeatmaps();
  double maxHeatmap = 0;
  for (size_t i = 0; i < reference.heatmaps.benign.size(); ++i) {
    maxHeatmap = std::max({maxHeatmap, double(std::abs(a.heatmaps.benign[i] - reference.heatmaps.benign[i])),
                           double(std::abs(a.heatmaps.malignant[i] - reference.heatmaps.malignant[i]))});
  }
  std::printf("single R-CC: max |diff| patch probabilities %.3g, heatmaps %.3g\n", maxPatch, maxHeatmap);
  EXPECT_LT(maxPatch, 1e-4);
  EXPECT_LT(maxHeatmap, 1e-4);
  inference::CancerModel imageOnly(*bundle().imageOnlyImageWise, inference::CancerHeads::ImageWise, 1,
                                   "image-wise 1ch");
  inference::CancerModel imageHeatmaps(*bundle().imageHeatmapsImageWise, inference::CancerHeads::ImageWise, 3,
                                       "image-wise 3ch");
  expectNear(inference::predictSingleImage(a, imageOnly, 10, true), "image_aug10");
  expectNear(inference::predictSingleImage(a, imageHeatmaps, 10, true), "imageheatmaps_aug10");
  expectNear(inference::predictSingleImage(a, imageOnly, 1, false), "image_noaug1");
  expectNear(inference::predictSingleImage(a, imageHeatmaps, 1, false), "imageheatmaps_noaug1");
}
