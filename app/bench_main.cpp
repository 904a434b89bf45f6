// mammolens-bench: the NYU pipeline on a parity folder (inputs/, weights/, the reference's patch
// probabilities and predictions), timed per stage and checked against the reference, for each device and
// precision asked for. Links only mammo_core and mammo_inference, so that it builds in the LibTorch-only
// configuration (MAMMO_INFERENCE_ONLY) on GPU machines without Debian's other packages; no CLI11.
//
//   mammolens-bench --parity DIR | --exam LIST --weights DIR [--reference DIR]
//                   [--device auto|cpu|cuda] [--precision fp32,tf32,bf16,fp16] [--heatmaps exact|fast|both]
//                   [--stages heatmaps|all] [--samples N] [--batch N] [--threads N] [--repeat N]
//                   [--json FILE] [--check TOLERANCE] [--bounds quick|full] [--exact-ablation PATCHES]
// --bounds runs no pipeline: it prints how the image+heatmaps probabilities move under controlled changes of
// the exact patch probabilities (inference/FidelityBounds.h): the reference's, or exact mode's where the reference has
// none; full adds every patch in bfloat16.
// --exact-ablation N times exact mode's patch classification on N tissue patches with each of its speed-ups
// taken away in turn (inference/FidelityBounds.h).
// --parity DIR stands for --exam DIR/inputs/exam_list_before_cropping.json --weights DIR/weights
// --reference DIR. --check fails (exit 3) when an fp32 result differs from the reference by more.
// With a reference, each run also prints its heatmaps against the reference's patch probabilities (assembled
// on the same grid) and its image+heatmaps per-breast probabilities minus the reference's, per label.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/ExamList.h"
#include "core/ExamLoader.h"
#include "app/BenchBounds.h"
#include "inference/CancerModel.h"
#include "inference/Device.h"
#include "inference/Fidelity.h"
#include "inference/ModelBundle.h"
#include "inference/PatchClassifier.h"
#include "inference/Pipeline.h"
#include "inference/ResultWriter.h"

namespace fs = std::filesystem;
using namespace mammo;

namespace {

struct Options {
  fs::path examList, weights, reference;
  double check = -1;
  std::string device = "auto";
  std::vector<std::string> precisions{"fp32"};
  std::vector<inference::HeatmapMode> modes{inference::HeatmapMode::Exact};
  bool allStages = true;
  int samples = 10;
  int batch = 0;  // 0: 10 on CPU, 200 on CUDA
  int threads = 0;
  int repeat = 1;
  fs::path json;
  std::string bounds;  // "", "quick" or "full"
  int ablation = 0;  // --exact-ablation N: patches
};

[[noreturn]] void usage(const std::string& problem) {
  std::cerr << "mammolens-bench: " << problem
            << "\nusage: mammolens-bench --parity DIR | --exam LIST --weights DIR [--reference DIR]\n"
               "         [--device auto|cpu|cuda] [--precision fp32,tf32,bf16,fp16] [--heatmaps exact|fast|both]\n"
               "         [--stages heatmaps|all] [--samples N] [--batch N] [--threads N] [--repeat N]\n"
               "         [--json FILE] [--check TOLERANCE] [--bounds quick|full]\n"
               "         [--exact-ablation PATCHES]\n";
  std::exit(64);
}

std::vector<std::string> split(const std::string& text) {
  std::vector<std::string> parts;
  std::stringstream s(text);
  for (std::string part; std::getline(s, part, ',');) {
    if (!part.empty()) parts.push_back(part);
  }
  return parts;
}

int toInt(const std::string& flag, const std::string& value) {
  try {
    size_t used = 0;
    const int n = std::stoi(value, &used);
    if (used == value.size() && n >= 0) return n;
  } catch (const std::exception&) {}
  usage(flag + " takes a non-negative integer, not '" + value + "'");
}

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    if (flag == "--help" || flag == "-h") usage("help");
    if (i + 1 >= argc) usage(flag + " needs a value");
    const std::string value = argv[++i];
    if (flag == "--parity") {
      o.examList = fs::path(value) / "inputs" / "exam_list_before_cropping.json";
      o.weights = fs::path(value) / "weights";
      o.reference = value;
    } else if (flag == "--exam")
      o.examList = value;
    else if (flag == "--weights")
      o.weights = value;
    else if (flag == "--reference")
      o.reference = value;
    else if (flag == "--check") {
      try {
        o.check = std::stod(value);
      } catch (const std::exception&) {
        usage("--check takes a tolerance, not '" + value + "'");
      }
    } else if (flag == "--device")
      o.device = value;
    else if (flag == "--precision")
      o.precisions = split(value);
    else if (flag == "--heatmaps") {
      if (value == "exact")
        o.modes = {inference::HeatmapMode::Exact};
      else if (value == "fast")
        o.modes = {inference::HeatmapMode::Fast};
      else if (value == "both")
        o.modes = {inference::HeatmapMode::Exact, inference::HeatmapMode::Fast};
      else
        usage("--heatmaps takes exact, fast or both");
    } else if (flag == "--stages") {
      if (value != "heatmaps" && value != "all") usage("--stages takes heatmaps or all");
      o.allStages = value == "all";
    } else if (flag == "--samples")
      o.samples = std::max(1, toInt(flag, value));
    else if (flag == "--batch")
      o.batch = toInt(flag, value);
    else if (flag == "--threads")
      o.threads = toInt(flag, value);
    else if (flag == "--repeat")
      o.repeat = std::max(1, toInt(flag, value));
    else if (flag == "--json")
      o.json = value;
    else if (flag == "--exact-ablation")
      o.ablation = std::max(1, toInt(flag, value));
    else if (flag == "--bounds") {
      if (value != "quick" && value != "full") usage("--bounds takes quick or full");
      o.bounds = value;
    } else
      usage("unknown option " + flag);
  }
  if (o.examList.empty() || o.weights.empty()) usage("give --parity DIR, or --exam LIST and --weights DIR");
  if (!o.bounds.empty() && !o.allStages) usage("--bounds needs --stages all");
  if (o.ablation > 0 && !o.bounds.empty()) usage("--exact-ablation and --bounds are separate runs: give one");
  if (o.ablation > 0 && o.device == "cuda") usage("--exact-ablation measures the CPU's speed-ups: use --device cpu");
  for (const auto& p : o.precisions) inference::parsePrecision(p);  // throws with the accepted names
  return o;
}

