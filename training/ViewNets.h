#pragma once
// PRIVATE to mammo_training (includes LibTorch): the ResNet-22 view networks of phase 2 — the BI-RADS
// pretraining model and the view-wise cancer model (the reference's SplitBreastModel) — sharing the
// reference's column names (four_view_resnet.cc.*, four_view_resnet.mlo.*), the stage-4 window inputs of a
// batch of exams, and the transfer of pretrained columns.
#include <torch/torch.h>

#include <array>
#include <cstdint>
#include <vector>

#include "inference/Networks.h"
#include "training/CancerTrainer.h"

namespace mammo::training {

// Both column-based models register their ResNet-22 columns under "four_view_resnet.cc" / ".mlo".
struct FourViewColumns {
  FourViewColumns(torch::nn::Module& owner, int channels);
  // 256-d features per view (StandardView order), N x 256 each.
  std::array<torch::Tensor, 4> features(const std::array<torch::Tensor, 4>& views);
  inference::nets::ResNet22 cc{nullptr}, mlo{nullptr};
};

// The reference's SplitBreastModel with its state-dict names.
struct SplitBreastNetImpl : torch::nn::Module {
  explicit SplitBreastNetImpl(int channels);
  // views: N x C x H x W per StandardView; returns the CC and MLO heads' log-softmax pairs, N x 4 x 2 each.
  std::array<torch::Tensor, 2> forward(const std::array<torch::Tensor, 4>& views);
  FourViewColumns columns;
  torch::nn::Linear fc1Cc{nullptr}, fc1Mlo{nullptr};
  inference::nets::OutputLayer outputCc{nullptr}, outputMlo{nullptr};
};
TORCH_MODULE(SplitBreastNet);

// BI-RADS 0/1/2 from the four views (after nyukat/BIRADS_classifier): the four 256-d column features
// concatenated -> fc1 (1024 -> 256) -> ReLU -> output_layer (256 -> 3 logits).
struct BiradsNetImpl : torch::nn::Module {
  BiradsNetImpl();
  torch::Tensor forward(const std::array<torch::Tensor, 4>& views);  // N x 3 logits
  FourViewColumns columns;
  torch::nn::Linear fc1{nullptr}, output{nullptr};
};
TORCH_MODULE(BiradsNet);

// Copies every "four_view_resnet.*" tensor of `pretrained` into `model`. A 1-channel first convolution
// goes into input channel 0 of a 3-channel one (the image channel; the heatmap channels keep their
// initialisation). Throws std::runtime_error when a column tensor is missing or its shape does not fit.
void transferColumns(torch::nn::Module& model, const inference::TensorMap& pretrained);

// Model inputs of a batch of exams: per view, N x channels x H x W stage-4 windows (image channel
// standardised), with augmentation and Gaussian input noise (std `noise`, 0 = none). Every exam draws
// from its own generators seeded by (seed, its position in the global batch), so that a rank's shard of a
// batch gets exactly the inputs the single-process run gives those exams. Thread-safe (reads `data` only).
std::array<torch::Tensor, 4> examInputs(const CancerDataset& data, const std::vector<int>& exams,
                                        const std::vector<std::uint64_t>& seeds, int channels, double scale,
                                        bool augment, double noise);

// Which of a global batch's positions rank `rank` of `worldSize` takes (position % worldSize == rank).
std::vector<int> shardPositions(int batchSize, int rank, int worldSize);

// Step `step` of epoch `epoch` over `items` in batches of `batchSize`: the epoch's order is a shuffle seeded
// by (seed, epoch); this rank takes its positions of the global batch, each with the generator seed of its
// position (seed, epoch, step, position), so that a shard gets exactly what one process gives those items.
struct BatchShard {
  int globalSize = 0;  // items in the whole (all ranks') batch
  std::vector<int> items;  // this rank's items
  std::vector<std::uint64_t> seeds;  // one per item
};
BatchShard batchShard(const std::vector<int>& items, int batchSize, std::uint64_t seed, int epoch, int step, int rank,
                      int worldSize);

}  // namespace mammo::training
