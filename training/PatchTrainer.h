#pragma once
// Phase 1 of issue 6: the DenseNet-121 patch classifier (torchvision names, 4 classes malignant, benign,
// outside, negative) trained with Adam and cross-entropy on class-balanced, flipped patches. Checkpoints
// load into inference::PatchClassifier. Runs on the calling thread; not thread-safe.
#include "training/PatchSampler.h"
#include "training/TrainOptions.h"

namespace mammo::core {
class JobContext;
}

namespace mammo::training {

struct PatchTrainOptions {
  TrainOptions train;
  int patchesPerEpoch = 64;
  int validationPerClass = 16;  // fixed, unaugmented validation patches per available class
};

// Metrics: cross-entropy, one-vs-rest AUC per class ("malignant", "benign", "outside", "negative"),
// accuracy; val_auc_malignant = the malignant-versus-rest AUC.
TrainResult trainPatchClassifier(PatchSampler& train, const PatchSampler& validation, const PatchTrainOptions& options,
                                 core::JobContext* job = nullptr, const EpochObserver& onEpoch = {});

}  // namespace mammo::training