// The reference's patch probabilities of one view, in its patch order: k -> 4 probabilities.
std::vector<std::array<float, 4>> readPatchProbabilities(const fs::path& csv) {
  std::ifstream in(csv);
  if (!in) throw std::runtime_error(csv.string() + ": cannot open");
  std::string line;
  std::getline(in, line);  // header: patch_index,col_index,row_index,y0,x0,p0..p3
  std::vector<std::array<float, 4>> rows;
  while (std::getline(in, line)) {
    std::replace(line.begin(), line.end(), ',', ' ');
    std::istringstream s(line);
    long index = 0, column = 0, row = 0, y0 = 0, x0 = 0;
    std::array<float, 4> p{};
    if (!(s >> index >> column >> row >> y0 >> x0 >> p[0] >> p[1] >> p[2] >> p[3])) {
      throw std::runtime_error(csv.string() + ": malformed row '" + line + "'");
    }
    if (index != static_cast<long>(rows.size())) throw std::runtime_error(csv.string() + ": rows out of order");
    rows.push_back(p);
  }
  return rows;
}

std::optional<std::array<double, 4>> readPredictions(const fs::path& csv) {
  if (!fs::exists(csv)) return std::nullopt;
  const auto rows = inference::readPredictionsCsv(csv);
  if (rows.empty()) throw std::runtime_error(csv.string() + ": no rows");
  return rows.front().asArray();
}

inference::TensorMap weightsFile(const fs::path& dir, const char* name) {
  return inference::readNyuWeights(dir / name);
}

double seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

struct Reference {
  std::array<std::vector<std::array<float, 4>>, 4> patches;  // per view; empty where the reference has none
  std::optional<std::array<double, 4>> imageOnly, imageHeatmaps;
};

// The first exam of the list.
core::Exam loadExam(const Options& options) {
  const auto started = std::chrono::steady_clock::now();
  core::LoadOptions load;
  load.imagesDir = options.examList.parent_path();
  core::LoadResult loaded = core::loadExamList(core::readExamList(options.examList), load);
  if (loaded.exams.empty()) throw std::runtime_error(options.examList.string() + ": no exam");
  for (const auto& issue : loaded.issues) std::printf("skipped %s\n", issue.file.c_str());
  std::printf("exam %s loaded in %.2f s\n", loaded.exams[0].id.c_str(), seconds(started));
  return std::move(loaded.exams[0]);
}

