#pragma once
// A model bundle: the weights of the whole NYU two-phase model in one folder, in the project's format —
// `bundle.json` (architecture, channels, input sizes, provenance, metrics) beside one safetensors file per
// network. Made from NYU's published `.p` files by importNyuModels(), or by training.
#include <filesystem>
#include <optional>
#include <string>

#include "inference/TensorMap.h"

namespace mammo::inference {

struct ModelBundle {
  std::filesystem::path directory;
  std::string name;          // e.g. "NYU sample models (imported)"
  std::string provenance;    // free text: where the weights came from
  TensorMap patch;           // DenseNet-121, torchvision names
  TensorMap imageOnly;       // view-wise SplitBreastModel, 1 channel
  TensorMap imageHeatmaps;   // view-wise SplitBreastModel, 3 channels
  std::optional<TensorMap> imageOnlyImageWise;      // ImageBreastModel, 1 channel
  std::optional<TensorMap> imageHeatmapsImageWise;  // ImageBreastModel, 3 channels
};

// The reference's five file names; the first three are required, the image-wise pair optional.
// Throws std::runtime_error naming the missing or unreadable file.
ModelBundle importNyuModels(const std::filesystem::path& nyuModelsDir);
// A single NYU `.p` file as named float tensors (num_batches_tracked and other integer buffers dropped).
TensorMap readNyuWeights(const std::filesystem::path& file);

void writeModelBundle(const ModelBundle& bundle, const std::filesystem::path& directory);
ModelBundle readModelBundle(const std::filesystem::path& directory);

}  // namespace mammo::inference
