#include "inference/Networks.h"

#include <cstdlib>
#include <sstream>

namespace mammo::inference::nets {
namespace F = torch::nn::functional;

namespace {

torch::nn::Conv2d conv(int in, int out, int kernel, int stride, int padding) {
  return torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, kernel).stride(stride).padding(padding).bias(false));
}

torch::nn::BatchNorm2d batchNorm(int features) {
  return torch::nn::BatchNorm2d(torch::nn::BatchNorm2dOptions(features).eps(1e-5));
}

std::string shapeText(c10::IntArrayRef shape) {
  std::ostringstream s;
  s << shape;
  return s.str();
}

std::string shapeText(const std::vector<std::int64_t>& shape) { return shapeText(c10::IntArrayRef(shape)); }

}  // namespace

Placement placement(const std::string& device, Precision precision) {
  if (device != "cpu" && device != "cuda") throw std::invalid_argument("unknown device '" + device + "' (cpu or cuda)");
  Placement where;
  where.device = torch::Device(device == "cuda" ? torch::kCUDA : torch::kCPU);
  if (!where.cuda() && (precision == Precision::Float16 || precision == Precision::TF32)) {
    throw std::invalid_argument(std::string("precision ") + toString(precision) + " needs a CUDA device");
  }
  where.dtype = precision == Precision::BFloat16  ? torch::kBFloat16
                : precision == Precision::Float16 ? torch::kFloat16
                                                  : torch::kFloat32;
  if (where.cuda()) {
    at::globalContext().setAllowTF32CuDNN(precision == Precision::TF32);
    at::globalContext().setAllowTF32CuBLAS(precision == Precision::TF32);
    // cuDNN autotuning (benchmark mode) times every algorithm for each new input shape: on an H200 it made
    // the first exam take 33 s instead of 2.4 s, for 4 % faster later exams (docs/performance.md). Off
    // unless MAMMO_CUDNN_BENCHMARK=1.
    const char* benchmark = std::getenv("MAMMO_CUDNN_BENCHMARK");
    at::globalContext().setBenchmarkCuDNN(benchmark != nullptr && std::string(benchmark) == "1");
  }
  return where;
}

torch::Tensor toPlacement(const torch::Tensor& cpuFloat, const Placement& where) {
  if (!where.cuda()) return where.dtype == torch::kFloat32 ? cpuFloat : cpuFloat.to(where.dtype);
  return cpuFloat.pin_memory().to(where.device, /*non_blocking=*/true).to(where.dtype);
}

void moveModule(torch::nn::Module& module, const Placement& where) { module.to(where.device, where.dtype); }

torch::Tensor tfSamePad(const torch::Tensor& x, int kernel, int stride) {
  auto pads = [&](int64_t length) {
    const int64_t total =
        length % stride == 0 ? std::max<int64_t>(kernel - stride, 0) : std::max<int64_t>(kernel - length % stride, 0);
    return std::pair<int64_t, int64_t>{total / 2, total - total / 2};
  };
  const auto [top, bottom] = pads(x.size(2));
  const auto [left, right] = pads(x.size(3));
  return F::pad(x, F::PadFuncOptions({left, right, top, bottom}));
}

DenseLayerImpl::DenseLayerImpl(int inputFeatures, int growthRate, int bottleneck) {
  norm1 = register_module("norm1", batchNorm(inputFeatures));
  conv1 = register_module("conv1", conv(inputFeatures, bottleneck * growthRate, 1, 1, 0));
  norm2 = register_module("norm2", batchNorm(bottleneck * growthRate));
  conv2 = register_module("conv2", conv(bottleneck * growthRate, growthRate, 3, 1, 1));
}

torch::Tensor DenseLayerImpl::forward(const torch::Tensor& x) {
  torch::Tensor y = conv1(torch::relu(norm1(x)));
  // TF-SAME for a 3x3 stride-1 convolution is (1, 1): the same as padding 1.
  y = conv2(torch::relu(norm2(y)));
  return torch::cat({x, y}, 1);
}

TransitionImpl::TransitionImpl(int inputFeatures, int outputFeatures) {
  norm = register_module("norm", batchNorm(inputFeatures));
  conv = register_module("conv", nets::conv(inputFeatures, outputFeatures, 1, 1, 0));
}

torch::Tensor TransitionImpl::forward(const torch::Tensor& x) {
  // The reference leaves the transition average pools untouched by its padding wrappers.
  return F::avg_pool2d(conv(torch::relu(norm(x))), F::AvgPool2dFuncOptions(2).stride(2));
}

DenseNet121Impl::DenseNet121Impl(int classes) {
  m_features = register_module("features", torch::nn::Sequential());
  m_conv0 = conv(3, 64, 7, 2, 0);
  m_norm0 = batchNorm(64);
  m_features->register_module("conv0", m_conv0);
  m_features->register_module("norm0", m_norm0);
  const int layers[] = {6, 12, 24, 16};
  int features = 64;
  for (int b = 0; b < 4; ++b) {
    torch::nn::Sequential block;
    for (int l = 0; l < layers[b]; ++l) {
      block->push_back("denselayer" + std::to_string(l + 1), DenseLayer(features + l * 32, 32, 4));
    }
    m_features->register_module("denseblock" + std::to_string(b + 1), block);
    m_blocks.push_back(block);
    features += layers[b] * 32;
    if (b < 3) {
      Transition t(features, features / 2);
      m_features->register_module("transition" + std::to_string(b + 1), t);
      m_transitions.push_back(t);
      features /= 2;
    }
  }
  m_norm5 = batchNorm(features);
  m_features->register_module("norm5", m_norm5);
  classifier = register_module("classifier", torch::nn::Linear(features, classes));
}

