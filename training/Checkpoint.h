#pragma once
// Checkpoint files of a training run: weights as safetensors (reference names, so inference::readModelBundle
// and nets::loadWeights take them as they are) beside a JSON sidecar (architecture, input size, epoch,
// metrics, provenance), and the run's DIR/metrics.json. Writes are atomic (temporary file, then rename).
#include <array>
#include <filesystem>
#include <string>
#include <vector>

#include "inference/TensorMap.h"
#include "training/TrainOptions.h"

namespace mammo::training {

struct CheckpointInfo {
  std::string architecture;  // "densenet121-patch", "view-wise-resnet22"
  int channels = 1;
  std::array<int, 2> ccInputSize{}, mloInputSize{};  // (rows, columns); patch: 256 x 256
  int epoch = 0;
  std::string provenance;
  std::string datasetSummary;
};

// Writes STEM.safetensors and STEM.json.
void writeCheckpoint(const std::filesystem::path& stem, const inference::TensorMap& weights, const CheckpointInfo& info,
                     const EpochMetrics* metrics);
// The JSON of metrics.json: {"epochs": [{epoch, train_loss, val_loss, auc: {...}, val_auc_malignant, ...}]}.
std::string metricsJson(const std::vector<EpochMetrics>& epochs);
void writeTextFile(const std::filesystem::path& path, const std::string& text);
std::string readTextFile(const std::filesystem::path& path);

}  // namespace mammo::training
