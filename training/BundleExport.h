#pragma once
// A model bundle from a training run (issue 6): the best checkpoints of the patch classifier and the two
// view-wise models -> inference::writeModelBundle, so `mammolens-cli infer` and the GUI use them.
#include <filesystem>
#include <optional>
#include <string>

#include "inference/ModelBundle.h"
#include "inference/TensorMap.h"

namespace mammo::training {

// The stage-4 geometry the trainer used for `inputScale` and `downsample` (TwoPhaseOptions), recorded in
// the bundle so inference feeds the cancer models the same windows: sizes from scaledInputSize(), noise
// 100 px scaled, best centre as prepareView() places it at the crops' resolution.
inference::CancerInputGeometry trainedCancerInput(double inputScale, int downsample);

// A run folder (training/RunFolder.h) whose patch, image and imageheatmaps parts have their best weights. Writes the bundle to `bundleDir` with `geometry` (trainedCancerInput(); without it the
// bundle runs at the reference's sizes, right only for a run at input scale 1 without downsampling) and the
// tensors stored as `storage`.
// Throws std::runtime_error naming a missing file.
void exportTrainingBundle(const std::filesystem::path& runDir, const std::filesystem::path& bundleDir,
                          const std::string& name, const std::string& provenance,
                          const std::optional<inference::CancerInputGeometry>& geometry = std::nullopt,
                          inference::SafeTensorsDtype storage = inference::SafeTensorsDtype::F32);

}  // namespace mammo::training
