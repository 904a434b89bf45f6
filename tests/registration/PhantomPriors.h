#pragma once
// Priors with a known answer, for the registration and prior-comparison tests: the current view moved by a
// known transform (bilinear resampling), at another exposure and with noise of its own.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numbers>
#include <random>

#include "core/Affine2D.h"
#include "core/Image.h"

namespace mammo::test {

using core::Affine2D;

// b = scale * R(degrees) * (a - centre) + centre + shift, in pixels of a square-pixel image.
inline Affine2D similarity(const core::Image& image, double degrees, double scale, double shiftXmm, double shiftYmm) {
  const double cx = (image.info.columns - 1) / 2.0, cy = (image.info.rows - 1) / 2.0;
  const double a = degrees * std::numbers::pi / 180.0;
  Affine2D t;
  t.m[0][0] = scale * std::cos(a);
  t.m[0][1] = -scale * std::sin(a);
  t.m[1][0] = scale * std::sin(a);
  t.m[1][1] = scale * std::cos(a);
  const auto moved = t.apply(cx, cy);
  t.t[0] = cx - moved[0] + shiftXmm / image.info.spacing->columnMm;
  t.t[1] = cy - moved[1] + shiftYmm / image.info.spacing->columnMm;
  return t;
}

struct Exposure {
  double gain = 0.9;  // priors are taken on other days, at other exposures
  double offset = 120;
  double noise = 25;  // uniform, +-
  unsigned seed = 11;
};

// The prior that `currentToPrior` maps the current image onto: prior(b) = current(currentToPrior^-1(b)),
// bilinear, zero (air) outside the current image, then the prior's exposure.
inline core::Image makePrior(const core::Image& current, const Affine2D& currentToPrior,
                             const Exposure& exposure = {}) {
  core::Image prior = current;
  const int w = current.info.columns, h = current.info.rows;
  const Affine2D priorToCurrent = currentToPrior.inverse();
  std::mt19937 rng(exposure.seed);
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      const auto [sx, sy] = priorToCurrent.apply(x, y);
      double v = 0;
      if (sx >= 0 && sy >= 0 && sx <= w - 1 && sy <= h - 1) {
        const int x0 = std::min(static_cast<int>(sx), w - 2), y0 = std::min(static_cast<int>(sy), h - 2);
        const double fx = sx - x0, fy = sy - y0;
        v = (1 - fy) * ((1 - fx) * current.at(y0, x0) + fx * current.at(y0, x0 + 1)) +
            fy * ((1 - fx) * current.at(y0 + 1, x0) + fx * current.at(y0 + 1, x0 + 1));
      }
      const double noise = (rng() / 4294967296.0 - 0.5) * 2 * exposure.noise;
      v = exposure.gain * v + exposure.offset + noise;
      prior.pixels[static_cast<size_t>(y) * w + x] = static_cast<std::uint16_t>(std::clamp(std::lround(v), 0L, 4095L));
    }
  }
  return prior;
}

}  // namespace mammo::test
