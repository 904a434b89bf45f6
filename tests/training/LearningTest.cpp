#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>

#include "PhantomData.h"
#include "TestSupport.h"
#include "training/CancerTrainer.h"
#include "training/Dataset.h"

using namespace mammo;
using namespace mammo::training;

// A real learning test (label slow): the image-only view-wise model trained from scratch on phantom
// exams (lesion in half of the breasts, all lesions malignant: spiculated masses and fine calcification
// clusters) at 1/8 of the reference's input size; the pooled malignant AUC (left and right breasts) of the
// best epoch's weights on held-out test patients must clearly beat chance.
namespace {
constexpr int kExams = 48;
constexpr double kScale = 0.125;
constexpr int kDownsample = 2;
constexpr int kEpochs = 12;
constexpr double kThreshold = 0.8;
}  // namespace

TEST(LearningSlow, CancerModelLearnsMalignancyOnPhantoms) {
  const auto dir = test::scratchDir();
  const auto started = std::chrono::steady_clock::now();
  const core::ExamList list = test::phantomDataset(dir / "data", kExams, 31, 0.5, 1.0);
  const DatasetSplit split = splitByPatient(list, {0.2, 0.25, 1});
  const CancerDataset train = loadCancerDataset(list, split.train, kScale, kDownsample);
  const CancerDataset validation = loadCancerDataset(list, split.validation, kScale, kDownsample);
  const CancerDataset test = loadCancerDataset(list, split.test, kScale, kDownsample);
  CancerTrainOptions options;
  options.inputScale = kScale;
  options.train.epochs = kEpochs;
  options.train.batchSize = 2;
  options.train.learningRate = 3e-4;
  options.train.patience = kEpochs;
  options.train.seed = 2;
  options.train.outDir = dir / "run";
  options.train.provenance = kPhantomProvenance;
  TrainCallbacks callbacks;
  callbacks.epochSummary = [](const EpochMetrics& m) {
    std::printf("epoch %d: train loss %.4f, val loss %.4f, val_auc_malignant %.3f, benign %.3f (%.1f s + %.1f s)\n",
                m.epoch, m.trainLoss, m.validationLoss, m.valAucMalignant, m.auc.at("benign"), m.trainSeconds,
                m.validationSeconds);
    std::fflush(stdout);
  };
  const TrainResult result = trainCancerModel(train, validation, options, callbacks);
  // The test patients took no part in training or in choosing the epoch.
  const auto aucs = cancerAucs(predictCancer(result.bestWeights, test, 1, kScale), test.targets);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::printf("train %zu, validation %zu, test %zu exams; best epoch %d (val_auc_malignant %.3f); "
              "test malignant AUC %.3f; %.0f s in all\n",
              train.views.size(), validation.views.size(), test.views.size(), result.bestEpoch,
              result.bestValAucMalignant, aucs.at("malignant"), seconds);
  EXPECT_GE(aucs.at("malignant"), kThreshold);
}
