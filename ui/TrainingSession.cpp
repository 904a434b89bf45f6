#include "ui/TrainingSession.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <optional>
#include <stdexcept>

#include "core/Types.h"
#include "inference/PatchClassifier.h"
#include "inference/SafeTensors.h"
#include "training/BundleExport.h"
#include "training/CancerTrainer.h"
#include "training/Checkpoint.h"
#include "training/DatasetHeatmaps.h"
#include "training/PatchSampler.h"
#include "training/PatchTrainer.h"
#include "training/TwoPhaseTraining.h"

namespace mammo::ui {

namespace {

namespace fs = std::filesystem;
using namespace mammo::training;

// The pooled ROC, or nothing when a class is missing (the curve would be meaningless).
std::vector<RocPoint> rocOrEmpty(const std::vector<double>& scores, const std::vector<int>& labels) {
  const auto positives = std::count(labels.begin(), labels.end(), 1);
  if (positives == 0 || positives == static_cast<long>(labels.size())) return {};
  return rocCurve(scores, labels);
}

fs::path checkpointWeights(const fs::path& dir, int epoch) {
  char name[48];
  std::snprintf(name, sizeof name, "checkpoint-epoch-%03d.safetensors", epoch);
  return dir / name;
}

struct StopAfterPhase {};  // thrown out of trainTwoPhase's log callback once a stop was requested

// The validation data of each model, rebuilt lazily as trainTwoPhase builds it (downsample 1; heatmaps from
// the run's cache), to recompute each epoch's ROC from its checkpoint: predictions are deterministic (eval
// mode, no augmentation), so this is the ROC behind the epoch's AUC.
class RocSource {
 public:
  RocSource(const core::ExamList& list, const DatasetSplit& split, const TrainingRequest& r, const TwoPhaseOptions& t)
      : m_list(list), m_split(split), m_r(r), m_t(t) {}

  std::vector<RocPoint> curve(const std::string& part, int epoch) {
    const fs::path weights = checkpointWeights(m_r.outDir / part, epoch);
    if (part == "patch") return patchCurve(weights);
    if (part == "image") return cancerCurve(weights, 1);
    if (part == "imageheatmaps") return cancerCurve(weights, 3);
    return {};  // BI-RADS: no malignancy score
  }

 private:
  std::vector<RocPoint> patchCurve(const fs::path& weights) {
    if (m_patches.empty()) {
      const PatchSampler validation(loadPatchViews(m_list, m_split.validation, m_r.inputScale, 1),
                                    {64, false, m_r.seed + 1});
      m_patches = validation.evaluationSet(m_t.validationPerClass, m_r.seed + 1);
    }
    inference::PatchClassifier classifier(inference::readSafeTensors(weights), weights.string());
    std::vector<float> pixels;
    pixels.reserve(m_patches.size() * kPatchSide * kPatchSide);
    for (const Patch& p : m_patches) pixels.insert(pixels.end(), p.pixels.begin(), p.pixels.end());
    const auto probabilities = classifier.classify(pixels.data(), static_cast<int>(m_patches.size()));
    std::vector<double> scores;
    std::vector<int> labels;
    for (std::size_t i = 0; i < m_patches.size(); ++i) {
      scores.push_back(probabilities[i][static_cast<int>(PatchClass::Malignant)]);
      labels.push_back(m_patches[i].label == PatchClass::Malignant ? 1 : 0);
    }
    return rocOrEmpty(scores, labels);
  }

