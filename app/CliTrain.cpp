// mammolens-cli train patch|cancer|all: issue 6 phase 1 (patch classifier) and phase 2 (view-wise
// image-only and image+heatmaps models) on an exam list, with a progress bar and per-epoch summaries.
#include <cstdio>
#include <filesystem>
#include <stdexcept>

#include <ATen/Parallel.h>

#include "app/CliCommands.h"
#include "app/ProgressBar.h"
#include "core/ExamList.h"
#include "inference/SafeTensors.h"
#include "training/BundleExport.h"
#include "training/CancerTrainer.h"
#include "training/Dataset.h"
#include "training/DatasetHeatmaps.h"
#include "training/PatchTrainer.h"

namespace mammo::app {

namespace {

namespace fs = std::filesystem;
using namespace mammo::training;

TrainCallbacks terminalCallbacks(ProgressBar& bar, const std::string& phase) {
  TrainCallbacks c;
  c.progress = [&bar, phase](double fraction, const std::string& text) { bar.update(fraction, phase + " " + text); };
  c.epochSummary = [phase](const EpochMetrics& m) {
    std::printf("%s epoch %d: train loss %.4f  val loss %.4f  val_auc_malignant %.3f%s  (%.1f s train, %.1f s val)\n",
                phase.c_str(), m.epoch, m.trainLoss, m.validationLoss, m.valAucMalignant,
                m.accuracy >= 0 ? (" accuracy " + std::to_string(m.accuracy)).c_str() : "", m.trainSeconds,
                m.validationSeconds);
    std::fflush(stdout);
  };
  return c;
}

TrainOptions baseOptions(const TrainCliOptions& o, const fs::path& outDir, const std::string& summary) {
  TrainOptions t;
  t.outDir = outDir;
  t.epochs = o.epochs;
  t.seed = o.seed;
  t.learningRate = o.learningRate;
  t.batchSize = o.batch;
  t.patience = o.patience;
  t.resume = o.resume;
  t.provenance = o.phantoms ? kPhantomProvenance : o.provenance;
  t.datasetSummary = summary;
  return t;
}

fs::path trainPatch(const TrainCliOptions& o, const core::ExamList& list, const DatasetSplit& split,
                    const std::string& summary) {
  auto views = [&](const std::vector<int>& indices) {
    std::vector<PreparedView> out;
    for (int i : indices) {
      for (int v = 0; v < 4; ++v) {
        const auto view = static_cast<core::StandardView>(v);
        out.push_back(prepareView(list.exams[i], view, scaledInputSize(core::viewPositionOf(view), o.inputScale)));
      }
    }
    return out;
  };
  PatchSampler train(views(split.train), {64, true, o.seed});
  const PatchSampler validation(views(split.validation), {64, false, o.seed + 1});
  PatchTrainOptions options;
  options.train = baseOptions(o, fs::path(o.out) / "patch", summary);
  options.patchesPerEpoch = o.patchesPerEpoch;
  ProgressBar bar;
  const TrainResult r = trainPatchClassifier(train, validation, options, terminalCallbacks(bar, "patch"));
  std::printf("patch classifier: best epoch %d, malignant AUC %.3f\n", r.bestEpoch, r.bestValAucMalignant);
  return fs::path(o.out) / "patch" / "best.safetensors";
}

void trainCancer(const TrainCliOptions& o, const core::ExamList& list, const DatasetSplit& split,
                 const std::string& summary, const fs::path& patchWeights) {
  CancerDataset train = loadCancerDataset(list, split.train, o.inputScale);
  CancerDataset validation = loadCancerDataset(list, split.validation, o.inputScale);
  CancerTrainOptions options;
  options.inputScale = o.inputScale;
  options.train = baseOptions(o, fs::path(o.out) / "image", summary);
  ProgressBar bar;
  TrainResult r = trainCancerModel(train, validation, options, terminalCallbacks(bar, "image-only"));
  std::printf("image-only model: best epoch %d, val_auc_malignant %.3f\n", r.bestEpoch, r.bestValAucMalignant);
  std::fflush(stdout);
  if (patchWeights.empty()) return;
  std::printf("heatmaps of %zu exams with %s\n", train.views.size() + validation.views.size(),
              patchWeights.string().c_str());
  std::fflush(stdout);
  const inference::TensorMap patch = inference::readSafeTensors(patchWeights);
  addHeatmaps(train, patch, o.seed);
  addHeatmaps(validation, patch, o.seed);
  options.channels = 3;
  options.train.outDir = fs::path(o.out) / "imageheatmaps";
  ProgressBar heatmapBar;
  r = trainCancerModel(train, validation, options, terminalCallbacks(heatmapBar, "image+heatmaps"));
  std::printf("image+heatmaps model: best epoch %d, val_auc_malignant %.3f\n", r.bestEpoch, r.bestValAucMalignant);
}

}  // namespace

int runTrain(const TrainCliOptions& o) {
  if (o.phase != "patch" && o.phase != "cancer" && o.phase != "all") {
    throw std::invalid_argument("train: phase must be patch, cancer or all (BI-RADS pretraining is not implemented yet)");
  }
  if (o.threads > 0) at::set_num_threads(o.threads);
  const core::ExamList list = core::readExamList(o.exams);
  const DatasetSplit split = splitByPatient(list, {o.validationFraction, 0.0, o.seed});
  const ClassStatistics s = classStatistics(list, split.train), v = classStatistics(list, split.validation);
  const std::string summary = o.exams + ": " + std::to_string(s.exams) + " training exams (" +
                              std::to_string(s.patients) + " patients), " + std::to_string(v.exams) +
                              " validation exams (" + std::to_string(v.patients) + " patients)";
  std::printf("%s\ntraining positives LB %d RB %d LM %d RM %d; validation LM %d RM %d\n", summary.c_str(),
              s.positives[0], s.positives[1], s.positives[2], s.positives[3], v.positives[2], v.positives[3]);
  fs::create_directories(o.out);
  fs::path patchWeights = o.patchWeights;
  if (o.phase == "patch" || o.phase == "all") patchWeights = trainPatch(o, list, split, summary);
  if (o.phase == "cancer" || o.phase == "all") trainCancer(o, list, split, summary, patchWeights);
  if (o.phase == "all") {
    const fs::path bundle = fs::path(o.out) / "bundle";
    exportTrainingBundle(o.out, bundle, "Mammolens trained models (" + o.exams + ")",
                         o.phantoms ? kPhantomProvenance : o.provenance);
    std::printf("model bundle: %s\n", bundle.string().c_str());
  }
  return 0;
}

}  // namespace mammo::app
