#include "training/TwoPhaseTraining.h"

#include <chrono>
#include <cstdio>

#include "inference/SafeTensors.h"
#include "training/BiradsTrainer.h"
#include "training/CancerTrainer.h"
#include "training/Distributed.h"
#include "training/PatchTrainer.h"

namespace mammo::training {

namespace fs = std::filesystem;

namespace {

TrainCallbacks callbacksFor(const TwoPhaseCallbacks& c, const std::string& phase) {
  return c.phase ? c.phase(phase) : TrainCallbacks{};
}

void say(const TwoPhaseCallbacks& c, const std::string& line) {
  if (c.log) c.log(line);
}

std::string format(const char* pattern, double a, double b = 0, double c = 0) {
  char text[256];
  std::snprintf(text, sizeof text, pattern, a, b, c);
  return text;
}

}  // namespace

TwoPhaseResult trainTwoPhase(const core::ExamList& list, const DatasetSplit& split, const TwoPhaseOptions& options,
                             const TwoPhaseCallbacks& callbacks) {
  TwoPhaseResult result;
  fs::create_directories(options.outDir);
  fs::path patchWeights = options.patchWeights;
  if (options.patch) {
    // Patches and heatmaps at the images' own resolution (before the cancer model's downsampling).
    const double scale = options.inputScale * options.downsample;
    PatchSampler train(loadPatchViews(list, split.train, scale, 1), {64, true, options.patchTrain.seed});
    const PatchSampler validation(loadPatchViews(list, split.validation, scale, 1),
                                  {64, false, options.patchTrain.seed + 1});
    PatchTrainOptions p;
    p.train = options.patchTrain;
    p.train.outDir = options.outDir / "patch";
    p.patchesPerEpoch = options.patchesPerEpoch;
    p.validationPerClass = options.validationPerClass;
    result.patch = trainPatchClassifier(train, validation, p, callbacksFor(callbacks, "patch"));
    patchWeights = p.train.outDir / "best.safetensors";
    say(callbacks, format("patch classifier: best epoch %.0f, malignant AUC %.3f", result.patch.bestEpoch,
                          result.patch.bestValAucMalignant));
  }
  if (!options.birads && !options.image && !options.imageHeatmaps) return result;

  CancerDataset train = loadCancerDataset(list, split.train, options.inputScale * options.downsample, 1);
  CancerDataset validation = loadCancerDataset(list, split.validation, options.inputScale * options.downsample, 1);
  if (options.imageHeatmaps) {
    if (patchWeights.empty()) throw std::invalid_argument("the image+heatmaps model needs patch classifier weights");
    const inference::TensorMap patch = inference::readSafeTensors(patchWeights);
    HeatmapCacheOptions h = options.heatmaps;
    h.cacheDir = options.heatmapCache.empty() ? options.outDir / "heatmap-cache" : options.heatmapCache;
    // Rank 0 fills the cache first; the other ranks then read it (or compute their own on another machine).
    DistributedContext* dist = options.cancerTrain.distributed.get();
    for (int turn = 0; turn < (dist ? 2 : 1); ++turn) {
      if (!dist || (turn == 0) == (dist->rank() == 0)) {
        for (CancerDataset* d : {&train, &validation}) {
          const HeatmapCacheStats s = addHeatmaps(*d, patch, h);
          result.heatmaps.hits += s.hits;
          result.heatmaps.computed += s.computed;
          result.heatmaps.computeSeconds += s.computeSeconds;
        }
      }
      if (dist) dist->barrier();
    }
    say(callbacks, format("heatmaps: %.0f views computed (%.1f s), %.0f from the cache", result.heatmaps.computed,
                          result.heatmaps.computeSeconds, result.heatmaps.hits) +
                       " in " + h.cacheDir.string());
  }
  downsampleDataset(train, options.downsample);
  downsampleDataset(validation, options.downsample);

  inference::TensorMap columns;
  if (options.birads) {
    BiradsTrainOptions b;
    b.train = options.biradsTrain;
    b.train.outDir = options.outDir / "birads";
    b.inputScale = options.inputScale;
    result.birads = trainBiradsModel(train, validation, b, callbacksFor(callbacks, "birads"));
    columns = columnWeights(result.birads.bestWeights);
    say(callbacks, format("BI-RADS pretraining: best epoch %.0f, macro AUC %.3f", result.birads.bestEpoch,
                          result.birads.bestValAucMalignant));
  } else if (!options.biradsWeights.empty()) {
    columns = columnWeights(inference::readSafeTensors(options.biradsWeights));
  }

  CancerTrainOptions c;
  c.train = options.cancerTrain;
  c.inputScale = options.inputScale;
  c.initialColumns = columns;
  if (options.image) {
    c.channels = 1;
    c.train.outDir = options.outDir / "image";
    result.image = trainCancerModel(train, validation, c, callbacksFor(callbacks, "image"));
    say(callbacks, format("image-only model: best epoch %.0f, val_auc_malignant %.3f", result.image.bestEpoch,
                          result.image.bestValAucMalignant));
  }
  if (options.imageHeatmaps) {
    c.channels = 3;
    c.train.outDir = options.outDir / "imageheatmaps";
    result.imageHeatmaps = trainCancerModel(train, validation, c, callbacksFor(callbacks, "image+heatmaps"));
    say(callbacks, format("image+heatmaps model: best epoch %.0f, val_auc_malignant %.3f",
                          result.imageHeatmaps.bestEpoch, result.imageHeatmaps.bestValAucMalignant));
  }
  return result;
}

}  // namespace mammo::training
