#include "BenchBounds.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <functional>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>

#include "inference/CancerModel.h"
#include "inference/Device.h"
#include "inference/Fidelity.h"
#include "inference/Heatmaps.h"
#include "inference/PatchClassifier.h"
#include "inference/Pipeline.h"
#include "inference/PythonRandom.h"

namespace mammo::bench {
namespace {

using Probabilities = std::vector<std::array<float, 4>>;
constexpr int kPatch = inference::PatchClassifier::kPatchSize;

struct ViewData {
  int gridRows = 0;
  std::vector<char> background;
  Probabilities exact;
  std::vector<double> standardised;
  Probabilities fullyConvolutional, bfloat16;  // computed on first use
  int foreground() const { return static_cast<int>(std::count(background.begin(), background.end(), 0)); }
};

// Patches known exactly on the lattice of every `step`-th row and column (background patches too); cells
// whose corner values span more than `tau` (malignant or benign, after subtracting `estimate`) are split
// at their midpoints, recursively, until a cell is one patch wide. The rest is interpolated.
Probabilities sparse(const ViewData& v, int step, double tau, const Probabilities* estimate, int& classified) {
  const int total = static_cast<int>(v.exact.size()), rows = v.gridRows, columns = total / rows;
  Probabilities values(total);
  std::vector<char> known(total, 0);
  auto take = [&](int r, int c) {
    const int k = c * rows + r;
    if (known[k]) return;
    known[k] = 1;
    values[k] = v.exact[k];
    if (!v.background[k]) ++classified;
  };
  for (int k = 0; k < total; ++k) {
    if (v.background[k]) take(k % rows, k / rows);
  }
  const std::vector<int> keptRows = inference::latticeIndices(rows, step);
  const std::vector<int> keptColumns = inference::latticeIndices(columns, step);
  for (int r : keptRows) {
    for (int c : keptColumns) take(r, c);
  }
  std::vector<inference::GridCell> open = inference::latticeCells(keptRows, keptColumns), leaves;
  auto spread = [&](const inference::GridCell& q) {
    double widest = 0;
    for (int i : {0, 1}) {
      double lo = 1e9, hi = -1e9;
      for (int r : {q.row0, q.row1}) {
        for (int c : {q.column0, q.column1}) {
          const int k = c * rows + r;
          const double x = values[k][i] - (estimate ? (*estimate)[k][i] : 0.0f);
          lo = std::min(lo, x);
          hi = std::max(hi, x);
        }
      }
      widest = std::max(widest, hi - lo);
    }
    return widest;
  };
  while (!open.empty()) {
    const inference::GridCell q = open.back();
    open.pop_back();
    const int height = q.row1 - q.row0, width = q.column1 - q.column0;
    if ((height <= 1 && width <= 1) || spread(q) <= tau) {
      leaves.push_back(q);
      continue;
    }
    std::vector<int> rs{q.row0}, cs{q.column0};
    if (height > 1) rs.push_back((q.row0 + q.row1) / 2);
    if (q.row1 != q.row0) rs.push_back(q.row1);
    if (width > 1) cs.push_back((q.column0 + q.column1) / 2);
    if (q.column1 != q.column0) cs.push_back(q.column1);
    for (int r : rs) {
      for (int c : cs) take(r, c);
    }
    const auto cells = inference::latticeCells(rs, cs);
    open.insert(open.end(), cells.begin(), cells.end());
  }
  inference::interpolateWithinCells(leaves, rows, known, estimate, values);
  return values;
}

std::string everyNth(int step) {
  static const char* names[] = {"", "", "2nd", "3rd", "4th"};
  return step >= 2 && step <= 4 ? names[step] : std::to_string(step) + "th";
}

}  // namespace

void printFidelityBounds(const core::Exam& exam, const std::array<Probabilities, 4>& exact,
                         inference::PatchClassifier& patch, inference::CancerModel& imageHeatmaps,
                         const BoundsOptions& options) {
  inference::CroppedExam cropped = inference::cropExam(exam);
  std::array<ViewData, 4> data;
  std::array<inference::ImageHeatmaps, 4> exactMaps;
  inference::PythonRandom strideRng(0);  // the pipeline's grids (seed 0)
  int foreground = 0, total = 0;
  for (int v = 0; v < 4; ++v) {
    inference::ImageHeatmaps& h = cropped.views[v].heatmaps;
    if (exact[v].empty()) {
      // No reference: exact mode computes them (the grid is drawn from the same stream either way).
      std::printf("view %s: exact patch probabilities computed here (exact mode)\n",
                  std::string(core::toString(cropped.views[v].view)).c_str());
      std::fflush(stdout);
      const inference::ImageHeatmaps computed =
          inference::computeHeatmaps(cropped.faceRight[v].data(), h.rows, h.columns, patch, strideRng, 10);
      h.grid = computed.grid;
      data[v].exact = computed.patchProbabilities;
    } else {
      h.grid = inference::patchGrid(h.rows, h.columns, strideRng);
      data[v].exact = exact[v];
    }
    if (static_cast<int>(data[v].exact.size()) != h.grid.count()) {
      throw std::runtime_error(cropped.views[v].sourcePath + ": " + std::to_string(exact[v].size()) +
                               " reference patches, the grid has " + std::to_string(h.grid.count()));
    }
    data[v].gridRows = static_cast<int>(h.grid.rowStarts.size());
    data[v].background = inference::backgroundPatches(cropped.faceRight[v].data(), h.rows, h.columns, h.grid);
    data[v].standardised = inference::standardiseForPatches(cropped.faceRight[v].data(), cropped.faceRight[v].size());
    exactMaps[v] = h;
    exactMaps[v].patchProbabilities = data[v].exact;
    inference::assembleHeatmaps(exactMaps[v]);
    foreground += data[v].foreground();
    total += h.grid.count();
  }
  std::printf("exam %s: %d patches, %d with breast tissue; stage 4 = image+heatmaps model, %d sample%s%s\n\n",
              exam.id.c_str(), total, foreground, options.samples, options.samples == 1 ? "" : "s",
              options.augment ? " (augmented)" : "");
  std::printf("%-58s %6s %6s %7s %6s %7s %8s %8s   %-31s %7s\n", "patch probabilities", "class.", "1/frac", "corr",
              "max|d|", "mean|d|", "bias mal", "bias ben", "per-breast change LB RB LM RM", "max");

  std::optional<std::array<double, 4>> base;
  auto row = [&](const std::string& name, const std::function<Probabilities(ViewData&, int&)>& make) {
    std::array<inference::ViewAnalysis, 4> views = cropped.views;
    int classified = 0;
    double minCorrelation = 1, maxDiff = 0, meanDiff = 0, biasMalignant = 0, biasBenign = 0;
    for (int v = 0; v < 4; ++v) {
      inference::ImageHeatmaps& h = views[v].heatmaps;
      h.patchProbabilities = make(data[v], classified);
      inference::assembleHeatmaps(h);
      for (const auto& [a, b] : {std::pair{&exactMaps[v].malignant, &h.malignant}, std::pair{&exactMaps[v].benign, &h.benign}}) {
        const inference::MapAgreement m = inference::compareMaps(*a, *b);
        minCorrelation = std::min(minCorrelation, m.correlation);
        maxDiff = std::max(maxDiff, m.maxAbsDifference);
        meanDiff = std::max(meanDiff, m.meanAbsDifference);
        (a == &exactMaps[v].malignant ? biasMalignant : biasBenign) += m.meanDifference / 4.0;
      }
    }
    const auto p = inference::predictExam(views, cropped.faceRight, imageHeatmaps, options.samples, options.augment, 0)
                       .asArray();
    if (!base) base = p;
    double largest = 0;
    std::array<double, 4> d{};
    for (int i = 0; i < 4; ++i) {
      d[i] = p[i] - (*base)[i];
      largest = std::max(largest, std::abs(d[i]));
    }
    char inverse[16] = "     -";
    if (classified > 0) std::snprintf(inverse, sizeof inverse, "%6.1f", double(foreground) / classified);
    std::printf("%-58s %6d %6s %7.4f %6.3f %7.4f %+8.4f %+8.4f   %+7.4f %+7.4f %+7.4f %+7.4f %7.4f\n", name.c_str(),
                classified, inverse, minCorrelation, maxDiff, meanDiff,
                biasMalignant, biasBenign, d[0], d[1], d[2], d[3], largest);
    std::fflush(stdout);
  };
  auto everyPatch = [](ViewData& v, int& n) {
    n += v.foreground();
    return v.exact;
  };
  row("exact (the base of the changes below)", everyPatch);

  for (const double shift : {0.005, -0.005}) {
    char name[80];
    std::snprintf(name, sizeof name, "exact %+.3f, malignant and benign", shift);
    row(name, [shift](ViewData& v, int&) {
      Probabilities p = v.exact;
      for (size_t k = 0; k < p.size(); ++k) {
        if (v.background[k]) continue;
        for (int i : {0, 1}) p[k][i] = std::clamp(p[k][i] + float(shift), 0.0f, 1.0f);
      }
      return p;
    });
  }
  for (const double sigma : {0.02, 0.05}) {
    char name[80];
    std::snprintf(name, sizeof name, "exact + independent normal error per patch, sd %.2f", sigma);
    std::mt19937 generator(1);
    row(name, [&](ViewData& v, int&) {
      std::normal_distribution<double> error(0.0, sigma);
      Probabilities p = v.exact;
      for (size_t k = 0; k < p.size(); ++k) {
        if (v.background[k]) continue;
        for (int i : {0, 1}) p[k][i] = static_cast<float>(std::clamp(p[k][i] + error(generator), 0.0, 1.0));
      }
      return p;
    });
  }
  for (const int step : {2, 3, 4}) {
    row("exact every " + everyNth(step) + " row and column, bilinear between",
        [step](ViewData& v, int& n) { return sparse(v, step, 1e9, nullptr, n); });
  }
  for (const double tau : {0.15, 0.10}) {
    char name[80];
    std::snprintf(name, sizeof name, "exact every 4th, cells spanning > %.2f refined, bilinear", tau);
    row(name, [tau](ViewData& v, int& n) { return sparse(v, 4, tau, nullptr, n); });
  }
  double fullyConvolutionalSeconds = 0;  // the pass over all four crops (bfloat16 on the CPU)
  auto fullyConvolutional = [&](ViewData& v, const inference::ImageHeatmaps& h) -> const Probabilities& {
    if (v.fullyConvolutional.empty()) {
      const std::vector<float> image(v.standardised.begin(), v.standardised.end());
      std::vector<std::array<int, 2>> origins(h.grid.count());
      for (int k = 0; k < h.grid.count(); ++k) origins[k] = h.grid.origin(k);
      const auto started = std::chrono::steady_clock::now();
      v.fullyConvolutional = patch.classifyFullyConvolutional(image.data(), h.rows, h.columns, origins);
      fullyConvolutionalSeconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    }
    return v.fullyConvolutional;
  };
  auto viewOf = [&](const ViewData& v) -> const inference::ImageHeatmaps& { return cropped.views[&v - data.data()].heatmaps; };
  row("fully convolutional estimate alone (fast mode's pass)", [&](ViewData& v, int&) {
    Probabilities p = fullyConvolutional(v, viewOf(v));
    for (size_t k = 0; k < p.size(); ++k) {
      if (v.background[k]) p[k] = v.exact[k];
    }
    return p;
  });
  std::printf("(the fully convolutional pass over the four crops took %.1f s)\n", fullyConvolutionalSeconds);
  for (const int step : {3, 4}) {
    row("fully convolutional + exact corrections every " + everyNth(step), [&, step](ViewData& v, int& n) {
      const Probabilities& estimate = fullyConvolutional(v, viewOf(v));
      return sparse(v, step, 1e9, &estimate, n);
    });
  }
  if (!options.bfloat16) return;
  auto bfloat16 = [&](ViewData& v) -> const Probabilities& {
    if (v.bfloat16.empty()) {
      const inference::ImageHeatmaps& h = viewOf(v);
      v.bfloat16 = v.exact;
      std::vector<int> todo;
      for (int k = 0; k < h.grid.count(); ++k) {
        if (!v.background[k]) todo.push_back(k);
      }
      std::vector<float> batch(10 * std::size_t(kPatch) * kPatch);
      for (size_t start = 0; start < todo.size(); start += 10) {
        const int n = static_cast<int>(std::min<size_t>(10, todo.size() - start));
        for (int i = 0; i < n; ++i) {
          const auto [y0, x0] = h.grid.origin(todo[start + i]);
          inference::extractPatch(v.standardised, h.columns, y0, x0, batch.data() + std::size_t(i) * kPatch * kPatch);
        }
        const auto p = patch.classifyApproximate(batch.data(), n);
        for (int i = 0; i < n; ++i) v.bfloat16[todo[start + i]] = p[i];
      }
    }
    return v.bfloat16;
  };
  row("every patch in bfloat16 (classifyApproximate)", [&](ViewData& v, int& n) {
    n += v.foreground();
    return bfloat16(v);
  });
}

void printExactAblation(const core::Exam& exam, inference::PatchClassifier& patch, int patches, int repeats,
                        int threads) {
  inference::CroppedExam cropped = inference::cropExam(exam);
  inference::PythonRandom strideRng(0);
  std::vector<float> input;  // `patches` tissue patches, 256 x 256 each
  int count = 0, total = 0, background = 0;
  for (int v = 0; v < 4; ++v) {
    const inference::ImageHeatmaps& h = cropped.views[v].heatmaps;
    const inference::PatchGrid grid = inference::patchGrid(h.rows, h.columns, strideRng);
    const std::vector<char> isBackground = inference::backgroundPatches(cropped.faceRight[v].data(), h.rows, h.columns, grid);
    total += grid.count();
    background += static_cast<int>(std::count(isBackground.begin(), isBackground.end(), 1));
    if (count == patches) continue;
    const std::vector<double> standardised =
        inference::standardiseForPatches(cropped.faceRight[v].data(), cropped.faceRight[v].size());
    for (int k = 0; k < grid.count() && count < patches; ++k) {
      if (isBackground[k]) continue;
      input.resize(static_cast<std::size_t>(count + 1) * kPatch * kPatch);
      const auto [y0, x0] = grid.origin(k);
      inference::extractPatch(standardised, h.columns, y0, x0, input.data() + static_cast<std::size_t>(count) * kPatch * kPatch);
      ++count;
    }
  }
  struct Variant {
    std::string name;
    int batch = 10;
    bool channelsLast = true, reuse = true;
    bool approximate = false;  // fast mode's bfloat16 copy instead of the exact network
  };
  const std::vector<Variant> variants = {
      {"shipped: batch 10, channels-last, large blocks reused", 10, true, true},
      {"batch 100 (the reference's)", 100, true, true},
      {"batch 1", 1, true, true},
      {"NCHW weights and inputs instead of channels-last", 10, false, true},
      {"glibc's default mmap threshold (activations unmapped)", 10, true, false},
      {"bfloat16 copy (fast mode's classifyApproximate, not exact)", 10, true, true, true},
  };
  std::printf("exact mode's speed-ups taken away one at a time: %d tissue patches of exam %s, %d thread%s, best of %d\n\n",
              count, exam.id.c_str(), threads, threads == 1 ? "" : "s", repeats);
  std::printf("%-60s %11s %9s %12s\n", "variant", "s / patch", "relative", "max |diff|");
  Probabilities shipped;
  double shippedSeconds = 0;
  for (const Variant& variant : variants) {
    inference::applyComputeSettings({threads, "cpu", variant.reuse});
    patch.setChannelsLast(variant.channelsLast);
    if (variant.approximate) patch.classifyApproximate(input.data(), 1);  // makes the copy, outside the timing
    double best = 1e300;
    Probabilities out(count);
    for (int r = 0; r < repeats; ++r) {
      const auto started = std::chrono::steady_clock::now();
      for (int start = 0; start < count; start += variant.batch) {
        const int n = std::min(variant.batch, count - start);
        const float* first = input.data() + static_cast<std::size_t>(start) * kPatch * kPatch;
        const auto p = variant.approximate ? patch.classifyApproximate(first, n) : patch.classify(first, n);
        std::copy(p.begin(), p.end(), out.begin() + start);
      }
      best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    }
    if (shipped.empty()) {
      shipped = out;
      shippedSeconds = best;
    }
    double diff = 0;
    for (int k = 0; k < count; ++k) {
      for (int i = 0; i < 4; ++i) diff = std::max(diff, double(std::abs(out[k][i] - shipped[k][i])));
    }
    std::printf("%-60s %11.4f %8.2fx %12.3g\n", variant.name.c_str(), best / count, best / shippedSeconds, diff);
    std::fflush(stdout);
  }
  inference::applyComputeSettings({threads, "cpu", true});
  patch.setChannelsLast(true);
  std::printf("\nshared background patch: %d of the exam's %d patches hold no breast pixel; classifying one of them "
              "saves %d forwards, %.1f s at the shipped rate\n",
              background, total, std::max(0, background - 1), std::max(0, background - 1) * shippedSeconds / count);
}

}  // namespace mammo::bench
