#pragma once
// mammolens-bench --bounds: how far any approximation of the heatmap stage may go before the image+heatmaps
// model's per-breast probabilities move by more than a tolerance. Starts from the exact patch
// probabilities (the reference's, which exact mode reproduces), changes them in controlled ways — uniform
// shifts, random per-patch errors, and patch subsets known exactly with the rest interpolated (a lower
// bound on the error of any method that classifies only that subset) — and runs stage 4 on each.
#include <array>
#include <vector>

#include "core/Exam.h"

namespace mammo::inference {
class PatchClassifier;
class CancerModel;
}  // namespace mammo::inference

namespace mammo::bench {

struct BoundsOptions {
  int samples = 10;
  bool augment = true;
  bool bfloat16 = false;  // also every patch through PatchClassifier::classifyApproximate (about a minute)
};

// `exact`: per view (StandardView order) the exact patch probabilities in the reference's patch order; an
// empty view's are computed with exact mode first.
// Prints one row per variant. Throws std::runtime_error when a view's patch count does not match its grid.
void printFidelityBounds(const core::Exam& exam, const std::array<std::vector<std::array<float, 4>>, 4>& exact,
                         inference::PatchClassifier& patch, inference::CancerModel& imageHeatmaps,
                         const BoundsOptions& options);

// mammolens-bench --exact-ablation: exact mode's speed-ups taken away one at a time, on `patches` tissue
// patches of the exam's first view with any (reference grid, seed 0): seconds per patch (best of
// `repeats`), relative to the shipped settings, and the largest output difference from them (0 = the
// numbers are kept). A last row times fast mode's bfloat16 copy on the same patches, for comparison (not
// exact). Also what the shared background patch saves on the whole exam, by count.
void printExactAblation(const core::Exam& exam, inference::PatchClassifier& patch, int patches, int repeats,
                        int threads);

}  // namespace mammo::bench
