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

enum class Layout { FourView, CcPair, MloPair, RightBreast, LeftBreast, Single };
std::optional<Layout> parseLayout(std::string_view);  // "2x2", "cc", "mlo", "right", "left", "single"

struct Viewport {
  core::StandardView view;
  std::array<double, 4> bounds;  // xmin, ymin, xmax, ymax in [0, 1]
  core::ImageEdge chestWallOnScreen;  // the viewport edge the chest wall is anchored to
};

// Default 2x2: top row R-CC | L-CC, bottom row R-MLO | L-MLO; right breast on the viewer's left,
// chest walls back to back at the vertical midline. `single` names the view for Layout::Single.
std::vector<Viewport> hangingViewports(Layout layout, core::StandardView single = core::StandardView::RCC);

// Mirror the stored image when its chest wall (detected, else expected from laterality) is not on the
// edge the protocol wants. This is a display transform only; pixels are untouched.
bool needsMirror(const core::Image& image, core::ImageEdge chestWallOnScreen);

}  // namespace mammo::viewer
