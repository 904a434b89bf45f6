#include "inference/Pipeline.h"

#include <chrono>
#include <stdexcept>

#include "core/Job.h"
#include "core/Orientation.h"
#include "inference/CancerModel.h"
#include "inference/Cropping.h"
#include "inference/ModelBundle.h"
#include "inference/NumpyRandom.h"
#include "inference/NyuConstants.h"
#include "inference/OptimalCenter.h"
#include "inference/PatchClassifier.h"
#include "inference/PythonRandom.h"
#include "inference/WindowSampler.h"

namespace mammo::inference {
namespace {

using Clock = std::chrono::steady_clock;
double secondsSince(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// The pipeline needs a zero background (cropping thresholds at > 0): MONOCHROME1 images are inverted
// explicitly into a copy; the stored pixels are never changed.
std::vector<std::uint16_t> analysisPixels(const core::Image& image) {
  std::vector<std::uint16_t> pixels = image.pixels;
  if (image.info.photometric == core::Photometric::Monochrome1) {
    const std::uint16_t maxValue = static_cast<std::uint16_t>((1u << image.info.bitsStored) - 1u);
    for (auto& p : pixels) p = static_cast<std::uint16_t>(maxValue - std::min(p, maxValue));
  }
  return pixels;
}

// Training's downsampleDataset(): the image rounded to uint16, heatmaps as float means, trailing rows and
// columns dropped; both go through core::boxAverage, so they cannot drift apart.
struct Downsampled {
  int rows = 0, columns = 0;
  std::vector<float> image, benign, malignant;
};

Downsampled boxAverage(const ViewAnalysis& a, const std::vector<std::uint16_t>& crop, int f, bool heatmaps) {
  Downsampled d;
  d.rows = a.heatmaps.rows / f;
  d.columns = a.heatmaps.columns / f;
  const std::vector<std::uint16_t> image = core::boxAverage(std::span(crop), a.heatmaps.rows, a.heatmaps.columns, f);
  d.image.assign(image.begin(), image.end());
  if (!heatmaps) return d;
  d.benign = core::boxAverage(std::span<const float>(a.heatmaps.benign), a.heatmaps.rows, a.heatmaps.columns, f);
  d.malignant = core::boxAverage(std::span<const float>(a.heatmaps.malignant), a.heatmaps.rows, a.heatmaps.columns, f);
  return d;
}

}  // namespace

std::array<int, 2> trainedBestCenter(const CancerInputGeometry& g, core::ViewPosition view, int cropRows,
                                     int rightmostX) {
  const int width = view == core::ViewPosition::CC ? g.centreColumnsCc : g.centreColumnsMlo;
  const int half = width / 2;
  return {cropRows / 2, std::max(half, rightmostX - (width - half))};
}

PipelineModels buildModels(const ModelBundle& bundle, const std::string& device, Precision precision) {
  PipelineModels models;
  models.identity = bundle.name;
  models.patch = std::make_shared<PatchClassifier>(bundle.patch, bundle.name + " (patch)", device, precision);
  models.imageOnly = std::make_shared<CancerModel>(bundle.imageOnly, CancerHeads::ViewWise, 1,
                                                   bundle.name + " (image only)", device, precision);
  models.imageHeatmaps = std::make_shared<CancerModel>(bundle.imageHeatmaps, CancerHeads::ViewWise, 3,
                                                       bundle.name + " (image+heatmaps)", device, precision);
  if (bundle.cancerInput) models.cancerInput = std::make_shared<const CancerInputGeometry>(*bundle.cancerInput);
  return models;
}

BreastProbabilities predictExam(const std::array<ViewAnalysis, 4>& views,
                                const std::array<std::vector<std::uint16_t>, 4>& crops, CancerModel& model, int samples,
                                bool augment, std::uint32_t seed, core::JobContext* context,
                                const CancerInputGeometry* geometry, std::array<std::array<int, 2>, 4>* inputSizes) {
  const bool withHeatmaps = model.channels() == 3;
  std::array<Downsampled, 4> inputs4;
  std::array<std::array<int, 2>, 4> centres;
  for (int v = 0; v < 4; ++v) {
    const ViewAnalysis& a = views[v];
    if (geometry && geometry->downsample > 1) {
      inputs4[v] = boxAverage(a, crops[v], geometry->downsample, withHeatmaps);
      centres[v] = {(*a.crop.bestCenter)[0] / geometry->downsample, (*a.crop.bestCenter)[1] / geometry->downsample};
    } else {
      // No copy of the heatmaps: they are read in place below.
      inputs4[v].rows = a.heatmaps.rows;
      inputs4[v].columns = a.heatmaps.columns;
      inputs4[v].image.assign(crops[v].begin(), crops[v].end());
      centres[v] = *a.crop.bestCenter;
    }
  }
  NumpyRandom rng(seed);
  // The reference averages float32 probabilities; keep that precision for the sums.
  std::array<float, 4> sums{};
  for (int s = 0; s < samples; ++s) {
    if (context) context->throwIfCancelled();
    std::array<SampledWindow, 4> windows;
    std::array<ViewInput, 4> inputs;
    for (int v = 0; v < 4; ++v) {
      const ViewAnalysis& a = views[v];
      const Downsampled& d = inputs4[v];
      FaceRightInput input{d.rows, d.columns, {d.image.data()}};
      if (withHeatmaps) {
        const bool reduced = !d.benign.empty();
        input.channels.push_back(reduced ? d.benign.data() : a.heatmaps.benign.data());
        input.channels.push_back(reduced ? d.malignant.data() : a.heatmaps.malignant.data());
      }
      const core::ViewPosition position = core::viewPositionOf(a.view);
      if (geometry) {
        const WindowGeometry window{position == core::ViewPosition::CC ? geometry->inputSizeCc : geometry->inputSizeMlo,
                                    geometry->locationNoise, geometry->sizeNoise};
        windows[v] = sampleWindow(input, position, centres[v], augment, rng, window);
      } else {
        windows[v] = sampleWindow(input, position, centres[v], augment, rng);
      }
      inputs[v] = ViewInput{windows[v].data.data(), windows[v].rows, windows[v].columns};
      if (inputSizes) (*inputSizes)[v] = {windows[v].rows, windows[v].columns};
    }
    const CancerOutput out = model.forward(inputs);
    for (int label = 0; label < 4; ++label) {
      // View-wise: each label is the mean of the CC and MLO heads.
      sums[label] += (positiveProbability(out.heads[0], label) + positiveProbability(out.heads[1], label)) / 2.0f;
    }
  }
  BreastProbabilities p;
  p.leftBenign = sums[0] / samples;
  p.rightBenign = sums[1] / samples;
  p.leftMalignant = sums[2] / samples;
  p.rightMalignant = sums[3] / samples;
  return p;
}

CroppedExam cropExam(const core::Exam& exam, const CancerInputGeometry* trained,
                     std::map<std::string, double>* stageSeconds) {
  if (!exam.complete()) {
    std::string missing;
    for (auto v : exam.missingViews()) missing += " " + std::string(core::toString(v));
    throw std::runtime_error("exam " + exam.id + " lacks views:" + missing);
  }
  CroppedExam out;
  std::array<std::vector<std::uint16_t>, 4>& faceRight = out.faceRight;
  auto started = Clock::now();
  for (int v = 0; v < 4; ++v) {
    const auto view = static_cast<core::StandardView>(v);
    const core::Image& image = *exam.first(view);
    if (!image.info.hasPixels) throw std::runtime_error(image.info.sourcePath + ": no pixel data to analyse");
    ViewAnalysis& a = out.views[v];
    a.view = view;
    a.sourcePath = image.info.sourcePath;
    a.rows = image.info.rows;
    a.columns = image.info.columns;
    // The NYU "horizontal_flip" flag, per image: set when the image is stored mirrored.
    const bool storedMirrored = image.orientation.mirrored;
    const std::vector<std::uint16_t> pixels = analysisPixels(image);
    CropResult crop;
    try {
      crop =
          cropMammogram(pixels.data(), image.info.rows, image.info.columns, core::lateralityOf(view), storedMirrored);
    } catch (const std::exception& e) {
      throw std::runtime_error(image.info.sourcePath + ": " + e.what());
    }
    a.crop = crop.metadata;
    a.faceRightFlip = needsFaceRightFlip(core::lateralityOf(view), storedMirrored);
    faceRight[v] = crop.pixels;
    if (a.faceRightFlip) core::mirrorColumns(faceRight[v], crop.rows, crop.columns);
    a.heatmaps.rows = crop.rows;
    a.heatmaps.columns = crop.columns;
  }
  if (stageSeconds) (*stageSeconds)["crop"] = secondsSince(started);
  started = Clock::now();
  for (int v = 0; v < 4; ++v) {
    ViewAnalysis& a = out.views[v];
    // optimalCenter mirrors internally; hand it the crop in its stored orientation.
    std::vector<std::uint16_t> stored = faceRight[v];
    if (a.faceRightFlip) core::mirrorColumns(stored, a.heatmaps.rows, a.heatmaps.columns);
    if (trained) {
      a.crop.bestCenter = trainedBestCenter(*trained, core::viewPositionOf(a.view), a.heatmaps.rows, a.crop.rightmostX);
      continue;
    }
    a.crop.bestCenter = optimalCenter(stored.data(), a.heatmaps.rows, a.heatmaps.columns, a.faceRightFlip,
                                      core::viewPositionOf(a.view), a.crop);
  }
  if (stageSeconds) (*stageSeconds)["centres"] = secondsSince(started);
  return out;
}

PipelineResult runPipeline(const core::Exam& exam, PipelineModels& models, const PipelineOptions& options,
                           core::JobContext* context) {
  PipelineResult result;
  result.examId = exam.id;
  result.modelIdentity = models.identity;
  result.heatmapMode = options.heatmapMode;
  CroppedExam cropped = cropExam(exam, models.cancerInput.get(), &result.stageSeconds);
  result.views = std::move(cropped.views);
  const std::array<std::vector<std::uint16_t>, 4>& faceRight = cropped.faceRight;
  if (context) context->progress(0.02, "Cropped");

  auto started = Clock::now();
  if (options.progressive && options.onPreliminary && models.imageOnly) {
    started = Clock::now();
    if (context) context->progress(0.03, "First look (image only, one sample)");
    options.onPreliminary(false, predictExam(result.views, faceRight, *models.imageOnly, 1, false, options.seed,
                                             context, models.cancerInput.get()));
    result.stageSeconds["first_look"] = secondsSince(started);
  }
  started = Clock::now();
  PythonRandom strideRng(options.seed);
  if (options.imageHeatmapsModel) {
    for (int v = 0; v < 4; ++v) {
      ViewAnalysis& a = result.views[v];
      a.heatmaps = computeHeatmaps(faceRight[v].data(), a.heatmaps.rows, a.heatmaps.columns, *models.patch, strideRng,
                                   options.patchBatch, context, 0.05 + 0.8 * v / 4, 0.05 + 0.8 * (v + 1) / 4,
                                   options.heatmapMode);
      // Back to the original grid: un-mirror, then place at the crop window.
      std::vector<float> benign = a.heatmaps.benign, malignant = a.heatmaps.malignant;
      if (a.faceRightFlip) {
        core::mirrorColumns(benign, a.heatmaps.rows, a.heatmaps.columns);
        core::mirrorColumns(malignant, a.heatmaps.rows, a.heatmaps.columns);
      }
      std::vector<float> benignOriginal(static_cast<size_t>(a.rows) * a.columns, 0.0f);
      std::vector<float> malignantOriginal(benignOriginal.size(), 0.0f);
      const int y0 = a.crop.windowLocation[0], x0 = a.crop.windowLocation[2];
      for (int r = 0; r < a.heatmaps.rows; ++r) {
        std::copy_n(benign.data() + static_cast<size_t>(r) * a.heatmaps.columns, a.heatmaps.columns,
                    benignOriginal.data() + static_cast<size_t>(y0 + r) * a.columns + x0);
        std::copy_n(malignant.data() + static_cast<size_t>(r) * a.heatmaps.columns, a.heatmaps.columns,
                    malignantOriginal.data() + static_cast<size_t>(y0 + r) * a.columns + x0);
      }
      const auto& spacing = exam.first(a.view)->info.spacing;
      a.benignOriginal = core::FloatRaster(a.rows, a.columns, std::move(benignOriginal), spacing);
      a.malignantOriginal = core::FloatRaster(a.rows, a.columns, std::move(malignantOriginal), spacing);
      if (options.onViewHeatmaps) options.onViewHeatmaps(a);
    }
  }
  result.stageSeconds["heatmaps"] = secondsSince(started);

  if (options.progressive && options.onPreliminary && options.imageHeatmapsModel && models.imageHeatmaps) {
    options.onPreliminary(true, predictExam(result.views, faceRight, *models.imageHeatmaps, 1, false, options.seed,
                                            context, models.cancerInput.get()));
  }
  if (models.imageOnly) {
    started = Clock::now();
    if (context) context->progress(0.86, "Image-only model");
    result.imageOnly = predictExam(result.views, faceRight, *models.imageOnly, options.samples, options.augment,
                                   options.seed, context, models.cancerInput.get());
    result.stageSeconds["image_only"] = secondsSince(started);
    if (options.onImageOnly) options.onImageOnly(*result.imageOnly);
  }
  if (options.imageHeatmapsModel && models.imageHeatmaps) {
    started = Clock::now();
    if (context) context->progress(0.93, "Image+heatmaps model");
    result.imageHeatmaps = predictExam(result.views, faceRight, *models.imageHeatmaps, options.samples, options.augment,
                                       options.seed, context, models.cancerInput.get());
    result.stageSeconds["image_heatmaps"] = secondsSince(started);
  }
  if (context) context->progress(1.0, "Done");
  return result;
}

}  // namespace mammo::inference
