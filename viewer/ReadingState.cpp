#include "viewer/ReadingState.h"

#include <algorithm>
#include <cmath>

namespace mammo::viewer {

ReadingState::ReadingState() {
  for (HeatmapKind kind : {HeatmapKind::Benign, HeatmapKind::Malignant})
    styles[static_cast<int>(kind)] = defaultHeatmapStyle(kind);
}

void ReadingState::setExam(std::shared_ptr<const core::Exam> e) {
  exam = std::move(e);
  heatmaps = {};
  display = {};
  measurements = {};
  setPrior(nullptr, {});
}

void ReadingState::setPrior(std::shared_ptr<const core::Exam> priorExam,
                            std::array<std::optional<PriorLink>, 4> links) {
  prior = std::move(priorExam);
  priorLinks = prior ? std::move(links) : std::array<std::optional<PriorLink>, 4>{};
  priorDisplay = {};
}

void ReadingState::addMeasurement(core::StandardView view, const Measurement& m) {
  measurementsOf(view).push_back(m);
  lastMeasured = view;
}

bool ReadingState::deleteNearestMeasurement(core::StandardView view, const std::array<double, 2>& at) {
  std::vector<Measurement>& list = measurementsOf(view);
  if (list.empty()) return false;
  const auto nearest = std::min_element(list.begin(), list.end(), [&](const Measurement& a, const Measurement& b) {
    return distanceToSegment(at, a) < distanceToSegment(at, b);
  });
  list.erase(nearest);
  return true;
}

std::optional<core::StandardView> ReadingState::deleteLastMeasurement() {
  std::vector<Measurement>& last = measurementsOf(lastMeasured);
  if (last.empty()) return std::nullopt;
  last.pop_back();
  return lastMeasured;
}

double distanceToSegment(const std::array<double, 2>& p, const Measurement& m) {
  const double dr = m.to[0] - m.from[0], dc = m.to[1] - m.from[1];
  const double len2 = dr * dr + dc * dc;
  const double t = len2 > 0 ? std::clamp(((p[0] - m.from[0]) * dr + (p[1] - m.from[1]) * dc) / len2, 0.0, 1.0) : 0.0;
  return std::hypot(p[0] - (m.from[0] + t * dr), p[1] - (m.from[1] + t * dc));
}

}  // namespace mammo::viewer
