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

  // Fast mode (an approximation, labelled as such wherever it is shown): DenseNet-121 runs once, fully
  // convolutionally, over the whole standardised face-right crop (rows x columns, float32); each patch's
  // probabilities come from global-average pooling the 8 x 8 cells of the shared feature map nearest to
  // the patch (cell size 32 pixels), then the classifier and softmax. Origins are the patches' (y0, x0).
  std::vector<std::array<float, 4>> classifyFullyConvolutional(const float* image, int rows, int columns,
                                                                const std::vector<std::array<int, 2>>& origins);

 private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

}  // namespace mammo::inference
