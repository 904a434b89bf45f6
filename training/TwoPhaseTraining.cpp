#include "training/TwoPhaseTraining.h"

#include <chrono>
#include <cstdio>

#include "core/Job.h"
#include "inference/SafeTensors.h"
#include "training/BiradsTrainer.h"
#include "training/CancerTrainer.h"
#include "training/Distributed.h"
#include "training/PatchTrainer.h"

namespace mammo::training {

namespace fs = std::filesystem;

namespace {

std::string format(const char* pattern, double a, double b = 0, double c = 0) {
  char text[256];
  std::snprintf(text, sizeof text, pattern, a, b, c);
  return text;
}

// Equal shares of the job's progress for the steps that run, in order.
class PhaseShares {
 public:
  PhaseShares(core::JobContext& job, int steps) : m_job(job), m_steps(std::max(steps, 1)) {}
  core::JobContext next(const std::string& title, int steps = 1) {
    const double begin = static_cast<double>(m_done) / m_steps;
    m_done += steps;
    return m_job.subRange(begin, static_cast<double>(m_done) / m_steps, title + ": ");
  }

 private:
  core::JobContext& m_job;
  int m_steps;
  int m_done = 0;
};

EpochObserver observerFor(const TwoPhaseEvents& events, RunPart part) {
  if (events.partStarted) events.partStarted(part);
  if (!events.epochDone) return {};
  return [&events, part](const EpochMetrics& m) { events.epochDone(part, m); };
}

// The heatmaps of both datasets from the patch classifier, through the cache.
HeatmapCacheStats computeHeatmaps(CancerDataset& train, CancerDataset& validation, const fs::path& patchWeights,
                                  const TwoPhaseOptions& options, const RunFolder& run, core::JobContext& job) {
  HeatmapCacheStats total;
  if (patchWeights.empty()) throw std::invalid_argument("the image+heatmaps model needs patch classifier weights");
  const inference::TensorMap patch = inference::readSafeTensors(patchWeights);
  HeatmapCacheOptions h = options.heatmaps;
  h.cacheDir = options.heatmapCache.empty() ? run.heatmapCache() : options.heatmapCache;
  // Rank 0 fills the cache first; the other ranks then read it (or compute their own on another machine).
  DistributedContext* dist = options.cancerTrain.distributed.get();
  for (int turn = 0; turn < (dist ? 2 : 1); ++turn) {
    if (!dist || (turn == 0) == (dist->rank() == 0)) {
      for (CancerDataset* d : {&train, &validation}) {
        core::JobContext part = job.subRange(d == &train ? 0.0 : 0.5, d == &train ? 0.5 : 1.0);
        const HeatmapCacheStats s = addHeatmaps(*d, patch, h, &part);
        total.hits += s.hits;
        total.computed += s.computed;
        total.computeSeconds += s.computeSeconds;
      }
    }
    if (dist) dist->barrier();
  }
  job.log(format("heatmaps: %.0f views computed (%.1f s), %.0f from the cache", total.computed, total.computeSeconds,
                 total.hits) +
          " in " + h.cacheDir.string());
  return total;
}

}  // namespace

bool interrupted(const TwoPhaseResult& r) {
  return r.patch.interrupted || r.birads.interrupted || r.image.interrupted || r.imageHeatmaps.interrupted;
}

TwoPhaseResult trainTwoPhase(const core::ExamList& list, const DatasetSplit& split, const TwoPhaseOptions& options,
                             core::JobContext* context, const TwoPhaseEvents& events) {
  core::JobContext standalone;
  core::JobContext& job = context ? *context : standalone;
  const RunFolder run(options.outDir);
  TwoPhaseResult result;
  fs::create_directories(options.outDir);
  PhaseShares shares(job, options.patch + options.imageHeatmaps * 2 + options.birads + options.image);
  const auto stopped = [&] { return job.cancelled() || interrupted(result); };
  fs::path patchWeights = options.patchWeights;
  if (options.patch) {
    // Patches and heatmaps at the images' own resolution (before the cancer model's downsampling).
    const double scale = options.inputScale * options.downsample;
    PatchSampler train(loadPatchViews(list, split.train, scale, 1), {64, true, options.patchTrain.seed});
    const PatchSampler validation(loadPatchViews(list, split.validation, scale, 1),
                                  {64, false, options.patchTrain.seed + 1});
    PatchTrainOptions p;
    p.train = options.patchTrain;
    p.train.outDir = run.part(RunPart::Patch).dir();
    p.patchesPerEpoch = options.patchesPerEpoch;
    p.validationPerClass = options.validationPerClass;
    core::JobContext part = shares.next(std::string(partTitle(RunPart::Patch)));
    result.patch = trainPatchClassifier(train, validation, p, &part, observerFor(events, RunPart::Patch));
    patchWeights = run.part(RunPart::Patch).bestWeights();
    job.log(format("patch classifier: best epoch %.0f, malignant AUC %.3f", result.patch.bestEpoch,
                   result.patch.bestValAucMalignant));
  }
  if (stopped() || (!options.birads && !options.image && !options.imageHeatmaps)) return result;

  CancerDataset train = loadCancerDataset(list, split.train, options.inputScale * options.downsample, 1);
  CancerDataset validation = loadCancerDataset(list, split.validation, options.inputScale * options.downsample, 1);
  if (options.imageHeatmaps) {
    core::JobContext part = shares.next("Heatmaps", 2);  // they weigh as much as two models
    result.heatmaps = computeHeatmaps(train, validation, patchWeights, options, run, part);
  }
  if (stopped()) return result;
  downsampleDataset(train, options.downsample);
  downsampleDataset(validation, options.downsample);

  inference::TensorMap columns;
  if (options.birads) {
    BiradsTrainOptions b;
    b.train = options.biradsTrain;
    b.train.outDir = run.part(RunPart::Birads).dir();
    b.inputScale = options.inputScale;
    core::JobContext part = shares.next(std::string(partTitle(RunPart::Birads)));
    result.birads = trainBiradsModel(train, validation, b, &part, observerFor(events, RunPart::Birads));
    columns = columnWeights(result.birads.bestWeights);
    job.log(format("BI-RADS pretraining: best epoch %.0f, macro AUC %.3f", result.birads.bestEpoch,
                   result.birads.bestValAucMalignant));
    if (stopped()) return result;
  } else if (!options.biradsWeights.empty()) {
    columns = columnWeights(inference::readSafeTensors(options.biradsWeights));
  }

  CancerTrainOptions c;
  c.train = options.cancerTrain;
  c.inputScale = options.inputScale;
  c.initialColumns = columns;
  // The view-wise cancer models: image-only (1 channel), then image+heatmaps (3).
  const auto cancerPhase = [&](RunPart part, int channels, const char* name) {
    c.channels = channels;
    c.train.outDir = run.part(part).dir();
    core::JobContext share = shares.next(std::string(partTitle(part)));
    TrainResult r = trainCancerModel(train, validation, c, &share, observerFor(events, part));
    job.log(std::string(name) +
            format(": best epoch %.0f, val_auc_malignant %.3f", r.bestEpoch, r.bestValAucMalignant));
    return r;
  };
  if (options.image) {
    result.image = cancerPhase(RunPart::Image, 1, "image-only model");
    if (stopped()) return result;
  }
  if (options.imageHeatmaps) result.imageHeatmaps = cancerPhase(RunPart::ImageHeatmaps, 3, "image+heatmaps model");
  return result;
}

}  // namespace mammo::training
