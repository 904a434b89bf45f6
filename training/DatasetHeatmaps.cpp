#include "training/DatasetHeatmaps.h"

#include "inference/Heatmaps.h"
#include "inference/PatchClassifier.h"
#include "inference/PythonRandom.h"

namespace mammo::training {

void addHeatmaps(CancerDataset& data, const inference::TensorMap& patchWeights, std::uint64_t seed) {
  inference::PatchClassifier classifier(patchWeights, "trained patch classifier");
  inference::PythonRandom rng(seed);
  for (auto& exam : data.views) {
    for (PreparedView& v : exam) {
      inference::ImageHeatmaps h = inference::computeHeatmaps(v.pixels.data(), v.rows, v.columns, classifier, rng, 16,
                                                              nullptr, 0.0, 1.0, inference::HeatmapMode::Fast);
      v.benignHeatmap = std::move(h.benign);
      v.malignantHeatmap = std::move(h.malignant);
    }
  }
}

}  // namespace mammo::training
