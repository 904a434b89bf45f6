#pragma once
// One hung image in a VTK renderer: the displayed (VOI-mapped) picture, mirrored as the hanging protocol
// asks, with a parallel camera anchored at the chest-wall edge. World frame: one unit per stored pixel,
// x to the right, y up; stored pixel (row r, col c) sits at (c or columns-1-c, rows-1-r).
// GUI thread only (VTK objects are not thread-safe).
#include <array>
#include <memory>
#include <optional>

#include "core/Image.h"
#include "core/Voi.h"
#include "viewer/HeatmapLayer.h"

class vtkRenderer;

namespace mammo::viewer {

class ViewScene {
 public:
  ViewScene();
  ~ViewScene();
  ViewScene(const ViewScene&) = delete;
  ViewScene& operator=(const ViewScene&) = delete;

  vtkRenderer* renderer() const;
  // The image is shared, not copied; `mirror` flips it horizontally for display only.
  void setImage(std::shared_ptr<const core::Image> image, bool mirror);
  void clear();
  bool hasImage() const;
  void setDisplay(const core::DisplaySettings& settings);
  const core::DisplaySettings& display() const;
  // Heatmap overlays, in the stored image's pixel grid (mirrored with the image). An empty Heatmap removes it.
  void setHeatmap(HeatmapKind kind, Heatmap heatmap);
  void setHeatmapStyle(HeatmapKind kind, const HeatmapStyle& style);
  const HeatmapStyle& heatmapStyle(HeatmapKind kind) const;
  bool hasHeatmap(HeatmapKind kind) const;
  // Fit the whole image into the viewport, chest-wall edge flush with `anchor`; zoom 1 = fit.
  void fit(core::ImageEdge anchor, int viewportWidthPx, int viewportHeightPx);
  // Display pixel (x right, y up, within the viewport) -> stored image (row, col); nullopt outside.
  std::optional<std::array<int, 2>> storedPixelAt(double viewportX, double viewportY, int viewportWidthPx,
                                                  int viewportHeightPx) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

}  // namespace mammo::viewer
