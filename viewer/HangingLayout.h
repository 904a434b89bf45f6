#pragma once
// The mammography hanging protocol as plain geometry: which view goes into which viewport, which screen
// edge the chest wall must touch (the midline), and whether the stored image must be mirrored to get there.
// Viewports are in VTK normalised display coordinates: (xmin, ymin, xmax, ymax), origin bottom-left.
#include <array>
#include <optional>
#include <string_view>
#include <vector>

#include "core/Image.h"

namespace mammo::viewer {

// Prior: the current view beside the same view of a prior study (ReadingState::prior), chest walls back to
// back at the midline; the current view hangs as in the four-view layout (right breast on the left).
enum class Layout { FourView, CcPair, MloPair, RightBreast, LeftBreast, Single, Prior };
// "2x2", "cc", "mlo", "right", "left", "single", "prior"
std::optional<Layout> parseLayout(std::string_view);

struct Viewport {
  core::StandardView view;
  std::array<double, 4> bounds;  // xmin, ymin, xmax, ymax in [0, 1]
  core::ImageEdge chestWallOnScreen;  // the viewport edge the chest wall is anchored to
  bool prior = false;  // shows the prior study's image of `view` (Layout::Prior)
};

// Two viewports hung as a pair, shown at one scale and zoomed and panned together: a mirrored pair (R/L CC,
// R/L MLO of one study) or the same view of the current and the prior study.
bool hungPair(const Viewport& a, const Viewport& b);

// Default 2x2: top row R-CC | L-CC, bottom row R-MLO | L-MLO; right breast on the viewer's left,
// chest walls back to back at the vertical midline. `single` names the view for Layout::Single and
// Layout::Prior (R views: current | prior; L views: prior | current).
std::vector<Viewport> hangingViewports(Layout layout, core::StandardView single = core::StandardView::RCC);

// Mirror the stored image when its chest wall (detected, else expected from laterality) is not on the
// edge the protocol wants. This is a display transform only; pixels are untouched.
bool needsMirror(const core::Image& image, core::ImageEdge chestWallOnScreen);

// One scale per hung pair (hungPair): the two views shown at one physical scale —
// device pixels per millimetre from the pixel spacing, per stored pixel when either image has none — chosen
// so that the larger image fits its viewport. Per viewport, the pixel scale (device pixels per stored pixel)
// that counts as its fit; nullopt where a viewport has no pair or no image (its own fit then).
// `sizes`: each viewport's size in device pixels; `images`: its image's header, null when empty.
std::vector<std::optional<double>> pairFitScales(const std::vector<Viewport>& viewports,
                                                 const std::vector<std::array<int, 2>>& sizes,
                                                 const std::vector<const core::ImageInfo*>& images);
// Millimetres per stored pixel across (the column spacing), nullopt without a spacing.
std::optional<double> millimetresPerPixel(const core::ImageInfo& info);

}  // namespace mammo::viewer
