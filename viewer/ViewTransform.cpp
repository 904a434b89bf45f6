#include "viewer/ViewTransform.h"

namespace mammo::viewer {

ViewTransform::ViewTransform(int rows, int columns, bool mirrored)
    : m_rows(rows), m_columns(columns), m_mirrored(mirrored) {}

void ViewTransform::setCamera(const Point& fittedCentre, const Point& pan, double pixelScale, int viewportWidth,
                              int viewportHeight) {
  m_centre = fittedCentre;
  m_pan = pan;
  m_scale = pixelScale;
  m_width = viewportWidth;
  m_height = viewportHeight;
}

Eigen::Affine2d ViewTransform::storedToWorld() const {
  // (row, col) -> (x, y): x = col or columns-1-col, y = rows-1-row.
  Eigen::Matrix3d m;
  m << 0, m_mirrored ? -1 : 1, m_mirrored ? m_columns - 1 : 0,  //
      -1, 0, m_rows - 1,  //
      0, 0, 1;
  return Eigen::Affine2d(m);
}

Eigen::Affine2d ViewTransform::worldToViewport() const {
  Eigen::Matrix3d m;
  m << m_scale, 0, m_width / 2.0 - (m_centre[0] + m_pan[0]) * m_scale,  //
      0, m_scale, m_height / 2.0 - (m_centre[1] + m_pan[1]) * m_scale,  //
      0, 0, 1;
  return Eigen::Affine2d(m);
}

}  // namespace mammo::viewer
