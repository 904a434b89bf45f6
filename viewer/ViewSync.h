#pragma once
// Synchronised zoom and pan across hung views: which viewports follow a change, and how a camera is
// carried over. Mirrored hanging puts the two breasts back to back, so the horizontal pan is mirrored
// between views whose chest walls face opposite ways: zooming into the right breast's nipple region shows
// the left breast's nipple region too. GUI thread only (touches ViewScenes).
#include <vector>

#include "core/Affine2D.h"
#include "viewer/HangingLayout.h"

namespace mammo::viewer {

class ViewScene;

enum class SyncScope {
  None,  // every view on its own
  MirroredPair,  // R-CC with L-CC, R-MLO with L-MLO, a current view with its prior (viewer::hungPair)
  AllViews,  // every hung view
};

// Indices into `viewports` (other than `source`) that follow a zoom/pan of viewport `source`.
std::vector<int> syncedViewports(const std::vector<Viewport>& viewports, int source, SyncScope scope);

// Copy zoom and pan from `source` to `target`; the horizontal pan changes sign when the two chest walls are
// anchored on opposite screen edges. Both scenes keep their own viewport and anchor.
void followCamera(const ViewScene& source, ViewScene& target);

// Linked views (a current view and its registered prior): `target` shows at its centre the point that
// `sourceToTarget` (stored pixel positions, x = column, y = row) maps the centre of `source` to, at the
// source's magnification of the anatomy (the map's scale taken out). The display is not rotated.
void followLinkedCamera(const ViewScene& source, ViewScene& target, const core::Affine2D& sourceToTarget);

}  // namespace mammo::viewer
