#pragma once
// The magnifying loupe: a square renderer of its own, drawn on top of the hanging views (a higher layer of
// the same render window), centred on the cursor and showing the props of the view under it (image,
// heatmap overlays and contours, measurements) magnified around the point under the cursor.
//
// Units: sizePx is the loupe's side in device pixels; magnification is loupe device pixels per device pixel
// of the view (2 = twice as large as the view shows it). Points are viewer::ViewScene viewport points (device
// pixels, y up, origin at the view's viewport's lower-left corner).
// GUI thread only.
#include <array>
#include <memory>

class vtkRenderer;

namespace mammo::viewer {

class ViewScene;

class Loupe {
 public:
  static constexpr int kMinSizePx = 100, kMaxSizePx = 800;
  static constexpr double kMinMagnification = 1.5, kMaxMagnification = 8.0;

  Loupe();
  ~Loupe();
  Loupe(const Loupe&) = delete;
  Loupe& operator=(const Loupe&) = delete;

  // Add it to the render window of the views, on a layer above theirs (the window needs that many layers).
  vtkRenderer* renderer() const;
  void setLayer(int layer);

  void setSizePx(int size);  // clamped to [kMinSizePx, kMaxSizePx]
  int sizePx() const { return m_size; }
  void setMagnification(double magnification);  // clamped to [kMinMagnification, kMaxMagnification]
  double magnification() const { return m_magnification; }

  // Shows `scene` magnified around its viewport point (x, y); the scene's renderer must be in a render window.
  void show(const ViewScene& scene, double viewportX, double viewportY);
  void hide();
  bool visible() const { return m_visible; }
  // The loupe's centre in window device pixels (x right, y up), as last shown.
  std::array<double, 2> centre() const { return m_centre; }

 private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
  int m_size = 300;
  double m_magnification = 3.0;
  bool m_visible = false;
  std::array<double, 2> m_centre{0, 0};
};

}  // namespace mammo::viewer
