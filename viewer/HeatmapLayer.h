#pragma once
// One heatmap overlay (benign or malignant) on a hung image: a float map in the image's stored pixel grid,
// coloured through a colour map with opacity and a threshold below which nothing is drawn, or drawn as
// iso-contours at the threshold. Plain state and
// the colouring maths live here; ViewScene owns the VTK actor that shows it. GUI thread only.
#include <array>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "core/Raster.h"
#include "core/Types.h"

namespace mammo::viewer {

using core::HeatmapKind;
enum class ColourMap { Hot, Green, Jet };
std::string_view toString(ColourMap);

struct HeatmapStyle {
  bool visible = true;
  double opacity = 0.45;  // 0 = invisible
  double threshold = 0.1;  // values at or below are fully transparent
  ColourMap colours = ColourMap::Hot;
  double maxValue = 1.0;  // the value shown at the top of the colour map
  // Iso-contours at the threshold instead of filled colour: lines in the colour of the map at the threshold,
  // drawn opaque (opacity 0 still hides them), so the tissue inside stays unobstructed.
  bool contours = false;
};

// What a reader sees first: the malignant heatmap (hot colours, above 0.1); the benign one (green, above 0.2)
// one key away, hidden, because above a low threshold it covers most of the breast and hides the image.
HeatmapStyle defaultHeatmapStyle(HeatmapKind kind);

// The colour of the contour lines of a style (the map at threshold / maxValue).
std::array<std::uint8_t, 3> contourColour(const HeatmapStyle& style);

// A heatmap in the stored image's pixel grid (empty: none).
using Heatmap = core::FloatRaster;

// RGB of a colour map at t in [0, 1].
std::array<std::uint8_t, 3> colourAt(ColourMap map, double t);

// RGBA pixels (rows x columns x 4, row 0 first) for the heatmap with the style applied; alpha 0 where the
// value is at or below the threshold or the style is hidden.
std::vector<std::uint8_t> colourise(const Heatmap& heatmap, const HeatmapStyle& style);

}  // namespace mammo::viewer
