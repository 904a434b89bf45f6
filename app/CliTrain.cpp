// mammolens-cli train patch|birads|cancer|all: issue 6 phase 1 (patch classifier), the heatmap cache,
// BI-RADS pretraining of the ResNet-22 columns and phase 2 (view-wise image-only and image+heatmaps models)
// on an exam list — workstation::runTraining, as the GUI's dashboard runs it — with a progress bar and
// per-epoch summaries (losses, AUC, loader against model throughput); data-parallel over several processes
// with --world-size/--rank/--master (c10d).
#include <cstdio>
#include <filesystem>
#include <memory>
#include <stdexcept>

#include <ATen/Parallel.h>

#include "app/CliCommands.h"
#include "app/ProgressBar.h"
#include "core/Job.h"
#include "inference/SafeTensors.h"
#include "training/BundleExport.h"
#include "training/Distributed.h"
#include "workstation/TrainingRun.h"

namespace mammo::app {

namespace {

namespace fs = std::filesystem;
using namespace mammo::training;

const char* unitOf(RunPart part) { return part == RunPart::Patch ? "patches" : "exams"; }

void printEpoch(RunPart part, const EpochMetrics& m) {
  const std::string name(folderName(part));
  // For BI-RADS the early-stopping criterion is the macro one-vs-rest AUC of the three categories.
  const char* criterion = part == RunPart::Birads ? "val_auc_birads_macro" : "val_auc_malignant";
  char accuracy[32] = "";
  if (m.accuracy >= 0) std::snprintf(accuracy, sizeof accuracy, "  accuracy %.3f", m.accuracy);
  std::printf("%s epoch %d: train loss %.4f  val loss %.4f  %s %.3f%s  (%.1f s train, %.1f s val)\n", name.c_str(),
              m.epoch, m.trainLoss, m.validationLoss, criterion, m.valAucMalignant, accuracy, m.trainSeconds,
              m.validationSeconds);
  const char* unit = unitOf(part);
  std::printf(
      "%s epoch %d throughput: loader %.2f %s/s (%d loader threads, %.1f s), model %.2f %s/s (%.1f s), "
      "training thread waited %.1f s for batches\n",
      name.c_str(), m.epoch, m.loaderSeconds > 0 ? m.samples / m.loaderSeconds : 0.0, unit, m.loaderThreads,
      m.loaderSeconds, m.modelSeconds > 0 ? m.samples / m.modelSeconds : 0.0, unit, m.modelSeconds, m.waitSeconds);
  std::fflush(stdout);
}

// The command's options as the request the GUI's dashboard also makes.
workstation::TrainingRequest requestOf(const TrainCliOptions& o, std::shared_ptr<DistributedContext> dist) {
  workstation::TrainingRequest r;
  r.examList = o.exams;
  r.outDir = o.out;
  r.phase = *workstation::parseTrainingPhase(o.phase);
  r.train = o.train;
  r.train.provenance = o.phantoms ? kPhantomProvenance : o.provenance;
  r.inputScale = o.inputScale;
  r.downsample = o.downsample;
  r.validationFraction = o.validationFraction;
  r.patchesPerEpoch = o.patchesPerEpoch;
  r.patchWeights = o.patchWeights;
  r.biradsWeights = o.biradsWeights;
  r.heatmapCache = o.heatmapCache;
  r.exportBundle = !dist || dist->rank() == 0;
  r.train.distributed = std::move(dist);
  r.bundleStorage = o.storage == "F16" ? inference::SafeTensorsDtype::F16 : inference::SafeTensorsDtype::F32;
  return r;
}

std::string bundleName(const TrainCliOptions& o) {
  if (o.preset == "demo") return "Mammolens demo model (trained on synthetic phantoms — not for clinical use)";
  return "Mammolens trained models (" + o.exams + ")";
}

void exportBundle(const TrainCliOptions& o) {
  const fs::path bundle = RunFolder(o.out).bundle();
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
  o.train.epochs = 8;
  o.train.seed = 3;
  o.inputScale = 0.125;
  o.downsample = 2;
  o.train.batchSize = 4;
  o.train.learningRate = 3e-4;
  o.train.patience = 8;
  o.validationFraction = 0.2;
  o.patchesPerEpoch = 128;
  o.phantoms = true;
  o.patchWeights.clear();
  o.biradsWeights.clear();
  o.train.loaderThreads = 2;
  o.train.freezeBatchNorm = false;
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
  workstation::TrainingRequest request = requestOf(o, dist);
  request.bundleName = bundleName(o);
  const workstation::PreparedTraining prepared = workstation::prepareTraining(request);
  if (!quiet) {
    const ClassStatistics& s = prepared.summary.train.statistics;
    const ClassStatistics& v = prepared.summary.validation.statistics;
    std::printf("%s\ntraining positives LB %d RB %d LM %d RM %d; validation LM %d RM %d\n",
                prepared.description.c_str(), s.positives[0], s.positives[1], s.positives[2], s.positives[3],
                v.positives[2], v.positives[3]);
    std::string birads;
    for (const auto& [category, count] : s.birads)
      birads += " " + std::to_string(category) + ":" + std::to_string(count);
    std::printf("training BI-RADS (category:exams)%s\n", birads.empty() ? " none" : birads.c_str());
  }
  ProgressBar bar;
  core::JobContext job(
      [&bar, quiet](double fraction, const std::string& text) {
        if (!quiet) bar.update(fraction, text);
      },
      [quiet](const std::string& line) {
        if (quiet) return;
        std::printf("%s\n", line.c_str());
        std::fflush(stdout);
      });
  workstation::TrainingEvents events;
  if (!quiet) events.epochDone = [](RunPart part, const EpochMetrics& m, const auto&) { printEpoch(part, m); };
  job.setStatus(core::JobStatus::Running);
  workstation::runTraining(request, prepared, job, events);
  job.setStatus(core::JobStatus::Done);
  return 0;
}

}  // namespace mammo::app
