#pragma once
// ROC curve and area under it for one binary label, as reported per epoch by the trainers.
#include <vector>

namespace mammo::training {

struct RocPoint {
  double falsePositiveRate = 0;
  double truePositiveRate = 0;
  double threshold = 0;
};

// AUC as the Mann-Whitney statistic: P(score of a positive > score of a negative), ties count 1/2.
// Returns NaN when either class is absent (AUC undefined). labels: 0 or 1; sizes must match.
double rocAuc(const std::vector<double>& scores, const std::vector<int>& labels);

// The ROC curve from (0,0) to (1,1), one point per distinct threshold, descending thresholds.
std::vector<RocPoint> rocCurve(const std::vector<double>& scores, const std::vector<int>& labels);

}  // namespace mammo::training
