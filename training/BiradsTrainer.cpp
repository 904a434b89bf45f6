#include "training/BiradsTrainer.h"

#include <algorithm>
#include <cmath>
#include <random>

#include "training/RocAuc.h"
#include "training/TrainingLoop.h"
#include "training/ViewNets.h"

namespace mammo::training {

namespace {

std::vector<int> usableExams(const CancerDataset& data) {
  std::vector<int> out;
  for (int e = 0; e < static_cast<int>(data.views.size()); ++e) {
    const int b = e < static_cast<int>(data.birads.size()) ? data.birads[e] : -1;
    if (b >= 0 && b <= 2) out.push_back(e);
  }
  return out;
}

torch::Tensor classTensor(const CancerDataset& data, const std::vector<int>& exams) {
  torch::Tensor t = torch::empty({static_cast<long>(exams.size())}, torch::kLong);
  for (std::size_t i = 0; i < exams.size(); ++i) t.data_ptr<std::int64_t>()[i] = data.birads[exams[i]];
  return t;
}

// Probabilities of `exams` and, when `loss` is given, their mean cross-entropy.
std::vector<std::array<double, 3>> predict(BiradsNet& model, const CancerDataset& data, const std::vector<int>& exams,
                                           double scale, double* loss) {
  torch::NoGradGuard noGrad;
  std::vector<std::array<double, 3>> out;
  double lossSum = 0;
  for (int e : exams) {
    const torch::Tensor z = model->forward(examInputs(data, {e}, {0}, 1, scale, false, 0.0));
    if (loss) {
      lossSum += torch::nn::functional::cross_entropy(z, classTensor(data, {e})).item<double>();
    }
    const torch::Tensor p = torch::softmax(z, 1);
    out.push_back({p[0][0].item<double>(), p[0][1].item<double>(), p[0][2].item<double>()});
  }
  if (loss) *loss = exams.empty() ? std::nan("") : lossSum / static_cast<double>(exams.size());
  return out;
}

struct BiradsBatch {
  std::array<torch::Tensor, 4> inputs;
  torch::Tensor classes;
  int globalSize = 0;
};

}  // namespace

TrainResult trainBiradsModel(const CancerDataset& train, const CancerDataset& validation,
                             const BiradsTrainOptions& options, core::JobContext* job, const EpochObserver& onEpoch) {
  const std::vector<int> usable = usableExams(train), validationExams = usableExams(validation);
  if (usable.empty()) throw std::invalid_argument("BI-RADS pretraining: no training exam has BI-RADS 0, 1 or 2");
  const TrainOptions& o = options.train;
  torch::manual_seed(o.seed);
  BiradsNet model;
  torch::optim::Adam optimizer(model->parameters(), torch::optim::AdamOptions(o.learningRate));
  const int exams = static_cast<int>(usable.size());
  const int batch = std::max(1, std::min(o.batchSize, exams));
  const int rank = rankOf(o), world = worldSizeOf(o);

  LoopHooks hooks;
  hooks.stepsPerEpoch = [&](int) { return (exams + batch - 1) / batch; };
  hooks.prepareBatch = [&](int epoch, int step) {
    const BatchShard shard = batchShard(usable, batch, o.seed, epoch, step, rank, world);
    const std::vector<int>& chosen = shard.items;
    const std::vector<std::uint64_t>& seeds = shard.seeds;
    auto b = std::make_shared<BiradsBatch>();
    b->globalSize = shard.globalSize;
    if (!chosen.empty()) {
      b->inputs = examInputs(train, chosen, seeds, 1, options.inputScale, options.augment, options.inputNoise);
      b->classes = classTensor(train, chosen);
    }
    return LoopBatch{b, shard.globalSize};
  };
  hooks.trainStep = [&](int, int, LoopBatch& data) {
    const auto& b = *std::any_cast<std::shared_ptr<BiradsBatch>>(data.data);
    if (!b.classes.defined()) return 0.0;
    torch::Tensor loss =
        torch::nn::functional::cross_entropy(model->forward(b.inputs), b.classes,
                                             torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kSum)) /
        b.globalSize;
    loss.backward();
    return loss.item<double>();
  };
  hooks.validate = [&](EpochMetrics& m) {
    const auto p = predict(model, validation, validationExams, options.inputScale, &m.validationLoss);
    int correct = 0;
    for (std::size_t i = 0; i < p.size(); ++i) {
      const int predicted = static_cast<int>(std::max_element(p[i].begin(), p[i].end()) - p[i].begin());
      correct += predicted == validation.birads[validationExams[i]] ? 1 : 0;
    }
    m.accuracy = p.empty() ? -1.0 : static_cast<double>(correct) / static_cast<double>(p.size());
    double sum = 0;
    int defined = 0;
    for (int k = 0; k < 3; ++k) {
      std::vector<double> scores;
      std::vector<int> labels;
      for (std::size_t i = 0; i < p.size(); ++i) {
        scores.push_back(p[i][k]);
        labels.push_back(validation.birads[validationExams[i]] == k ? 1 : 0);
      }
      const double auc = rocAuc(scores, labels);
      m.auc["birads_" + std::to_string(k)] = auc;
      if (std::isfinite(auc)) {
        sum += auc;
        ++defined;
      }
    }
    m.auc["birads_macro"] = defined ? sum / defined : std::nan("");
    m.valAucMalignant = m.auc["birads_macro"];
  };
  CheckpointInfo info;
  info.architecture = "birads-resnet22";
  info.channels = 1;
  info.ccInputSize = scaledInputSize(core::ViewPosition::CC, options.inputScale);
  info.mloInputSize = scaledInputSize(core::ViewPosition::MLO, options.inputScale);
  info.provenance = o.provenance;
  info.datasetSummary = o.datasetSummary;
  return runTrainingLoop(*model, optimizer, o, info, hooks, job, onEpoch);
}

std::vector<std::array<double, 3>> predictBirads(const inference::TensorMap& weights, const CancerDataset& data,
                                                 double inputScale) {
  BiradsNet model;
  {
    torch::NoGradGuard noGrad;
    inference::nets::loadWeights(*model, weights, "", "BI-RADS model weights");
  }
  model->eval();
  std::vector<int> all(data.views.size());
  for (std::size_t i = 0; i < all.size(); ++i) all[i] = static_cast<int>(i);
  return predict(model, data, all, inputScale, nullptr);
}

inference::TensorMap columnWeights(const inference::TensorMap& weights) {
  inference::TensorMap out;
  for (const auto& [name, t] : weights) {
    if (name.rfind("four_view_resnet.", 0) == 0) out[name] = t;
  }
  return out;
}

}  // namespace mammo::training
