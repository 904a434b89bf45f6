#include "inference/Fidelity.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace mammo::inference {

MapAgreement compareMaps(const std::vector<float>& a, const std::vector<float>& b) {
  if (a.size() != b.size() || a.empty()) throw std::invalid_argument("compareMaps: sizes differ");
  double sa = 0, sb = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    sa += a[i];
    sb += b[i];
  }
  const double ma = sa / a.size(), mb = sb / b.size();
  double cov = 0, va = 0, vb = 0;
  MapAgreement m;
  for (size_t i = 0; i < a.size(); ++i) {
    const double da = a[i] - ma, db = b[i] - mb;
    cov += da * db;
    va += da * da;
    vb += db * db;
    const double d = std::abs(double(a[i]) - b[i]);
    m.maxAbsDifference = std::max(m.maxAbsDifference, d);
    m.meanAbsDifference += d;
  }
  m.meanAbsDifference /= a.size();
  m.meanDifference = mb - ma;
  m.correlation = (va > 0 && vb > 0) ? cov / std::sqrt(va * vb) : (va == vb ? 1.0 : 0.0);
  return m;
}

FidelityReport compareResults(const PipelineResult& exact, const PipelineResult& fast) {
  FidelityReport r;
  for (int v = 0; v < 4; ++v) {
    r.heatmaps[v][0] = compareMaps(exact.views[v].heatmaps.benign, fast.views[v].heatmaps.benign);
    r.heatmaps[v][1] = compareMaps(exact.views[v].heatmaps.malignant, fast.views[v].heatmaps.malignant);
  }
  if (exact.imageHeatmaps && fast.imageHeatmaps) {
    const auto e = exact.imageHeatmaps->asArray(), f = fast.imageHeatmaps->asArray();
    for (int i = 0; i < 4; ++i) {
      r.imageHeatmapsDelta[i] = std::abs(e[i] - f[i]);
      r.maxProbabilityDelta = std::max(r.maxProbabilityDelta, r.imageHeatmapsDelta[i]);
    }
  }
  return r;
}

}  // namespace mammo::inference
