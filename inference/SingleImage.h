#pragma once
// The reference's single-image pipeline (run_single.sh): crop, optimal centre, heatmaps and the
// image-wise models for one view, giving benign and malignant probabilities for that breast.
#include <array>
#include <cstdint>
#include <vector>

#include "core/Image.h"
#include "core/ExamList.h"
#include "inference/Heatmaps.h"

namespace mammo::core {
class JobContext;
}

namespace mammo::inference {

class CancerModel;
class PatchClassifier;

struct SingleImagePrediction {
  double benign = 0, malignant = 0;
};

struct SingleImageAnalysis {
  core::StandardView view = core::StandardView::LCC;
  core::CropMetadata crop;  // with bestCenter
  int rows = 0, columns = 0;  // crop size
  std::vector<std::uint16_t> storedCrop;  // the crop as stored
  bool faceRightFlip = false;
  // Reference quirk (run_producer_single.py passes "CC"/"MLO" to the flip helper): patches are cut from
  // the crop as stored, never mirrored, so R-view heatmaps differ from the exam pipeline's. Stored frame.
  ImageHeatmaps heatmaps;
};

// Stages 1-3 for one image; `rng` is the CPython stream (seeded 0 per run by the reference).
SingleImageAnalysis analyseSingleImage(const std::uint16_t* pixels, int rows, int columns, core::StandardView view,
                                       PatchClassifier& classifier, int patchBatch = 10,
                                       core::JobContext* context = nullptr);

// Stage 4 for one image with an image-wise model (1 channel: image only; 3: image + heatmaps), averaged
// over `samples`; the numpy stream is created from `seed` (per sample 2 + 4 doubles with augmentation).
SingleImagePrediction predictSingleImage(const SingleImageAnalysis& analysis, CancerModel& model, int samples,
                                         bool augment, std::uint32_t seed = 0);

}  // namespace mammo::inference
