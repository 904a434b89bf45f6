#include "core/Voi.h"

#include <algorithm>
#include <cmath>

namespace mammo::core {

VoiWindow defaultWindow(const ImageInfo& info) {
  const double maxStored = std::ldexp(1.0, std::clamp(info.bitsStored, 1, 16)) - 1.0;
  const double lo = info.rescaleIntercept, hi = info.rescaleIntercept + info.rescaleSlope * maxStored;
  return {(lo + hi) / 2.0 + 0.5, std::max(1.0, std::abs(hi - lo) + 1.0), "full range"};
}

VoiWindow effectiveWindow(const ImageInfo& info, const DisplaySettings& settings) {
  if (settings.window) return *settings.window;
  if (settings.windowIndex >= 0 && settings.windowIndex < static_cast<int>(info.windows.size())) {
    return info.windows[settings.windowIndex];
  }
  return defaultWindow(info);
}

double displayValue(const ImageInfo& info, std::uint16_t stored, const DisplaySettings& settings) {
  double x = stored;
  if (info.pixelSigned) x = static_cast<std::int16_t>(stored);
  x = x * info.rescaleSlope + info.rescaleIntercept;
  double y = 0;
  if (!settings.window && settings.lutIndex >= 0 && settings.lutIndex < static_cast<int>(info.voiLuts.size())) {
    const VoiLut& lut = info.voiLuts[settings.lutIndex];
    const int i =
        std::clamp(static_cast<int>(std::lround(x)) - lut.firstMapped, 0, static_cast<int>(lut.data.size()) - 1);
    const double maxEntry = std::ldexp(1.0, std::clamp(lut.bitsPerEntry, 1, 16)) - 1.0;
    y = lut.data.empty() ? 0.0 : lut.data[i] / maxEntry;
  } else {
    const VoiWindow w = effectiveWindow(info, settings);
    const double width = std::max(1.0, w.width);
    switch (info.voiFunction) {
      case VoiFunction::Sigmoid:
        y = 1.0 / (1.0 + std::exp(-4.0 * (x - w.center) / width));
        break;
      case VoiFunction::LinearExact:
        y = (x - w.center) / width + 0.5;
        break;
      case VoiFunction::Linear:
        // PS3.3 C.11.2.1.2.1
        if (width <= 1.0)
          y = x > w.center - 0.5 ? 1.0 : 0.0;
        else
          y = (x - (w.center - 0.5)) / (width - 1.0) + 0.5;
        break;
    }
  }
  y = std::clamp(y, 0.0, 1.0);
  const bool invert = (info.photometric == Photometric::Monochrome1) != settings.invert;
  return invert ? 1.0 - y : y;
}

std::vector<std::uint8_t> renderDisplay8(const Image& image, const DisplaySettings& settings) {
  std::vector<std::uint8_t> out(image.pixels.size());
  // A lookup table over the stored range keeps this linear in pixels, not in exp() calls.
  const int bits = std::clamp(image.info.bitsStored, 1, 16);
  std::vector<std::uint8_t> lut(size_t{1} << 16);
  const size_t n = image.info.pixelSigned ? lut.size() : (size_t{1} << bits);
  for (size_t v = 0; v < n; ++v) {
    lut[v] = static_cast<std::uint8_t>(
        std::lround(255.0 * displayValue(image.info, static_cast<std::uint16_t>(v), settings)));
  }
  for (size_t i = 0; i < out.size(); ++i) out[i] = lut[image.pixels[i]];
  return out;
}

}  // namespace mammo::core
