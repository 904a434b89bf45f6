#include "training/BundleExport.h"

#include <cmath>
#include <stdexcept>

#include "inference/SafeTensors.h"
#include "training/CancerTrainer.h"
#include "training/RunFolder.h"

namespace mammo::training {

inference::CancerInputGeometry trainedCancerInput(double inputScale, int downsample) {
  if (downsample < 1 || inputScale <= 0) throw std::invalid_argument("input scale and downsample must be positive");
  inference::CancerInputGeometry g;
  g.downsample = downsample;
  g.inputScale = inputScale;
  g.inputSizeCc = scaledInputSize(core::ViewPosition::CC, inputScale);
  g.inputSizeMlo = scaledInputSize(core::ViewPosition::MLO, inputScale);
  // ViewNets geometryOf(): the reference's 100 px of location and size noise, scaled.
  g.locationNoise = g.sizeNoise = static_cast<int>(std::lround(100 * inputScale));
  // loadView(): prepareView() places the centre for the window at the crops' resolution.
  g.centreColumnsCc = scaledInputSize(core::ViewPosition::CC, inputScale * downsample)[1];
  g.centreColumnsMlo = scaledInputSize(core::ViewPosition::MLO, inputScale * downsample)[1];
  return g;
}

void exportTrainingBundle(const std::filesystem::path& runDir, const std::filesystem::path& bundleDir,
                          const std::string& name, const std::string& provenance,
                          const std::optional<inference::CancerInputGeometry>& geometry,
                          inference::SafeTensorsDtype storage) {
  const RunFolder run(runDir);
  auto best = [&](RunPart part) {
    const std::filesystem::path file = run.part(part).bestWeights();
    if (!std::filesystem::exists(file)) {
      throw std::runtime_error(file.string() + " is missing: train that model first (mammolens-cli train all)");
    }
    return inference::readSafeTensors(file);
  };
  inference::ModelBundle bundle;
  bundle.name = name;
  bundle.provenance = provenance;
  bundle.patch = best(RunPart::Patch);
  bundle.imageOnly = best(RunPart::Image);
  bundle.imageHeatmaps = best(RunPart::ImageHeatmaps);
  bundle.cancerInput = geometry;
  bundle.storage = storage;
  inference::writeModelBundle(bundle, bundleDir);
}

}  // namespace mammo::training
