#include "workstation/TrainingRun.h"

#include <algorithm>
#include <array>
#include <optional>
#include <stdexcept>

#include "core/Job.h"
#include "core/Types.h"
#include "inference/PatchClassifier.h"
#include "inference/SafeTensors.h"
#include "training/BundleExport.h"
#include "training/CancerTrainer.h"
#include "training/Checkpoint.h"
#include "training/DatasetHeatmaps.h"
#include "training/PatchSampler.h"
#include "training/PatchTrainer.h"

namespace mammo::workstation {

namespace {

namespace fs = std::filesystem;
using namespace mammo::training;

// The pooled ROC, or nothing when a class is missing (the curve would be meaningless).
std::vector<RocPoint> rocOrEmpty(const std::vector<double>& scores, const std::vector<int>& labels) {
  const auto positives = std::count(labels.begin(), labels.end(), 1);
  if (positives == 0 || positives == static_cast<long>(labels.size())) return {};
  return rocCurve(scores, labels);
}

// The validation data of each model, rebuilt lazily as trainTwoPhase builds it (downsample as the run; heatmaps
// from the run's cache), to recompute each epoch's ROC from its checkpoint: predictions are deterministic (eval
// mode, no augmentation), so this is the ROC behind the epoch's AUC.
class RocSource {
 public:
  RocSource(const PreparedTraining& data, const TrainingRequest& r, const TwoPhaseOptions& t)
      : m_data(data), m_r(r), m_t(t), m_run(r.outDir) {}

  std::vector<RocPoint> curve(RunPart part, int epoch) {
    const fs::path weights = m_run.part(part).checkpointWeights(epoch);
    switch (part) {
      case RunPart::Patch:
        return patchCurve(weights);
      case RunPart::Image:
        return cancerCurve(weights, 1);
      case RunPart::ImageHeatmaps:
        return cancerCurve(weights, 3);
      case RunPart::Birads:
        return {};  // no malignancy score
    }
    return {};
  }

