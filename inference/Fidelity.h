#pragma once
// How far the fast heatmap mode is from exact mode: per view and class, the Pearson correlation and the
// maximum and mean absolute difference and the mean signed difference (bias) of the heatmaps (crop frame),
// and the change of the four per-breast
// probabilities of each model.
#include <array>

#include "inference/Pipeline.h"

namespace mammo::inference {

struct MapAgreement {
  double correlation = 0;
  double maxAbsDifference = 0;
  double meanAbsDifference = 0;
  double meanDifference = 0;  // mean of b - a
};

struct FidelityReport {
  std::array<std::array<MapAgreement, 2>, 4> heatmaps{};  // [view][0 benign, 1 malignant]
  std::array<double, 4> imageHeatmapsDelta{};  // |fast - exact| per label (LB, RB, LM, RM)
  double maxProbabilityDelta = 0;
};

MapAgreement compareMaps(const std::vector<float>& a, const std::vector<float>& b);
FidelityReport compareResults(const PipelineResult& exact, const PipelineResult& fast);

}  // namespace mammo::inference
