#include "core/Affine2D.h"

#include <cmath>
#include <stdexcept>

namespace mammo::core {

std::array<double, 2> Affine2D::apply(double x, double y) const {
  return {m[0][0] * x + m[0][1] * y + t[0], m[1][0] * x + m[1][1] * y + t[1]};
}

Affine2D Affine2D::inverse() const {
  const double det = determinant();
  const double norm = std::abs(m[0][0]) + std::abs(m[0][1]) + std::abs(m[1][0]) + std::abs(m[1][1]);
  if (!std::isfinite(det) || std::abs(det) <= 1e-12 * norm * norm) {
    throw std::domain_error("the transform squeezes the image onto a line and cannot be inverted");
  }
  Affine2D inv;
  inv.m[0][0] = m[1][1] / det;
  inv.m[0][1] = -m[0][1] / det;
  inv.m[1][0] = -m[1][0] / det;
  inv.m[1][1] = m[0][0] / det;
  inv.t[0] = -(inv.m[0][0] * t[0] + inv.m[0][1] * t[1]);
  inv.t[1] = -(inv.m[1][0] * t[0] + inv.m[1][1] * t[1]);
  return inv;
}

Affine2D Affine2D::then(const Affine2D& next) const {
  Affine2D out;
  for (int r = 0; r < 2; ++r) {
    for (int c = 0; c < 2; ++c) out.m[r][c] = next.m[r][0] * m[0][c] + next.m[r][1] * m[1][c];
    out.t[r] = next.m[r][0] * t[0] + next.m[r][1] * t[1] + next.t[r];
  }
  return out;
}

Affine2D Affine2D::scaling(double sx, double sy) {
  Affine2D a;
  a.m[0][0] = sx;
  a.m[1][1] = sy;
  return a;
}

Affine2D Affine2D::translation(double tx, double ty) {
  Affine2D a;
  a.t[0] = tx;
  a.t[1] = ty;
  return a;
}

Affine2D Affine2D::horizontalFlip(int columns) {
  Affine2D a;
  a.m[0][0] = -1;
  a.t[0] = columns - 1;
  return a;
}

Affine2D Affine2D::verticalFlip(int rows) {
  Affine2D a;
  a.m[1][1] = -1;
  a.t[1] = rows - 1;
  return a;
}

}  // namespace mammo::core
