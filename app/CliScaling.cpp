// mammolens-cli bench-scaling: heatmap-stage time against crop size (exact and fast mode) and patch
// classification time against the thread count, as tables and SVG plots for docs/performance.md.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <sstream>
#include <stdexcept>

#include "app/CliCommands.h"
#include "app/SvgPlot.h"
#include "inference/Device.h"
#include "inference/Heatmaps.h"
#include "inference/ModelBundle.h"
#include "inference/PatchClassifier.h"
#include "inference/PythonRandom.h"

namespace mammo::app {
namespace {

double seconds(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

// Breast-like content without background, so that every patch is computed (no shortcut applies).
std::vector<std::uint16_t> syntheticCrop(int size) {
  std::vector<std::uint16_t> pixels(static_cast<size_t>(size) * size);
  std::uint32_t state = 12345;
  for (size_t i = 0; i < pixels.size(); ++i) {
    state = state * 1664525u + 1013904223u;
    pixels[i] = static_cast<std::uint16_t>(1000 + (state >> 22));
  }
  return pixels;
}

// LibTorch's thread pool cannot be resized safely once it has run (measured: a hang after going from 2
// threads to 1), so each thread count is timed in a fresh process: this program, with --probe-threads.
double probeThreads(const ScalingOptions& options, int threads) {
  // popen runs a shell, whose /proc/self/exe is the shell: resolve our own path first.
  const std::string self = std::filesystem::read_symlink("/proc/self/exe").string();
  const std::string command =
      "'" + self + "' bench-scaling --model '" + options.model + "' --probe-threads " + std::to_string(threads);
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) throw std::runtime_error("cannot start " + command);
  double perPatch = -1;
  char line[256];
  while (std::fgets(line, sizeof line, pipe)) std::sscanf(line, "per-patch %lf", &perPatch);
  if (pclose(pipe) != 0 || perPatch < 0) throw std::runtime_error("thread probe failed: " + command);
  return perPatch;
}

}  // namespace

int runBenchScaling(const ScalingOptions& options) {
  const inference::ModelBundle bundle = inference::readModelBundle(options.model);
  if (options.probeThreads > 0) {
    inference::applyComputeSettings({options.probeThreads, "cpu"});
    inference::PatchClassifier classifier(bundle.patch, bundle.name);
    std::vector<float> patches(20 * 256 * 256);
    for (size_t i = 0; i < patches.size(); ++i) patches[i] = static_cast<float>((i * 7919) % 1000) / 500.0f - 1.0f;
    classifier.classify(patches.data(), 10);  // warm-up
    const auto t = std::chrono::steady_clock::now();
    classifier.classify(patches.data(), 10);
    classifier.classify(patches.data() + 10 * 256 * 256, 10);
    std::printf("per-patch %.6f\n", seconds(t) / 20);
    return 0;
  }
  PlotSeries perThread{"exact, batch 10", {}, {}};
  std::printf("%-8s %16s\n", "threads", "s per patch");
  for (int threads = 1; threads <= options.maxThreads; ++threads) {
    const double perPatch = probeThreads(options, threads);
    std::printf("%-8d %16.4f\n", threads, perPatch);
    std::fflush(stdout);
    perThread.x.push_back(threads);
    perThread.y.push_back(perPatch);
  }
  inference::applyComputeSettings({0, "cpu"});
  inference::PatchClassifier classifier(bundle.patch, bundle.name);

  PlotSeries exact{"exact", {}, {}}, fast{"fast", {}, {}};
  std::printf("\n%-10s %8s %12s %12s\n", "crop (px)", "patches", "exact s", "fast s");
  std::istringstream sizes(options.sizes);
  for (std::string item; std::getline(sizes, item, ',');) {
    const int size = std::stoi(item);
    const std::vector<std::uint16_t> crop = syntheticCrop(size);
    inference::PythonRandom rngExact(0), rngFast(0);
    auto t = std::chrono::steady_clock::now();
    const inference::ImageHeatmaps e = inference::computeHeatmaps(crop.data(), size, size, classifier, rngExact, 10,
                                                                  nullptr, 0, 1, inference::HeatmapMode::Exact);
    const double exactSeconds = seconds(t);
    t = std::chrono::steady_clock::now();
    inference::computeHeatmaps(crop.data(), size, size, classifier, rngFast, 10, nullptr, 0, 1,
                               inference::HeatmapMode::Fast);
    const double fastSeconds = seconds(t);
    std::printf("%-10d %8d %12.1f %12.1f\n", size, e.grid.count(), exactSeconds, fastSeconds);
    std::fflush(stdout);
    const double megapixels = size * static_cast<double>(size) / 1e6;
    exact.x.push_back(megapixels);
    exact.y.push_back(exactSeconds);
    fast.x.push_back(megapixels);
    fast.y.push_back(fastSeconds);
  }
  if (!options.plotDir.empty()) {
    writeSvgPlot(options.plotDir + "/scaling-image-size.svg", "Heatmap stage, one crop (2 threads)",
                 "crop size (megapixels)", "seconds", {exact, fast});
    writeSvgPlot(options.plotDir + "/scaling-threads.svg", "Patch classifier, DenseNet-121", "threads",
                 "seconds per patch", {perThread});
    std::printf("\nplots: %s/scaling-image-size.svg, %s/scaling-threads.svg\n", options.plotDir.c_str(),
                options.plotDir.c_str());
  }
  return 0;
}

}  // namespace mammo::app
