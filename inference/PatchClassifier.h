#pragma once
// The NYU patch classifier (DenseNet-121, 4 classes: 0 malignant, 1 benign, 2/3 outside/negative) behind a
// LibTorch-free interface. Not thread-safe: use one instance per worker thread.
#include <array>
#include <memory>
#include <string>
#include <vector>

#include "inference/Device.h"
#include "inference/TensorMap.h"

namespace mammo::inference {

namespace nets {
struct DenseNet121Impl;
struct Placement;
}  // namespace nets

class PatchClassifier {
 public:
  static constexpr int kPatchSize = 256;

  // `weights` uses torchvision's DenseNet names; `source` names the weights in error messages.
  // device: "cpu" or "cuda"; precision: see Precision (fp32 = the reference's arithmetic). On CUDA the
  // network is warmed up here. Throws std::runtime_error naming a missing or misshapen tensor, and
  // std::invalid_argument for a precision the device cannot run.
  PatchClassifier(const TensorMap& weights, const std::string& source, const std::string& device = "cpu",
                  Precision precision = Precision::Float32);
  ~PatchClassifier();
  PatchClassifier(const PatchClassifier&) = delete;
  PatchClassifier& operator=(const PatchClassifier&) = delete;

  // `patches`: count x 256 x 256 float32, one channel each (the reference replicates it to 3 identical
  // channels, and so do we). Returns the softmax over the 4 classes per patch, float32.
  std::vector<std::array<float, 4>> classify(const float* patches, int count);

  // Channels-last (NHWC) weights and inputs, the default: faster on the CPU, outputs within about 1e-6 of
  // NCHW's (another summation order).
  // Switchable only to measure that (mammolens-bench --exact-ablation).
  void setChannelsLast(bool channelsLast);

  // Fast mode (approximations, labelled as such wherever they are shown; fidelity in docs/performance.md).
  // On the CPU with a float32 network both run a bfloat16 copy of the network's body (made on first use,
  // its batch norms folded into or rescaled around the convolutions so that bfloat16 rounds normalised
  // values), then norm5, pooling, classifier and softmax in float32; elsewhere they use the network as is.
  //
  // classifyApproximate: as classify.
  std::vector<std::array<float, 4>> classifyApproximate(const float* patches, int count);

  // classifyFullyConvolutional: the body runs once, fully convolutionally, over the whole standardised
  // face-right crop (rows x columns, float32); each patch's probabilities come from the shared feature map
  // (cell size 32 pixels) averaged over the patch's window (a bilinear read of the 8 x 8 cell box average
  // at (y0 / 32, x0 / 32)), then the classifier and softmax. Origins are the patches' (y0, x0). Sees the
  // neighbouring tissue instead of each patch's zero padding, so it differs from classify by up to ~0.6.
  std::vector<std::array<float, 4>> classifyFullyConvolutional(const float* image, int rows, int columns,
                                                               const std::vector<std::array<int, 2>>& origins);

 private:
  std::vector<std::array<float, 4>> classifyWith(nets::DenseNet121Impl& net, const nets::Placement& where,
                                                 const float* patches, int count);
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

}  // namespace mammo::inference
