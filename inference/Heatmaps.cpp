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

std::vector<char> backgroundPatches(const std::uint16_t* faceRight, int rows, int columns, const PatchGrid& grid) {
  std::vector<std::uint32_t> integral(static_cast<std::size_t>(rows + 1) * (columns + 1), 0);
  for (int r = 0; r < rows; ++r) {
    std::uint32_t rowSum = 0;
    for (int c = 0; c < columns; ++c) {
      rowSum += faceRight[static_cast<std::size_t>(r) * columns + c] > 0 ? 1u : 0u;
      integral[static_cast<std::size_t>(r + 1) * (columns + 1) + c + 1] =
          integral[static_cast<std::size_t>(r) * (columns + 1) + c + 1] + rowSum;
    }
  }
  auto at = [&](int r, int c) { return integral[static_cast<std::size_t>(r) * (columns + 1) + c]; };
  std::vector<char> background(grid.count(), 0);
  for (int k = 0; k < grid.count(); ++k) {
    const auto [y0, x0] = grid.origin(k);
    background[k] =
        at(y0 + kPatchSize, x0 + kPatchSize) - at(y0, x0 + kPatchSize) - at(y0 + kPatchSize, x0) + at(y0, x0) == 0;
  }
  return background;
}

std::vector<int> latticeIndices(int n, int step) {
  std::vector<int> kept;
  for (int i = 0; i < n; i += std::max(step, 1)) kept.push_back(i);
  if (n > 0 && kept.back() != n - 1) kept.push_back(n - 1);
  return kept;
}

std::vector<GridCell> latticeCells(const std::vector<int>& keptRows, const std::vector<int>& keptColumns) {
  // A single kept row or column makes degenerate cells (row0 == row1), which interpolate along the other axis.
  auto spans = [](const std::vector<int>& kept) {
    std::vector<std::array<int, 2>> out;
    for (size_t j = 0; j + 1 < kept.size(); ++j) out.push_back({kept[j], kept[j + 1]});
    if (kept.size() == 1) out.push_back({kept[0], kept[0]});
    return out;
  };
  std::vector<GridCell> cells;
  for (const auto& [r0, r1] : spans(keptRows)) {
    for (const auto& [c0, c1] : spans(keptColumns)) cells.push_back({r0, r1, c0, c1});
  }
  return cells;
}

