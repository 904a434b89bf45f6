#include "training/PatchTrainer.h"

#include "inference/Networks.h"
#include "training/RocAuc.h"
#include "training/TrainingLoop.h"

namespace mammo::training {

namespace {

const char* kClassNames[] = {"malignant", "benign", "outside", "negative"};

// The reference feeds the single-channel patch as 3 identical channels.
torch::Tensor patchBatch(const std::vector<Patch>& patches) {
  torch::Tensor x = torch::empty({static_cast<long>(patches.size()), 1, kPatchSide, kPatchSide}, torch::kFloat32);
  for (std::size_t i = 0; i < patches.size(); ++i) {
    std::copy(patches[i].pixels.begin(), patches[i].pixels.end(), x[static_cast<long>(i)].data_ptr<float>());
  }
  return x.expand({-1, 3, -1, -1}).contiguous();
}

torch::Tensor logits(inference::nets::DenseNet121& model, const torch::Tensor& x) {
  return model->classifier(model->features(x).mean({2, 3}));
}

torch::Tensor labelTensor(const std::vector<Patch>& patches) {
  torch::Tensor y = torch::empty({static_cast<long>(patches.size())}, torch::kLong);
  auto* values = y.data_ptr<std::int64_t>();
  for (std::size_t i = 0; i < patches.size(); ++i) values[i] = static_cast<std::int64_t>(patches[i].label);
  return y;
}

}  // namespace

TrainResult trainPatchClassifier(PatchSampler& train, const PatchSampler& validation, const PatchTrainOptions& options,
                                 core::JobContext* job, const EpochObserver& onEpoch) {
  const TrainOptions& o = options.train;
  torch::manual_seed(o.seed);
  inference::nets::DenseNet121 model(kPatchClasses);
  torch::optim::Adam optimizer(model->parameters(), torch::optim::AdamOptions(o.learningRate));
  const std::vector<Patch> validationSet = validation.evaluationSet(options.validationPerClass, o.seed + 1);
  const int batch = std::max(1, o.batchSize);

  const int rank = rankOf(o), world = worldSizeOf(o);
  const int stepsPerEpoch = std::max(1, options.patchesPerEpoch / batch);

  struct PatchBatch {
    torch::Tensor inputs, labels;
    int globalSize = 0;
  };
  LoopHooks hooks;
  hooks.stepsPerEpoch = [&](int) { return stepsPerEpoch; };
  hooks.prepareBatch = [&](int epoch, int step) {
    // Every rank draws the same global batch (a function of the position in the run) and keeps its shard.
    const std::uint64_t index = (static_cast<std::uint64_t>(epoch) * stepsPerEpoch + step) * batch;
    const std::vector<Patch> all = train.sampleBatchAt(batch, index, stepSeed(o.seed, epoch, step));
    std::vector<Patch> shard;
    for (int i = rank; i < batch; i += world) shard.push_back(all[static_cast<std::size_t>(i)]);
    auto b = std::make_shared<PatchBatch>();
    b->globalSize = batch;
    if (!shard.empty()) {
      b->inputs = patchBatch(shard);
      b->labels = labelTensor(shard);
    }
    return LoopBatch{b, batch};
  };
  hooks.trainStep = [&](int, int, LoopBatch& data) {
    const auto& b = *std::any_cast<std::shared_ptr<PatchBatch>>(data.data);
    if (!b.inputs.defined()) return 0.0;
    torch::Tensor loss =
        torch::nn::functional::cross_entropy(logits(model, b.inputs), b.labels,
                                             torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kSum)) /
        b.globalSize;
    loss.backward();
    return loss.item<double>();
  };
  hooks.validate = [&](EpochMetrics& m) {
    torch::NoGradGuard noGrad;
    std::vector<std::array<double, kPatchClasses>> probabilities;
    double lossSum = 0;
    int correct = 0;
    for (std::size_t start = 0; start < validationSet.size(); start += 16) {
      const std::vector<Patch> chunk(
          validationSet.begin() + static_cast<long>(start),
          validationSet.begin() + static_cast<long>(std::min(start + 16, validationSet.size())));
      const torch::Tensor z = logits(model, patchBatch(chunk));
      const torch::Tensor y = labelTensor(chunk);
      lossSum += torch::nn::functional::cross_entropy(
                     z, y, torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kSum))
                     .item<double>();
      const torch::Tensor p = torch::softmax(z, 1);
      correct += (p.argmax(1) == y).sum().item<int>();
      for (long i = 0; i < p.size(0); ++i) {
        std::array<double, kPatchClasses> row{};
        for (int k = 0; k < kPatchClasses; ++k) row[k] = p[i][k].item<double>();
        probabilities.push_back(row);
      }
    }
    const double n = static_cast<double>(validationSet.size());
    m.validationLoss = lossSum / n;
    m.accuracy = correct / n;
    for (int k = 0; k < kPatchClasses; ++k) {
      std::vector<double> scores;
      std::vector<int> labels;
      for (std::size_t i = 0; i < validationSet.size(); ++i) {
        scores.push_back(probabilities[i][k]);
        labels.push_back(static_cast<int>(validationSet[i].label) == k ? 1 : 0);
      }
      m.auc[kClassNames[k]] = rocAuc(scores, labels);
    }
    m.valAucMalignant = m.auc["malignant"];
  };
  CheckpointInfo info;
  info.architecture = "densenet121-patch";
  info.channels = 3;
  info.ccInputSize = info.mloInputSize = {kPatchSide, kPatchSide};
  info.provenance = o.provenance;
  info.datasetSummary = o.datasetSummary;
  return runTrainingLoop(*model, optimizer, o, info, hooks, job, onEpoch);
}

}  // namespace mammo::training
