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
// exams, held-out patients' pooled malignant AUC (left and right breasts) must clearly beat chance.
namespace {
constexpr int kExams = 32;
constexpr double kScale = 0.25;
constexpr int kEpochs = 6;
constexpr double kThreshold = 0.8;
}  // namespace

TEST(LearningSlow, CancerModelLearnsMalignancyOnPhantoms) {
  const auto dir = test::scratchDir();
  const auto started = std::chrono::steady_clock::now();
  const core::ExamList list = test::phantomDataset(dir / "data", kExams, 31, 0.9);
  const DatasetSplit split = splitByPatient(list, {0.3, 0.0, 1});
  const CancerDataset train = loadCancerDataset(list, split.train, kScale);
  const CancerDataset validation = loadCancerDataset(list, split.validation, kScale);
  CancerTrainOptions options;
  options.inputScale = kScale;
  options.train.epochs = kEpochs;
  options.train.batchSize = 2;
  options.train.learningRate = 1e-3;
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
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::printf("train %zu exams, validation %zu exams; best epoch %d, val_auc_malignant %.3f; %.0f s in all\n",
              train.views.size(), validation.views.size(), result.bestEpoch, result.bestValAucMalignant, seconds);
  EXPECT_GE(result.bestValAucMalignant, kThreshold);
}
