#include "viewer/HangingLayout.h"

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
  }
  return {};
}

bool needsMirror(const core::Image& image, ImageEdge chestWallOnScreen) {
  ImageEdge stored = image.orientation.chestWall;
  if (stored == ImageEdge::Unknown) stored = image.orientation.expected;
  if (stored == ImageEdge::Unknown) stored = core::expectedChestWall(image.info);
  return stored != ImageEdge::Unknown && stored != chestWallOnScreen;
}

}  // namespace mammo::viewer
