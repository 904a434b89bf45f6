#pragma once
// Heatmaps of every view of a cancer dataset from a trained patch classifier (inference's stage 3 in its
// fast, fully convolutional mode), for training the image+heatmaps model. Not cached on disk yet.
#include <cstdint>

#include "inference/TensorMap.h"
#include "training/CancerTrainer.h"

namespace mammo::training {

void addHeatmaps(CancerDataset& data, const inference::TensorMap& patchWeights, std::uint64_t seed = 0);

}  // namespace mammo::training
