#include "training/BundleExport.h"

#include <stdexcept>

#include "inference/ModelBundle.h"
#include "inference/SafeTensors.h"

namespace mammo::training {

void exportTrainingBundle(const std::filesystem::path& runDir, const std::filesystem::path& bundleDir,
                          const std::string& name, const std::string& provenance) {
  auto best = [&](const char* part) {
    const std::filesystem::path file = runDir / part / "best.safetensors";
    if (!std::filesystem::exists(file)) {
      throw std::runtime_error(file.string() + " is missing: train that model first (mammolens-cli train all)");
    }
    return inference::readSafeTensors(file);
  };
  inference::ModelBundle bundle;
  bundle.name = name;
  bundle.provenance = provenance;
  bundle.patch = best("patch");
  bundle.imageOnly = best("image");
  bundle.imageHeatmaps = best("imageheatmaps");
  inference::writeModelBundle(bundle, bundleDir);
}

}  // namespace mammo::training