void interpolateWithinCells(const std::vector<GridCell>& cells, int gridRows, const std::vector<char>& known,
                            const std::vector<std::array<float, 4>>* estimate,
                            std::vector<std::array<float, 4>>& values) {
  auto correction = [&](int row, int column) {
    const int k = column * gridRows + row;
    std::array<double, 4> c{};
    for (int i = 0; i < 4; ++i) c[i] = double(values[k][i]) - (estimate ? double((*estimate)[k][i]) : 0.0);
    return c;
  };
  for (const GridCell& cell : cells) {
    const auto c00 = correction(cell.row0, cell.column0), c01 = correction(cell.row0, cell.column1);
    const auto c10 = correction(cell.row1, cell.column0), c11 = correction(cell.row1, cell.column1);
    for (int c = cell.column0; c <= cell.column1; ++c) {
      const double tc = cell.column1 > cell.column0 ? double(c - cell.column0) / (cell.column1 - cell.column0) : 0.0;
      for (int r = cell.row0; r <= cell.row1; ++r) {
        const int k = c * gridRows + r;
        if (known[k]) continue;
        const double tr = cell.row1 > cell.row0 ? double(r - cell.row0) / (cell.row1 - cell.row0) : 0.0;
        for (int i = 0; i < 4; ++i) {
          const double d =
              (1 - tr) * (1 - tc) * c00[i] + (1 - tr) * tc * c01[i] + tr * (1 - tc) * c10[i] + tr * tc * c11[i];
          values[k][i] = static_cast<float>(std::clamp((estimate ? double((*estimate)[k][i]) : 0.0) + d, 0.0, 1.0));
        }
      }
    }
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
  // Patches with no breast pixel are identical after the standardisation: one of them stands for all.
  const std::vector<char> isBackground = backgroundPatches(faceRight, rows, columns, h.grid);
  // Fast mode classifies (classifyApproximate) only the patches of every kFastStep-th grid row and column,
  // plus the last row and column; see the end for the others.
  constexpr int kFastStep = 3;
  const int gridRows = static_cast<int>(h.grid.rowStarts.size());
  const int gridColumns = static_cast<int>(h.grid.columnStarts.size());
  const int step = mode == HeatmapMode::Fast ? kFastStep : 1;
  const std::vector<int> keptRows = latticeIndices(gridRows, step), keptColumns = latticeIndices(gridColumns, step);
  std::vector<char> isKeptRow(gridRows, 0), isKeptColumn(gridColumns, 0);
  for (int r : keptRows) isKeptRow[r] = 1;
  for (int c : keptColumns) isKeptColumn[c] = 1;
  std::vector<int> toClassify;  // every breast patch, plus the first background patch as representative
  int background = -1;
  for (int k = 0; k < total; ++k) {
    if (isBackground[k]) {
      if (background >= 0) continue;
      background = k;
      if (mode == HeatmapMode::Fast) continue;  // classified exactly below, not in the approximate batches
    } else if (!isKeptRow[k % gridRows] || !isKeptColumn[k / gridRows]) {
      continue;
    }
    toClassify.push_back(k);
  }
  h.patchProbabilities.assign(total, {});
  std::vector<float> batch(static_cast<std::size_t>(batchSize) * kPatchSize * kPatchSize);
  const int work = static_cast<int>(toClassify.size());
  // Fast mode: the classified patches take ~55 % of the time, the fully convolutional pass the rest.
  const double classifiedTo =
      mode == HeatmapMode::Fast ? progressFrom + 0.55 * (progressTo - progressFrom) : progressTo;
  for (int start = 0; start < work; start += batchSize) {
    if (context) context->throwIfCancelled();
    const int n = std::min(batchSize, work - start);
    for (int i = 0; i < n; ++i) {
      const auto [y0, x0] = h.grid.origin(toClassify[start + i]);
      extractPatch(standardised, columns, y0, x0, batch.data() + static_cast<std::size_t>(i) * kPatchSize * kPatchSize);
    }
    const auto probabilities = mode == HeatmapMode::Fast ? classifier.classifyApproximate(batch.data(), n)
                                                         : classifier.classify(batch.data(), n);
    for (int i = 0; i < n; ++i) h.patchProbabilities[toClassify[start + i]] = probabilities[i];
    if (context) {
      context->progress(progressFrom + (classifiedTo - progressFrom) * (start + n) / work,
                        std::string(mode == HeatmapMode::Fast ? "Heatmaps (fast mode): " : "Heatmaps: ") +
                            std::to_string(start + n) + "/" + std::to_string(work) + " patches");
    }
  }
  std::vector<char> known(total, 0);
  for (int k : toClassify) known[k] = 1;
  if (background >= 0 && mode == HeatmapMode::Fast) {
    // The background representative stands for many patches: classified exactly (one patch).
    const auto [y0, x0] = h.grid.origin(background);
    extractPatch(standardised, columns, y0, x0, batch.data());
    h.patchProbabilities[background] = classifier.classify(batch.data(), 1)[0];
  }
  if (background >= 0) {
    for (int k = 0; k < total; ++k) {
      if (isBackground[k]) {
        h.patchProbabilities[k] = h.patchProbabilities[background];
        known[k] = 1;
      }
    }
  }
  if (mode == HeatmapMode::Fast) {
    // Every other patch: the fully convolutional estimate (cheap, but it sees the neighbouring tissue where
    // the patch network sees zero padding) plus the classified patches' own correction (classified minus
    // fully convolutional), interpolated bilinearly in the patch grid from the four nearest classified
    // patches. Background patches are exact (above).
    if (context) context->throwIfCancelled();
    std::vector<float> image(standardised.begin(), standardised.end());
    std::vector<std::array<int, 2>> origins(total);
    for (int k = 0; k < total; ++k) origins[k] = h.grid.origin(k);
    const auto estimate = classifier.classifyFullyConvolutional(image.data(), rows, columns, origins);
    interpolateWithinCells(latticeCells(keptRows, keptColumns), gridRows, known, &estimate, h.patchProbabilities);
    if (context) context->progress(progressTo, "Heatmaps (fast mode): " + std::to_string(total) + " patches");
  }
  assembleHeatmaps(h);
  return h;
}

}  // namespace mammo::inference
