#pragma once
// The NYU cancer classifiers behind a LibTorch-free interface: two ResNet-22 columns (one for CC, one for
// MLO, shared by both breasts) and either view-wise heads (SplitBreastModel) or image-wise heads
// (ImageBreastModel). Inputs are face-right images (R views mirrored), channel order image, benign,
// malignant. Not thread-safe: one instance per worker thread.
#include <array>
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "core/Types.h"
#include "inference/Device.h"
#include "inference/TensorMap.h"

namespace mammo::inference {

enum class CancerHeads { ViewWise, ImageWise };

struct ViewInput {
  const float* data = nullptr;  // channels x rows x columns, float32, contiguous
  int rows = 0;
  int columns = 0;
};

struct CancerOutput {
  // Log-softmax outputs, 4 rows x 2 (row r = labels 2r, 2r+1 -> index 2r + c). View-wise: heads[0] = CC,
  // heads[1] = MLO, rows left_benign, right_benign, left_malignant, right_malignant. Image-wise: heads per
  // view in L-CC, R-CC, L-MLO, R-MLO order, rows benign, malignant (2, 3 unused).
  std::vector<std::array<float, 8>> heads;
  std::array<std::vector<float>, 4> pooled;  // the 256 averaged features per view (for parity checks)
};

class CancerModel {
 public:
  // `weights` uses the reference's names (four_view_resnet.cc.*, fc1_cc.*, output_layer_cc.fc_layer.*, ...).
  CancerModel(const TensorMap& weights, CancerHeads heads, int channels, const std::string& source,
              const std::string& device = "cpu", Precision precision = Precision::Float32);
  ~CancerModel();
  CancerModel(const CancerModel&) = delete;
  CancerModel& operator=(const CancerModel&) = delete;

  int channels() const;
  CancerHeads heads() const;
  // One four-view sample, indexed by StandardView.
  CancerOutput forward(const std::array<ViewInput, 4>& views);
  // The single-image model of the reference (image-wise weights only): one column and that view's head.
  // Returns the head's first two rows (benign, malignant) as log-softmax pairs; the reference's
  // SingleImageBreastModel keeps only the first 4 of the 8 outputs, which gives the same pairs.
  std::array<float, 4> forwardSingle(core::StandardView view, const ViewInput& input);

 private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

// Positive-class probability from a log-softmax pair: exp(logp[1]).
inline float positiveProbability(const std::array<float, 8>& head, int row) { return std::exp(head[2 * row + 1]); }

}  // namespace mammo::inference
