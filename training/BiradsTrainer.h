#pragma once
// Phase 2 pretraining of issue 6 (../shared/docs/NYU-PIPELINE.md §11): the ResNet-22 CC and MLO columns
// learn screening BI-RADS (3 classes: 0, 1, 2) from the four views of an exam, after nyukat's
// BIRADS_classifier — the four 256-d column features concatenated -> fc1 (1024 -> 256) -> ReLU ->
// output_layer (256 -> 3) — with the cancer model's window sampling, augmentation and Gaussian input noise,
// cross-entropy loss, Adam. The columns carry the cancer model's names (four_view_resnet.cc.*, .mlo.*), so
// CancerTrainOptions::initialColumns takes the result as it is. Runs on the calling thread; not thread-safe.
#include <map>
#include <string>
#include <vector>

#include "training/CancerTrainer.h"

namespace mammo::core {
class JobContext;
}

namespace mammo::training {

struct BiradsTrainOptions {
  TrainOptions train;
  double inputScale = 0.25;
  bool augment = true;
  double inputNoise = 0.01;
};

// Exams whose BI-RADS (CancerDataset::birads) is not 0, 1 or 2 are left out. Metrics: cross-entropy,
// accuracy, one-vs-rest AUC per class ("birads_0", "birads_1", "birads_2") and their mean ("birads_macro"),
// which is also the early-stopping criterion reported as val_auc_malignant in metrics.json.
// Throws std::invalid_argument when no training exam has a usable BI-RADS.
TrainResult trainBiradsModel(const CancerDataset& train, const CancerDataset& validation,
                             const BiradsTrainOptions& options, core::JobContext* job = nullptr,
                             const EpochObserver& onEpoch = {});

// Class probabilities (BI-RADS 0, 1, 2) of every exam of `data` under `weights`, without augmentation.
std::vector<std::array<double, 3>> predictBirads(const inference::TensorMap& weights, const CancerDataset& data,
                                                 double inputScale);

// The column tensors ("four_view_resnet.*") of a BI-RADS (or cancer) model's weights.
inference::TensorMap columnWeights(const inference::TensorMap& weights);

}  // namespace mammo::training