inference::ModelBundle readBundle(const Options& options) {
  const auto started = std::chrono::steady_clock::now();
  inference::ModelBundle bundle;
  bundle.name = "NYU sample models";
  bundle.patch = weightsFile(options.weights, "sample_patch_model.p");
  if (options.allStages) {
    bundle.imageOnly = weightsFile(options.weights, "sample_image_model.p");
    bundle.imageHeatmaps = weightsFile(options.weights, "sample_imageheatmaps_model.p");
  }
  std::printf("weights read in %.2f s from %s\n", seconds(started), options.weights.c_str());
  return bundle;
}

// The reference's outputs, when given (name of each view's file = its stem).
Reference readReference(const Options& options, const core::Exam& exam) {
  Reference ref;
  for (int v = 0; v < 4 && !options.reference.empty(); ++v) {
    const fs::path csv = options.reference / "stage3_heatmaps" /
                         (fs::path(exam.first(static_cast<core::StandardView>(v))->info.sourcePath).stem().string() +
                          "_patch_probs.csv");
    if (fs::exists(csv)) ref.patches[v] = readPatchProbabilities(csv);
  }
  const std::string run = options.samples == 10 ? "aug10" : options.samples == 1 ? "noaug1" : "";
  ref.imageOnly =
      readPredictions(options.reference / "stage4_predictions" / ("image_only_" + run + "_full_precision.csv"));
  ref.imageHeatmaps =
      readPredictions(options.reference / "stage4_predictions" / ("image_heatmaps_" + run + "_full_precision.csv"));
  return ref;
}

inference::PipelineModels buildModels(const inference::ModelBundle& bundle, const Options& options,
                                      const std::string& device, inference::Precision precision) {
  inference::PipelineModels models;
  models.identity = bundle.name;
  models.patch = std::make_shared<inference::PatchClassifier>(bundle.patch, "patch", device, precision);
  if (options.allStages) {
    models.imageOnly = std::make_shared<inference::CancerModel>(bundle.imageOnly, inference::CancerHeads::ViewWise, 1,
                                                                "image only", device, precision);
    models.imageHeatmaps = std::make_shared<inference::CancerModel>(
        bundle.imageHeatmaps, inference::CancerHeads::ViewWise, 3, "image+heatmaps", device, precision);
  }
  return models;
}

double patchDifference(const inference::PipelineResult& result, const Reference& ref) {
  double d = -1;
  for (int v = 0; v < 4; ++v) {
    const auto& mine = result.views[v].heatmaps.patchProbabilities;
    if (ref.patches[v].size() != mine.size()) continue;
    d = std::max(d, 0.0);
    for (size_t k = 0; k < mine.size(); ++k) {
      for (int c = 0; c < 4; ++c) d = std::max(d, double(std::abs(mine[k][c] - ref.patches[v][k][c])));
    }
  }
  return d;
}

double predictionDifference(const std::optional<inference::BreastProbabilities>& mine,
                            const std::optional<std::array<double, 4>>& ref) {
  if (!mine || !ref) return -1.0;
  double d = 0;
  for (int i = 0; i < 4; ++i) d = std::max(d, std::abs(mine->asArray()[i] - (*ref)[i]));
  return d;
}

// Heatmaps against the reference's: its patch probabilities assembled on our grid (exact mode reproduces
// them, so for fast mode this is its distance from exact mode without running exact). Printed and added to
// `row` when the reference has them.
void compareHeatmapsWithReference(const inference::PipelineResult& result, const Reference& reference,
                                  nlohmann::json& row) {
  double minCorrelation = 2, maxMap = -1, meanMap = -1;
  for (int v = 0; v < 4; ++v) {
    const auto& mine = result.views[v].heatmaps;
    if (reference.patches[v].size() != mine.patchProbabilities.size()) continue;
    inference::ImageHeatmaps ref;
    ref.rows = mine.rows;
    ref.columns = mine.columns;
    ref.grid = mine.grid;
    ref.patchProbabilities = reference.patches[v];
    inference::assembleHeatmaps(ref);
    for (const auto& [a, b] : {std::pair{&ref.benign, &mine.benign}, std::pair{&ref.malignant, &mine.malignant}}) {
      const inference::MapAgreement m = inference::compareMaps(*a, *b);
      minCorrelation = std::min(minCorrelation, m.correlation);
      maxMap = std::max(maxMap, m.maxAbsDifference);
      meanMap = std::max(meanMap, m.meanAbsDifference);
    }
  }
  if (maxMap < 0) return;
  std::printf(
      "      heatmaps vs the reference's patch probabilities: correlation >= %.4f, max |diff| %.3f, "
      "largest view mean |diff| %.4f\n",
      minCorrelation, maxMap, meanMap);
  row["heatmaps_vs_reference"] = {
      {"min_correlation", minCorrelation}, {"max_abs_diff", maxMap}, {"max_view_mean_abs_diff", meanMap}};
}