  std::vector<RocPoint> cancerCurve(const fs::path& weights, int channels) {
    if (!m_validation) m_validation = loadCancerDataset(m_list, m_split.validation, m_r.inputScale, 1);
    if (channels == 3 && !m_withHeatmaps) {
      const fs::path patch = m_t.patchWeights.empty() ? m_r.outDir / "patch" / "best.safetensors" : m_t.patchWeights;
      HeatmapCacheOptions h = m_t.heatmaps;
      h.cacheDir = m_r.outDir / "heatmap-cache";
      addHeatmaps(*m_validation, inference::readSafeTensors(patch), h);
      m_withHeatmaps = true;
    }
    const auto p = predictCancer(inference::readSafeTensors(weights), *m_validation, channels, m_r.inputScale);
    std::vector<double> scores;
    std::vector<int> labels;
    for (std::size_t e = 0; e < p.size(); ++e) {
      for (int label : {2, 3}) {  // left and right malignant, pooled as val_auc_malignant
        scores.push_back(p[e][label]);
        labels.push_back(m_validation->targets[e][label] > 0 ? 1 : 0);
      }
    }
    return rocOrEmpty(scores, labels);
  }

  const core::ExamList& m_list;
  const DatasetSplit& m_split;
  const TrainingRequest& m_r;
  const TwoPhaseOptions& m_t;
  std::vector<Patch> m_patches;
  std::optional<CancerDataset> m_validation;
  bool m_withHeatmaps = false;
};

TrainOptions baseOptions(const TrainingRequest& r, const std::string& summary) {
  TrainOptions t;
  t.epochs = r.epochs;
  t.seed = r.seed;
  t.learningRate = r.learningRate;
  t.batchSize = r.batchSize;
  t.patience = r.patience;
  t.resume = r.resume;
  t.provenance = r.provenance;
  t.datasetSummary = summary;
  return t;
}

// The phases of the request as the CLI sets them, with the run's earlier models where a phase needs them.
TwoPhaseOptions twoPhaseOptions(const TrainingRequest& r, const std::string& summary) {
  TwoPhaseOptions t;
  t.outDir = r.outDir;
  t.inputScale = r.inputScale;
  t.patch = r.phase == TrainingPhase::Patch || r.phase == TrainingPhase::All;
  t.birads = r.phase == TrainingPhase::Birads || r.phase == TrainingPhase::All;
  t.image = r.phase == TrainingPhase::Cancer || r.phase == TrainingPhase::All;
  const fs::path runPatch = r.outDir / "patch" / "best.safetensors";
  const fs::path runBirads = r.outDir / "birads" / "best.safetensors";
  t.imageHeatmaps = r.phase == TrainingPhase::All || (r.phase == TrainingPhase::Cancer && fs::exists(runPatch));
  if (!t.patch && fs::exists(runPatch)) t.patchWeights = runPatch;
  if (!t.birads && t.image && fs::exists(runBirads)) t.biradsWeights = runBirads;
  t.patchTrain = t.biradsTrain = t.cancerTrain = baseOptions(r, summary);
  t.patchesPerEpoch = r.patchesPerEpoch;
  t.validationPerClass = r.validationPatchesPerClass;
  t.heatmaps.seed = r.seed;
  return t;
}

double numberOr(const nlohmann::json& j, const char* key, double fallback) {
  const auto it = j.find(key);
  return it == j.end() || it->is_null() ? fallback : it->get<double>();
}

}  // namespace

std::string partTitle(const std::string& part) {
  if (part == "patch") return "Patch classifier";
  if (part == "birads") return "BI-RADS pretraining";
  if (part == "image") return "Image-only model";
  if (part == "imageheatmaps") return "Image+heatmaps model";
  return part;
}

SplitSummary summariseSplit(const core::ExamList& list, const DatasetSplit& split) {
  auto counts = [&](const std::vector<int>& indices) {
    SplitCounts c;
    c.statistics = classStatistics(list, indices);
    for (int i : indices) {
      for (const auto& view : list.exams[static_cast<std::size_t>(i)].views) c.images += static_cast<int>(view.size());
    }
    return c;
  };
  return {counts(split.train), counts(split.validation)};
}

TrainingOutcome runTraining(const TrainingRequest& request, const TrainingEvents& events) {
  const core::ExamList list = core::readExamList(request.examList);
  const DatasetSplit split = splitByPatient(list, {request.validationFraction, 0.0, request.seed});
  if (split.train.empty() || split.validation.empty()) {
    throw std::runtime_error(request.examList.string() + " has too few patients for a training and a validation split (" +
                             std::to_string(split.train.size()) + " and " + std::to_string(split.validation.size()) +
                             " exams): add exams or change the validation fraction");
  }
  const ClassStatistics s = classStatistics(list, split.train), v = classStatistics(list, split.validation);
  const std::string summary = request.examList.string() + ": " + std::to_string(s.exams) + " training exams (" +
                              std::to_string(s.patients) + " patients), " + std::to_string(v.exams) +
                              " validation exams (" + std::to_string(v.patients) + " patients)";
  const TwoPhaseOptions options = twoPhaseOptions(request, summary);
  RocSource roc(list, split, request, options);
  const auto stopRequested = [&events] { return events.stopRequested && events.stopRequested(); };
  TwoPhaseCallbacks callbacks;
  callbacks.phase = [&](const std::string& phase) {
    const std::string part = phase == "image+heatmaps" ? "imageheatmaps" : phase;
    if (events.partStarted) {
      events.partStarted(part, request.resume ? readMetrics(request.outDir / part) : std::vector<EpochMetrics>{});
    }
    TrainCallbacks c;
    c.progress = [&events, part](double fraction, const std::string& text) {
      if (events.progress) events.progress(part, fraction, text);
    };
    c.epochSummary = [&events, &roc, part](const EpochMetrics& m) {
      if (events.epochDone) events.epochDone(part, m, roc.curve(part, m.epoch));
    };
    c.stopRequested = stopRequested;
    return c;
  };
  // trainTwoPhase logs after each phase and goes on to the next: a stopped run must not.
  callbacks.log = [&](const std::string& line) {
    if (events.log) events.log(line);
    if (stopRequested()) throw StopAfterPhase{};
  };
  fs::create_directories(request.outDir);
  // The cancer models' input geometry of this run, for the bundles made from its checkpoints
  // (writeReadingBundle); the dashboard trains without downsampling.
  if (!fs::exists(request.outDir / "run.json")) {
    std::ofstream(request.outDir / "run.json") << nlohmann::json{{"input_scale", request.inputScale}, {"downsample", 1}}.dump(1)
                                               << '\n';
  }
  try {
    const TwoPhaseResult r = trainTwoPhase(list, split, options, callbacks);
    for (const TrainResult* phase : {&r.patch, &r.birads, &r.image, &r.imageHeatmaps}) {
      if (phase->interrupted) return TrainingOutcome::Stopped;
    }
  } catch (const StopAfterPhase&) {
    return TrainingOutcome::Stopped;
  }
  if (request.phase == TrainingPhase::All) {
    exportTrainingBundle(request.outDir, request.outDir / "bundle",
                         "Mammolens training dashboard run (" + request.outDir.filename().string() + ")",
                         request.provenance, trainedCancerInput(request.inputScale, 1));
    if (events.log) events.log("model bundle: " + (request.outDir / "bundle").string());
  }
  return TrainingOutcome::Finished;
}

std::vector<EpochMetrics> readMetrics(const std::filesystem::path& partDir) {
  const fs::path file = partDir / "metrics.json";
  std::vector<EpochMetrics> out;
  if (!fs::exists(file)) return out;
  const nlohmann::json j = nlohmann::json::parse(readTextFile(file));
  const double nan = std::nan("");
  for (const auto& e : j.at("epochs")) {
    EpochMetrics m;
    m.epoch = e.at("epoch").get<int>();
    m.trainLoss = numberOr(e, "train_loss", nan);
    m.validationLoss = numberOr(e, "val_loss", nan);
    if (const auto auc = e.find("auc"); auc != e.end()) {
      for (const auto& [name, value] : auc->items()) m.auc[name] = value.is_null() ? nan : value.get<double>();
    }
    m.valAucMalignant = numberOr(e, "val_auc_malignant", nan);
    m.accuracy = numberOr(e, "val_accuracy", -1);
    m.trainSeconds = numberOr(e, "train_seconds", 0);
    m.validationSeconds = numberOr(e, "val_seconds", 0);
    out.push_back(std::move(m));
  }
  return out;
}

}  // namespace mammo::ui
