#include "viewer/ViewSync.h"

#include "viewer/ViewScene.h"

namespace mammo::viewer {

std::vector<int> syncedViewports(const std::vector<Viewport>& viewports, int source, SyncScope scope) {
  std::vector<int> out;
  if (source < 0 || source >= static_cast<int>(viewports.size()) || scope == SyncScope::None) return out;
  const core::StandardView from = viewports[source].view;
  for (int i = 0; i < static_cast<int>(viewports.size()); ++i) {
    if (i == source) continue;
    const core::StandardView v = viewports[i].view;
    const bool pair =
        core::viewPositionOf(v) == core::viewPositionOf(from) && core::lateralityOf(v) != core::lateralityOf(from);
    if (scope == SyncScope::AllViews || pair) out.push_back(i);
  }
  return out;
}

void followCamera(const ViewScene& source, ViewScene& target) {
  if (!target.hasImage()) return;
  const bool opposite = source.anchor() != target.anchor() && source.anchor() != core::ImageEdge::Unknown &&
                        target.anchor() != core::ImageEdge::Unknown;
  const auto pan = source.pan();
  // Zoom relative to fit, so views of different sizes keep showing the same part of their breast.
  target.setZoom(source.zoom());
  target.setPan({opposite ? -pan[0] : pan[0], pan[1]});
}

}  // namespace mammo::viewer
