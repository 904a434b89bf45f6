#include "inference/SingleImage.h"

#include <cmath>
#include <stdexcept>

#include "core/Orientation.h"
#include "inference/CancerModel.h"
#include "inference/Cropping.h"
#include "inference/NumpyRandom.h"
#include "inference/NyuConstants.h"
#include "inference/OptimalCenter.h"
#include "inference/PythonRandom.h"
#include "inference/WindowSampler.h"

namespace mammo::inference {

SingleImageAnalysis analyseSingleImage(const std::uint16_t* pixels, int rows, int columns, core::StandardView view,
                                       PatchClassifier& classifier, int patchBatch, core::JobContext* context) {
  SingleImageAnalysis a;
  a.view = view;
  const core::Laterality side = core::lateralityOf(view);
  const CropResult crop = cropMammogram(pixels, rows, columns, side, false);
  a.crop = crop.metadata;
  a.rows = crop.rows;
  a.columns = crop.columns;
  a.storedCrop = crop.pixels;
  a.faceRightFlip = needsFaceRightFlip(side, false);
  a.crop.bestCenter =
      optimalCenter(crop.pixels.data(), crop.rows, crop.columns, a.faceRightFlip, core::viewPositionOf(view), a.crop);
  PythonRandom rng(0);
  a.heatmaps = computeHeatmaps(crop.pixels.data(), crop.rows, crop.columns, classifier, rng, patchBatch, context);
  return a;
}

SingleImagePrediction predictSingleImage(const SingleImageAnalysis& a, CancerModel& model, int samples, bool augment,
                                         std::uint32_t seed) {
  // Stage 4 mirrors the image and the stored-frame heatmaps together, as for the exam pipeline.
  std::vector<float> image(a.storedCrop.begin(), a.storedCrop.end());
  std::vector<float> benign = a.heatmaps.benign, malignant = a.heatmaps.malignant;
  if (a.faceRightFlip) {
    core::mirrorColumns(image, a.rows, a.columns);
    core::mirrorColumns(benign, a.rows, a.columns);
    core::mirrorColumns(malignant, a.rows, a.columns);
  }
  FaceRightInput input{a.rows, a.columns, {image.data()}};
  if (model.channels() == 3) {
    input.channels.push_back(benign.data());
    input.channels.push_back(malignant.data());
  }
  NumpyRandom rng(seed);
  float sumBenign = 0, sumMalignant = 0;
  for (int s = 0; s < samples; ++s) {
    const SampledWindow w = sampleWindow(input, core::viewPositionOf(a.view), *a.crop.bestCenter, augment, rng);
    const auto head = model.forwardSingle(a.view, ViewInput{w.data.data(), w.rows, w.columns});
    sumBenign += std::exp(head[1]);
    sumMalignant += std::exp(head[3]);
  }
  return {sumBenign / samples, sumMalignant / samples};
}

}  // namespace mammo::inference
