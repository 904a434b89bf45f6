#pragma once
// PRIVATE to mammo_inference (includes LibTorch): the NYU networks as LibTorch modules whose parameter
// names match the published state dicts (../shared/docs/NYU-PIPELINE.md §4.4, §6, §7).
#include <torch/torch.h>

#include <string>

#include "inference/Device.h"
#include "inference/TensorMap.h"

namespace mammo::inference::nets {

// Where and in what type a network runs (PatchClassifier, CancerModel).
struct Placement {
  torch::Device device{torch::kCPU};
  torch::ScalarType dtype = torch::kFloat32;
  bool cuda() const { return device.is_cuda(); }
};
// Validates the pair ("cpu"/"cuda", precision) and applies the process-wide CUDA math flags: TF32 products
// only for Precision::TF32 (PyTorch enables TF32 convolutions by default on Ampere and later, which would
// break float32 parity); cuDNN autotuning only with MAMMO_CUDNN_BENCHMARK=1. Throws std::invalid_argument for fp16/tf32 on CPU.
Placement placement(const std::string& device, Precision precision);
// A float32 CPU tensor moved to the placement: through pinned memory (asynchronous copy) on CUDA, then
// converted to the placement's type.
torch::Tensor toPlacement(const torch::Tensor& cpuFloat, const Placement& where);
// The network's floating-point parameters and buffers in the placement's device and type.
void moveModule(torch::nn::Module& module, const Placement& where);

// Zero padding the way TensorFlow's "SAME" does it, per axis (reference: wrappers inserted after weight
// loading around every Conv2d and MaxPool2d): total = max(k - s, 0) if L % s == 0 else max(k - L % s, 0),
// before = total / 2, after = total - before.
torch::Tensor tfSamePad(const torch::Tensor& x, int kernel, int stride);

struct DenseLayerImpl : torch::nn::Module {
  DenseLayerImpl(int inputFeatures, int growthRate, int bottleneck);
  torch::Tensor forward(const torch::Tensor& x);
  torch::nn::BatchNorm2d norm1{nullptr}, norm2{nullptr};
  torch::nn::Conv2d conv1{nullptr}, conv2{nullptr};
};
TORCH_MODULE(DenseLayer);

struct TransitionImpl : torch::nn::Module {
  TransitionImpl(int inputFeatures, int outputFeatures);
  torch::Tensor forward(const torch::Tensor& x);
  torch::nn::BatchNorm2d norm{nullptr};
  torch::nn::Conv2d conv{nullptr};
};
TORCH_MODULE(Transition);

// torchvision densenet121(num_classes = 4): growth 32, blocks (6, 12, 24, 16), 64 initial features.
struct DenseNet121Impl : torch::nn::Module {
  explicit DenseNet121Impl(int classes = 4);
  // Input N x 3 x H x W (the reference feeds 3 identical channels); returns softmax probabilities N x 4.
  torch::Tensor forward(const torch::Tensor& x);
  // The feature map after norm5 + ReLU (N x 1024 x H/32 x W/32), for the fast heatmap mode.
  torch::Tensor features(const torch::Tensor& x);
  torch::nn::Linear classifier{nullptr};

 private:
  torch::nn::Sequential m_features{nullptr};
  torch::nn::Conv2d m_conv0{nullptr};
  torch::nn::BatchNorm2d m_norm0{nullptr}, m_norm5{nullptr};
  std::vector<torch::nn::Sequential> m_blocks;
  std::vector<Transition> m_transitions;
};
TORCH_MODULE(DenseNet121);

// Pre-activation basic block (BasicBlockV2): the shortcut is taken from the pre-activated tensor.
struct BasicBlockV2Impl : torch::nn::Module {
  BasicBlockV2Impl(int inPlanes, int planes, int stride, bool downsample);
  torch::Tensor forward(const torch::Tensor& x);
  torch::nn::BatchNorm2d bn1{nullptr}, bn2{nullptr};
  torch::nn::Conv2d conv1{nullptr}, conv2{nullptr};
  torch::nn::Sequential downsample{nullptr};
};
TORCH_MODULE(BasicBlockV2);

// The ResNet-22 column (ViewResNetV2): returns the 256-d globally averaged features per image.
struct ResNet22Impl : torch::nn::Module {
  explicit ResNet22Impl(int inputChannels);
  torch::Tensor forward(const torch::Tensor& x);
  torch::nn::Conv2d firstConv{nullptr};
  torch::nn::ModuleList layerList{nullptr};
  torch::nn::BatchNorm2d finalBn{nullptr};
};
TORCH_MODULE(ResNet22);

// Linear -> reshape (N, 4, 2) -> log-softmax over the last axis.
struct OutputLayerImpl : torch::nn::Module {
  OutputLayerImpl(int inFeatures, int outputs);
  torch::Tensor forward(const torch::Tensor& x);
  torch::nn::Linear fcLayer{nullptr};
  int outputs;
};
TORCH_MODULE(OutputLayer);

// Copies every parameter and buffer of `module` from `weights` (name -> tensor), where the file's name is
// prefix + the module's own name. Buffers named num_batches_tracked are skipped. Throws
// std::runtime_error naming the tensor when it is missing or its shape differs.
void loadWeights(torch::nn::Module& module, const TensorMap& weights, const std::string& prefix,
                 const std::string& source);

}  // namespace mammo::inference::nets
