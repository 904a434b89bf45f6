#include "training/CancerTrainer.h"

#include <algorithm>
#include <cmath>
#include <random>

#include "core/Raster.h"
#include "inference/Heatmaps.h"
#include "inference/NumpyRandom.h"
#include "inference/WindowSampler.h"
#include "training/Dataset.h"
#include "training/RocAuc.h"
#include "training/TrainingLoop.h"
#include "training/ViewNets.h"

namespace mammo::training {

namespace {

const char* kLabels[] = {"left_benign", "right_benign", "left_malignant", "right_malignant"};

// Summed NLL of the 4 binary log-softmax pairs of both heads, summed over the batch.
torch::Tensor cancerLossSum(const std::array<torch::Tensor, 2>& heads, const torch::Tensor& targets) {
  // h: N x 4 x 2; gather the log-probability of each target class.
  auto nll = [&](const torch::Tensor& h) { return -h.gather(2, targets.unsqueeze(2)).squeeze(2).sum(); };
  return nll(heads[0]) + nll(heads[1]);
}

torch::Tensor targetTensor(const CancerDataset& data, const std::vector<int>& exams) {
  torch::Tensor t = torch::zeros({static_cast<long>(exams.size()), 4}, torch::kLong);
  auto* values = t.data_ptr<std::int64_t>();
  for (std::size_t i = 0; i < exams.size(); ++i) {
    for (int r = 0; r < 4; ++r) values[i * 4 + static_cast<std::size_t>(r)] = data.targets[exams[i]][r] > 0 ? 1 : 0;
  }
  return t;
}

std::vector<std::array<double, 4>> predict(SplitBreastNet& model, const CancerDataset& data, int channels, double scale,
                                           double* loss) {
  torch::NoGradGuard noGrad;
  std::vector<std::array<double, 4>> out;
  double lossSum = 0;
  for (int e = 0; e < static_cast<int>(data.views.size()); ++e) {
    // Without augmentation the window does not depend on the generator's draws.
    const auto heads = model->forward(examInputs(data, {e}, {0}, channels, scale, false, 0.0));
    lossSum += cancerLossSum(heads, targetTensor(data, {e})).item<double>();
    const torch::Tensor p = (heads[0].exp() + heads[1].exp()) / 2;  // 1 x 4 x 2
    std::array<double, 4> probabilities{};
    for (int r = 0; r < 4; ++r) probabilities[r] = p[0][r][1].item<double>();
    out.push_back(probabilities);
  }
  if (loss) *loss = data.views.empty() ? std::nan("") : lossSum / static_cast<double>(data.views.size());
  return out;
}

struct CancerBatch {
  std::array<torch::Tensor, 4> inputs;
  torch::Tensor targets;
  int globalSize = 0;
};

// Box average by an integer factor; lesion bits are OR-ed, the standardisation recomputed.
void downsampleView(PreparedView& v, int f) {
  const int rows = v.rows / f, columns = v.columns / f;
  std::vector<std::uint16_t> out = core::boxAverage(std::span<const std::uint16_t>(v.pixels), v.rows, v.columns, f);
  std::vector<std::uint8_t> lesions;
  if (!v.lesions.empty()) lesions = core::boxOr(std::span<const std::uint8_t>(v.lesions), v.rows, v.columns, f);
  for (core::FloatRaster* map : {&v.benignHeatmap, &v.malignantHeatmap}) {
    if (!map->empty()) *map = core::FloatRaster(rows, columns, core::boxAverage(map->values(), v.rows, v.columns, f));
  }
  v.pixels = std::move(out);
  v.lesions = std::move(lesions);
  v.rows = rows;
  v.columns = columns;
  v.bestCenter = {v.bestCenter[0] / f, v.bestCenter[1] / f};
  if (!v.standardised.empty()) {
    const std::vector<double> s = inference::standardiseForPatches(v.pixels.data(), v.pixels.size());
    v.standardised.assign(s.begin(), s.end());
  }
}

PreparedView loadView(const core::ExamEntry& exam, core::StandardView view, double inputScale, int downsample) {
  PreparedView v = prepareView(exam, view, scaledInputSize(core::viewPositionOf(view), inputScale * downsample));
  if (downsample > 1) downsampleView(v, downsample);
  return v;
}

}  // namespace

std::array<int, 2> scaledInputSize(core::ViewPosition view, double inputScale) {
  const auto full = inference::modelInputSize(view);
  return {static_cast<int>(std::lround(full[0] * inputScale)), static_cast<int>(std::lround(full[1] * inputScale))};
}

CancerDataset loadCancerDataset(const core::ExamList& list, const std::vector<int>& indices, double inputScale,
                                int downsample) {
  if (downsample < 1) throw std::invalid_argument("downsample must be >= 1");
  CancerDataset data;
  for (int i : indices) {
    const core::ExamEntry& exam = list.exams.at(static_cast<std::size_t>(i));
    std::array<PreparedView, 4> views;
    for (int v = 0; v < 4; ++v) {
      views[v] = loadView(exam, static_cast<core::StandardView>(v), inputScale, downsample);
      views[v].standardised = {};  // the cancer model standardises its own windows
      views[v].lesions = {};
    }
    data.views.push_back(std::move(views));
    data.targets.push_back(examTargets(exam));
    data.birads.push_back(exam.birads.value_or(-1));
  }
  return data;
}

void downsampleDataset(CancerDataset& data, int factor) {
  if (factor < 1) throw std::invalid_argument("downsample must be >= 1");
  if (factor == 1) return;
  for (auto& exam : data.views) {
    for (PreparedView& v : exam) downsampleView(v, factor);
  }
}

std::vector<PreparedView> loadPatchViews(const core::ExamList& list, const std::vector<int>& indices, double inputScale,
                                         int downsample) {
  if (downsample < 1) throw std::invalid_argument("downsample must be >= 1");
  std::vector<PreparedView> out;
  for (int i : indices) {
    for (int v = 0; v < 4; ++v) {
      out.push_back(loadView(list.exams.at(static_cast<std::size_t>(i)), static_cast<core::StandardView>(v), inputScale,
                             downsample));
    }
  }
  return out;
}

std::map<std::string, double> cancerAucs(const std::vector<std::array<double, 4>>& predictions,
                                         const std::vector<std::array<int, 4>>& targets) {
  std::map<std::string, double> out;
  std::array<std::vector<double>, 2> pooledScores;
  std::array<std::vector<int>, 2> pooledLabels;
  for (int r = 0; r < 4; ++r) {
    std::vector<double> scores;
    std::vector<int> labels;
    for (std::size_t e = 0; e < predictions.size(); ++e) {
      scores.push_back(predictions[e][r]);
      labels.push_back(targets[e][r] > 0 ? 1 : 0);
      pooledScores[r / 2].push_back(predictions[e][r]);
      pooledLabels[r / 2].push_back(labels.back());
    }
    out[kLabels[r]] = rocAuc(scores, labels);
  }
  out["benign"] = rocAuc(pooledScores[0], pooledLabels[0]);
  out["malignant"] = rocAuc(pooledScores[1], pooledLabels[1]);
  return out;
}

namespace {

SplitBreastNet initialModel(const CancerTrainOptions& options) {
  if (options.channels != 1 && options.channels != 3) throw std::invalid_argument("channels must be 1 or 3");
  torch::manual_seed(options.train.seed);
  SplitBreastNet model(options.channels);
  if (!options.initialColumns.empty()) transferColumns(*model, options.initialColumns);
  return model;
}

}  // namespace

inference::TensorMap initialCancerWeights(const CancerTrainOptions& options) {
  SplitBreastNet model = initialModel(options);
  return toTensorMap(*model);
}

TrainResult trainCancerModel(const CancerDataset& train, const CancerDataset& validation,
                             const CancerTrainOptions& options, core::JobContext* job, const EpochObserver& onEpoch) {
  if (train.views.empty()) throw std::invalid_argument("no training exams");
  const TrainOptions& o = options.train;
  SplitBreastNet model = initialModel(options);
  torch::optim::Adam optimizer(model->parameters(), torch::optim::AdamOptions(o.learningRate));
  const int exams = static_cast<int>(train.views.size());
  const int batch = std::max(1, std::min(o.batchSize, exams));
  const int rank = rankOf(o), world = worldSizeOf(o);

  LoopHooks hooks;
  hooks.stepsPerEpoch = [&](int) { return (exams + batch - 1) / batch; };
  hooks.prepareBatch = [&](int epoch, int step) {
    // The epoch's exam order and each exam's window draws and noise are functions of (seed, epoch, step,
    // position in the global batch); this rank takes its positions of the global batch.
    std::vector<int> all(exams);
    for (int i = 0; i < exams; ++i) all[i] = i;
    const BatchShard shard = batchShard(all, batch, o.seed, epoch, step, rank, world);
    const std::vector<int>& chosen = shard.items;
    const std::vector<std::uint64_t>& seeds = shard.seeds;
    auto b = std::make_shared<CancerBatch>();
    b->globalSize = shard.globalSize;
    if (!chosen.empty()) {
      b->inputs =
          examInputs(train, chosen, seeds, options.channels, options.inputScale, options.augment, options.inputNoise);
      b->targets = targetTensor(train, chosen);
    }
    return LoopBatch{b, shard.globalSize};
  };
  hooks.trainStep = [&](int, int, LoopBatch& batchData) {
    const auto& b = *std::any_cast<std::shared_ptr<CancerBatch>>(batchData.data);
    if (!b.targets.defined()) return 0.0;  // an empty shard (last, short batch): zero gradients
    torch::Tensor loss = cancerLossSum(model->forward(b.inputs), b.targets) / b.globalSize;
    loss.backward();
    return loss.item<double>();
  };
  hooks.validate = [&](EpochMetrics& m) {
    const auto predictions = predict(model, validation, options.channels, options.inputScale, &m.validationLoss);
    m.auc = cancerAucs(predictions, validation.targets);
    m.valAucMalignant = m.auc["malignant"];
  };
  CheckpointInfo info;
  info.architecture = options.channels == 1 ? "view-wise-resnet22-image" : "view-wise-resnet22-image-heatmaps";
  info.channels = options.channels;
  info.ccInputSize = scaledInputSize(core::ViewPosition::CC, options.inputScale);
  info.mloInputSize = scaledInputSize(core::ViewPosition::MLO, options.inputScale);
  info.provenance = o.provenance;
  info.datasetSummary = o.datasetSummary;
  return runTrainingLoop(*model, optimizer, o, info, hooks, job, onEpoch);
}

std::vector<std::array<double, 4>> predictCancer(const inference::TensorMap& weights, const CancerDataset& data,
                                                 int channels, double inputScale) {
  SplitBreastNet model(channels);
  {
    torch::NoGradGuard noGrad;
    inference::nets::loadWeights(*model, weights, "", "cancer model weights");
  }
  model->eval();
  return predict(model, data, channels, inputScale, nullptr);
}

}  // namespace mammo::training
