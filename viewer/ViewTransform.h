#pragma once
// The one transform of a hung view, between its three frames. ViewScene owns it and every layer drawn in
// the view (image, heatmaps, label map, tool graphics, measurements) and the GUI's pointer handling map
// points through it, so mirroring and the camera are written down once.
//
// Frames:
// - Stored: (row, col) of the stored image's pixel grid, pixel centres at integers, row 0 at the top.
// - World: VTK world units, one per stored pixel, x right, y up. Stored (r, c) is centred at
//   (c, rows-1-r), or (columns-1-c, rows-1-r) when the view is hung mirrored; each pixel covers +-0.5.
// - Viewport: device pixels inside the view's viewport, x right, y up, origin at its bottom-left corner.
//
// stored <-> world is an exact affine map (entries 0 and +-1, integer offsets), given as an Eigen matrix;
// world <-> viewport is the parallel camera: a scale (device pixels per stored pixel) about a world centre.
// Plain value; not thread-safe to modify while read.
#include <Eigen/Geometry>

#include <algorithm>
#include <array>
#include <cstddef>

namespace mammo::viewer {

class ViewTransform {
 public:
  using Point = std::array<double, 2>;  // (row, col) when stored, (x, y) otherwise

  ViewTransform() = default;
  ViewTransform(int rows, int columns, bool mirrored);

  int rows() const { return m_rows; }
  int columns() const { return m_columns; }
  bool mirrored() const { return m_mirrored; }

  // --- Stored <-> world.
  Point worldOf(double row, double col) const { return {m_mirrored ? (m_columns - 1) - col : col, (m_rows - 1) - row}; }
  Point storedOf(double x, double y) const { return {(m_rows - 1) - y, m_mirrored ? (m_columns - 1) - x : x}; }
  // Whole pixels: the stored column shown at world column x (and the reverse; the map is its own inverse).
  int storedColumn(int worldColumn) const { return m_mirrored ? m_columns - 1 - worldColumn : worldColumn; }
  int storedRow(int worldRow) const { return m_rows - 1 - worldRow; }
  // World x of the left edge of stored columns [col0, col1) as drawn, and y of the bottom of rows [row0, row1).
  double worldLeft(int col0, int col1) const { return m_mirrored ? m_columns - col1 : col0; }
  double worldBottom(int row1) const { return m_rows - row1; }
  // One stored row's pixels in world order (left to right on screen), `components` values per pixel: for
  // uploading image data, whose rows run left to right in world x.
  template <class T>
  void copyRowToWorld(const T* stored, T* world, int pixels, int components = 1) const;
  // The matrix of worldOf (homogeneous, acting on (row, col)).
  Eigen::Affine2d storedToWorld() const;

  // --- World <-> viewport: the camera (ViewScene sets it whenever zoom, pan or the viewport change).
  // `centre` is the world point at the viewport's centre, `pixelScale` device pixels per world unit.
  void setCamera(const Point& fittedCentre, const Point& pan, double pixelScale, int viewportWidth, int viewportHeight);
  double pixelScale() const { return m_scale; }
  Point worldAt(double viewportX, double viewportY) const {
    return {m_centre[0] + m_pan[0] + (viewportX - m_width / 2.0) / m_scale,
            m_centre[1] + m_pan[1] + (viewportY - m_height / 2.0) / m_scale};
  }
  Point viewportOf(double worldX, double worldY) const {
    return {(worldX - m_centre[0] - m_pan[0]) * m_scale + m_width / 2.0,
            (worldY - m_centre[1] - m_pan[1]) * m_scale + m_height / 2.0};
  }
  Point storedToViewport(double row, double col) const {
    const Point w = worldOf(row, col);
    return viewportOf(w[0], w[1]);
  }
  Point viewportToStored(double viewportX, double viewportY) const {
    const Point w = worldAt(viewportX, viewportY);
    return storedOf(w[0], w[1]);
  }
  // Whether a world point lies on the image (inside its outer pixel edges).
  bool onImage(const Point& world) const {
    return world[0] >= -0.5 && world[0] <= m_columns - 0.5 && world[1] >= -0.5 && world[1] <= m_rows - 0.5;
  }
  Eigen::Affine2d worldToViewport() const;

 private:
  int m_rows = 0, m_columns = 0;
  bool m_mirrored = false;
  Point m_centre{0, 0}, m_pan{0, 0};
  double m_scale = 1.0;
  int m_width = 0, m_height = 0;
};

template <class T>
void ViewTransform::copyRowToWorld(const T* stored, T* world, int pixels, int components) const {
  if (!m_mirrored) {
    std::copy_n(stored, static_cast<std::size_t>(pixels) * components, world);
    return;
  }
  for (int c = 0; c < pixels; ++c) {
    std::copy_n(stored + static_cast<std::size_t>(pixels - 1 - c) * components, components,
                world + static_cast<std::size_t>(c) * components);
  }
}

}  // namespace mammo::viewer
