#include "viewer/HeatmapLayer.h"

#include <algorithm>
#include <cmath>

namespace mammo::viewer {

std::string_view toString(ColourMap m) {
  switch (m) {
    case ColourMap::Hot:
      return "hot";
    case ColourMap::Green:
      return "green";
    case ColourMap::Jet:
      return "jet";
  }
  return "?";
}

std::array<std::uint8_t, 3> colourAt(ColourMap map, double t) {
  t = std::clamp(t, 0.0, 1.0);
  auto byte = [](double v) { return static_cast<std::uint8_t>(std::lround(255.0 * std::clamp(v, 0.0, 1.0))); };
  switch (map) {
    case ColourMap::Hot:  // black-red-yellow-white, red dominating for malignancy
      return {byte(0.4 + 0.6 * t / 0.4), byte((t - 0.4) / 0.4), byte((t - 0.8) / 0.2)};
    case ColourMap::Green:  // dark to bright green for benign findings
      return {byte((t - 0.7) / 0.3), byte(0.35 + 0.65 * t), byte((t - 0.5) / 0.5 * 0.6)};
    case ColourMap::Jet:
      return {byte(1.5 - std::abs(4 * t - 3)), byte(1.5 - std::abs(4 * t - 2)), byte(1.5 - std::abs(4 * t - 1))};
  }
  return {0, 0, 0};
}

HeatmapStyle defaultHeatmapStyle(HeatmapKind kind) {
  HeatmapStyle style;
  if (kind == HeatmapKind::Benign) {
    style.colours = ColourMap::Green;
    style.visible = false;
    style.threshold = 0.2;
  } else {
    style.colours = ColourMap::Hot;
    style.threshold = 0.1;
  }
  return style;
}

std::array<std::uint8_t, 3> contourColour(const HeatmapStyle& style) {
  return colourAt(style.colours, style.maxValue > 0 ? style.threshold / style.maxValue : style.threshold);
}

std::vector<std::uint8_t> colourise(const Heatmap& heatmap, const HeatmapStyle& style) {
  const size_t n = static_cast<size_t>(heatmap.rows()) * heatmap.columns();
  std::vector<std::uint8_t> rgba(n * 4, 0);
  if (heatmap.empty() || !style.visible || style.opacity <= 0) return rgba;
  const auto alpha = static_cast<std::uint8_t>(std::lround(255.0 * std::clamp(style.opacity, 0.0, 1.0)));
  // A 1024-entry table keeps colouring a full-size mammogram cheap enough for interactive style changes.
  constexpr int kTable = 1024;
  std::array<std::array<std::uint8_t, 3>, kTable> table;
  for (int i = 0; i < kTable; ++i) table[i] = colourAt(style.colours, static_cast<double>(i) / (kTable - 1));
  const double scale = style.maxValue > 0 ? 1.0 / style.maxValue : 1.0;
  const float* v = heatmap.data();
  for (size_t i = 0; i < n; ++i) {
    if (!(v[i] > style.threshold)) continue;  // also skips NaN
    const auto& c = table[std::clamp(static_cast<int>(v[i] * scale * (kTable - 1)), 0, kTable - 1)];
    rgba[4 * i] = c[0];
    rgba[4 * i + 1] = c[1];
    rgba[4 * i + 2] = c[2];
    rgba[4 * i + 3] = alpha;
  }
  return rgba;
}

}  // namespace mammo::viewer
