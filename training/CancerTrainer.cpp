#include "training/CancerTrainer.h"

#include <ATen/CPUGeneratorImpl.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <sstream>

#include "inference/Networks.h"
#include "inference/NumpyRandom.h"
#include "inference/WindowSampler.h"
#include "training/Dataset.h"
#include "training/RocAuc.h"
#include "training/TrainingLoop.h"

namespace mammo::training {

namespace nets = inference::nets;

namespace {

const char* kLabels[] = {"left_benign", "right_benign", "left_malignant", "right_malignant"};

// The reference's SplitBreastModel with its state-dict names.
struct SplitBreastNetImpl : torch::nn::Module {
  explicit SplitBreastNetImpl(int channels) {
    auto columns = register_module("four_view_resnet", std::make_shared<torch::nn::Module>());
    cc = columns->register_module("cc", nets::ResNet22(channels));
    mlo = columns->register_module("mlo", nets::ResNet22(channels));
    fc1Cc = register_module("fc1_cc", torch::nn::Linear(512, 512));
    fc1Mlo = register_module("fc1_mlo", torch::nn::Linear(512, 512));
    outputCc = register_module("output_layer_cc", nets::OutputLayer(512, 4));
    outputMlo = register_module("output_layer_mlo", nets::OutputLayer(512, 4));
  }
  // views: N x C x H x W per StandardView; returns the CC and MLO heads' log-softmax pairs, N x 4 x 2 each.
  std::array<torch::Tensor, 2> forward(const std::array<torch::Tensor, 4>& views) {
    using core::StandardView;
    auto f = [&](StandardView v, nets::ResNet22& column) { return column->forward(views[static_cast<int>(v)]); };
    const torch::Tensor ccFeatures = torch::cat({f(StandardView::LCC, cc), f(StandardView::RCC, cc)}, 1);
    const torch::Tensor mloFeatures = torch::cat({f(StandardView::LMLO, mlo), f(StandardView::RMLO, mlo)}, 1);
    return {outputCc->forward(torch::relu(fc1Cc(ccFeatures))), outputMlo->forward(torch::relu(fc1Mlo(mloFeatures)))};
  }
  nets::ResNet22 cc{nullptr}, mlo{nullptr};
  torch::nn::Linear fc1Cc{nullptr}, fc1Mlo{nullptr};
  nets::OutputLayer outputCc{nullptr}, outputMlo{nullptr};
};
TORCH_MODULE(SplitBreastNet);

inference::WindowGeometry geometryOf(core::ViewPosition view, double scale) {
  return {scaledInputSize(view, scale), static_cast<int>(std::lround(100 * scale)),
          static_cast<int>(std::lround(100 * scale))};
}

// One view's model input: the stage-4 window (image channel standardised, heatmaps as they are).
torch::Tensor viewInput(const PreparedView& v, int channels, double scale, bool augment, inference::NumpyRandom& rng) {
  std::vector<float> image(v.pixels.begin(), v.pixels.end());
  inference::FaceRightInput input;
  input.rows = v.rows;
  input.columns = v.columns;
  input.channels.push_back(image.data());
  if (channels == 3) {
    if (v.benignHeatmap.size() != image.size() || v.malignantHeatmap.size() != image.size()) {
      throw std::invalid_argument("the image+heatmaps model needs both heatmaps of every view");
    }
    input.channels.push_back(v.benignHeatmap.data());
    input.channels.push_back(v.malignantHeatmap.data());
  }
  const core::ViewPosition position = core::viewPositionOf(v.view);
  inference::SampledWindow w =
      inference::sampleWindow(input, position, v.bestCenter, augment, rng, geometryOf(position, scale));
  return torch::from_blob(w.data.data(), {1, channels, w.rows, w.columns}, torch::kFloat32).clone();
}

std::array<torch::Tensor, 4> batchInputs(const CancerDataset& data, const std::vector<int>& exams, int channels,
                                         double scale, bool augment, inference::NumpyRandom& rng) {
  std::array<std::vector<torch::Tensor>, 4> perView;
  // The reference's order: per exam, views L-CC, R-CC, L-MLO, R-MLO from one generator.
  for (int e : exams) {
    for (int v = 0; v < 4; ++v) perView[v].push_back(viewInput(data.views[e][v], channels, scale, augment, rng));
  }
  std::array<torch::Tensor, 4> out;
  for (int v = 0; v < 4; ++v) out[v] = torch::cat(perView[v], 0);
  return out;
}

// Summed NLL of the 4 binary log-softmax pairs of both heads, averaged over the batch.
torch::Tensor cancerLoss(const std::array<torch::Tensor, 2>& heads, const torch::Tensor& targets) {
  // h: N x 4 x 2; gather the log-probability of each target class.
  auto nll = [&](const torch::Tensor& h) { return -h.gather(2, targets.unsqueeze(2)).squeeze(2).sum(1).mean(); };
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

std::vector<std::array<double, 4>> predict(SplitBreastNet& model, const CancerDataset& data, int channels,
                                           double scale, double* loss) {
  torch::NoGradGuard noGrad;
  std::vector<std::array<double, 4>> out;
  double lossSum = 0;
  inference::NumpyRandom rng(0);  // without augmentation the window does not depend on the draws
  for (int e = 0; e < static_cast<int>(data.views.size()); ++e) {
    const auto heads = model->forward(batchInputs(data, {e}, channels, scale, false, rng));
    lossSum += cancerLoss(heads, targetTensor(data, {e})).item<double>();
    const torch::Tensor p = (heads[0].exp() + heads[1].exp()) / 2;  // 1 x 4 x 2
    std::array<double, 4> probabilities{};
    for (int r = 0; r < 4; ++r) probabilities[r] = p[0][r][1].item<double>();
    out.push_back(probabilities);
  }
  if (loss) *loss = data.views.empty() ? std::nan("") : lossSum / static_cast<double>(data.views.size());
  return out;
}

}  // namespace

std::array<int, 2> scaledInputSize(core::ViewPosition view, double inputScale) {
  const auto full = inference::modelInputSize(view);
  return {static_cast<int>(std::lround(full[0] * inputScale)), static_cast<int>(std::lround(full[1] * inputScale))};
}

namespace {

void downsampleView(PreparedView& v, int f) {
  const int rows = v.rows / f, columns = v.columns / f;
  std::vector<std::uint16_t> out(static_cast<std::size_t>(rows) * columns);
  for (int r = 0; r < rows; ++r) {
    for (int c = 0; c < columns; ++c) {
      std::uint32_t sum = 0;
      for (int y = 0; y < f; ++y) {
        for (int x = 0; x < f; ++x) sum += v.pixels[static_cast<std::size_t>(r * f + y) * v.columns + c * f + x];
      }
      out[static_cast<std::size_t>(r) * columns + c] = static_cast<std::uint16_t>((sum + f * f / 2) / (f * f));
    }
  }
  v.pixels = std::move(out);
  v.rows = rows;
  v.columns = columns;
  v.bestCenter = {v.bestCenter[0] / f, v.bestCenter[1] / f};
}

}  // namespace

CancerDataset loadCancerDataset(const core::ExamList& list, const std::vector<int>& indices, double inputScale,
                                int downsample) {
  if (downsample < 1) throw std::invalid_argument("downsample must be >= 1");
  CancerDataset data;
  for (int i : indices) {
    const core::ExamEntry& exam = list.exams.at(static_cast<std::size_t>(i));
    std::array<PreparedView, 4> views;
    for (int v = 0; v < 4; ++v) {
      const auto view = static_cast<core::StandardView>(v);
      views[v] = prepareView(exam, view, scaledInputSize(core::viewPositionOf(view), inputScale * downsample));
      views[v].standardised = {};  // the cancer model standardises its own windows
      views[v].lesions = {};
      if (downsample > 1) downsampleView(views[v], downsample);
    }
    data.views.push_back(std::move(views));
    data.targets.push_back(examTargets(exam));
  }
  return data;
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

TrainResult trainCancerModel(const CancerDataset& train, const CancerDataset& validation,
                             const CancerTrainOptions& options, const TrainCallbacks& callbacks) {
  if (options.channels != 1 && options.channels != 3) throw std::invalid_argument("channels must be 1 or 3");
  if (train.views.empty()) throw std::invalid_argument("no training exams");
  const TrainOptions& o = options.train;
  torch::manual_seed(o.seed);
  SplitBreastNet model(options.channels);
  torch::optim::Adam optimizer(model->parameters(), torch::optim::AdamOptions(o.learningRate));
  at::Generator noise = at::detail::createCPUGenerator(o.seed ^ 0x6e6f697365ull);
  const int exams = static_cast<int>(train.views.size());
  const int batch = std::max(1, std::min(o.batchSize, exams));

  LoopHooks hooks;
  hooks.stepsPerEpoch = [&](int) { return (exams + batch - 1) / batch; };
  hooks.trainStep = [&](int epoch, int step) {
    // The epoch's exam order and this step's window noise are functions of (seed, epoch, step).
    std::vector<int> order(exams);
    for (int i = 0; i < exams; ++i) order[i] = i;
    std::mt19937_64 shuffle(stepSeed(o.seed, epoch, -1));
    for (int i = exams; i > 1; --i) std::swap(order[i - 1], order[shuffle() % static_cast<std::uint64_t>(i)]);
    std::vector<int> chosen(order.begin() + step * batch, order.begin() + std::min(exams, (step + 1) * batch));
    inference::NumpyRandom rng(static_cast<std::uint32_t>(stepSeed(o.seed, epoch, step)));
    std::array<torch::Tensor, 4> inputs = batchInputs(train, chosen, options.channels, options.inputScale,
                                                      options.augment, rng);
    for (auto& x : inputs) {
      x = x + at::normal(0.0, options.inputNoise, x.sizes(), noise, torch::kFloat32);
    }
    optimizer.zero_grad();
    torch::Tensor loss = cancerLoss(model->forward(inputs), targetTensor(train, chosen));
    loss.backward();
    optimizer.step();
    return loss.item<double>();
  };
  hooks.validate = [&](EpochMetrics& m) {
    const auto predictions = predict(model, validation, options.channels, options.inputScale, &m.validationLoss);
    m.auc = cancerAucs(predictions, validation.targets);
    m.valAucMalignant = m.auc["malignant"];
  };
  hooks.saveState = [&]() {
    // The generator state goes into the text state as the bytes of its state tensor.
    const torch::Tensor state = noise.get_state();
    std::ostringstream s;
    const auto* bytes = state.data_ptr<std::uint8_t>();
    for (long i = 0; i < state.numel(); ++i) s << static_cast<int>(bytes[i]) << ' ';
    return s.str();
  };
  hooks.restoreState = [&](const std::string& text) {
    std::istringstream s(text);
    std::vector<std::uint8_t> bytes;
    for (int b; s >> b;) bytes.push_back(static_cast<std::uint8_t>(b));
    torch::Tensor state = torch::empty({static_cast<long>(bytes.size())}, torch::kUInt8);
    std::copy(bytes.begin(), bytes.end(), state.data_ptr<std::uint8_t>());
    noise.set_state(state);
  };
  CheckpointInfo info;
  info.architecture = options.channels == 1 ? "view-wise-resnet22-image" : "view-wise-resnet22-image-heatmaps";
  info.channels = options.channels;
  info.ccInputSize = scaledInputSize(core::ViewPosition::CC, options.inputScale);
  info.mloInputSize = scaledInputSize(core::ViewPosition::MLO, options.inputScale);
  info.provenance = o.provenance;
  info.datasetSummary = o.datasetSummary;
  return runTrainingLoop(*model, optimizer, o, info, hooks, callbacks);
}

std::vector<std::array<double, 4>> predictCancer(const inference::TensorMap& weights, const CancerDataset& data,
                                                 int channels, double inputScale) {
  SplitBreastNet model(channels);
  {
    torch::NoGradGuard noGrad;
    nets::loadWeights(*model, weights, "", "cancer model weights");
  }
  model->eval();
  return predict(model, data, channels, inputScale, nullptr);
}

}  // namespace mammo::training
