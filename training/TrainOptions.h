#pragma once
// What every trainer takes and returns (plain values, no LibTorch): run folder, seed, epochs, early
// stopping, resume, and the per-epoch metrics that go to DIR/metrics.json.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "inference/TensorMap.h"

namespace mammo::training {

class DistributedContext;

inline constexpr const char* kPhantomProvenance = "trained on synthetic phantoms — not for clinical use";

struct TrainOptions {
  std::filesystem::path outDir;  // metrics.json, checkpoint-epoch-NNN.*, best.*, resume/
  int epochs = 10;
  std::uint64_t seed = 0;
  double learningRate = 1e-4;
  int batchSize = 4;
  int patience = 5;  // epochs without a better validation AUC before stopping early
  bool resume = false;  // continue from outDir/resume/ when it exists
  std::int64_t stopAfterSteps = 0;  // > 0: stop (as if crashed) after this many optimiser steps in total
  std::string provenance;  // stored in every checkpoint sidecar, e.g. kPhantomProvenance
  std::string datasetSummary;  // free text for the sidecar (exam counts, list file)
  int loaderThreads = 2;  // batches prepared ahead on background threads (0: on the training thread)
  bool freezeBatchNorm = false;  // BatchNorm in eval mode while training (running statistics, not updated)
  // Data-parallel training (see Distributed.h); null: one process. Rank r > 0 keeps its own run files
  // (resume state, checkpoints) in outDir/rank-r; rank 0 writes the run's.
  std::shared_ptr<DistributedContext> distributed;
};

struct EpochMetrics {
  int epoch = 0;  // 1-based
  double trainLoss = 0;
  double validationLoss = 0;
  std::map<std::string, double> auc;  // per label (NaN when a class is absent)
  double valAucMalignant = 0;  // pooled malignant AUC: the early-stopping criterion
  double accuracy = -1;  // patch classifier only
  double trainSeconds = 0, validationSeconds = 0;
  // Throughput of the epoch's training steps: loader = preparing batches on the loader threads (summed
  // over batches), model = forward, backward, gradient exchange and optimiser step, wait = the training
  // thread blocked on a batch that was not ready. samples = exams or patches of the global batches.
  double loaderSeconds = 0, modelSeconds = 0, waitSeconds = 0;
  int samples = 0;
  int loaderThreads = 0;
};

struct TrainResult {
  std::vector<EpochMetrics> epochs;
  int bestEpoch = 0;
  double bestValAucMalignant = 0;
  bool stoppedEarly = false;
  bool interrupted = false;  // stopAfterSteps reached
  std::int64_t steps = 0;  // optimiser steps so far, resumed ones included
  inference::TensorMap finalWeights;  // the model after the last step (reference names)
  inference::TensorMap bestWeights;  // the checkpoint of bestEpoch
};

// Called on the training thread once per epoch, after its validation and checkpoint.
//
// Progress and stopping go through a core::JobContext (null: neither): progress per optimiser step, and a
// cancelled job is polled between steps — the run then saves DIR/resume and returns with interrupted =
// true, exactly as stopAfterSteps does, so that TrainOptions::resume continues from that step.
using EpochObserver = std::function<void(const EpochMetrics&)>;

}  // namespace mammo::training