void compareWithFirst(const inference::PipelineResult& baseline, const inference::PipelineResult& result,
                      const Options& options, nlohmann::json& row) {
  const inference::FidelityReport f = inference::compareResults(baseline, result);
  double minCorrelation = 1, maxMap = 0;
  for (const auto& view : f.heatmaps) {
    for (const auto& m : view) {
      minCorrelation = std::min(minCorrelation, m.correlation);
      maxMap = std::max(maxMap, m.maxAbsDifference);
    }
  }
  std::printf(
      "      vs the first configuration: heatmap correlation >= %.5f, max |diff| %.3g, "
      "per-breast probabilities max |diff| %.3g\n",
      minCorrelation, maxMap, options.allStages ? f.maxProbabilityDelta : -1.0);
  row["vs_first"] = {{"min_heatmap_correlation", minCorrelation},
                     {"max_heatmap_abs_diff", maxMap},
                     {"max_probability_delta", options.allStages ? f.maxProbabilityDelta : -1.0}};
}

struct Run {
  std::string precision;
  inference::HeatmapMode mode = inference::HeatmapMode::Exact;
  int repeat = 1;
  double modelSeconds = 0;
};

// One timed pipeline run: its row printed and returned for the JSON report; `exceeded` is whether an fp32
// exact difference from the reference passed --check.
nlohmann::json timeRun(const core::Exam& exam, inference::PipelineModels& models, const Run& run,
                       const Options& options, const inference::ComputeInfo& compute, const Reference& reference,
                       std::optional<inference::PipelineResult>& baseline, bool& exceeded) {
  inference::PipelineOptions pipeline;
  pipeline.samples = options.samples;
  pipeline.augment = options.samples > 1;
  pipeline.heatmapMode = run.mode;
  pipeline.patchBatch = options.batch > 0 ? options.batch : compute.device == "cuda" ? 200 : 10;
  const auto started = std::chrono::steady_clock::now();
  const inference::PipelineResult result = inference::runPipeline(exam, models, pipeline);
  const double total = seconds(started);
  const double patchDiff = patchDifference(result, reference);
  nlohmann::json row;
  compareHeatmapsWithReference(result, reference, row);
  if (result.imageHeatmaps && reference.imageHeatmaps) {
    const auto mine = result.imageHeatmaps->asArray();
    const auto& ref = *reference.imageHeatmaps;
    std::printf(
        "      image+heatmaps per-breast probabilities (LB RB LM RM) vs the reference: %+.4f %+.4f %+.4f %+.4f\n",
        mine[0] - ref[0], mine[1] - ref[1], mine[2] - ref[2], mine[3] - ref[3]);
  }
  const double imageDiff = predictionDifference(result.imageOnly, reference.imageOnly);
  const double heatmapsDiff = predictionDifference(result.imageHeatmaps, reference.imageHeatmaps);
  auto stage = [&](const char* key) { return result.stageSeconds.count(key) ? result.stageSeconds.at(key) : 0.0; };
  const char* modeName = run.mode == inference::HeatmapMode::Exact ? "exact" : "fast";
  std::printf("%-5s %-5s %-4d %8.2f %8.2f %8.2f %9.2f %8.2f %8.2f %9.2f %11.3g %11.3g %11.3g\n", run.precision.c_str(),
              modeName, run.repeat, run.modelSeconds, stage("crop"), stage("centres"), stage("heatmaps"),
              stage("image_only"), stage("image_heatmaps"), total, patchDiff, imageDiff, heatmapsDiff);
  row.update(nlohmann::json{{"precision", run.precision},
                            {"heatmaps", modeName},
                            {"repeat", run.repeat},
                            {"model_load_s", run.modelSeconds},
                            {"total_s", total},
                            {"stages_s", result.stageSeconds},
                            {"patch_max_abs_diff_vs_reference", patchDiff},
                            {"image_only_max_abs_diff_vs_reference", imageDiff},
                            {"image_heatmaps_max_abs_diff_vs_reference", heatmapsDiff}});
  if (baseline && run.repeat == 1) compareWithFirst(*baseline, result, options, row);
  if (options.check >= 0 && inference::parsePrecision(run.precision) == inference::Precision::Float32 &&
      run.mode == inference::HeatmapMode::Exact) {
    for (const double d : {patchDiff, imageDiff, heatmapsDiff}) exceeded = exceeded || d > options.check;
  }
  if (!baseline) baseline = result;
  return row;
}

