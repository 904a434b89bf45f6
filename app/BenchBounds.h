#pragma once
// mammolens-bench's tables of inference/FidelityBounds: --bounds (fast mode's fidelity bounds) and
// --exact-ablation (exact mode's speed-ups one at a time), printed as each row is computed.
#include <array>
#include <vector>

#include "core/Exam.h"
#include "inference/FidelityBounds.h"

namespace mammo::bench {

void printFidelityBounds(const core::Exam& exam, const std::array<std::vector<std::array<float, 4>>, 4>& exact,
                         inference::PatchClassifier& patch, inference::CancerModel& imageHeatmaps,
                         const inference::BoundsOptions& options);
void printExactAblation(const core::Exam& exam, inference::PatchClassifier& patch, int patches, int repeats,
                        int threads);

}  // namespace mammo::bench
