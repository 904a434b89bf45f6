#pragma once
// A training run as both faces of Mammolens start it — `mammolens-cli train` and the GUI's training
// dashboard: the request (phase, hyperparameters, run folder), the one mapping from a phase to the
// trainers' options, the split summary shown before training, and the run itself (training::trainTwoPhase
// in the run folder of training/RunFolder.h, run.json and, after phase "all", the model bundle).
// runTraining() blocks and runs on the calling thread (a job runner's worker, or the CLI's main thread);
// progress, log lines and stopping go through the JobContext, the per-epoch events are called on that
// thread. The other functions are pure and thread-safe.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/ExamList.h"
#include "inference/SafeTensors.h"
#include "training/Dataset.h"
#include "training/RocAuc.h"
#include "training/RunFolder.h"
#include "training/TrainOptions.h"
#include "training/TwoPhaseTraining.h"

namespace mammo::core {
class JobContext;
}
namespace mammo::training {
class DistributedContext;
}

namespace mammo::workstation {

// Patch: the patch classifier. Birads: the BI-RADS pretraining of the columns. Cancer: the image-only
// model, then the image+heatmaps model when a patch classifier is at hand (given, or the run folder's);
// it starts from the BI-RADS columns given or the run folder's. All: every phase in order, then the bundle.
enum class TrainingPhase { Patch, Birads, Cancer, All };
std::string_view toString(TrainingPhase phase);  // "patch", "birads", "cancer", "all"
std::optional<TrainingPhase> parseTrainingPhase(std::string_view text);

struct TrainingRequest {
  std::filesystem::path examList;
  std::filesystem::path outDir;  // the run folder
  TrainingPhase phase = TrainingPhase::Cancer;
  // What every phase trains with: epochs, batch, learning rate, seed (also of the split and the heatmap
  // grids), patience, resume, provenance, loader threads, BatchNorm freezing, data parallelism. Its outDir
  // and datasetSummary are set per phase.
  training::TrainOptions train;
  double inputScale = 0.25;  // of the reference's model input size
  int downsample = 1;  // box-average the crops by this factor (small images)
  double validationFraction = 0.2;  // of the patients
  int patchesPerEpoch = 64;  // patch classifier
  int validationPatchesPerClass = 16;  // patch classifier: fixed validation patches per available class
  std::filesystem::path patchWeights;  // empty: the run folder's patch classifier, when it has one
  std::filesystem::path biradsWeights;  // empty: the run folder's BI-RADS columns, when it has them
  std::filesystem::path heatmapCache;  // empty: RUN/heatmap-cache
  // After phase All: the run's model bundle in RUN/bundle (only this process writes it when false).
  bool exportBundle = true;
  std::string bundleName;  // empty: "Mammolens training run (<run folder name>)"
  inference::SafeTensorsDtype bundleStorage = inference::SafeTensorsDtype::F32;
};

// The trainers' options for the request: which phases run, each phase's hyperparameters, and the run's
// earlier models where a phase needs them. `datasetSummary` goes into every checkpoint sidecar.
training::TwoPhaseOptions twoPhaseOptions(const TrainingRequest& request, const std::string& datasetSummary);

struct SplitCounts {
  training::ClassStatistics statistics;
  int images = 0;
};
struct SplitSummary {
  SplitCounts train, validation;
};
SplitSummary summariseSplit(const core::ExamList& list, const training::DatasetSplit& split);

// The exam list read and split by patient as the request asks. Throws std::exception with a message a user
// can act on (unreadable list, too few patients for a training and a validation split).
struct PreparedTraining {
  core::ExamList list;
  training::DatasetSplit split;
  SplitSummary summary;
  std::string description;  // "LIST: N training exams (P patients), M validation exams (Q patients)"
};
PreparedTraining prepareTraining(const TrainingRequest& request);

struct TrainingEvents {
  // A model's training begins; `history` holds the epochs it already has when resuming (from metrics.json).
  std::function<void(training::RunPart part, const std::vector<training::EpochMetrics>& history)> partStarted;
  // After each epoch's validation and checkpoint; `roc`: pooled malignant ROC of that validation,
  // recomputed from the epoch's checkpoint when computeRoc (empty otherwise, or when the validation set
  // lacks a class; none for BI-RADS).
  std::function<void(training::RunPart part, const training::EpochMetrics& metrics,
                     const std::vector<training::RocPoint>& roc)>
      epochDone;
  bool computeRoc = false;
};

enum class TrainingOutcome { Finished, Stopped };

// Runs the request (see the top of this file). Stopping (a cancelled job) saves each model's resume state;
// `resume` continues from it. Throws as prepareTraining, and std::exception from the trainers.
TrainingOutcome runTraining(const TrainingRequest& request, core::JobContext& job, const TrainingEvents& events = {});
TrainingOutcome runTraining(const TrainingRequest& request, const PreparedTraining& prepared, core::JobContext& job,
                            const TrainingEvents& events = {});

}  // namespace mammo::workstation
