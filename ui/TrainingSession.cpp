#include "ui/TrainingSession.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
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

// One training session: the list, its split and the request, shared by the phases.
class Session {
 public:
  Session(const TrainingRequest& request, const TrainingEvents& events) : m_r(request), m_e(events) {
    m_list = core::readExamList(request.examList);
    m_split = splitByPatient(m_list, {request.validationFraction, 0.0, request.seed});
    if (m_split.train.empty() || m_split.validation.empty()) {
      throw std::runtime_error(request.examList.string() + " has too few patients for a training and a validation split (" +
                               std::to_string(m_split.train.size()) + " and " +
                               std::to_string(m_split.validation.size()) +
                               " exams): add exams or change the validation fraction");
    }
    const ClassStatistics s = classStatistics(m_list, m_split.train);
    const ClassStatistics v = classStatistics(m_list, m_split.validation);
    m_summary = request.examList.string() + ": " + std::to_string(s.exams) + " training exams (" +
                std::to_string(s.patients) + " patients), " + std::to_string(v.exams) + " validation exams (" +
                std::to_string(v.patients) + " patients)";
    fs::create_directories(request.outDir);
  }

  bool stopRequested() const { return m_e.stopRequested && m_e.stopRequested(); }

  // Returns false when stopped.
  bool trainPatch() {
    const fs::path dir = m_r.outDir / "patch";
    auto views = [&](const std::vector<int>& indices) {
      std::vector<PreparedView> out;
      for (int i : indices) {
        for (int v = 0; v < 4; ++v) {
          const auto view = static_cast<core::StandardView>(v);
          out.push_back(prepareView(m_list.exams[static_cast<std::size_t>(i)], view,
                                    scaledInputSize(core::viewPositionOf(view), m_r.inputScale)));
        }
      }
      return out;
    };
    m_e.progress("patch", 0, "preparing patches");
    PatchSampler train(views(m_split.train), {64, true, m_r.seed});
    const PatchSampler validation(views(m_split.validation), {64, false, m_r.seed + 1});
    PatchTrainOptions options;
    options.train = baseOptions(dir);
    options.patchesPerEpoch = m_r.patchesPerEpoch;
    options.validationPerClass = m_r.validationPatchesPerClass;
    // The trainer's own validation patches (same count and seed), for the ROC of each epoch.
    const std::vector<Patch> evaluation = validation.evaluationSet(options.validationPerClass, m_r.seed + 1);
    const auto roc = [&](int epoch) {
      inference::PatchClassifier classifier(inference::readSafeTensors(checkpointWeights(dir, epoch)), "patch checkpoint");
      std::vector<float> pixels;
      pixels.reserve(evaluation.size() * kPatchSide * kPatchSide);
      for (const Patch& p : evaluation) pixels.insert(pixels.end(), p.pixels.begin(), p.pixels.end());
      const auto probabilities = classifier.classify(pixels.data(), static_cast<int>(evaluation.size()));
      std::vector<double> scores;
      std::vector<int> labels;
      for (std::size_t i = 0; i < evaluation.size(); ++i) {
        scores.push_back(probabilities[i][static_cast<int>(PatchClass::Malignant)]);
        labels.push_back(evaluation[i].label == PatchClass::Malignant ? 1 : 0);
      }
      return rocOrEmpty(scores, labels);
    };
    m_e.partStarted("patch", m_r.resume ? readMetrics(dir) : std::vector<EpochMetrics>{});
    return !trainPatchClassifier(train, validation, options, callbacks("patch", roc)).interrupted;
  }

