#include "viewer/ViewSync.h"

#include "viewer/ViewScene.h"

#include <cmath>

namespace mammo::viewer {

std::vector<int> syncedViewports(const std::vector<Viewport>& viewports, int source, SyncScope scope) {
  std::vector<int> out;
  if (source < 0 || source >= static_cast<int>(viewports.size()) || scope == SyncScope::None) return out;
  for (int i = 0; i < static_cast<int>(viewports.size()); ++i) {
    if (i == source) continue;
    if (scope == SyncScope::AllViews || hungPair(viewports[source], viewports[i])) out.push_back(i);
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

void followLinkedCamera(const ViewScene& source, ViewScene& target, const core::Affine2D& sourceToTarget) {
  if (!source.hasImage() || !target.hasImage()) return;
  const auto [w, h] = source.viewportSize();
  const auto world = source.worldAt(w / 2.0, h / 2.0);
  const auto centre = source.transform().storedOf(world[0], world[1]);  // (row, col)
  const auto mapped = sourceToTarget.apply(centre[1], centre[0]);  // (x, y) = (col, row)
  // Target pixels per source pixel; the same anatomy at the same size on screen.
  const double scale = std::sqrt(std::abs(sourceToTarget.determinant()));
  if (!(scale > 0) || !std::isfinite(scale)) return;
  target.setZoom(source.pixelScale() / scale / target.fitScale());
  const auto [tw, th] = target.viewportSize();
  const auto want = target.transform().worldOf(mapped[1], mapped[0]);
  const auto now = target.worldAt(tw / 2.0, th / 2.0);
  const auto pan = target.pan();
  target.setPan({pan[0] + want[0] - now[0], pan[1] + want[1] - now[1]});
}

}  // namespace mammo::viewer
