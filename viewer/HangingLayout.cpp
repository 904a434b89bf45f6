#include "viewer/HangingLayout.h"

#include <algorithm>

#include "core/Orientation.h"

namespace mammo::viewer {

using core::ImageEdge;
using core::StandardView;

std::optional<Layout> parseLayout(std::string_view s) {
  if (s == "2x2" || s == "four") return Layout::FourView;
  if (s == "cc") return Layout::CcPair;
  if (s == "mlo") return Layout::MloPair;
  if (s == "right") return Layout::RightBreast;
  if (s == "left") return Layout::LeftBreast;
  if (s == "single") return Layout::Single;
  if (s == "prior") return Layout::Prior;
  return std::nullopt;
}

std::vector<Viewport> hangingViewports(Layout layout, StandardView single) {
  // Right-breast views sit on the screen's left with the chest wall on their right edge, and vice versa.
  auto wall = [](StandardView v) {
    return core::lateralityOf(v) == core::Laterality::Right ? ImageEdge::Right : ImageEdge::Left;
  };
  switch (layout) {
    case Layout::FourView:
      return {{StandardView::RCC, {0.0, 0.5, 0.5, 1.0}, wall(StandardView::RCC)},
              {StandardView::LCC, {0.5, 0.5, 1.0, 1.0}, wall(StandardView::LCC)},
              {StandardView::RMLO, {0.0, 0.0, 0.5, 0.5}, wall(StandardView::RMLO)},
              {StandardView::LMLO, {0.5, 0.0, 1.0, 0.5}, wall(StandardView::LMLO)}};
    case Layout::CcPair:
      return {{StandardView::RCC, {0.0, 0.0, 0.5, 1.0}, ImageEdge::Right},
              {StandardView::LCC, {0.5, 0.0, 1.0, 1.0}, ImageEdge::Left}};
    case Layout::MloPair:
      return {{StandardView::RMLO, {0.0, 0.0, 0.5, 1.0}, ImageEdge::Right},
              {StandardView::LMLO, {0.5, 0.0, 1.0, 1.0}, ImageEdge::Left}};
    case Layout::RightBreast:
      return {{StandardView::RCC, {0.0, 0.5, 1.0, 1.0}, ImageEdge::Right},
              {StandardView::RMLO, {0.0, 0.0, 1.0, 0.5}, ImageEdge::Right}};
    case Layout::LeftBreast:
      return {{StandardView::LCC, {0.0, 0.5, 1.0, 1.0}, ImageEdge::Left},
              {StandardView::LMLO, {0.0, 0.0, 1.0, 0.5}, ImageEdge::Left}};
    case Layout::Single:
      return {{single, {0.0, 0.0, 1.0, 1.0}, wall(single)}};
    case Layout::Prior:
      if (core::lateralityOf(single) == core::Laterality::Right) {
        return {{single, {0.0, 0.0, 0.5, 1.0}, ImageEdge::Right, false},
                {single, {0.5, 0.0, 1.0, 1.0}, ImageEdge::Left, true}};
      }
      return {{single, {0.0, 0.0, 0.5, 1.0}, ImageEdge::Right, true},
              {single, {0.5, 0.0, 1.0, 1.0}, ImageEdge::Left, false}};
  }
  return {};
}

bool hungPair(const Viewport& a, const Viewport& b) {
  if (a.prior != b.prior) return a.view == b.view;
  return core::viewPositionOf(a.view) == core::viewPositionOf(b.view) &&
         core::lateralityOf(a.view) != core::lateralityOf(b.view);
}

bool needsMirror(const core::Image& image, ImageEdge chestWallOnScreen) {
  ImageEdge stored = image.orientation.chestWall;
  if (stored == ImageEdge::Unknown) stored = image.orientation.expected;
  if (stored == ImageEdge::Unknown) stored = core::expectedChestWall(image.info);
  return stored != ImageEdge::Unknown && stored != chestWallOnScreen;
}

std::optional<double> millimetresPerPixel(const core::ImageInfo& info) {
  if (!info.spacing || !(info.spacing->columnMm > 0)) return std::nullopt;
  return info.spacing->columnMm;
}

std::vector<std::optional<double>> pairFitScales(const std::vector<Viewport>& viewports,
                                                 const std::vector<std::array<int, 2>>& sizes,
                                                 const std::vector<const core::ImageInfo*>& images) {
  std::vector<std::optional<double>> out(viewports.size());
  for (std::size_t i = 0; i < viewports.size(); ++i) {
    for (std::size_t j = i + 1; j < viewports.size(); ++j) {
      if (!hungPair(viewports[i], viewports[j])) continue;
      const core::ImageInfo* ia = images[i];
      const core::ImageInfo* ib = images[j];
      if (!ia || !ib || ia->rows <= 0 || ib->rows <= 0 || sizes[i][0] <= 0 || sizes[j][0] <= 0) continue;
      // Millimetres per stored pixel, or 1 "pixel" each when either lacks a spacing.
      const auto ma = millimetresPerPixel(*ia), mb = millimetresPerPixel(*ib);
      const double mmA = ma && mb ? *ma : 1.0, mmB = ma && mb ? *mb : 1.0;
      const auto fit = [&](std::size_t k, const core::ImageInfo& info) {
        return std::min(sizes[k][0] / static_cast<double>(info.columns), sizes[k][1] / static_cast<double>(info.rows));
      };
      // Device pixels per millimetre: the smaller of the two fits, so that both images fit.
      const double perMm = std::min(fit(i, *ia) / mmA, fit(j, *ib) / mmB);
      out[i] = perMm * mmA;
      out[j] = perMm * mmB;
    }
  }
  return out;
}

}  // namespace mammo::viewer
