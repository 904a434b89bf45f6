#pragma once
// One hung image in a VTK renderer: the raw pixels on the GPU with the VOI mapping of core::Voi (ImageLayer,
// VoiTable), mirrored as the hanging protocol asks, heatmap overlays (filled or contours), distance
// measurements, corner text and orientation markers, and a parallel camera anchored at the chest-wall edge.
//
// Frames and units (ViewTransform, which this scene owns and every layer in it draws through):
// - Stored: (row, col) of the stored image. World: one unit per stored pixel, x to the right, y up, mirrored
//   when the view is hung mirrored. Viewport: device pixels inside this renderer's viewport, x right, y up,
//   origin at its bottom-left corner; width and height are the viewport's size in device pixels.
// - Zoom: 1 = the whole image fits the viewport (fit); pixelScale() = device pixels per stored pixel
//   (1 = 1:1 pixels).
// - Pan: world units; the offset of the viewport centre from where fit() puts it (0, 0 = fitted).
// - Windows: core::VoiWindow in modality units (after the rescale), as in the DICOM header.
// GUI thread only (VTK objects are not thread-safe).
#include <array>
#include <memory>
#include <optional>
#include <string>

#include "core/Image.h"
#include "core/Voi.h"
#include "viewer/HeatmapLayer.h"
#include "viewer/Measurement.h"
#include "viewer/ViewTransform.h"

class vtkProp;
class vtkRenderer;

namespace mammo::viewer {

class ViewAnnotation;

class ViewScene {
 public:
  ViewScene();
  ~ViewScene();
  ViewScene(const ViewScene&) = delete;
  ViewScene& operator=(const ViewScene&) = delete;

  vtkRenderer* renderer() const;
  // The image is shared, not copied into this object (its pixels are copied once into the GPU texture's
  // image data); `mirror` flips it horizontally for display only.
  void setImage(std::shared_ptr<const core::Image> image, bool mirror);
  void clear();
  bool hasImage() const;
  const core::Image* image() const { return m_image.get(); }
  bool mirrored() const { return m_mirror; }
  // Stored <-> world <-> viewport for the image shown (a default transform without one).
  const ViewTransform& transform() const { return m_transform; }

  // --- Display (VOI). Each change rebuilds the 64 KB lookup table only.
  void setDisplay(const core::DisplaySettings& settings);
  const core::DisplaySettings& display() const { return m_display; }
  // A user window (overrides the header's windows and VOI LUTs).
  void setVoiWindow(const core::VoiWindow& window);
  // The window in effect (the header's or the user's); with a VOI LUT in effect, the header window a drag
  // starts from.
  core::VoiWindow voiWindow() const;
  void setInverted(bool inverted);
  bool inverted() const { return m_display.invert; }
  // The grey (0 = black, 255 = white) the GPU shows for a stored value under the current settings.
  int displayedGrey(std::uint16_t stored) const;

  // --- Heatmap overlays, in the stored image's pixel grid (mirrored with the image). An empty Heatmap removes it.
  void setHeatmap(HeatmapKind kind, Heatmap heatmap);
  void setHeatmapStyle(HeatmapKind kind, const HeatmapStyle& style);
  const HeatmapStyle& heatmapStyle(HeatmapKind kind) const;
  bool hasHeatmap(HeatmapKind kind) const;
  // The heatmap value at a stored pixel; nullopt without that heatmap.
  std::optional<float> heatmapValue(HeatmapKind kind, int row, int col) const;

  // --- Distance measurements, in stored-image points (they move with the image under zoom and pan).
  void setMeasurements(std::vector<Measurement> measurements);
  const std::vector<Measurement>& measurements() const { return m_measurements; }
  // The labels as drawn ("23.4 mm"), one per measurement.
  std::vector<std::string> measurementLabels() const;

  // What a loupe over this view shows: the image, the heatmap layers and the measurements (not the text).
  std::vector<vtkProp*> loupeProps() const;