torch::Tensor DenseNet121Impl::features(const torch::Tensor& input) {
  torch::Tensor x = m_conv0(tfSamePad(input, 7, 2));
  x = torch::relu(m_norm0(x));
  // Zero padding before the max pool is harmless: its input is >= 0 after the ReLU.
  x = F::max_pool2d(tfSamePad(x, 3, 2), F::MaxPool2dFuncOptions(3).stride(2));
  for (size_t b = 0; b < m_blocks.size(); ++b) {
    x = m_blocks[b]->forward(x);
    if (b < m_transitions.size()) x = m_transitions[b]->forward(x);
  }
  return torch::relu(m_norm5(x));
}

torch::Tensor DenseNet121Impl::forward(const torch::Tensor& input) {
  torch::Tensor x = features(input).mean({2, 3});
  return torch::softmax(classifier(x), 1);
}

BasicBlockV2Impl::BasicBlockV2Impl(int inPlanes, int planes, int stride, bool withDownsample) {
  bn1 = register_module("bn1", batchNorm(inPlanes));
  conv1 = register_module("conv1", conv(inPlanes, planes, 3, stride, 1));
  bn2 = register_module("bn2", batchNorm(planes));
  conv2 = register_module("conv2", conv(planes, planes, 3, 1, 1));
  if (withDownsample) {
    downsample = register_module("downsample", torch::nn::Sequential(conv(inPlanes, planes, 1, stride, 0)));
  }
}

torch::Tensor BasicBlockV2Impl::forward(const torch::Tensor& x) {
  const torch::Tensor activated = torch::relu(bn1(x));
  const torch::Tensor shortcut = downsample ? downsample->forward(activated) : x;
  torch::Tensor y = conv1(activated);
  y = conv2(torch::relu(bn2(y)));
  return y + shortcut;
}

ResNet22Impl::ResNet22Impl(int inputChannels) {
  firstConv = register_module("first_conv", conv(inputChannels, 16, 7, 2, 0));
  layerList = register_module("layer_list", torch::nn::ModuleList());
  int inPlanes = 16;
  const int planes[] = {16, 32, 64, 128, 256};
  for (int i = 0; i < 5; ++i) {
    const int stride = i == 0 ? 1 : 2;
    torch::nn::Sequential layer;
    // Every layer's first block has a 1x1 shortcut convolution, even layer 0 (16 -> 16, stride 1).
    layer->push_back(BasicBlockV2(inPlanes, planes[i], stride, true));
    layer->push_back(BasicBlockV2(planes[i], planes[i], 1, false));
    layerList->push_back(layer);
    inPlanes = planes[i];
  }
  finalBn = register_module("final_bn", batchNorm(256));
}

torch::Tensor ResNet22Impl::forward(const torch::Tensor& input) {
  // Reference: no BN/ReLU between the first convolution and the first max pool; both unpadded.
  torch::Tensor x = F::max_pool2d(firstConv(input), F::MaxPool2dFuncOptions(3).stride(2));
  for (const auto& layer : *layerList) x = layer->as<torch::nn::Sequential>()->forward(x);
  return torch::relu(finalBn(x)).mean({2, 3});
}

OutputLayerImpl::OutputLayerImpl(int inFeatures, int outputsPerImage) : outputs(outputsPerImage) {
  fcLayer = register_module("fc_layer", torch::nn::Linear(inFeatures, outputs * 2));
}

torch::Tensor OutputLayerImpl::forward(const torch::Tensor& x) {
  return torch::log_softmax(fcLayer(x).view({x.size(0), outputs, 2}), -1);
}

void loadWeights(torch::nn::Module& module, const TensorMap& weights, const std::string& prefix,
                 const std::string& source) {
  torch::NoGradGuard noGrad;
  auto copy = [&](const std::string& name, torch::Tensor& target) {
    const std::string key = prefix + name;
    const auto it = weights.find(key);
    if (it == weights.end()) throw std::runtime_error(source + ": missing tensor " + key);
    if (c10::IntArrayRef(it->second.shape) != target.sizes()) {
      throw std::runtime_error(source + ": tensor " + key + " has shape " + shapeText(it->second.shape) +
                               ", the network expects " + shapeText(target.sizes()));
    }
    const torch::Tensor values =
        torch::from_blob(const_cast<float*>(it->second.values.data()), target.sizes(), torch::kFloat32);
    target.copy_(values);
  };
  for (auto& item : module.named_parameters(true)) copy(item.key(), item.value());
  for (auto& item : module.named_buffers(true)) {
    if (item.key().size() >= 19 && item.key().compare(item.key().size() - 19, 19, "num_batches_tracked") == 0) continue;
    copy(item.key(), item.value());
  }
}

}  // namespace mammo::inference::nets
