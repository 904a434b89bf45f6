#pragma once
// What the training dashboard runs, as plain C++ (no Qt): a training request (the dashboard's form), the
// split summary shown before training, and the run itself — training::trainTwoPhase, the code behind
// `mammolens-cli train`, in its run layout (RUN/patch, RUN/birads, RUN/image, RUN/imageheatmaps,
// RUN/heatmap-cache, RUN/bundle), with per-epoch events and the ROC curve of each epoch's validation.
// runTraining() blocks and runs on the calling thread (the controller's worker); the events are called on
// that thread. The other functions are pure and thread-safe.
#include <array>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "core/ExamList.h"
#include "training/Dataset.h"
#include "training/RocAuc.h"
#include "training/TrainOptions.h"

namespace mammo::ui {

// As the CLI's phases: Cancer trains the image-only model, then the image+heatmaps model when the run
// folder has a patch classifier; it starts from the run's BI-RADS columns when there are some.
enum class TrainingPhase { Patch, Birads, Cancer, All };

// The models of a run folder: their sub-folder names, as the CLI lays them out, in training order.
inline constexpr std::array<const char*, 4> kTrainingParts{"patch", "birads", "image", "imageheatmaps"};
std::string partTitle(const std::string& part);  // "Patch classifier", ...

struct TrainingRequest {
  std::filesystem::path examList;
  std::filesystem::path outDir;
  TrainingPhase phase = TrainingPhase::Cancer;
  int epochs = 10;
  int batchSize = 4;
  double learningRate = 1e-4;
  std::uint64_t seed = 0;
  double inputScale = 0.25;           // of the reference's model input size
  double validationFraction = 0.2;    // of the patients
  int patience = 5;
  int patchesPerEpoch = 64;           // patch classifier
  int validationPatchesPerClass = 16; // patch classifier: fixed validation patches per available class
  bool resume = false;                // continue each model from RUN/<part>/resume
  std::string provenance = "trained with the Mammolens training dashboard — not for clinical use";
};

struct SplitCounts {
  training::ClassStatistics statistics;
  int images = 0;
};
struct SplitSummary {
  SplitCounts train, validation;
};
SplitSummary summariseSplit(const core::ExamList& list, const training::DatasetSplit& split);

struct TrainingEvents {
  // A model's training begins; `history` holds the epochs it already has when resuming (from metrics.json).
  std::function<void(const std::string& part, const std::vector<training::EpochMetrics>& history)> partStarted;
  std::function<void(const std::string& part, double fraction, const std::string& text)> progress;
  // After each epoch's validation and checkpoint; `roc`: pooled malignant ROC of that validation (empty
  // when the validation set lacks a class).
  std::function<void(const std::string& part, const training::EpochMetrics& metrics,
                     const std::vector<training::RocPoint>& roc)>
      epochDone;
  std::function<void(const std::string& line)> log;  // phase results, heatmap cache statistics
  std::function<bool()> stopRequested;
};

enum class TrainingOutcome { Finished, Stopped };

// Runs the request's phase. Throws std::exception with a message a user can act on (unreadable list, no
// validation exams, ...). Stopping saves each model's resume state; `resume` continues from it.
TrainingOutcome runTraining(const TrainingRequest& request, const TrainingEvents& events);

// DIR/metrics.json of one model's run as EpochMetrics (empty when the file does not exist).
std::vector<training::EpochMetrics> readMetrics(const std::filesystem::path& partDir);

}  // namespace mammo::ui
