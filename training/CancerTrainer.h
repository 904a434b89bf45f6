#pragma once
// Phase 2 of issue 6: the view-wise cancer model (SplitBreastModel: ResNet-22 CC and MLO columns, fc1 and
// output layer per view pair), image-only (1 channel) or image+heatmaps (3 channels), trained on 4 binary
// targets (left/right x benign/malignant) with the summed NLL of the log-softmax pairs, Gaussian input
// noise (std 0.01, training only) and the reference's stage-4 window sampler with augmentation, at a
// model input size scaled by `inputScale` (1 = the reference's 2677 x 1942 / 2974 x 1748).
// Weight names are the reference's (four_view_resnet.cc.*, fc1_cc.*, output_layer_cc.fc_layer.*, ...), so
// checkpoints load into inference::CancerModel. Runs on the calling thread; not thread-safe.
#include <array>
#include <map>
#include <string>
#include <vector>

#include "core/ExamList.h"
#include "training/PreparedView.h"
#include "training/TrainOptions.h"

namespace mammo::core {
class JobContext;
}

namespace mammo::training {

struct CancerDataset {
  std::vector<std::array<PreparedView, 4>> views;  // per exam, indexed by StandardView
  std::vector<std::array<int, 4>> targets;  // left_benign, right_benign, left_malignant, right_malignant
  std::vector<int> birads;  // per exam, the list's BI-RADS (-1 when it has none)
};

// Model input size (rows, columns) of a view at `inputScale` (rounded to whole pixels).
std::array<int, 2> scaledInputSize(core::ViewPosition view, double inputScale);
// `downsample` > 1 box-averages each face-right crop by that integer factor (for images whose pixels are
// finer than `inputScale` needs, e.g. small phantoms at inputScale 0.125 with downsample 2).
CancerDataset loadCancerDataset(const core::ExamList& list, const std::vector<int>& indices, double inputScale,
                                int downsample = 1);
// Box-averages every view of `data` (pixels and heatmaps) by `factor`: loadCancerDataset(list, i, s, f) is
// loadCancerDataset(list, i, s * f, 1) followed by downsampleDataset(data, f), so heatmaps can be made at
// the finer resolution first.
void downsampleDataset(CancerDataset& data, int factor);
// The same views with their lesion masks and standardised pixels, for the patch classifier (phase 1) at
// the resolution the cancer model and its heatmaps use; four per exam in StandardView order.
std::vector<PreparedView> loadPatchViews(const core::ExamList& list, const std::vector<int>& indices, double inputScale,
                                         int downsample = 1);

struct CancerTrainOptions {
  TrainOptions train;
  int channels = 1;  // 1: image only; 3: image + benign + malignant heatmaps (PreparedView's maps)
  double inputScale = 0.25;
  bool augment = true;
  double inputNoise = 0.01;  // std of the Gaussian input noise in training
  // Pretrained ResNet-22 columns ("four_view_resnet.*", e.g. the BI-RADS model's weights) copied into the
  // model before training; empty: random initialisation. See transferColumns in ViewNets.h.
  inference::TensorMap initialColumns;
};

// The model's weights before the first step (the seeded initialisation with initialColumns transferred):
// what trainCancerModel starts from.
inference::TensorMap initialCancerWeights(const CancerTrainOptions& options);

TrainResult trainCancerModel(const CancerDataset& train, const CancerDataset& validation,
                             const CancerTrainOptions& options, core::JobContext* job = nullptr,
                             const EpochObserver& onEpoch = {});

// Per-exam probabilities (NYU column order) of view-wise `weights` without augmentation, the CC and MLO
// heads averaged as the reference does.
std::vector<std::array<double, 4>> predictCancer(const inference::TensorMap& weights, const CancerDataset& data,
                                                 int channels, double inputScale);

// Per-label AUCs ("left_benign", ...), pooled "benign" and "malignant" AUCs over both breasts.
std::map<std::string, double> cancerAucs(const std::vector<std::array<double, 4>>& predictions,
                                         const std::vector<std::array<int, 4>>& targets);

}  // namespace mammo::training