 private:
  std::vector<RocPoint> patchCurve(const fs::path& weights) {
    if (m_patches.empty()) {
      const PatchSampler validation(
          loadPatchViews(m_data.list, m_data.split.validation, m_r.inputScale * m_r.downsample, 1),
          {64, false, m_r.train.seed + 1});
      m_patches = validation.evaluationSet(m_t.validationPerClass, m_r.train.seed + 1);
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
    std::optional<CancerDataset>& data = m_validation[channels == 3 ? 1 : 0];
    if (!data) {
      // As trainTwoPhase prepares it: the crops at the images' resolution, heatmaps, then the downsampling.
      data = loadCancerDataset(m_data.list, m_data.split.validation, m_r.inputScale * m_r.downsample, 1);
      if (channels == 3) {
        const fs::path patch = m_t.patchWeights.empty() ? m_run.part(RunPart::Patch).bestWeights() : m_t.patchWeights;
        HeatmapCacheOptions h = m_t.heatmaps;
        h.cacheDir = m_t.heatmapCache.empty() ? m_run.heatmapCache() : m_t.heatmapCache;
        addHeatmaps(*data, inference::readSafeTensors(patch), h);
      }
      downsampleDataset(*data, m_r.downsample);
    }
    const auto p = predictCancer(inference::readSafeTensors(weights), *data, channels, m_r.inputScale);
    std::vector<double> scores;
    std::vector<int> labels;
    for (std::size_t e = 0; e < p.size(); ++e) {
      for (int label : {2, 3}) {  // left and right malignant, pooled as val_auc_malignant
        scores.push_back(p[e][label]);
        labels.push_back(data->targets[e][label] > 0 ? 1 : 0);
      }
    }
    return rocOrEmpty(scores, labels);
  }

  const PreparedTraining& m_data;
  const TrainingRequest& m_r;
  const TwoPhaseOptions& m_t;
  RunFolder m_run;
  std::vector<Patch> m_patches;
  std::array<std::optional<CancerDataset>, 2> m_validation;  // image-only, with heatmaps
};

}  // namespace

std::string_view toString(TrainingPhase phase) {
  switch (phase) {
    case TrainingPhase::Patch:
      return "patch";
    case TrainingPhase::Birads:
      return "birads";
    case TrainingPhase::Cancer:
      return "cancer";
    case TrainingPhase::All:
      return "all";
  }
  return "all";
}

std::optional<TrainingPhase> parseTrainingPhase(std::string_view text) {
  for (TrainingPhase p : {TrainingPhase::Patch, TrainingPhase::Birads, TrainingPhase::Cancer, TrainingPhase::All}) {
    if (toString(p) == text) return p;
  }
  return std::nullopt;
}

TwoPhaseOptions twoPhaseOptions(const TrainingRequest& r, const std::string& summary) {
  const RunFolder run(r.outDir);
  TwoPhaseOptions t;
  t.outDir = r.outDir;
  t.inputScale = r.inputScale;
  t.downsample = r.downsample;
  t.patch = r.phase == TrainingPhase::Patch || r.phase == TrainingPhase::All;
  t.birads = r.phase == TrainingPhase::Birads || r.phase == TrainingPhase::All;
  t.image = r.phase == TrainingPhase::Cancer || r.phase == TrainingPhase::All;
  // The run's own earlier models stand in for weights not given.
  const fs::path runPatch = run.part(RunPart::Patch).bestWeights();
  const fs::path runBirads = run.part(RunPart::Birads).bestWeights();
  if (!t.patch)
    t.patchWeights = !r.patchWeights.empty() ? r.patchWeights : fs::exists(runPatch) ? runPatch : fs::path();
  if (!t.birads && t.image) {
    t.biradsWeights = !r.biradsWeights.empty() ? r.biradsWeights : fs::exists(runBirads) ? runBirads : fs::path();
  }
  t.imageHeatmaps = r.phase == TrainingPhase::All || (r.phase == TrainingPhase::Cancer && !t.patchWeights.empty());
  t.patchTrain = r.train;
  t.patchTrain.datasetSummary = summary;
  t.biradsTrain = t.cancerTrain = t.patchTrain;
  t.patchesPerEpoch = r.patchesPerEpoch;
  t.validationPerClass = r.validationPatchesPerClass;
  t.heatmapCache = r.heatmapCache;
  t.heatmaps.seed = r.train.seed;
  return t;
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

PreparedTraining prepareTraining(const TrainingRequest& request) {
  PreparedTraining p;
  p.list = core::readExamList(request.examList);
  p.split = splitByPatient(p.list, {request.validationFraction, 0.0, request.train.seed});
  if (p.split.train.empty() || p.split.validation.empty()) {
    throw std::runtime_error(
        request.examList.string() + " has too few patients for a training and a validation split (" +
        std::to_string(p.split.train.size()) + " and " + std::to_string(p.split.validation.size()) +
        " exams): add exams or change the validation fraction");
  }
  p.summary = summariseSplit(p.list, p.split);
  const ClassStatistics& s = p.summary.train.statistics;
  const ClassStatistics& v = p.summary.validation.statistics;
  p.description = request.examList.string() + ": " + std::to_string(s.exams) + " training exams (" +
                  std::to_string(s.patients) + " patients), " + std::to_string(v.exams) + " validation exams (" +
                  std::to_string(v.patients) + " patients)";
  return p;
}

TrainingOutcome runTraining(const TrainingRequest& request, core::JobContext& job, const TrainingEvents& events) {
  return runTraining(request, prepareTraining(request), job, events);
}

TrainingOutcome runTraining(const TrainingRequest& request, const PreparedTraining& prepared, core::JobContext& job,
                            const TrainingEvents& events) {
  const TwoPhaseOptions options = twoPhaseOptions(request, prepared.description);
  const RunFolder run(request.outDir);
  RocSource roc(prepared, request, options);
  TwoPhaseEvents phaseEvents;
  phaseEvents.partStarted = [&](RunPart part) {
    if (!events.partStarted) return;
    events.partStarted(part,
                       request.train.resume ? readMetricsFile(run.part(part).metrics()) : std::vector<EpochMetrics>{});
  };
  phaseEvents.epochDone = [&](RunPart part, const EpochMetrics& m) {
    if (events.epochDone)
      events.epochDone(part, m, events.computeRoc ? roc.curve(part, m.epoch) : std::vector<RocPoint>{});
  };
  // The cancer models' input geometry of this run, for the bundles made from its checkpoints.
  if (!fs::exists(run.runInfoFile())) run.writeRunInfo({request.inputScale, request.downsample});
  const TwoPhaseResult result = trainTwoPhase(prepared.list, prepared.split, options, &job, phaseEvents);
  if (job.cancelled() || interrupted(result)) return TrainingOutcome::Stopped;
  if (request.phase == TrainingPhase::All && request.exportBundle) {
    const std::string name = request.bundleName.empty()
                                 ? "Mammolens training run (" + request.outDir.filename().string() + ")"
                                 : request.bundleName;
    exportTrainingBundle(request.outDir, run.bundle(), name, request.train.provenance,
                         trainedCancerInput(request.inputScale, request.downsample), request.bundleStorage);
    job.log("model bundle: " + run.bundle().string());
  }
  return TrainingOutcome::Finished;
}

}  // namespace mammo::workstation
