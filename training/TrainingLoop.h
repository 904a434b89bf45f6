#pragma once
// PRIVATE to mammo_training (includes LibTorch): the epoch loop shared by the trainers — optimiser steps,
// validation, metrics.json, a checkpoint every epoch, early stopping on the pooled malignant AUC, and
// exact resume from DIR/resume/ (weights, Adam moments, RNG states, epoch and step).
#include <torch/torch.h>

#include <any>
#include <functional>
#include <string>

#include "core/Job.h"
#include "training/Checkpoint.h"
#include "training/TrainOptions.h"

namespace mammo::training {

// Parameters and buffers of `module` under their registered names (num_batches_tracked dropped), i.e.
// the reference's state-dict names when the module mirrors the reference's structure.
inference::TensorMap toTensorMap(torch::nn::Module& module);

// One step's input, made on a loader thread.
struct LoopBatch {
  std::any data;
  int samples = 0;  // of the global batch
};

// The trainer's part of the loop. prepareBatch must be a pure function of (epoch, step) and the trainer's
// read-only data (it runs ahead on loader threads, and resume relies on it); trainStep runs the forward and
// backward pass of this rank's shard and returns the shard's share of the global batch loss (the loop sums
// the shares over the ranks); the loop zeroes the gradients, exchanges them and steps the optimiser.
struct LoopHooks {
  std::function<int(int epoch)> stepsPerEpoch;  // epoch is 0-based
  std::function<LoopBatch(int epoch, int step)> prepareBatch;
  std::function<double(int epoch, int step, LoopBatch& batch)> trainStep;
  std::function<void(EpochMetrics&)> validate;  // fills loss, AUCs, valAucMalignant
  std::function<std::string()> saveState;  // optional trainer state as text
  std::function<void(const std::string&)> restoreState;
};

// This process's rank and the world size of options.distributed (0 and 1 without it).
int rankOf(const TrainOptions& options);
int worldSizeOf(const TrainOptions& options);

TrainResult runTrainingLoop(torch::nn::Module& model, torch::optim::Optimizer& optimizer, const TrainOptions& options,
                            CheckpointInfo info, LoopHooks& hooks, core::JobContext* job, const EpochObserver& onEpoch);

// A seed for step `step` of epoch `epoch` of a run (splitmix64), for generators that are recreated per
// step so that their state is a function of the position in the run.
std::uint64_t stepSeed(std::uint64_t seed, int epoch, int step);

}  // namespace mammo::training
