#include "inference/Heatmaps.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "core/Job.h"
#include "inference/PatchClassifier.h"
#include "inference/StrideList.h"

namespace mammo::inference {

PatchGrid patchGrid(int rows, int columns, PythonRandom& rng) {
  PatchGrid grid;
  // Reference quirk: the code calls the row list "width"; rows are drawn before columns.
  grid.rowStarts = strideList(rows, rng);
  grid.columnStarts = strideList(columns, rng);
  return grid;
}

std::vector<double> standardiseForPatches(const std::uint16_t* pixels, std::size_t count) {
  std::vector<double> out(pixels, pixels + count);
  double sum = 0;
  for (double v : out) sum += v;
  const double mean = sum / static_cast<double>(count);
  double sq = 0;
  for (double v : out) sq += (v - mean) * (v - mean);
  const double sd = std::max(std::sqrt(sq / static_cast<double>(count)), 1e-5);
  for (double& v : out) v = (v - mean) / sd;
  return out;
}

void extractPatch(const std::vector<double>& standardised, int columns, int y0, int x0, float* out) {
  for (int r = 0; r < kPatchSize; ++r) {
    const double* src = standardised.data() + static_cast<std::size_t>(y0 + r) * columns + x0;
    float* dst = out + static_cast<std::size_t>(r) * kPatchSize;
    for (int c = 0; c < kPatchSize; ++c) dst[c] = static_cast<float>(src[c]);
  }
}

void assembleHeatmaps(ImageHeatmaps& h) {
  const std::size_t n = static_cast<std::size_t>(h.rows) * h.columns;
  std::vector<float> sumMalignant(n, 0.0f), sumBenign(n, 0.0f), count(n, 0.0f);
  for (int k = 0; k < h.grid.count(); ++k) {
    const auto [y0, x0] = h.grid.origin(k);
    const float malignant = h.patchProbabilities[k][0], benign = h.patchProbabilities[k][1];
    for (int r = y0; r < y0 + kPatchSize; ++r) {
      const std::size_t base = static_cast<std::size_t>(r) * h.columns;
      for (int c = x0; c < x0 + kPatchSize; ++c) {
        sumMalignant[base + c] += malignant;
        sumBenign[base + c] += benign;
        count[base + c] += 1.0f;
      }
    }
  }
  h.malignant.resize(n);
  h.benign.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    h.malignant[i] = sumMalignant[i] / count[i];
    h.benign[i] = sumBenign[i] / count[i];
  }
}

ImageHeatmaps computeHeatmaps(const std::uint16_t* faceRight, int rows, int columns, PatchClassifier& classifier,
                              PythonRandom& rng, int batchSize, core::JobContext* context, double progressFrom,
                              double progressTo, HeatmapMode mode) {
  if (rows < kPatchSize || columns < kPatchSize) {
    throw std::runtime_error("crop of " + std::to_string(rows) + "x" + std::to_string(columns) +
                             " is smaller than one 256x256 patch");
  }
  ImageHeatmaps h;
  h.rows = rows;
  h.columns = columns;
  h.grid = patchGrid(rows, columns, rng);
  const std::vector<double> standardised = standardiseForPatches(faceRight, static_cast<std::size_t>(rows) * columns);
  const int total = h.grid.count();
  if (mode == HeatmapMode::Fast) {
    if (context) context->throwIfCancelled();
    std::vector<float> image(standardised.begin(), standardised.end());
    std::vector<std::array<int, 2>> origins(total);
    for (int k = 0; k < total; ++k) origins[k] = h.grid.origin(k);
    h.patchProbabilities = classifier.classifyFullyConvolutional(image.data(), rows, columns, origins);
    if (context) context->progress(progressTo, "Heatmaps (fast mode): " + std::to_string(total) + " patches");
    assembleHeatmaps(h);
    return h;
  }
  // Exact-mode shortcut: patches with no breast pixel (all stored values 0) are identical after the
  // whole-image standardisation, so one of them stands for all (same input, same output).
  std::vector<std::uint32_t> integral(static_cast<std::size_t>(rows + 1) * (columns + 1), 0);
  for (int r = 0; r < rows; ++r) {
    std::uint32_t rowSum = 0;
    for (int c = 0; c < columns; ++c) {
      rowSum += faceRight[static_cast<std::size_t>(r) * columns + c] > 0 ? 1u : 0u;
      integral[static_cast<std::size_t>(r + 1) * (columns + 1) + c + 1] =
          integral[static_cast<std::size_t>(r) * (columns + 1) + c + 1] + rowSum;
    }
  }
  auto breastPixels = [&](int y0, int x0) {
    auto at = [&](int r, int c) { return integral[static_cast<std::size_t>(r) * (columns + 1) + c]; };
    return at(y0 + kPatchSize, x0 + kPatchSize) - at(y0, x0 + kPatchSize) - at(y0 + kPatchSize, x0) + at(y0, x0);
  };
  std::vector<int> toClassify;  // every breast patch, plus the first background patch as representative
  int background = -1;
  for (int k = 0; k < total; ++k) {
    const auto [y0, x0] = h.grid.origin(k);
    if (breastPixels(y0, x0) == 0) {
      if (background >= 0) continue;
      background = k;
    }
    toClassify.push_back(k);
  }
  h.patchProbabilities.assign(total, {});
  std::vector<float> batch(static_cast<std::size_t>(batchSize) * kPatchSize * kPatchSize);
  const int work = static_cast<int>(toClassify.size());
  for (int start = 0; start < work; start += batchSize) {
    if (context) context->throwIfCancelled();
    const int n = std::min(batchSize, work - start);
    for (int i = 0; i < n; ++i) {
      const auto [y0, x0] = h.grid.origin(toClassify[start + i]);
      extractPatch(standardised, columns, y0, x0, batch.data() + static_cast<std::size_t>(i) * kPatchSize * kPatchSize);
    }
    const auto probabilities = classifier.classify(batch.data(), n);
    for (int i = 0; i < n; ++i) h.patchProbabilities[toClassify[start + i]] = probabilities[i];
    if (context) {
      context->progress(progressFrom + (progressTo - progressFrom) * (start + n) / work,
                        "Heatmaps: " + std::to_string(start + n) + "/" + std::to_string(work) + " patches");
    }
  }
  if (background >= 0) {
    for (int k = 0; k < total; ++k) {
      const auto [y0, x0] = h.grid.origin(k);
      if (breastPixels(y0, x0) == 0) h.patchProbabilities[k] = h.patchProbabilities[background];
    }
  }
  assembleHeatmaps(h);
  return h;
}

}  // namespace mammo::inference