  // --- Camera.
  // Sets the viewport and fits the whole image into it, chest-wall edge flush with `anchor` (zoom 1, pan 0).
  void fit(core::ImageEdge anchor, int viewportWidthPx, int viewportHeightPx);
  void fit();
  // A new viewport size (window resize) keeping zoom and pan.
  void setViewportSize(int viewportWidthPx, int viewportHeightPx);
  // The pixel scale (device pixels per stored pixel) that counts as zoom 1 — "fitted" — instead of the one
  // that fits this image into the viewport; the hanging panel gives both views of a mirrored pair one
  // physical scale this way. nullopt: the image's own fit.
  void setFitScale(std::optional<double> devicePixelsPerStoredPixel);
  // The pixel scale zoom 1 means: the override, else the image fitted into the viewport.
  double fitScale() const;
  core::ImageEdge anchor() const { return m_anchor; }
  std::array<int, 2> viewportSize() const { return {m_viewWidth, m_viewHeight}; }
  double zoom() const { return m_zoom; }
  // Zoom about the viewport centre.
  void setZoom(double zoom);
  double pixelScale() const;
  // Multiply the zoom by `factor`, keeping the image point under viewport point (x, y) where it is.
  void zoomAt(double factor, double viewportX, double viewportY);
  // Set device pixels per stored pixel (1 = 1:1), keeping the image point under (x, y) where it is.
  void setPixelScaleAt(double pixelScale, double viewportX, double viewportY);
  std::array<double, 2> pan() const { return m_pan; }
  void setPan(const std::array<double, 2>& pan);
  // Move the image with the mouse: (dx, dy) in viewport pixels, y up.
  void panByPixels(double dx, double dy);
  // World point under a viewport point.
  std::array<double, 2> worldAt(double viewportX, double viewportY) const;
  // Viewport point (x right, y up) -> stored image (row, col); nullopt outside the image.
  std::optional<std::array<int, 2>> storedPixelAt(double viewportX, double viewportY) const;
  // Viewport point -> stored image point (row, col), continuous (pixel centres at integers); nullopt outside.
  std::optional<std::array<double, 2>> storedPointAt(double viewportX, double viewportY) const;
  // Stored image point (row, col) -> viewport point (x right, y up).
  std::array<double, 2> viewportPointOf(double row, double col) const;
  // The same with an explicit viewport size (kept for callers that track it themselves).
  std::optional<std::array<int, 2>> storedPixelAt(double viewportX, double viewportY, int viewportWidthPx,
                                                  int viewportHeightPx) const;

  // --- Linked cursor: a cross at a stored point (row, col), where the cursor over the partner view (a
  // current view and its prior) points to; nullopt removes it.
  void setCursorMark(const std::optional<std::array<double, 2>>& storedPoint);
  const std::optional<std::array<double, 2>>& cursorMark() const { return m_cursorMark; }

  // --- Text.
  // Words after the view label in the corner ("PRIOR 2024-03-01 registered"); empty: none.
  void setCaption(std::string caption);
  const ViewAnnotation& annotation() const;
  void setAnnotationVisible(bool visible);

 private:
  struct Impl;
  void applyCamera();
  void applyDisplay();
  void updateText();
  std::array<double, 2> fittedCentre() const;

  std::unique_ptr<Impl> m_impl;
  std::shared_ptr<const core::Image> m_image;
  bool m_mirror = false;
  ViewTransform m_transform;
  core::DisplaySettings m_display;
  core::ImageEdge m_anchor = core::ImageEdge::Unknown;
  int m_viewWidth = 0, m_viewHeight = 0;
  double m_zoom = 1.0;
  std::optional<double> m_fitOverride;
  std::array<double, 2> m_pan{0, 0};
  std::vector<Measurement> m_measurements;
  std::optional<std::array<double, 2>> m_cursorMark;
  std::string m_caption;
};

}  // namespace mammo::viewer
