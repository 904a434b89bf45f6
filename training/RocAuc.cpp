#include "training/RocAuc.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>

namespace mammo::training {
namespace {

std::vector<size_t> orderByScoreDescending(const std::vector<double>& scores, const std::vector<int>& labels) {
  if (scores.size() != labels.size()) throw std::invalid_argument("scores and labels differ in length");
  std::vector<size_t> order(scores.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return scores[a] > scores[b]; });
  return order;
}

}  // namespace

double rocAuc(const std::vector<double>& scores, const std::vector<int>& labels) {
  const std::vector<size_t> order = orderByScoreDescending(scores, labels);
  const double positives = std::count(labels.begin(), labels.end(), 1);
  const double negatives = static_cast<double>(labels.size()) - positives;
  if (positives == 0 || negatives == 0) return std::numeric_limits<double>::quiet_NaN();
  // Walk groups of tied scores: each negative in a group beats the positives seen before it,
  // and ties with the positives of its own group at 1/2.
  double wins = 0, positivesAbove = 0;
  for (size_t i = 0; i < order.size();) {
    size_t j = i;
    double groupPositives = 0, groupNegatives = 0;
    while (j < order.size() && scores[order[j]] == scores[order[i]]) {
      (labels[order[j]] == 1 ? groupPositives : groupNegatives) += 1;
      ++j;
    }
    wins += groupNegatives * (positivesAbove + 0.5 * groupPositives);
    positivesAbove += groupPositives;
    i = j;
  }
  return wins / (positives * negatives);
}

std::vector<RocPoint> rocCurve(const std::vector<double>& scores, const std::vector<int>& labels) {
  const std::vector<size_t> order = orderByScoreDescending(scores, labels);
  const double positives = std::count(labels.begin(), labels.end(), 1);
  const double negatives = static_cast<double>(labels.size()) - positives;
  std::vector<RocPoint> curve{{0, 0, std::numeric_limits<double>::infinity()}};
  double tp = 0, fp = 0;
  for (size_t i = 0; i < order.size();) {
    const double threshold = scores[order[i]];
    while (i < order.size() && scores[order[i]] == threshold) {
      (labels[order[i]] == 1 ? tp : fp) += 1;
      ++i;
    }
    curve.push_back({negatives ? fp / negatives : 0, positives ? tp / positives : 0, threshold});
  }
  return curve;
}

}  // namespace mammo::training
