#pragma once
// Checkpoint files of a training run: weights as safetensors (reference names, so inference::readModelBundle
// and nets::loadWeights take them as they are) beside a JSON sidecar (architecture, input size, epoch,
// metrics, provenance), and the run's DIR/metrics.json. Writes are atomic (temporary file, then rename).
#include <array>
#include <filesystem>
#include <optional>
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
// The one metrics schema, used by metrics.json and by each checkpoint sidecar's "metrics":
// {epoch, train_loss, val_loss, auc: {label: value}, val_auc_malignant, [val_accuracy], train_seconds,
//  val_seconds, timings: {loader_seconds, model_seconds, wait_seconds, samples, loader_threads, ...}}; an
// undefined number (NaN) is null. metrics.json is {"epochs": [...]}.
std::string metricsJson(const std::vector<EpochMetrics>& epochs);
// Parses metricsJson's output (NaN where null). Throws std::runtime_error naming `source` when it is not one.
std::vector<EpochMetrics> parseMetricsJson(const std::string& text, const std::string& source);
// DIR/metrics.json of one model's run, parsed; empty when the file does not exist.
std::vector<EpochMetrics> readMetricsFile(const std::filesystem::path& file);

// A checkpoint sidecar (STEM.json) as read back.
struct CheckpointSidecar {
  CheckpointInfo info;
  std::filesystem::path weights;  // beside the sidecar
  std::optional<EpochMetrics> metrics;  // absent in sidecars written without metrics
};
// nullopt when the file cannot be read or is not a sidecar (e.g. being written).
std::optional<CheckpointSidecar> readCheckpointSidecar(const std::filesystem::path& file);
void writeTextFile(const std::filesystem::path& path, const std::string& text);
std::string readTextFile(const std::filesystem::path& path);

}  // namespace mammo::training
