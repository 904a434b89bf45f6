#pragma once
// What a radiologist has set up on the hanging panel, as plain values (the panel's view model; no Qt, no
// VTK): the exam, the layout, display settings and measurements per standard view, the AI overlays and
// their styles, the synchronisation and the reading toggles. The panel keeps one and rebuilds its VTK scenes
// from it; everything here survives a layout change, and the per-exam state goes with the exam.
// Not thread-safe (the GUI thread owns it).
#include <array>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/Affine2D.h"
#include "core/Exam.h"
#include "core/Voi.h"
#include "viewer/HangingLayout.h"
#include "viewer/HeatmapLayer.h"
#include "viewer/Measurement.h"
#include "viewer/ViewSync.h"

namespace mammo::viewer {

// How a view of the prior study is linked to the same view of the current one.
struct PriorLink {
  core::Affine2D currentToPrior;  // stored pixel positions (x = column, y = row), current -> prior
  bool registered = false;  // false: the chest-wall alignment (the registration failed or was refused)
  std::string caption;  // corner text of the prior view, e.g. "PRIOR 2024-03-01  registered"
};

struct ReadingState {
  ReadingState();

  // A new exam: its display settings, heatmaps and measurements start empty, and its prior goes.
  void setExam(std::shared_ptr<const core::Exam> exam);
  // The prior study hung by Layout::Prior, with a link per view (views without one are not linked).
  void setPrior(std::shared_ptr<const core::Exam> priorExam, std::array<std::optional<PriorLink>, 4> links);

  const Heatmap& heatmap(core::StandardView view, HeatmapKind kind) const {
    return heatmaps[static_cast<int>(view)][static_cast<int>(kind)];
  }
  std::vector<Measurement>& measurementsOf(core::StandardView view) { return measurements[static_cast<int>(view)]; }
  void addMeasurement(core::StandardView view, const Measurement& m);
  // Deletes the measurement of `view` nearest stored point `at` (row, col); false when the view has none.
  bool deleteNearestMeasurement(core::StandardView view, const std::array<double, 2>& at);
  // Deletes the last measurement made; the view it was in, nullopt when there was none.
  std::optional<core::StandardView> deleteLastMeasurement();

  std::shared_ptr<const core::Exam> exam;
  std::shared_ptr<const core::Exam> prior;  // null when no prior is being compared
  std::array<std::optional<PriorLink>, 4> priorLinks;  // per standard view
  std::array<std::optional<core::DisplaySettings>, 4> priorDisplay;  // the prior's own, per standard view
  Layout layout = Layout::FourView;
  core::StandardView single = core::StandardView::RCC;  // the view of Layout::Single and Layout::Prior
  std::array<std::array<Heatmap, 2>, 4> heatmaps;  // [view][kind], the stored images' grids
  std::array<HeatmapStyle, 2> styles;  // [kind]
  std::array<std::optional<core::DisplaySettings>, 4> display;  // per standard view; none: the header's
  std::array<std::vector<Measurement>, 4> measurements;  // per standard view, stored-image points
  core::StandardView lastMeasured = core::StandardView::RCC;
  bool syncWindowLevel = true;
  SyncScope syncScope = SyncScope::MirroredPair;
  bool loupeOn = false;
  bool measureMode = false;
  bool contours = false;  // heatmaps as iso-lines at the threshold
  bool colourBarsOn = true;
};

// Distance from stored point p to the segment of m, all (row, col).
double distanceToSegment(const std::array<double, 2>& p, const Measurement& m);

}  // namespace mammo::viewer
