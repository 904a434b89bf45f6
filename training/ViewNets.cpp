#include "training/ViewNets.h"

#include <ATen/CPUGeneratorImpl.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <stdexcept>

#include "inference/NumpyRandom.h"
#include "inference/WindowSampler.h"
#include "training/TrainingLoop.h"

namespace mammo::training {

namespace nets = inference::nets;
using core::StandardView;

FourViewColumns::FourViewColumns(torch::nn::Module& owner, int channels) {
  auto holder = owner.register_module("four_view_resnet", std::make_shared<torch::nn::Module>());
  cc = holder->register_module("cc", nets::ResNet22(channels));
  mlo = holder->register_module("mlo", nets::ResNet22(channels));
}

std::array<torch::Tensor, 4> FourViewColumns::features(const std::array<torch::Tensor, 4>& views) {
  auto f = [&](StandardView v, nets::ResNet22& column) { return column->forward(views[static_cast<int>(v)]); };
  return {f(StandardView::LCC, cc), f(StandardView::RCC, cc), f(StandardView::LMLO, mlo), f(StandardView::RMLO, mlo)};
}

SplitBreastNetImpl::SplitBreastNetImpl(int channels) : columns(*this, channels) {
  fc1Cc = register_module("fc1_cc", torch::nn::Linear(512, 512));
  fc1Mlo = register_module("fc1_mlo", torch::nn::Linear(512, 512));
  outputCc = register_module("output_layer_cc", nets::OutputLayer(512, 4));
  outputMlo = register_module("output_layer_mlo", nets::OutputLayer(512, 4));
}

std::array<torch::Tensor, 2> SplitBreastNetImpl::forward(const std::array<torch::Tensor, 4>& views) {
  const auto f = columns.features(views);
  const torch::Tensor ccFeatures = torch::cat({f[0], f[1]}, 1);
  const torch::Tensor mloFeatures = torch::cat({f[2], f[3]}, 1);
  return {outputCc->forward(torch::relu(fc1Cc(ccFeatures))), outputMlo->forward(torch::relu(fc1Mlo(mloFeatures)))};
}

BiradsNetImpl::BiradsNetImpl() : columns(*this, 1) {
  fc1 = register_module("fc1", torch::nn::Linear(1024, 256));
  output = register_module("output_layer", torch::nn::Linear(256, 3));
}

torch::Tensor BiradsNetImpl::forward(const std::array<torch::Tensor, 4>& views) {
  const auto f = columns.features(views);
  return output(torch::relu(fc1(torch::cat({f[0], f[1], f[2], f[3]}, 1))));
}

void transferColumns(torch::nn::Module& model, const inference::TensorMap& pretrained) {
  torch::NoGradGuard noGrad;
  int copied = 0;
  auto copyInto = [&](const std::string& name, const torch::Tensor& target) {
    if (name.rfind("four_view_resnet.", 0) != 0) return;
    const auto it = pretrained.find(name);
    if (it == pretrained.end()) throw std::runtime_error("pretrained columns: no tensor " + name);
    const inference::NamedTensor& t = it->second;
    torch::Tensor source =
        torch::from_blob(const_cast<float*>(t.values.data()), t.shape, torch::kFloat32).to(target.dtype());
    if (source.sizes() == target.sizes()) {
      target.copy_(source);
    } else if (source.dim() == 4 && target.dim() == 4 && source.size(1) == 1 && target.size(1) > 1 &&
               source.size(0) == target.size(0) && source.sizes().slice(2) == target.sizes().slice(2)) {
      target.narrow(1, 0, 1).copy_(source);  // the image channel of the first convolution
    } else {
      throw std::runtime_error("pretrained columns: " + name + " does not fit the model's shape");
    }
    ++copied;
  };
  for (auto& p : model.named_parameters()) copyInto(p.key(), p.value());
  for (auto& b : model.named_buffers()) {
    if (b.key().size() < 19 || b.key().compare(b.key().size() - 19, 19, "num_batches_tracked") != 0) {
      copyInto(b.key(), b.value());
    }
  }
  if (copied == 0) throw std::runtime_error("pretrained columns: the model has no four_view_resnet tensors");
}

namespace {

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

}  // namespace

std::array<torch::Tensor, 4> examInputs(const CancerDataset& data, const std::vector<int>& exams,
                                        const std::vector<std::uint64_t>& seeds, int channels, double scale,
                                        bool augment, double noise) {
  if (seeds.size() != exams.size()) throw std::invalid_argument("examInputs: one seed per exam");
  std::array<std::vector<torch::Tensor>, 4> perView;
  for (std::size_t i = 0; i < exams.size(); ++i) {
    // The reference's order inside an exam: views L-CC, R-CC, L-MLO, R-MLO from one generator.
    inference::NumpyRandom rng(static_cast<std::uint32_t>(seeds[i]));
    at::Generator gaussian = at::detail::createCPUGenerator(seeds[i] ^ 0x6e6f697365ull);
    for (int v = 0; v < 4; ++v) {
      torch::Tensor x = viewInput(data.views[exams[i]][v], channels, scale, augment, rng);
      if (noise > 0) x = x + at::normal(0.0, noise, x.sizes(), gaussian, torch::kFloat32);
      perView[v].push_back(x);
    }
  }
  std::array<torch::Tensor, 4> out;
  for (int v = 0; v < 4; ++v) out[v] = torch::cat(perView[v], 0);
  return out;
}

std::vector<int> shardPositions(int batchSize, int rank, int worldSize) {
  std::vector<int> out;
  for (int i = rank; i < batchSize; i += worldSize) out.push_back(i);
  return out;
}

BatchShard batchShard(const std::vector<int>& items, int batchSize, std::uint64_t seed, int epoch, int step, int rank,
                      int worldSize) {
  const int count = static_cast<int>(items.size());
  std::vector<int> order = items;
  std::mt19937_64 shuffle(stepSeed(seed, epoch, -1));
  for (int i = count; i > 1; --i) std::swap(order[i - 1], order[shuffle() % static_cast<std::uint64_t>(i)]);
  BatchShard shard;
  const int first = step * batchSize;
  shard.globalSize = std::min(count, first + batchSize) - first;
  for (int position : shardPositions(shard.globalSize, rank, worldSize)) {
    shard.items.push_back(order[first + position]);
    shard.seeds.push_back(stepSeed(stepSeed(seed, epoch, step), 0, position));
  }
  return shard;
}

}  // namespace mammo::training
