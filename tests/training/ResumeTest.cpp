#include <gtest/gtest.h>

#include <ATen/Parallel.h>

#include "PhantomData.h"
#include "TestSupport.h"
#include "training/CancerTrainer.h"
#include "training/Checkpoint.h"
#include "training/Dataset.h"
#include "training/PatchTrainer.h"

using namespace mammo;
using namespace mammo::training;

namespace {

void expectIdentical(const inference::TensorMap& a, const inference::TensorMap& b) {
  ASSERT_EQ(a.size(), b.size());
  int differing = 0;
  for (const auto& [name, t] : a) {
    ASSERT_TRUE(b.count(name)) << name;
    if (t.values != b.at(name).values) ++differing;
  }
  EXPECT_EQ(differing, 0) << "tensors whose bits differ";
}

}  // namespace

// Stop after 3 optimiser steps (mid epoch 2), resume from DIR/resume, and compare with an uninterrupted run.
// One intra-op thread: LibTorch's multithreaded CPU reductions may sum in a different order.
TEST(Resume, CancerModelWeightsAreBitIdentical) {
  at::set_num_threads(1);
  const auto dir = test::scratchDir();
  const core::ExamList list = test::phantomDataset(dir / "data", 3, 21, 1.0);
  const CancerDataset train = loadCancerDataset(list, {0, 1}, 0.1), validation = loadCancerDataset(list, {2}, 0.1);
  CancerTrainOptions options;
  options.inputScale = 0.1;
  options.train.epochs = 2;
  options.train.batchSize = 1;
  options.train.seed = 5;
  options.train.outDir = dir / "straight";
  const TrainResult straight = trainCancerModel(train, validation, options);
  EXPECT_EQ(straight.steps, 4);

  options.train.outDir = dir / "interrupted";
  options.train.stopAfterSteps = 3;
  const TrainResult first = trainCancerModel(train, validation, options);
  EXPECT_TRUE(first.interrupted);
  EXPECT_EQ(first.steps, 3);
  options.train.stopAfterSteps = 0;
  options.train.resume = true;
  const TrainResult resumed = trainCancerModel(train, validation, options);
  EXPECT_FALSE(resumed.interrupted);
  EXPECT_EQ(resumed.steps, 4);
  expectIdentical(straight.finalWeights, resumed.finalWeights);
  ASSERT_EQ(resumed.epochs.size(), 2u);
  EXPECT_EQ(resumed.epochs[1].trainLoss, straight.epochs[1].trainLoss);
  EXPECT_TRUE(std::filesystem::exists(dir / "interrupted" / "metrics.json"));
  // metrics.json carries the loader's and the model's throughput of every epoch.
  const std::string metrics = readTextFile(dir / "interrupted" / "metrics.json");
  EXPECT_NE(metrics.find("\"loader_samples_per_second\""), std::string::npos);
  EXPECT_NE(metrics.find("\"model_samples_per_second\""), std::string::npos);
  EXPECT_EQ(straight.epochs[0].samples, 2);
  EXPECT_GT(straight.epochs[0].loaderSeconds, 0.0);
  EXPECT_GT(straight.epochs[0].modelSeconds, 0.0);
  EXPECT_TRUE(std::filesystem::exists(dir / "interrupted" / "checkpoint-epoch-002.json"));
}

// Batches made ahead on loader threads are the batches the training thread would make itself.
TEST(Resume, LoaderThreadsDoNotChangeTheRun) {
  at::set_num_threads(1);
  const auto dir = test::scratchDir();
  const core::ExamList list = test::phantomDataset(dir / "data", 3, 21, 1.0);
  const CancerDataset train = loadCancerDataset(list, {0, 1, 2}, 0.1);
  CancerTrainOptions options;
  options.inputScale = 0.1;
  options.train.epochs = 1;
  options.train.batchSize = 1;
  options.train.seed = 6;
  options.train.loaderThreads = 0;
  options.train.outDir = dir / "inline";
  const TrainResult inlineRun = trainCancerModel(train, train, options);
  options.train.loaderThreads = 3;
  options.train.outDir = dir / "threads";
  const TrainResult threaded = trainCancerModel(train, train, options);
  expectIdentical(inlineRun.finalWeights, threaded.finalWeights);
  EXPECT_EQ(threaded.epochs[0].loaderThreads, 3);
  EXPECT_EQ(threaded.epochs[0].samples, 3);
}

TEST(Resume, PatchClassifierWeightsAreBitIdentical) {
  at::set_num_threads(1);
  const auto dir = test::scratchDir();
  const core::ExamList list = test::phantomDataset(dir / "data", 2, 23, 1.0);
  std::vector<PreparedView> views;
  for (int v = 0; v < 4; ++v)
    views.push_back(prepareView(list.exams[0], static_cast<core::StandardView>(v), {669, 485}));
  PatchTrainOptions options;
  options.patchesPerEpoch = 4;
  options.validationPerClass = 1;
  options.train.epochs = 1;  // DenseNet-121 steps cost seconds on one thread; the cancer test crosses epochs
  options.train.batchSize = 2;
  options.train.seed = 3;
  options.train.outDir = dir / "straight";
  const PatchSampler validation(views, {64, false, 99});
  PatchSampler straightSampler(views, {64, true, 7});
  const TrainResult straight = trainPatchClassifier(straightSampler, validation, options);
  options.train.outDir = dir / "interrupted";
  options.train.stopAfterSteps = 1;
  PatchSampler firstSampler(views, {64, true, 7});
  EXPECT_TRUE(trainPatchClassifier(firstSampler, validation, options).interrupted);
  options.train.stopAfterSteps = 0;
  options.train.resume = true;
  PatchSampler resumedSampler(views, {64, true, 7});
  const TrainResult resumed = trainPatchClassifier(resumedSampler, validation, options);
  EXPECT_EQ(resumed.steps, 2);
  expectIdentical(straight.finalWeights, resumed.finalWeights);
}
