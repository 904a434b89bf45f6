#pragma once
// A model bundle from a training run (issue 6): the best checkpoints of the patch classifier and the two
// view-wise models -> inference::writeModelBundle, so `mammolens-cli infer` and the GUI use them.
#include <filesystem>
#include <string>

#include "inference/TensorMap.h"

namespace mammo::training {

// Run layout of `mammolens-cli train all --out RUN`: RUN/patch, RUN/image, RUN/imageheatmaps, each with
// best.safetensors. Writes the bundle to `bundleDir`. Throws std::runtime_error naming a missing file.
void exportTrainingBundle(const std::filesystem::path& runDir, const std::filesystem::path& bundleDir,
                          const std::string& name, const std::string& provenance);

}  // namespace mammo::training
