#include <gtest/gtest.h>

#include <ATen/Parallel.h>

#include "PhantomData.h"
#include "TestSupport.h"
#include "training/CancerTrainer.h"
#include "training/DatasetHeatmaps.h"
#include "training/PatchTrainer.h"

using namespace mammo;
using namespace mammo::training;

namespace {

std::vector<std::vector<float>> maps(const CancerDataset& d) {
  std::vector<std::vector<float>> out;
  for (const auto& exam : d.views) {
    for (const auto& v : exam) {
      for (const core::FloatRaster* h : {&v.benignHeatmap, &v.malignantHeatmap}) {
        out.emplace_back(h->values().begin(), h->values().end());
      }
    }
  }
  return out;
}

}  // namespace

// Heatmaps of a dataset through inference's stage 3 with a (briefly trained) patch classifier: the first
// run computes every view and fills the cache, the second reads every view back unchanged without running
// the classifier, and a different model (one tensor changed) misses and computes maps of its own.
TEST(HeatmapCache, SecondRunHitsAndAnotherModelMisses) {
  at::set_num_threads(2);
  const auto dir = test::scratchDir();
  const core::ExamList list = test::phantomDataset(dir / "data", 1, 51, 1.0);
  PatchSampler sampler(loadPatchViews(list, {0}, 0.125, 2), {64, true, 1});
  PatchTrainOptions p;
  p.patchesPerEpoch = 2;
  p.validationPerClass = 1;
  p.train.epochs = 1;
  p.train.batchSize = 2;
  p.train.outDir = dir / "patch";
  const inference::TensorMap model = trainPatchClassifier(sampler, sampler, p).finalWeights;

  const CancerDataset data = loadCancerDataset(list, {0}, 0.125, 2);
  HeatmapCacheOptions options;
  options.cacheDir = dir / "cache";
  CancerDataset first = data;
  const HeatmapCacheStats s1 = addHeatmaps(first, model, options);
  EXPECT_EQ(s1.computed, 4);
  EXPECT_EQ(s1.hits, 0);
  for (const auto& exam : first.views) {
    for (const auto& v : exam) ASSERT_EQ(v.malignantHeatmap.size(), v.pixels.size());
  }
  EXPECT_TRUE(std::filesystem::exists(dir / "cache" / patchModelHash(model)));

  CancerDataset second = data;
  const HeatmapCacheStats s2 = addHeatmaps(second, model, options);
  EXPECT_EQ(s2.computed, 0);
  EXPECT_EQ(s2.hits, 4);
  EXPECT_EQ(s2.computeSeconds, 0.0);
  EXPECT_EQ(maps(second), maps(first));

  inference::TensorMap other = model;
  other.at("classifier.bias").values[0] += 1.0f;  // the malignant logit
  ASSERT_NE(patchModelHash(other), patchModelHash(model));
  CancerDataset third = data;
  const HeatmapCacheStats s3 = addHeatmaps(third, other, options);
  EXPECT_EQ(s3.computed, 4);
  EXPECT_EQ(s3.hits, 0);
  EXPECT_NE(maps(third), maps(first));

  // A damaged entry is recomputed, not trusted.
  for (const auto& entry : std::filesystem::directory_iterator(dir / "cache" / patchModelHash(model))) {
    std::filesystem::resize_file(entry.path(), 20);
    break;
  }
  CancerDataset fourth = data;
  const HeatmapCacheStats s4 = addHeatmaps(fourth, model, options);
  EXPECT_EQ(s4.computed, 1);
  EXPECT_EQ(s4.hits, 3);
  EXPECT_EQ(maps(fourth), maps(first));
}
