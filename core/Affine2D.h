#pragma once
// A 2D affine map between pixel positions of two images: plain geometry, used by prior registration
// (registration/) and by the hanging panel to link a prior view to the current one. x = column, y = row of
// the stored image (never flipped or rotated for display), pixel centres at integers.
#include <array>

namespace mammo::core {

// A 2D affine map between pixel positions of two images A and B: b = m * a + t, with a = (x, y).
struct Affine2D {
  double m[2][2] = {{1, 0}, {0, 1}};
  double t[2] = {0, 0};

  std::array<double, 2> apply(double x, double y) const;
  // Throws std::domain_error when the matrix is singular.
  Affine2D inverse() const;
  // This map followed by `next`: a -> next(this(a)).
  Affine2D then(const Affine2D& next) const;
  double determinant() const { return m[0][0] * m[1][1] - m[0][1] * m[1][0]; }

  static Affine2D identity() { return {}; }
  static Affine2D scaling(double sx, double sy);
  static Affine2D translation(double tx, double ty);
  // The mirror of an image `columns` wide about its vertical centre line: x -> columns - 1 - x.
  static Affine2D horizontalFlip(int columns);
  // The mirror of an image `rows` high about its horizontal centre line: y -> rows - 1 - y.
  static Affine2D verticalFlip(int rows);
};

}  // namespace mammo::core
