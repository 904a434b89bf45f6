#include "inference/FidelityBounds.h"

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

namespace mammo::inference {
namespace {

using Probabilities = std::vector<std::array<float, 4>>;
constexpr int kPatch = PatchClassifier::kPatchSize;

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
  const std::vector<int> keptRows = latticeIndices(rows, step);
  const std::vector<int> keptColumns = latticeIndices(columns, step);
  for (int r : keptRows) {
    for (int c : keptColumns) take(r, c);
  }
  std::vector<GridCell> open = latticeCells(keptRows, keptColumns), leaves;
  auto spread = [&](const GridCell& q) {
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
    const GridCell q = open.back();
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
    const auto cells = latticeCells(rs, cs);
    open.insert(open.end(), cells.begin(), cells.end());
  }
  interpolateWithinCells(leaves, rows, known, estimate, values);
  return values;
}

std::string everyNth(int step) {
  static const char* names[] = {"", "", "2nd", "3rd", "4th"};
  return step >= 2 && step <= 4 ? names[step] : std::to_string(step) + "th";
}

}  // namespace

void fidelityBounds(const core::Exam& exam, const std::array<Probabilities, 4>& exact, PatchClassifier& patch,
                    CancerModel& imageHeatmaps, const BoundsOptions& options, const BoundsEvents& events) {
  const auto note = [&events](const std::string& line) {
    if (events.note) events.note(line);
  };
  CroppedExam cropped = cropExam(exam);
  std::array<ViewData, 4> data;
  std::array<ImageHeatmaps, 4> exactMaps;
  PythonRandom strideRng(0);  // the pipeline's grids (seed 0)
  int foreground = 0, total = 0;
  for (int v = 0; v < 4; ++v) {
    ImageHeatmaps& h = cropped.views[v].heatmaps;
    if (exact[v].empty()) {
      // No reference: exact mode computes them (the grid is drawn from the same stream either way).
      note("view " + std::string(core::toString(cropped.views[v].view)) +
           ": exact patch probabilities computed here (exact mode)");
      const ImageHeatmaps computed =
          computeHeatmaps(cropped.faceRight[v].data(), h.rows, h.columns, patch, strideRng, 10);
      h.grid = computed.grid;
      data[v].exact = computed.patchProbabilities;
    } else {
      h.grid = patchGrid(h.rows, h.columns, strideRng);
      data[v].exact = exact[v];
    }
    if (static_cast<int>(data[v].exact.size()) != h.grid.count()) {
      throw std::runtime_error(cropped.views[v].sourcePath + ": " + std::to_string(exact[v].size()) +
                               " reference patches, the grid has " + std::to_string(h.grid.count()));
    }
    data[v].gridRows = static_cast<int>(h.grid.rowStarts.size());
    data[v].background = backgroundPatches(cropped.faceRight[v].data(), h.rows, h.columns, h.grid);
    data[v].standardised = standardiseForPatches(cropped.faceRight[v].data(), cropped.faceRight[v].size());
    exactMaps[v] = h;
    exactMaps[v].patchProbabilities = data[v].exact;
    assembleHeatmaps(exactMaps[v]);
    foreground += data[v].foreground();
    total += h.grid.count();
  }
  if (events.exam) events.exam({exam.id, total, foreground});

  std::optional<std::array<double, 4>> base;
  auto row = [&](const std::string& name, const std::function<Probabilities(ViewData&, int&)>& make) {
    std::array<ViewAnalysis, 4> views = cropped.views;
    BoundsRow r;
    r.name = name;
    for (int v = 0; v < 4; ++v) {
      ImageHeatmaps& h = views[v].heatmaps;
      h.patchProbabilities = make(data[v], r.classified);
      assembleHeatmaps(h);
      for (const auto& [a, b] :
           {std::pair{&exactMaps[v].malignant, &h.malignant}, std::pair{&exactMaps[v].benign, &h.benign}}) {
        const MapAgreement m = compareMaps(*a, *b);
        r.minCorrelation = std::min(r.minCorrelation, m.correlation);
        r.maxDifference = std::max(r.maxDifference, m.maxAbsDifference);
        r.meanDifference = std::max(r.meanDifference, m.meanAbsDifference);
        (a == &exactMaps[v].malignant ? r.biasMalignant : r.biasBenign) += m.meanDifference / 4.0;
      }
    }
    const auto p = predictExam(views, cropped.faceRight, imageHeatmaps, options.samples, options.augment, 0).asArray();
    if (!base) base = p;
    for (int i = 0; i < 4; ++i) {
      r.change[i] = p[i] - (*base)[i];
      r.largestChange = std::max(r.largestChange, std::abs(r.change[i]));
    }
    if (r.classified > 0) r.inverseFraction = double(foreground) / r.classified;
    if (events.row) events.row(r);
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
  auto fullyConvolutional = [&](ViewData& v, const ImageHeatmaps& h) -> const Probabilities& {
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
  auto viewOf = [&](const ViewData& v) -> const ImageHeatmaps& { return cropped.views[&v - data.data()].heatmaps; };
  row("fully convolutional estimate alone (fast mode's pass)", [&](ViewData& v, int&) {
    Probabilities p = fullyConvolutional(v, viewOf(v));
    for (size_t k = 0; k < p.size(); ++k) {
      if (v.background[k]) p[k] = v.exact[k];
    }
    return p;
  });
  char seconds[96];
  std::snprintf(seconds, sizeof seconds, "(the fully convolutional pass over the four crops took %.1f s)",
                fullyConvolutionalSeconds);
  note(seconds);
  for (const int step : {3, 4}) {
    row("fully convolutional + exact corrections every " + everyNth(step), [&, step](ViewData& v, int& n) {
      const Probabilities& estimate = fullyConvolutional(v, viewOf(v));
      return sparse(v, step, 1e9, &estimate, n);
    });
  }
  if (!options.bfloat16) return;
  auto bfloat16 = [&](ViewData& v) -> const Probabilities& {
    if (v.bfloat16.empty()) {
      const ImageHeatmaps& h = viewOf(v);
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
          extractPatch(v.standardised, h.columns, y0, x0, batch.data() + std::size_t(i) * kPatch * kPatch);
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

AblationResult exactAblation(const core::Exam& exam, PatchClassifier& patch, int patches, int repeats, int threads,
                             const std::function<void(const AblationResult&, const AblationRow&)>& onRow) {
  CroppedExam cropped = cropExam(exam);
  PythonRandom strideRng(0);
  std::vector<float> input;  // `patches` tissue patches, 256 x 256 each
  int count = 0, total = 0, background = 0;
  for (int v = 0; v < 4; ++v) {
    const ImageHeatmaps& h = cropped.views[v].heatmaps;
    const PatchGrid grid = patchGrid(h.rows, h.columns, strideRng);
    const std::vector<char> isBackground = backgroundPatches(cropped.faceRight[v].data(), h.rows, h.columns, grid);
    total += grid.count();
    background += static_cast<int>(std::count(isBackground.begin(), isBackground.end(), 1));
    if (count == patches) continue;
    const std::vector<double> standardised =
        standardiseForPatches(cropped.faceRight[v].data(), cropped.faceRight[v].size());
    for (int k = 0; k < grid.count() && count < patches; ++k) {
      if (isBackground[k]) continue;
      input.resize(static_cast<std::size_t>(count + 1) * kPatch * kPatch);
      const auto [y0, x0] = grid.origin(k);
      extractPatch(standardised, h.columns, y0, x0, input.data() + static_cast<std::size_t>(count) * kPatch * kPatch);
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
  AblationResult result;
  result.patches = count;
  result.examPatches = total;
  result.backgroundPatches = background;
  Probabilities shipped;
  double shippedSeconds = 0;
  for (const Variant& variant : variants) {
    applyComputeSettings({threads, "cpu", variant.reuse});
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
      result.shippedSecondsPerPatch = best / count;
    }
    double diff = 0;
    for (int k = 0; k < count; ++k) {
      for (int i = 0; i < 4; ++i) diff = std::max(diff, double(std::abs(out[k][i] - shipped[k][i])));
    }
    if (onRow) onRow(result, {variant.name, best / count, best / shippedSeconds, diff});
  }
  applyComputeSettings({threads, "cpu", true});
  patch.setChannelsLast(true);
  return result;
}

}  // namespace mammo::inference
