#pragma once
// The whole two-phase training of issue 6 in order, as `mammolens-cli train all` (and the GUI) runs it:
// patch classifier (phase 1) -> heatmaps of every training and validation view through inference's stage 3,
// cached on disk -> BI-RADS pretraining of the ResNet-22 columns -> view-wise image-only and image+heatmaps
// cancer models, both starting from the pretrained columns. Run layout: training/RunFolder.h. Runs on the
// calling thread; progress, log lines and stopping through a core::JobContext: each phase reports into its
// share of the job's progress (its stage texts begin with the part's folder name), and a cancelled job stops
// the phase at the next optimiser step (its resume state saved) and runs no further phase.
#include <filesystem>
#include <functional>
#include <string>

#include "core/ExamList.h"
#include "training/Dataset.h"
#include "training/RunFolder.h"
#include "training/DatasetHeatmaps.h"
#include "training/TrainOptions.h"

namespace mammo::core {
class JobContext;
}

namespace mammo::training {

struct TwoPhaseOptions {
  std::filesystem::path outDir;
  double inputScale = 0.25;  // of the reference's model input size
  int downsample = 1;  // box-average the crops by this factor (see loadCancerDataset)
  bool patch = true, birads = true, image = true, imageHeatmaps = true;  // which phases run
  // Per phase: epochs, learning rate, batch, seed, resume, distributed... (outDir is set per phase).
  TrainOptions patchTrain, biradsTrain, cancerTrain;
  int patchesPerEpoch = 64;
  int validationPerClass = 16;
  std::filesystem::path patchWeights;  // used when the patch phase does not run (image+heatmaps needs it)
  std::filesystem::path biradsWeights;  // used when the BI-RADS phase does not run (optional)
  std::filesystem::path heatmapCache;  // empty: OUT/heatmap-cache
  HeatmapCacheOptions heatmaps;  // cacheDir is overwritten with heatmapCache
};

struct TwoPhaseResult {
  TrainResult patch, birads, image, imageHeatmaps;
  HeatmapCacheStats heatmaps;
};

// Called on the training thread.
struct TwoPhaseEvents {
  std::function<void(RunPart part)> partStarted;
  std::function<void(RunPart part, const EpochMetrics& metrics)> epochDone;
};

// Which phases of a result were stopped before they ended (a cancelled job or stopAfterSteps).
bool interrupted(const TwoPhaseResult& result);

TwoPhaseResult trainTwoPhase(const core::ExamList& list, const DatasetSplit& split, const TwoPhaseOptions& options,
                             core::JobContext* job = nullptr, const TwoPhaseEvents& events = {});

}  // namespace mammo::training
