#pragma once
// The whole two-phase training of issue 6 in order, as `mammolens-cli train all` (and the GUI) runs it:
// patch classifier (phase 1) -> heatmaps of every training and validation view through inference's stage 3,
// cached on disk -> BI-RADS pretraining of the ResNet-22 columns -> view-wise image-only and image+heatmaps
// cancer models, both starting from the pretrained columns. Run layout: OUT/patch, OUT/birads, OUT/image,
// OUT/imageheatmaps (each with metrics.json, checkpoints and resume/), OUT/heatmap-cache. Runs on the
// calling thread.
#include <filesystem>
#include <functional>
#include <string>

#include "core/ExamList.h"
#include "training/Dataset.h"
#include "training/DatasetHeatmaps.h"
#include "training/TrainOptions.h"

namespace mammo::training {

struct TwoPhaseOptions {
  std::filesystem::path outDir;
  double inputScale = 0.25;  // of the reference's model input size
  int downsample = 1;        // box-average the crops by this factor (see loadCancerDataset)
  bool patch = true, birads = true, image = true, imageHeatmaps = true;  // which phases run
  // Per phase: epochs, learning rate, batch, seed, resume, distributed... (outDir is set per phase).
  TrainOptions patchTrain, biradsTrain, cancerTrain;
  int patchesPerEpoch = 64;
  int validationPerClass = 16;
  std::filesystem::path patchWeights;   // used when the patch phase does not run (image+heatmaps needs it)
  std::filesystem::path biradsWeights;  // used when the BI-RADS phase does not run (optional)
  std::filesystem::path heatmapCache;   // empty: OUT/heatmap-cache
  HeatmapCacheOptions heatmaps;         // cacheDir is overwritten with heatmapCache
};

struct TwoPhaseResult {
  TrainResult patch, birads, image, imageHeatmaps;
  HeatmapCacheStats heatmaps;
};

struct TwoPhaseCallbacks {
  std::function<TrainCallbacks(const std::string& phase)> phase;  // "patch", "birads", "image", "image+heatmaps"
  std::function<void(const std::string& line)> log;
};

TwoPhaseResult trainTwoPhase(const core::ExamList& list, const DatasetSplit& split, const TwoPhaseOptions& options,
                             const TwoPhaseCallbacks& callbacks = {});

}  // namespace mammo::training
