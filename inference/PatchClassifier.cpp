#include "inference/PatchClassifier.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <tuple>

#include "inference/Networks.h"

namespace mammo::inference {

namespace F = torch::nn::functional;

struct PatchClassifier::Impl {
  nets::DenseNet121 net{4};
  nets::Placement where;
  bool channelsLast = true;  // the exact network's weights and inputs (setChannelsLast)
  // Fast mode's network (CPU, float32 models only): a bfloat16 copy of `net`, made on first use, with its
  // batch norms folded or rescaled so that bfloat16 rounds normalised values (see makeApproximate).
  nets::DenseNet121 approximate{nullptr};
  torch::Tensor headScale, headShift;  // the approximate body's block-4 storage units -> net's units

  bool usesBFloat16() const { return !where.cuda() && where.dtype == torch::kFloat32; }
  void makeApproximate();

  // Feature map after norm5 + ReLU, float32 on the CPU, N x 1024 x H/32 x W/32; `single`: N x 1 x H x W
  // float32 on the CPU. Fast mode: bfloat16 body, then norm5 in float32; otherwise the network itself.
  torch::Tensor approximateFeatures(const torch::Tensor& single) {
    if (!usesBFloat16()) {
      const torch::Tensor input = nets::toPlacement(single, where)
                                      .expand({single.size(0), 3, single.size(2), single.size(3)})
                                      .contiguous(torch::MemoryFormat::ChannelsLast);
      return net->features(input).to(torch::kFloat32).to(torch::kCPU);
    }
    const torch::Tensor input = single.to(torch::kBFloat16)
                                    .expand({single.size(0), 3, single.size(2), single.size(3)})
                                    .contiguous(torch::MemoryFormat::ChannelsLast);
    // The network's own layers, with norm0 and every norm2 folded into the convolution before them (see
    // makeApproximate) and the ReLUs in place.
    auto modules = approximate->named_modules();
    torch::Tensor x = modules["features.conv0"]->as<torch::nn::Conv2dImpl>()->forward(nets::tfSamePad(input, 7, 2));
    x.relu_();
    x = F::max_pool2d(nets::tfSamePad(x, 3, 2), F::MaxPool2dFuncOptions(3).stride(2));
    for (int b = 1; b <= 4; ++b) {
      for (const auto& child : modules["features.denseblock" + std::to_string(b)]->children()) {
        auto* layer = child->as<nets::DenseLayerImpl>();
        torch::Tensor y = layer->conv1->forward(layer->norm1->forward(x).relu_());
        y = layer->conv2->forward(y.relu_());
        x = torch::cat({x, y}, 1);
      }
      if (b < 4) {
        auto* transition = modules["features.transition" + std::to_string(b)]->as<nets::TransitionImpl>();
        x = F::avg_pool2d(transition->conv->forward(transition->norm->forward(x).relu_()),
                          F::AvgPool2dFuncOptions(2).stride(2));
      }
    }
    x = x.to(torch::kFloat32) * headScale.view({1, -1, 1, 1}) + headShift.view({1, -1, 1, 1});
    return torch::relu(net->named_modules()["features.norm5"]->as<torch::nn::BatchNorm2dImpl>()->forward(x));
  }
};

void PatchClassifier::Impl::makeApproximate() {
  nets::Placement bf16 = where;
  bf16.dtype = torch::kBFloat16;
  torch::NoGradGuard noGrad;
  approximate = nets::DenseNet121(4);
  auto target = approximate->named_parameters();
  for (const auto& item : net->named_parameters()) target[item.key()].copy_(item.value());
  auto targetBuffers = approximate->named_buffers();
  for (const auto& item : net->named_buffers()) targetBuffers[item.key()].copy_(item.value());
  std::vector<torch::nn::Conv2dImpl*> biased;  // convolutions given a bias below
  {
    // A batch norm straight after a convolution (norm0, every norm2) is folded into it (in float32, before
    // the cast): scaled weights and a bias, the norm skipped. bfloat16 then never subtracts a large running
    // mean from a rounded activation, and one pass over the activations goes.
    auto foldInto = [&](const std::string& convName, const std::string& normName) {
      torch::Tensor weight = target[convName + ".weight"];
      torch::Tensor gamma = target[normName + ".weight"], beta = target[normName + ".bias"];
      torch::Tensor mean = targetBuffers[normName + ".running_mean"], var = targetBuffers[normName + ".running_var"];
      const torch::Tensor scale = gamma / torch::sqrt(var + 1e-5);
      weight.mul_(scale.view({-1, 1, 1, 1}));
      auto* convModule = approximate->named_modules()[convName]->as<torch::nn::Conv2dImpl>();
      convModule->bias = beta - mean * scale;  // not a registered parameter: cast after moveModule
      biased.push_back(convModule);
    };
    foldInto("features.conv0", "features.norm0");
    const int layers[] = {6, 12, 24, 16};
    for (int b = 0; b < 4; ++b) {
      for (int l = 0; l < layers[b]; ++l) {
        const std::string prefix =
            "features.denseblock" + std::to_string(b + 1) + ".denselayer" + std::to_string(l + 1);
        foldInto(prefix + ".conv1", prefix + ".norm2");
      }
    }
  }
  headScale = torch::ones({1024});
  headShift = torch::zeros({1024});
  {
    // Every convolution whose output is concatenated into a dense block (the transitions' and the dense
    // layers' conv2) is rescaled so that it stores its channels in units of its first reader's batch norm,
    // (y - mean) / sqrt(var + eps); every reader's batch norm is adjusted to match. bfloat16 then rounds
    // normalised values instead of raw ones with large offsets.
    constexpr double kEps = 1e-5;
    const int64_t firstChannels[] = {64, 128, 256, 512};
    const int layers[] = {6, 12, 24, 16};
    for (int b = 0; b < 4; ++b) {
      const std::string block = "features.denseblock" + std::to_string(b + 1);
      auto readers = [&](int64_t channel) {
        std::vector<std::string> names;
        for (int l = 0; l < layers[b]; ++l) {
          if (firstChannels[b] + 32 * l > channel)
            names.push_back(block + ".denselayer" + std::to_string(l + 1) + ".norm1");
        }
        names.push_back(b < 3 ? "features.transition" + std::to_string(b + 1) + ".norm" : "features.norm5");
        return names;
      };
      std::vector<std::tuple<std::string, int64_t, int64_t>> producers;
      if (b > 0) producers.emplace_back("features.transition" + std::to_string(b) + ".conv", 0, firstChannels[b]);
      for (int l = 0; l < layers[b]; ++l) {
        producers.emplace_back(block + ".denselayer" + std::to_string(l + 1) + ".conv2", firstChannels[b] + 32 * l,
                               firstChannels[b] + 32 * (l + 1));
      }
      for (const auto& [convName, c0, c1] : producers) {
        using torch::indexing::Slice;
        const auto names = readers(c0);
        const torch::Tensor mu = targetBuffers[names[0] + ".running_mean"].index({Slice(c0, c1)}).clone();
        const torch::Tensor sigma = torch::sqrt(targetBuffers[names[0] + ".running_var"].index({Slice(c0, c1)}) + kEps);
        target[convName + ".weight"].div_(sigma.view({-1, 1, 1, 1}));
        auto* convModule = approximate->named_modules()[convName]->as<torch::nn::Conv2dImpl>();
        convModule->bias = -mu / sigma;  // not a registered parameter: cast below, after moveModule
        biased.push_back(convModule);
        for (const std::string& n : names) {
          if (n == "features.norm5") {
            headScale.index_put_({Slice(c0, c1)}, sigma);
            headShift.index_put_({Slice(c0, c1)}, mu);
            continue;
          }
          torch::Tensor mean = targetBuffers[n + ".running_mean"].index({Slice(c0, c1)});
          torch::Tensor var = targetBuffers[n + ".running_var"].index({Slice(c0, c1)});
          torch::Tensor gamma = target[n + ".weight"].index({Slice(c0, c1)});
          gamma.mul_(sigma / torch::sqrt(var + kEps));
          mean.sub_(mu).div_(sigma);
          var.fill_(1.0 - kEps);
        }
      }
    }
  }
  nets::moveModule(*approximate, bf16);
  for (auto* convModule : biased) convModule->bias = convModule->bias.to(bf16.dtype);
  for (auto& p : approximate->parameters()) {
    if (p.dim() == 4) p.set_data(p.contiguous(torch::MemoryFormat::ChannelsLast));
  }
  approximate->eval();
}

PatchClassifier::PatchClassifier(const TensorMap& weights, const std::string& source, const std::string& device,
                                 Precision precision)
    : m_impl(std::make_unique<Impl>()) {
  nets::loadWeights(*m_impl->net, weights, "", source);
  m_impl->where = nets::placement(device, precision);
  nets::moveModule(*m_impl->net, m_impl->where);
  // Channels-last (NHWC) convolutions: faster on this CPU, outputs within about 1e-6 of NCHW's
  // (mammolens-bench --exact-ablation). The ResNet-22 columns stay NCHW: NHWC changed their features by 1.5e-5.
  setChannelsLast(true);
  m_impl->net->eval();
  if (m_impl->where.cuda()) {
    // Warm-up: the first CUDA forward pays for context creation and cuDNN autotuning; pay it here, at
    // model load, rather than in the first exam.
    std::vector<float> zeros(static_cast<size_t>(kPatchSize) * kPatchSize, 0.0f);
    classify(zeros.data(), 1);
  }
}

PatchClassifier::~PatchClassifier() = default;

void PatchClassifier::setChannelsLast(bool channelsLast) {
  torch::NoGradGuard noGrad;
  const auto format = channelsLast ? torch::MemoryFormat::ChannelsLast : torch::MemoryFormat::Contiguous;
  for (auto& p : m_impl->net->parameters()) {
    if (p.dim() == 4) p.set_data(p.contiguous(format));
  }
  m_impl->channelsLast = channelsLast;
}

std::vector<std::array<float, 4>> PatchClassifier::classify(const float* patches, int count) {
  return classifyWith(*m_impl->net, m_impl->where, patches, count);
}

std::vector<std::array<float, 4>> PatchClassifier::classifyApproximate(const float* patches, int count) {
  if (!m_impl->usesBFloat16()) return classify(patches, count);
  if (!m_impl->approximate) m_impl->makeApproximate();  // outside inference mode: it makes parameters
  c10::InferenceMode inference;
  const torch::Tensor single =
      torch::from_blob(const_cast<float*>(patches), {count, 1, kPatchSize, kPatchSize}, torch::kFloat32);
  const torch::Tensor pooled = m_impl->approximateFeatures(single).mean({2, 3});
  const torch::Tensor probabilities = torch::softmax(m_impl->net->classifier(pooled), 1).contiguous();
  std::vector<std::array<float, 4>> out(count);
  const float* p = probabilities.data_ptr<float>();
  for (int i = 0; i < count; ++i) std::copy_n(p + 4 * i, 4, out[i].begin());
  return out;
}

std::vector<std::array<float, 4>> PatchClassifier::classifyWith(nets::DenseNet121Impl& net,
                                                                const nets::Placement& where, const float* patches,
                                                                int count) {
  c10::InferenceMode inference;  // thread-local: set here, inside the worker
  const torch::Tensor single =
      torch::from_blob(const_cast<float*>(patches), {count, 1, kPatchSize, kPatchSize}, torch::kFloat32);
  // One channel crosses to the device; the three identical channels are made there.
  const torch::Tensor input =
      nets::toPlacement(single, where)
          .expand({count, 3, kPatchSize, kPatchSize})
          .contiguous(m_impl->channelsLast ? torch::MemoryFormat::ChannelsLast : torch::MemoryFormat::Contiguous);
  const torch::Tensor probabilities = net.forward(input).to(torch::kFloat32).to(torch::kCPU).contiguous();
  std::vector<std::array<float, 4>> out(count);
  const float* p = probabilities.data_ptr<float>();
  for (int i = 0; i < count; ++i) std::copy_n(p + 4 * i, 4, out[i].begin());
  return out;
}

namespace {

// Number of 32-pixel feature cells DenseNet-121 gives for an input side of `length` pixels: TF-SAME conv0
// and pool0 (stride 2 each, rounding up), then three 2 x 2 average pools (rounding down).
int64_t featureCells(int64_t length) { return ((length + 1) / 2 + 1) / 2 / 8; }

}  // namespace

std::vector<std::array<float, 4>> PatchClassifier::classifyFullyConvolutional(
    const float* image, int rows, int columns, const std::vector<std::array<int, 2>>& origins) {
  if (m_impl->usesBFloat16() && !m_impl->approximate) m_impl->makeApproximate();
  c10::InferenceMode inference;
  const torch::Tensor single = torch::from_blob(const_cast<float*>(image), {1, 1, rows, columns}, torch::kFloat32);
  // Cells x cells x 1024, contiguous (a no-op for the channels-last output).
  const torch::Tensor map = m_impl->approximateFeatures(single)[0].permute({1, 2, 0}).contiguous();
  const int64_t hf = map.size(0), wf = map.size(1), depth = map.size(2);
  if (hf != featureCells(rows) || wf != featureCells(columns)) throw std::logic_error("unexpected feature map size");
  // Each patch's pooled features: the feature map averaged over the patch's pixel window, every cell taken
  // as constant over its 32 x 32 pixels, i.e. a bilinear read of the 8 x 8 cell box average at
  // (y0 / 32, x0 / 32). (Reading the nearest whole 8 x 8 cells, as before, misplaces a patch by up to 16
  // pixels.)
  constexpr int kCells = kPatchSize / 32;
  auto weights = [&](int origin, int64_t cells, int64_t& first, std::array<double, kCells + 1>& w) {
    const double f = std::clamp(origin / 32.0, 0.0, double(std::max<int64_t>(0, cells - kCells)));
    first = static_cast<int64_t>(std::floor(f));
    const double t = f - first;
    for (int i = 0; i <= kCells; ++i) w[i] = i == 0 ? 1.0 - t : i == kCells ? t : 1.0;
  };
  const int64_t n = static_cast<int64_t>(origins.size());
  torch::Tensor pooled = torch::empty({n, depth}, torch::kFloat32);
  const float* m = map.data_ptr<float>();
  std::vector<double> acc(depth);
  for (int64_t k = 0; k < n; ++k) {
    int64_t rFirst = 0, cFirst = 0;
    std::array<double, kCells + 1> wy{}, wx{};
    weights(origins[k][0], hf, rFirst, wy);
    weights(origins[k][1], wf, cFirst, wx);
    std::fill(acc.begin(), acc.end(), 0.0);
    double total = 0;
    for (int i = 0; i <= kCells && rFirst + i < hf; ++i) {
      for (int j = 0; j <= kCells && cFirst + j < wf; ++j) {
        const double w = wy[i] * wx[j];
        if (w == 0) continue;
        total += w;
        const float* cell = m + ((rFirst + i) * wf + cFirst + j) * depth;
        for (int64_t d = 0; d < depth; ++d) acc[d] += w * cell[d];
      }
    }
    float* out = pooled.data_ptr<float>() + k * depth;
    for (int64_t d = 0; d < depth; ++d) out[d] = static_cast<float>(acc[d] / total);
  }
  const torch::Tensor probabilities =
      torch::softmax(m_impl->net->classifier(nets::toPlacement(pooled, m_impl->where)), 1)
          .to(torch::kFloat32)
          .to(torch::kCPU)
          .contiguous();
  std::vector<std::array<float, 4>> out(origins.size());
  const float* p = probabilities.data_ptr<float>();
  for (size_t i = 0; i < out.size(); ++i) std::copy_n(p + 4 * i, 4, out[i].begin());
  return out;
}

}  // namespace mammo::inference