  // The image-only model, then the image+heatmaps model when the run has a patch classifier.
  bool trainCancer() {
    m_e.progress("image", 0, "loading exams");
    CancerDataset train = loadCancerDataset(m_list, m_split.train, m_r.inputScale);
    CancerDataset validation = loadCancerDataset(m_list, m_split.validation, m_r.inputScale);
    if (!trainCancerPart("image", 1, train, validation)) return false;
    const fs::path patch = m_r.outDir / "patch" / "best.safetensors";
    if (!fs::exists(patch) || stopRequested()) return !stopRequested();
    m_e.progress("imageheatmaps", 0, "heatmaps of " + std::to_string(train.views.size() + validation.views.size()) +
                                         " exams");
    const inference::TensorMap patchWeights = inference::readSafeTensors(patch);
    // Default heatmap settings: `{}` reads the same against the current and the cached-heatmaps API.
    addHeatmaps(train, patchWeights, {});
    addHeatmaps(validation, patchWeights, {});
    return trainCancerPart("imageheatmaps", 3, train, validation);
  }

  void exportBundle() {
    exportTrainingBundle(m_r.outDir, m_r.outDir / "bundle", "Mammolens training dashboard run (" + m_r.outDir.filename().string() + ")",
                         m_r.provenance);
  }

 private:
  TrainOptions baseOptions(const fs::path& dir) const {
    TrainOptions t;
    t.outDir = dir;
    t.epochs = m_r.epochs;
    t.seed = m_r.seed;
    t.learningRate = m_r.learningRate;
    t.batchSize = m_r.batchSize;
    t.patience = m_r.patience;
    t.resume = m_r.resume;
    t.provenance = m_r.provenance;
    t.datasetSummary = m_summary;
    return t;
  }

  TrainCallbacks callbacks(const std::string& part, const std::function<std::vector<RocPoint>(int)>& roc) const {
    TrainCallbacks c;
    c.progress = [this, part](double fraction, const std::string& text) { m_e.progress(part, fraction, text); };
    c.epochSummary = [this, part, roc](const EpochMetrics& m) { m_e.epochDone(part, m, roc(m.epoch)); };
    c.stopRequested = m_e.stopRequested;
    return c;
  }

  bool trainCancerPart(const std::string& part, int channels, const CancerDataset& train,
                       const CancerDataset& validation) {
    const fs::path dir = m_r.outDir / part;
    CancerTrainOptions options;
    options.channels = channels;
    options.inputScale = m_r.inputScale;
    options.train = baseOptions(dir);
    const auto roc = [&](int epoch) {
      // The trainer's validation, repeated with the saved weights: predictions are deterministic (no
      // augmentation, eval mode), so this is the ROC behind the epoch's AUC.
      const auto p = predictCancer(inference::readSafeTensors(checkpointWeights(dir, epoch)), validation, channels,
                                   m_r.inputScale);
      std::vector<double> scores;
      std::vector<int> labels;
      for (std::size_t e = 0; e < p.size(); ++e) {
        for (int label : {2, 3}) {  // left and right malignant
          scores.push_back(p[e][label]);
          labels.push_back(validation.targets[e][label] > 0 ? 1 : 0);
        }
      }
      return rocOrEmpty(scores, labels);
    };
    m_e.partStarted(part, m_r.resume ? readMetrics(dir) : std::vector<EpochMetrics>{});
    return !trainCancerModel(train, validation, options, callbacks(part, roc)).interrupted;
  }

  const TrainingRequest& m_r;
  const TrainingEvents& m_e;
  core::ExamList m_list;
  DatasetSplit m_split;
  std::string m_summary;
};

double numberOr(const nlohmann::json& j, const char* key, double fallback) {
  const auto it = j.find(key);
  return it == j.end() || it->is_null() ? fallback : it->get<double>();
}

}  // namespace

std::string partTitle(const std::string& part) {
  if (part == "patch") return "Patch classifier";
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
  Session session(request, events);
  const bool patch = request.phase == TrainingPhase::Patch || request.phase == TrainingPhase::All;
  const bool cancer = request.phase == TrainingPhase::Cancer || request.phase == TrainingPhase::All;
  if (patch && !session.trainPatch()) return TrainingOutcome::Stopped;
  if (cancer && (session.stopRequested() || !session.trainCancer())) return TrainingOutcome::Stopped;
  if (request.phase == TrainingPhase::All) session.exportBundle();
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
