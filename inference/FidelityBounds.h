#pragma once
// How far any approximation of the heatmap stage may go before the image+heatmaps model's per-breast
// probabilities move by more than a tolerance (mammolens-bench --bounds). Starts from the exact patch
// probabilities (the reference's, which exact mode reproduces), changes them in controlled ways — uniform
// shifts, random per-patch errors, and patch subsets known exactly with the rest interpolated (a lower
// bound on the error of any method that classifies only that subset) — and runs stage 4 on each.
// Also exact mode's speed-ups taken away one at a time (--exact-ablation). Both run on the calling thread
// for minutes and report each result as it is computed; the caller prints them.
#include <array>
#include <functional>
#include <string>
#include <vector>

#include "core/Exam.h"

namespace mammo::inference {

class PatchClassifier;
class CancerModel;

struct BoundsOptions {
  int samples = 10;
  bool augment = true;
  bool bfloat16 = false;  // also every patch through PatchClassifier::classifyApproximate (about a minute)
};

struct BoundsExam {
  std::string examId;
  int patches = 0, foreground = 0;  // all patches of the four grids, those with breast tissue
};

// One variant of the patch probabilities and what it does to stage 4.
struct BoundsRow {
  std::string name;
  int classified = 0;  // tissue patches whose value is exact (or computed) rather than estimated
  double inverseFraction = 0;  // foreground / classified; 0 when nothing was classified
  double minCorrelation = 1, maxDifference = 0, meanDifference = 0;  // heatmaps against exact, worst view
  double biasMalignant = 0, biasBenign = 0;  // mean signed heatmap difference, averaged over the views
  std::array<double, 4> change{};  // per-breast probabilities minus the exact row's (LB RB LM RM)
  double largestChange = 0;
};

struct BoundsEvents {
  std::function<void(const BoundsExam&)> exam;  // once the grids are known
  std::function<void(const BoundsRow&)> row;  // as each variant is computed
  std::function<void(const std::string& line)> note;  // what else is worth saying (human text)
};

// `exact`: per view (StandardView order) the exact patch probabilities in the reference's patch order; an
// empty view's are computed with exact mode first. Throws std::runtime_error when a view's patch count does
// not match its grid.
void fidelityBounds(const core::Exam& exam, const std::array<std::vector<std::array<float, 4>>, 4>& exact,
                    PatchClassifier& patch, CancerModel& imageHeatmaps, const BoundsOptions& options,
                    const BoundsEvents& events);

struct AblationRow {
  std::string name;
  double secondsPerPatch = 0;
  double relative = 1;  // to the shipped settings' time
  double maxDifference = 0;  // of the outputs from the shipped settings' (0: the numbers are kept)
};
struct AblationResult {
  int patches = 0;  // tissue patches timed
  int examPatches = 0, backgroundPatches = 0;
  double shippedSecondsPerPatch = 0;
};

// Exact mode's speed-ups taken away one at a time, on `patches` tissue patches of the exam's first views
// (reference grid, seed 0): seconds per patch (best of `repeats`), relative to the shipped settings, and the
// largest output difference from them. A last row times fast mode's bfloat16 copy on the same patches, for
// comparison (not exact). `onRow` as each variant is timed; returns the counts for the shared background
// patch's saving.
AblationResult exactAblation(const core::Exam& exam, PatchClassifier& patch, int patches, int repeats, int threads,
                             const std::function<void(const AblationResult& soFar, const AblationRow&)>& onRow);

}  // namespace mammo::inference
