#pragma once
// A model bundle: the weights of the whole NYU two-phase model in one folder, in the project's format —
// `bundle.json` (architecture, channels, input sizes, provenance, metrics) beside one safetensors file per
// network. Made from NYU's published `.p` files by importNyuModels(), or by training.
#include <array>
#include <filesystem>
#include <optional>
#include <string>

#include "inference/SafeTensors.h"
#include "inference/TensorMap.h"

namespace mammo::inference {

// How the trainer fed its cancer models (bundle.json "cancer_input"), so that inference runs a trained
// bundle the way it was trained. The patch classifier and its heatmaps always work at the images' own
// resolution (the face-right crop), for NYU and trained bundles alike. NYU bundles have no such block
// and run at the reference's sizes (2677 x 1942 / 2974 x 1748, noise 100 px, optimalCenter()).
struct CancerInputGeometry {
  // Box-average the face-right crop (rounded, as uint16) and its heatmaps (float mean) by this factor,
  // trailing rows/columns dropped, the best centre divided by it (integer division): training's
  // downsampleDataset().
  int downsample = 1;
  double inputScale = 1;  // of the reference's input size (informational; the sizes below rule)
  std::array<int, 2> inputSizeCc{}, inputSizeMlo{};  // model input (rows, columns), after downsampling
  int locationNoise = 100, sizeNoise = 100;  // augmentation amplitudes, pixels after downsampling
  // Best centre at the crop's resolution, as training's prepareView() places it: middle row, the
  // window's right edge at the nipple (rightmostX), window width centreColumns{Cc,Mlo}, kept in the crop.
  int centreColumnsCc = 0, centreColumnsMlo = 0;
};

struct ModelBundle {
  std::filesystem::path directory;
  std::string name;  // e.g. "NYU sample models (imported)"
  std::string provenance;  // free text: where the weights came from
  TensorMap patch;  // DenseNet-121, torchvision names
  TensorMap imageOnly;  // view-wise SplitBreastModel, 1 channel
  TensorMap imageHeatmaps;  // view-wise SplitBreastModel, 3 channels
  std::optional<TensorMap> imageOnlyImageWise;  // ImageBreastModel, 1 channel
  std::optional<TensorMap> imageHeatmapsImageWise;  // ImageBreastModel, 3 channels
  std::optional<CancerInputGeometry> cancerInput;  // trained bundles; absent for the NYU weights
  SafeTensorsDtype storage = SafeTensorsDtype::F32;  // how writeModelBundle stores the tensors
};

// The reference's five file names; the first three are required, the image-wise pair optional.
// Throws std::runtime_error naming the missing or unreadable file.
ModelBundle importNyuModels(const std::filesystem::path& nyuModelsDir);
// A single NYU `.p` file as named float tensors (num_batches_tracked and other integer buffers dropped).
TensorMap readNyuWeights(const std::filesystem::path& file);

void writeModelBundle(const ModelBundle& bundle, const std::filesystem::path& directory);
ModelBundle readModelBundle(const std::filesystem::path& directory);
// bundle.json alone (name, provenance, geometry, storage), checked as readModelBundle does; no tensors.
ModelBundle readModelBundleInfo(const std::filesystem::path& directory);

}  // namespace mammo::inference
