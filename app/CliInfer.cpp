#include <nlohmann/json.hpp>

#include <chrono>
#include <cmath>
#include <optional>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <thread>

#include "app/CliCommands.h"
#include "app/ProgressBar.h"
#include "core/ExamLoader.h"
#include "core/Job.h"
#include "inference/Device.h"
#include "inference/Fidelity.h"
#include "inference/ModelBundle.h"
#include "inference/Pipeline.h"
#include "inference/ResultWriter.h"

namespace mammo::app {
namespace fs = std::filesystem;

namespace {
core::JobContext* g_job = nullptr;
extern "C" void onInterruptInfer(int) {
  if (g_job) g_job->cancel();
}

// Reference timings recorded in ../shared/parity/nyu-exam-a/timings.json for the same stages.
double referenceSeconds(const nlohmann::json& t, const char* key) {
  return t.contains(key) ? t[key].value("wall_s", 0.0) : 0.0;
}
}  // namespace

int runImportWeights(const ImportWeightsOptions& options) {
  const inference::ModelBundle bundle = inference::importNyuModels(options.nyuDir);
  inference::writeModelBundle(bundle, options.out);
  std::cout << "wrote model bundle " << options.out << " (patch, image-only, image+heatmaps"
            << (bundle.imageOnlyImageWise ? ", image-wise pair" : "") << ")\n";
  return 0;
}

int runInfer(const InferOptions& options) {
  const inference::ComputeInfo compute = inference::applyComputeSettings({options.threads, options.device});
  core::LoadOptions load;
  if (!options.imagesDir.empty()) load.imagesDir = options.imagesDir;
  const fs::path source = options.exams.empty() ? fs::path(options.folder) : fs::path(options.exams);
  const core::LoadResult loaded = core::loadPaths({source}, load);
  for (const auto& issue : loaded.issues) std::cerr << "error: " << issue.file << ": " << issue.reason << '\n';
  if (loaded.exams.empty()) {
    std::cerr << "error: no exam could be loaded from " << source << '\n';
    return 1;
  }
  const inference::ModelBundle bundle = inference::readModelBundle(options.model);
  inference::PipelineModels models = inference::buildModels(bundle, compute.device);
  inference::PipelineOptions pipeline;
  pipeline.samples = options.epochs;
  pipeline.augment = !options.noAugment;
  pipeline.seed = options.seed;
  if (options.batch > 0) pipeline.patchBatch = options.batch;
  pipeline.heatmapMode = options.heatmaps == "fast" ? inference::HeatmapMode::Fast : inference::HeatmapMode::Exact;
  fs::create_directories(options.out);

  ProgressBar bar;
  std::vector<inference::BreastProbabilities> imageOnly, imageHeatmaps;
  nlohmann::json summary = {{"model", bundle.name},
                            {"device", compute.device},
                            {"threads", compute.threads},
                            {"heatmap_mode", options.heatmaps},
                            {"exams", nlohmann::json::array()}};
  int failures = 0;
  for (size_t i = 0; i < loaded.exams.size(); ++i) {
    const core::Exam& exam = loaded.exams[i];
    const std::string label = "exam " + std::to_string(i + 1) + "/" + std::to_string(loaded.exams.size());
    core::JobContext job(
        [&](double f, const std::string& s) { bar.update(f, std::string(label).append(": ").append(s)); });
    g_job = &job;
    std::signal(SIGINT, onInterruptInfer);
    try {
      if (exam.hasErrors()) {
        // Say what is wrong with the exam's files, not just which view is missing.
        std::string problems;
        for (const auto& issue : exam.issues) {
          if (issue.error)
            problems += (problems.empty() ? "" : "; ") + (issue.file.empty() ? "" : issue.file + ": ") + issue.reason;
        }
        throw std::runtime_error(problems);
      }
      const inference::PipelineResult result = inference::runPipeline(exam, models, pipeline, &job);
      inference::writeExamResult(result, fs::path(options.out) / exam.id);
      imageOnly.push_back(*result.imageOnly);
      imageHeatmaps.push_back(*result.imageHeatmaps);
      summary["exams"].push_back({{"id", exam.id}, {"ok", true}, {"stage_seconds", result.stageSeconds}});
    } catch (const core::Cancelled&) {
      std::cerr << "\ncancelled\n";
      g_job = nullptr;
      return 130;
    } catch (const std::exception& e) {
      ++failures;
      std::cerr << "\nerror: exam " << exam.id << ": " << e.what() << '\n';
      summary["exams"].push_back({{"id", exam.id}, {"ok", false}, {"error", e.what()}});
    }
    g_job = nullptr;
  }
  // Rows follow the successful exams in list order; results.json names them.
  inference::writePredictionsCsv(fs::path(options.out) / "predictions_image.csv", imageOnly, options.precision);
  inference::writePredictionsCsv(fs::path(options.out) / "predictions_imageheatmaps.csv", imageHeatmaps,
                                 options.precision);
  std::ofstream(fs::path(options.out) / "results.json") << summary.dump(1) << '\n';
  std::cout << "analysed " << imageOnly.size() << " exam(s), " << failures << " failed; results in " << options.out
            << '\n';
  return failures ? 2 : 0;
}

namespace {

// Each stage's seconds beside the reference's timings.json, when given.
void printStageTable(const inference::PipelineResult& result, double total, const std::string& referenceTimings) {
  nlohmann::json reference;
  if (!referenceTimings.empty()) reference = nlohmann::json::parse(std::ifstream(referenceTimings));
  std::printf("%-16s %10s %12s %8s\n", "stage", "seconds", "reference s", "speed-up");
  const std::pair<const char*, const char*> stages[] = {{"crop", "stage1_crop"},
                                                        {"centres", "stage2_centers"},
                                                        {"heatmaps", "stage3_heatmaps"},
                                                        {"image_only", "stage4a_image_aug10"},
                                                        {"image_heatmaps", "stage4b_imageheatmaps_aug10"}};
  double referenceTotal = 0;
  for (const auto& [stage, key] : stages) {
    const double mine = result.stageSeconds.count(stage) ? result.stageSeconds.at(stage) : 0.0;
    const double ref = referenceSeconds(reference, key);
    referenceTotal += ref;
    if (ref > 0)
      std::printf("%-16s %10.1f %12.1f %7.1fx\n", stage, mine, ref, ref / mine);
    else
      std::printf("%-16s %10.1f %12s %8s\n", stage, mine, "-", "-");
  }
  if (referenceTotal > 0)
    std::printf("%-16s %10.1f %12.1f %7.1fx\n", "total", total, referenceTotal, referenceTotal / total);
  else
    std::printf("%-16s %10.1f\n", "total", total);
}

// Fast mode against exact mode: heatmap agreement per view and the per-breast probabilities.
void printFastAgainstExact(const inference::PipelineResult& exact, const inference::PipelineResult& fast,
                           double fastTotal) {
  const double exactHeatmaps = exact.stageSeconds.at("heatmaps"), fastHeatmaps = fast.stageSeconds.at("heatmaps");
  std::printf("\nfast heatmap mode: heatmaps %.1f s (exact %.1f s, %.1fx faster), total %.1f s\n", fastHeatmaps,
              exactHeatmaps, exactHeatmaps / fastHeatmaps, fastTotal);
  const inference::FidelityReport f = inference::compareResults(exact, fast);
  std::printf("%-8s %-10s %12s %12s %12s\n", "view", "heatmap", "correlation", "max |diff|", "mean |diff|");
  const char* classes[] = {"benign", "malignant"};
  for (int v = 0; v < 4; ++v) {
    for (int k = 0; k < 2; ++k) {
      const auto& m = f.heatmaps[v][k];
      std::printf("%-8s %-10s %12.4f %12.4f %12.4f\n",
                  std::string(core::toString(static_cast<core::StandardView>(v))).c_str(), classes[k], m.correlation,
                  m.maxAbsDifference, m.meanAbsDifference);
    }
  }
  const auto e = exact.imageHeatmaps->asArray(), q = fast.imageHeatmaps->asArray();
  const char* labels[] = {"left_benign", "right_benign", "left_malignant", "right_malignant"};
  std::printf("image+heatmaps probabilities (exact -> fast):\n");
  for (int i = 0; i < 4; ++i)
    std::printf("  %-16s %.4f -> %.4f (|diff| %.4f)\n", labels[i], e[i], q[i], std::abs(e[i] - q[i]));
  std::printf("max |diff| of the per-breast probabilities: %.4f (GUI default threshold 0.02)\n", f.maxProbabilityDelta);
}

}  // namespace

int runBench(const BenchOptions& options) {
  const inference::ComputeInfo compute = inference::applyComputeSettings({options.threads, "cpu"});
  const core::LoadResult loaded = core::loadPaths({fs::path(options.exam)});
  if (loaded.exams.empty()) throw std::runtime_error("no exam in " + options.exam);
  const inference::ModelBundle bundle = inference::readModelBundle(options.model);
  inference::PipelineModels models = inference::buildModels(bundle, "cpu");
  inference::PipelineOptions pipeline;
  pipeline.samples = options.epochs;
  pipeline.augment = options.epochs > 1;
  if (options.batch > 0) pipeline.patchBatch = options.batch;
  ProgressBar bar;
  core::JobContext job([&](double f, const std::string& s) { bar.update(f, s); });
  pipeline.heatmapMode = options.heatmaps == "fast" ? inference::HeatmapMode::Fast : inference::HeatmapMode::Exact;
  // Progressive display as in the GUI: time to the first image-only result, counted from loading the exam.
  const auto loadStarted = std::chrono::steady_clock::now();
  const core::LoadResult reloaded = core::loadPaths({fs::path(options.exam)});
  const double loadSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - loadStarted).count();
  double firstResult = -1;
  pipeline.progressive = true;
  pipeline.onPreliminary = [&](bool withHeatmaps, const inference::BreastProbabilities&) {
    if (!withHeatmaps && firstResult < 0) {
      firstResult = std::chrono::duration<double>(std::chrono::steady_clock::now() - loadStarted).count();
    }
  };
  auto started = std::chrono::steady_clock::now();
  const inference::PipelineResult result = inference::runPipeline(reloaded.exams[0], models, pipeline, &job);
  const double total = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  pipeline.progressive = false;
  std::optional<inference::PipelineResult> fast;
  double fastTotal = 0;
  if (options.heatmaps == "compare") {
    pipeline.heatmapMode = inference::HeatmapMode::Fast;
    started = std::chrono::steady_clock::now();
    fast = inference::runPipeline(loaded.exams[0], models, pipeline, &job);
    fastTotal = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  }
  std::printf("machine: %u hardware threads, LibTorch %s, %d intra-op threads, device cpu\n",
              std::thread::hardware_concurrency(), compute.torchVersion.c_str(), compute.threads);
  std::printf("exam %s, %d samples per model, patch batch %d\n", loaded.exams[0].id.c_str(), pipeline.samples,
              pipeline.patchBatch);
  printStageTable(result, total, options.referenceTimings);
  std::printf("(total includes the progressive first look: %.1f s)\n",
              result.stageSeconds.count("first_look") ? result.stageSeconds.at("first_look") : 0.0);
  std::printf("first AI result (image only, one sample) %.1f s after starting to load the exam (loading %.1f s)\n",
              firstResult, loadSeconds);
  if (fast) printFastAgainstExact(result, *fast, fastTotal);
  return 0;
}

}  // namespace mammo::app
