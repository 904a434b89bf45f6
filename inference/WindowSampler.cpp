#include "inference/WindowSampler.h"

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace mammo::inference {
namespace {

constexpr int kLocationNoise = 100;  // N = (100, 100) with augmentation
constexpr int kSizeNoise = 100;  // S

// numpy's round(): half to even. std::nearbyint does that in the default rounding mode.
int rint(double v) { return static_cast<int>(std::nearbyint(v)); }

// Step 4: move a window of `size` inside [0, dim) without changing its size.
void shiftInside(int& start, int& end, int dim) {
  const int size = end - start;
  if (start < 0) {
    start = 0;
    end = size;
  } else if (end > dim) {
    start = dim - size;
    end = dim;
  }
}

}  // namespace

std::array<int, 2> modelInputSize(core::ViewPosition view) {
  return view == core::ViewPosition::CC ? std::array<int, 2>{2677, 1942} : std::array<int, 2>{2974, 1748};
}

SampledWindow sampleWindow(const FaceRightInput& input, core::ViewPosition view, std::array<int, 2> bestCenter,
                           bool augment, NumpyRandom& rng) {
  return sampleWindow(input, view, bestCenter, augment, rng, {modelInputSize(view), kLocationNoise, kSizeNoise});
}

SampledWindow sampleWindow(const FaceRightInput& input, core::ViewPosition view, std::array<int, 2> bestCenter,
                           bool augment, NumpyRandom& rng, const WindowGeometry& geometry) {
  if (input.channels.empty()) throw std::invalid_argument("sampleWindow: no channels");
  const auto [h, w] = geometry.inputSize;
  const int noiseY = augment ? geometry.locationNoise : 0, noiseX = augment ? geometry.locationNoise : 0;
  const int sizeNoise = augment ? geometry.sizeNoise : 0;
  double dy = 0, dx = 0;
  if (augment) {
    dy = rng.uniform(-1.0, 1.0);
    dx = rng.uniform(-1.0, 1.0);
  }
  const int hh = h / 2, hw = w / 2, rh = h - hh, rw = w - hw;
  int top = bestCenter[0] - hh, bottom = bestCenter[0] + rh;
  int left = bestCenter[1] - hw, right = bestCenter[1] + rw;

  // Step 3: zero padding into a new array; on a padded axis the best centre is ignored.
  int padTop = 0, padBottom = 0, padRight = 0;
  const int H = input.rows, W = input.columns;
  if (view == core::ViewPosition::CC) {
    if (H < h + 2 * (noiseY + sizeNoise)) {
      const int total = h - H + 2 * (noiseY + sizeNoise);
      padTop = total / 2;  // trunc(total / 2); total is positive
      padBottom = total - padTop;
      top = noiseY + sizeNoise;
      bottom = top + h;
    }
  } else if (H < h + (noiseY + sizeNoise)) {
    // Reference quirk: MLO pads at the bottom only.
    padBottom = h - H + (noiseY + sizeNoise);
    top = 0;
    bottom = h;
  }
  if (W < w + (noiseX + sizeNoise)) {
    // Reference quirk: columns are padded on the right only (the nipple side of a face-right image).
    padRight = w - W + (noiseX + sizeNoise);
    left = 0;
    right = w;
  }
  const int Hp = H + padTop + padBottom, Wp = W + padRight;

  shiftInside(top, bottom, Hp);
  shiftInside(left, right, Wp);

  // Step 5: noise points away from an edge the window already touches.
  if (top == 0)
    dy = std::abs(dy);
  else if (bottom == Hp)
    dy = -std::abs(dy);
  if (left == 0)
    dx = std::abs(dx);
  else if (right == Wp)
    dx = -std::abs(dx);
  const int effectiveY = std::min(noiseY, dy >= 0 ? Hp - bottom : top);
  const int effectiveX = std::min(noiseX, dx >= 0 ? Wp - right : left);
  const int oy = rint(effectiveY * dy), ox = rint(effectiveX * dx);
  top += oy;
  bottom += oy;
  left += ox;
  right += ox;

  SampledWindow out;
  out.afterLocationNoise = {top, bottom, left, right};
  // Step 8: the size-noise uniforms are always drawn, even when S = 0.
  double v[4];
  for (double& value : v) value = rng.uniform(-1.0, 1.0);
  const int s = std::min({sizeNoise, top, Hp - bottom, left, Wp - right});
  const int sy = s, sx = rint(s * static_cast<double>(w) / h);
  top += rint(sy * v[0]);
  bottom += rint(sy * v[1]);
  left += rint(sx * v[2]);
  right += rint(sx * v[3]);
  out.final = {top, bottom, left, right};
  out.paddedRows = Hp;
  out.paddedColumns = Wp;

  // Step 9: crop the padded, multi-channel array (values outside the stored image are the zero padding).
  const int channels = static_cast<int>(input.channels.size());
  const int cropRows = bottom - top, cropCols = right - left;
  if (cropRows <= 0 || cropCols <= 0) throw std::runtime_error("sampleWindow: empty window");
  cv::Mat crop(cropRows, cropCols, CV_32FC(channels), cv::Scalar::all(0));
  for (int r = 0; r < cropRows; ++r) {
    const int sr = top + r - padTop;  // row in the stored (unpadded) image
    if (sr < 0 || sr >= H) continue;
    float* dst = crop.ptr<float>(r);
    for (int c = 0; c < cropCols; ++c) {
      const int sc = left + c;
      if (sc < 0 || sc >= W) continue;
      for (int k = 0; k < channels; ++k) dst[c * channels + k] = input.channels[k][static_cast<size_t>(sr) * W + sc];
    }
  }
  cv::Mat window = crop;
  if (cropRows != h || cropCols != w) {
    cv::resize(crop, window, cv::Size(w, h), 0, 0, cv::INTER_CUBIC);
    out.resized = true;
  }

  // Steps 10-11: planar output; only the image channel is standardised (population std, floor 1e-5).
  out.channels = channels;
  out.rows = h;
  out.columns = w;
  out.data.resize(static_cast<size_t>(channels) * h * w);
  for (int r = 0; r < h; ++r) {
    const float* src = window.ptr<float>(r);
    for (int c = 0; c < w; ++c) {
      for (int k = 0; k < channels; ++k) out.data[(static_cast<size_t>(k) * h + r) * w + c] = src[c * channels + k];
    }
  }
  const size_t n = static_cast<size_t>(h) * w;
  double sum = 0;
  for (size_t i = 0; i < n; ++i) sum += out.data[i];
  const float mean = static_cast<float>(sum / n);
  double sq = 0;
  for (size_t i = 0; i < n; ++i) {
    const float d = out.data[i] - mean;
    sq += static_cast<double>(d) * d;
  }
  const float sd = std::max(static_cast<float>(std::sqrt(sq / n)), 1e-5f);
  for (size_t i = 0; i < n; ++i) out.data[i] = (out.data[i] - mean) / sd;
  return out;
}

}  // namespace mammo::inference
