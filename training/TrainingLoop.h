#pragma once
// PRIVATE to mammo_training (includes LibTorch): the epoch loop shared by the trainers — optimiser steps,
// validation, metrics.json, a checkpoint every epoch, early stopping on the pooled malignant AUC, and
// exact resume from DIR/resume/ (weights, Adam moments, RNG states, epoch and step).
#include <torch/torch.h>

#include <functional>
#include <string>

#include "training/Checkpoint.h"
#include "training/TrainOptions.h"

namespace mammo::training {

// Parameters and buffers of `module` under their registered names (num_batches_tracked dropped), i.e.
// the reference's state-dict names when the module mirrors the reference's structure.
inference::TensorMap toTensorMap(torch::nn::Module& module);

struct LoopHooks {
  std::function<int(int epoch)> stepsPerEpoch;                        // epoch is 0-based
  std::function<double(int epoch, int step)> trainStep;               // one optimiser step; returns its loss
  std::function<void(EpochMetrics&)> validate;                        // fills loss, AUCs, valAucMalignant
  std::function<std::string()> saveState;                             // trainer RNG states as text
  std::function<void(const std::string&)> restoreState;
};

TrainResult runTrainingLoop(torch::nn::Module& model, torch::optim::Optimizer& optimizer, const TrainOptions& options,
                            CheckpointInfo info, LoopHooks& hooks, const TrainCallbacks& callbacks);

// A seed for step `step` of epoch `epoch` of a run (splitmix64), for generators that are recreated per
// step so that their state is a function of the position in the run.
std::uint64_t stepSeed(std::uint64_t seed, int epoch, int step);

}  // namespace mammo::training