// Every precision, mode and repeat; returns the exit status (3 when --check failed).
int timePipeline(const core::Exam& exam, const inference::ModelBundle& bundle, const Options& options,
                 const inference::ComputeInfo& compute, const Reference& reference) {
  nlohmann::json report;
  report["machine"] = {{"hardware_threads", std::thread::hardware_concurrency()},
                       {"torch", compute.torchVersion},
                       {"device", compute.device},
                       {"threads", compute.threads}};
  std::optional<inference::PipelineResult> baseline;  // the first configuration, for relative fidelity
  bool exceeded = false;
  std::printf("\n%-5s %-5s %-4s %8s %8s %8s %8s %8s %8s %9s %11s %11s %11s\n", "prec", "mode", "run", "load s",
              "crop s", "centre s", "heatmap s", "img s", "img+hm s", "total s", "patch |d|", "img |d|", "img+hm |d|");
  for (const std::string& precisionName : options.precisions) {
    const auto started = std::chrono::steady_clock::now();
    inference::PipelineModels models =
        buildModels(bundle, options, compute.device, inference::parsePrecision(precisionName));
    const double modelSeconds = seconds(started);
    for (const inference::HeatmapMode mode : options.modes) {
      for (int r = 0; r < options.repeat; ++r) {
        report["runs"].push_back(timeRun(exam, models, {precisionName, mode, r + 1, modelSeconds}, options, compute,
                                         reference, baseline, exceeded));
      }
    }
  }
  std::printf("(|d| = max absolute difference from the reference's outputs%s%s; -1 = not available)\n",
              options.reference.empty() ? "" : " in ", options.reference.c_str());
  if (!options.json.empty()) std::ofstream(options.json) << report.dump(1) << '\n';
  if (exceeded) {
    std::fprintf(stderr, "mammolens-bench: an fp32 exact result differs from the reference by more than %g\n",
                 options.check);
    return 3;
  }
  return 0;
}

int runBounds(const core::Exam& exam, const inference::ModelBundle& bundle, const Options& options,
              const inference::ComputeInfo& compute, const Reference& reference) {
  inference::PatchClassifier patch(bundle.patch, "patch", compute.device);
  inference::CancerModel imageHeatmaps(bundle.imageHeatmaps, inference::CancerHeads::ViewWise, 3, "image+heatmaps",
                                       compute.device);
  inference::BoundsOptions bounds;
  bounds.samples = options.samples;
  bounds.augment = options.samples > 1;
  bounds.bfloat16 = options.bounds == "full";
  bench::printFidelityBounds(exam, reference.patches, patch, imageHeatmaps, bounds);
  return 0;
}

}  // namespace

int main(int argc, char** argv) try {
  const Options options = parse(argc, argv);
  const inference::ComputeInfo compute = inference::applyComputeSettings({options.threads, options.device});
  std::printf("machine: %u hardware threads; LibTorch %s; device %s (CUDA %s); %d intra-op threads\n",
              std::thread::hardware_concurrency(), compute.torchVersion.c_str(), compute.device.c_str(),
              compute.cudaAvailable ? "available" : "not available", compute.threads);
  const core::Exam exam = loadExam(options);
  const inference::ModelBundle bundle = readBundle(options);
  const Reference reference = readReference(options, exam);
  if (options.ablation > 0) {
    inference::PatchClassifier patch(bundle.patch, "patch", "cpu");
    bench::printExactAblation(exam, patch, options.ablation, options.repeat, compute.threads);
    return 0;
  }
  if (!options.bounds.empty()) return runBounds(exam, bundle, options, compute, reference);
  return timePipeline(exam, bundle, options, compute, reference);
} catch (const std::exception& e) {
  std::cerr << "mammolens-bench: " << e.what() << '\n';
  return 1;
}
