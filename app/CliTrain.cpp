// mammolens-cli train patch|birads|cancer|all: issue 6 phase 1 (patch classifier), the heatmap cache,
// BI-RADS pretraining of the ResNet-22 columns and phase 2 (view-wise image-only and image+heatmaps models)
// on an exam list, with a progress bar and per-epoch summaries (losses, AUC, loader against model
// throughput); data-parallel over several processes with --world-size/--rank/--master (c10d).
#include <cstdio>
#include <filesystem>
#include <memory>
#include <stdexcept>

#include <ATen/Parallel.h>

#include "app/CliCommands.h"
#include "app/ProgressBar.h"
#include "core/ExamList.h"
#include "inference/SafeTensors.h"
#include "training/BundleExport.h"
#include "training/Dataset.h"
#include "training/Distributed.h"
#include "training/TwoPhaseTraining.h"

namespace mammo::app {

namespace {

namespace fs = std::filesystem;
using namespace mammo::training;

const char* unitOf(const std::string& phase) {
  return phase == "patch" ? "patches" : "exams";
}

TrainCallbacks terminalCallbacks(const std::string& phase, bool quiet) {
  TrainCallbacks c;
  if (quiet) return c;
  auto bar = std::make_shared<ProgressBar>();
  c.progress = [bar, phase](double fraction, const std::string& text) { bar->update(fraction, phase + " " + text); };
  c.epochSummary = [phase](const EpochMetrics& m) {
    // For BI-RADS the early-stopping criterion is the macro one-vs-rest AUC of the three categories.
    const char* criterion = phase == "birads" ? "val_auc_birads_macro" : "val_auc_malignant";
    char accuracy[32] = "";
    if (m.accuracy >= 0) std::snprintf(accuracy, sizeof accuracy, "  accuracy %.3f", m.accuracy);
    std::printf("%s epoch %d: train loss %.4f  val loss %.4f  %s %.3f%s  (%.1f s train, %.1f s val)\n", phase.c_str(),
                m.epoch, m.trainLoss, m.validationLoss, criterion, m.valAucMalignant, accuracy, m.trainSeconds,
                m.validationSeconds);
    const char* unit = unitOf(phase);
    std::printf(
        "%s epoch %d throughput: loader %.2f %s/s (%d loader threads, %.1f s), model %.2f %s/s (%.1f s), "
        "training thread waited %.1f s for batches\n",
        phase.c_str(), m.epoch, m.loaderSeconds > 0 ? m.samples / m.loaderSeconds : 0.0, unit, m.loaderThreads,
        m.loaderSeconds, m.modelSeconds > 0 ? m.samples / m.modelSeconds : 0.0, unit, m.modelSeconds, m.waitSeconds);
    std::fflush(stdout);
  };
  return c;
}

TrainOptions baseOptions(const TrainCliOptions& o, const std::string& summary,
                         const std::shared_ptr<DistributedContext>& dist) {
  TrainOptions t;
  t.epochs = o.epochs;
  t.seed = o.seed;
  t.learningRate = o.learningRate;
  t.batchSize = o.batch;
  t.patience = o.patience;
  t.resume = o.resume;
  t.provenance = o.phantoms ? kPhantomProvenance : o.provenance;
  t.datasetSummary = summary;
  t.loaderThreads = o.loaderThreads;
  t.freezeBatchNorm = o.freezeBatchNorm;
  t.distributed = dist;
  return t;
}

std::string bundleName(const TrainCliOptions& o) {
  if (o.preset == "demo") return "Mammolens demo model (trained on synthetic phantoms — not for clinical use)";
  return "Mammolens trained models (" + o.exams + ")";
}

void exportBundle(const TrainCliOptions& o) {
  const fs::path bundle = fs::path(o.out) / "bundle";
  exportTrainingBundle(o.out, bundle, bundleName(o), o.phantoms ? kPhantomProvenance : o.provenance,
                       trainedCancerInput(o.inputScale, o.downsample),
                       o.storage == "F16" ? inference::SafeTensorsDtype::F16 : inference::SafeTensorsDtype::F32);
  std::printf("model bundle: %s\n", bundle.string().c_str());
}

}  // namespace

void applyTrainPreset(TrainCliOptions& o) {
  if (o.preset.empty()) return;
  if (o.preset != "demo") throw std::invalid_argument("unknown training preset \"" + o.preset + "\" (demo)");
  // The shipped demo model (resources/demo-model, docs/training.md "The demo model"): 40 small phantom
  // exams, all three phases at 1/8 of the reference's input size with the crops halved for the cancer
  // models (as the learning test), ~12 minutes on 2 cores; F16 bundle.
  o.epochs = 8;
  o.seed = 3;
  o.inputScale = 0.125;
  o.downsample = 2;
  o.batch = 4;
  o.learningRate = 3e-4;
  o.patience = 8;
  o.validationFraction = 0.2;
  o.patchesPerEpoch = 128;
  o.phantoms = true;
  o.patchWeights.clear();
  o.biradsWeights.clear();
  o.loaderThreads = 2;
  o.freezeBatchNorm = false;
  o.storage = "F16";
}

int runTrain(const TrainCliOptions& options) {
  TrainCliOptions o = options;
  applyTrainPreset(o);
  if (o.phase == "export") {
    exportBundle(o);
    return 0;
  }
  if (o.threads > 0) at::set_num_threads(o.threads);
  std::shared_ptr<DistributedContext> dist;
  if (o.worldSize > 1) {
    DistributedOptions d;
    d.worldSize = o.worldSize;
    d.rank = o.rank;
    std::tie(d.masterAddress, d.masterPort) = parseMasterAddress(o.master);
    d.backend = o.backend;
    std::printf("rank %d of %d: joining %s (%s)\n", o.rank, o.worldSize, o.master.c_str(), o.backend.c_str());
    std::fflush(stdout);
    dist = std::make_shared<DistributedContext>(d);
  }
  const bool quiet = dist && dist->rank() > 0;  // rank 0 reports; the others only write their run files
  const core::ExamList list = core::readExamList(o.exams);
  const DatasetSplit split = splitByPatient(list, {o.validationFraction, 0.0, o.seed});
  const ClassStatistics s = classStatistics(list, split.train), v = classStatistics(list, split.validation);
  const std::string summary = o.exams + ": " + std::to_string(s.exams) + " training exams (" +
                              std::to_string(s.patients) + " patients), " + std::to_string(v.exams) +
                              " validation exams (" + std::to_string(v.patients) + " patients)";
  if (!quiet) {
    std::printf("%s\ntraining positives LB %d RB %d LM %d RM %d; validation LM %d RM %d\n", summary.c_str(),
                s.positives[0], s.positives[1], s.positives[2], s.positives[3], v.positives[2], v.positives[3]);
    std::string birads;
    for (const auto& [category, count] : s.birads)
      birads += " " + std::to_string(category) + ":" + std::to_string(count);
    std::printf("training BI-RADS (category:exams)%s\n", birads.empty() ? " none" : birads.c_str());
  }
  fs::create_directories(o.out);
  TwoPhaseOptions t;
  t.outDir = o.out;
  t.inputScale = o.inputScale;
  t.downsample = o.downsample;
  t.patch = o.phase == "patch" || o.phase == "all";
  t.birads = o.phase == "birads" || o.phase == "all";
  t.image = o.phase == "cancer" || o.phase == "all";
  t.imageHeatmaps = o.phase == "all" || (o.phase == "cancer" && !o.patchWeights.empty());
  t.patchTrain = t.biradsTrain = t.cancerTrain = baseOptions(o, summary, dist);
  t.patchesPerEpoch = o.patchesPerEpoch;
  t.patchWeights = o.patchWeights;
  t.biradsWeights = o.biradsWeights;
  t.heatmapCache = o.heatmapCache;
  t.heatmaps.seed = o.seed;
  TwoPhaseCallbacks callbacks;
  callbacks.phase = [quiet](const std::string& phase) { return terminalCallbacks(phase, quiet); };
  callbacks.log = [quiet](const std::string& line) {
    if (quiet) return;
    std::printf("%s\n", line.c_str());
    std::fflush(stdout);
  };
  trainTwoPhase(list, split, t, callbacks);
  if (o.phase == "all" && !quiet) exportBundle(o);
  return 0;
}

}  // namespace mammo::app
