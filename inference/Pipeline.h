#pragma once
// The NYU two-phase pipeline for one exam, as a job (docs/ARCHITECTURE.md): crop -> optimal centre ->
// heatmaps (patch classifier) -> image-only model -> image+heatmaps model, each averaged over N samples.
// Results are plain values in the original image grid. Runs on a worker thread; progress per patch batch,
// cancellation within one batch through the JobContext.
#include <array>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/Exam.h"
#include "core/Raster.h"
#include "inference/Device.h"
#include "inference/Heatmaps.h"

namespace mammo::core {
class JobContext;
}

namespace mammo::inference {

class PatchClassifier;
class CancerModel;
struct ModelBundle;
struct CancerInputGeometry;

// Networks built once from a bundle and reused across exams (not thread-safe: one per worker). A null
// imageOnly or imageHeatmaps model skips its stage (benchmarks of the heatmap stage alone).
struct PipelineModels {
  std::shared_ptr<PatchClassifier> patch;
  std::shared_ptr<CancerModel> imageOnly;
  std::shared_ptr<CancerModel> imageHeatmaps;
  std::string identity;  // which weights (bundle name)
  // A trained bundle's stage-4 geometry (ModelBundle::cancerInput): best centre, downsampling and window
  // sizes as in training. Null: the reference's (NYU bundles).
  std::shared_ptr<const CancerInputGeometry> cancerInput;
};
PipelineModels buildModels(const ModelBundle& bundle, const std::string& device = "cpu",
                           Precision precision = Precision::Float32);

struct ViewAnalysis;
struct BreastProbabilities;

struct PipelineOptions {
  int samples = 10;  // augmented samples averaged per model (--num-epochs of the reference)
  bool augment = true;
  std::uint32_t seed = 0;  // both the CPython (stage 3) and numpy (stage 4) streams
  int patchBatch = 10;  // the reference uses 100; results do not depend on it, and 10 is ~2x faster on CPU
  bool imageHeatmapsModel = true;
  HeatmapMode heatmapMode = HeatmapMode::Exact;
  // Called on the worker thread as results become available (progressive display): each view's heatmaps,
  // then the image-only probabilities. Receivers must copy what they keep and hop to their own thread.
  std::function<void(const ViewAnalysis&)> onViewHeatmaps;
  std::function<void(const BreastProbabilities&)> onImageOnly;
  // Progressive display: before the heatmaps, one deterministic image-only sample (seconds), and after
  // them one deterministic image+heatmaps sample, delivered here as preliminary results; the final,
  // N-sample results follow as usual. The extra samples never touch the final results' random streams.
  bool progressive = false;
  std::function<void(bool withHeatmaps, const BreastProbabilities&)> onPreliminary;
};

// Per-breast probabilities in the NYU column order.
struct BreastProbabilities {
  double leftBenign = 0, rightBenign = 0, leftMalignant = 0, rightMalignant = 0;
  std::array<double, 4> asArray() const { return {leftBenign, rightBenign, leftMalignant, rightMalignant}; }
};

struct ViewAnalysis {
  core::StandardView view = core::StandardView::LCC;
  std::string sourcePath;
  bool faceRightFlip = false;  // the crop was mirrored to face right
  core::CropMetadata crop;  // includes bestCenter
  ImageHeatmaps heatmaps;  // face-right crop frame
  // Heatmaps mapped back into the original image's pixel grid (zero outside the crop), rows x columns, with
  // the image's pixel spacing; empty until stage 3 ran. Shared, immutable: handing them over copies no pixels.
  int rows = 0, columns = 0;
  core::FloatRaster benignOriginal, malignantOriginal;
};

struct PipelineResult {
  std::string examId;
  std::string modelIdentity;
  HeatmapMode heatmapMode = HeatmapMode::Exact;
  std::array<ViewAnalysis, 4> views;
  std::optional<BreastProbabilities> imageOnly;
  std::optional<BreastProbabilities> imageHeatmaps;
  std::map<std::string, double> stageSeconds;  // "crop", "centres", "heatmaps", "image_only", "image_heatmaps"
};

// Stages 1 and 2 for every view: the crop (face-right pixels in `faceRight`, heatmaps.rows/columns set,
// no heatmaps yet) and its best centre (the trained geometry's when given). Seconds per stage go to
// `stageSeconds` ("crop", "centres") when given. Throws as runPipeline.
struct CroppedExam {
  std::array<ViewAnalysis, 4> views;
  std::array<std::vector<std::uint16_t>, 4> faceRight;
};
CroppedExam cropExam(const core::Exam& exam, const CancerInputGeometry* trained = nullptr,
                     std::map<std::string, double>* stageSeconds = nullptr);

// Throws std::runtime_error naming the view/file for an incomplete exam or an image the pipeline cannot
// use, core::Cancelled when cancelled.
PipelineResult runPipeline(const core::Exam& exam, PipelineModels& models, const PipelineOptions& options,
                           core::JobContext* context = nullptr);

// Stage 4 alone, given the views' crops and heatmaps (face-right, the crops' resolution), for one model;
// the numpy stream is created from `seed` as the reference does for each run. With `geometry` (a trained
// bundle) the crops and heatmaps are box-averaged by its factor first and the windows have its sizes;
// `inputSizes`, when given, receives each view's model input (rows, columns) of the last sample.
BreastProbabilities predictExam(const std::array<ViewAnalysis, 4>& views,
                                const std::array<std::vector<std::uint16_t>, 4>& faceRightCrops, CancerModel& model,
                                int samples, bool augment, std::uint32_t seed, core::JobContext* context = nullptr,
                                const CancerInputGeometry* geometry = nullptr,
                                std::array<std::array<int, 2>, 4>* inputSizes = nullptr);

// The best centre (row, column) of a face-right crop as training places it (CancerInputGeometry).
std::array<int, 2> trainedBestCenter(const CancerInputGeometry& geometry, core::ViewPosition view, int cropRows,
                                     int rightmostX);

}  // namespace mammo::inference
