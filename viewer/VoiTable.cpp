#include "viewer/VoiTable.h"

#include <algorithm>
#include <cmath>

namespace mammo::viewer {

namespace {

constexpr std::uint16_t kSignOffset = 0x8000;

double modalityValue(const core::ImageInfo& info, std::uint16_t stored) {
  const double x = info.pixelSigned ? static_cast<double>(static_cast<std::int16_t>(stored)) : stored;
  return x * info.rescaleSlope + info.rescaleIntercept;
}

// Air is under 1% of the pixels only when there is no air region (a spot view, a cropped image): then no
// value is forced black, since the darkest value present is tissue.
constexpr double kMinBackgroundFraction = 0.01;

}  // namespace

std::uint16_t textureValue(const core::ImageInfo& info, std::uint16_t stored) {
  return info.pixelSigned ? static_cast<std::uint16_t>(stored ^ kSignOffset) : stored;
}

std::uint16_t storedValue(const core::ImageInfo& info, std::uint16_t texture) {
  return info.pixelSigned ? static_cast<std::uint16_t>(texture ^ kSignOffset) : texture;
}

std::optional<std::array<std::uint16_t, 2>> paddingRange(const core::ImageInfo& info) {
  if (!info.pixelPaddingValue) return std::nullopt;
  auto texture = [&](std::int32_t v) {
    // Clamp to what the pixel representation can hold, then to a bit pattern.
    const std::int32_t held = info.pixelSigned ? std::clamp(v, -32768, 32767) : std::clamp(v, 0, 65535);
    return textureValue(info, static_cast<std::uint16_t>(held));
  };
  const std::uint16_t a = texture(*info.pixelPaddingValue);
  const std::uint16_t b = texture(info.pixelPaddingRangeLimit.value_or(*info.pixelPaddingValue));
  return std::array<std::uint16_t, 2>{std::min(a, b), std::max(a, b)};
}

bool isPadding(const PixelStats& stats, std::uint16_t t) {
  return stats.padding && t >= (*stats.padding)[0] && t <= (*stats.padding)[1];
}

PixelStats analysePixels(const core::Image& image) {
  PixelStats stats;
  stats.padding = paddingRange(image.info);
  if (image.pixels.empty()) return stats;
  std::vector<std::uint32_t> histogram(kVoiTableSize, 0);
  for (std::uint16_t v : image.pixels) ++histogram[textureValue(image.info, v)];
  int lo = 0, hi = kVoiTableSize - 1;
  while (histogram[lo] == 0) ++lo;
  while (histogram[hi] == 0) --hi;
  stats.lowest = static_cast<std::uint16_t>(lo);
  stats.highest = static_cast<std::uint16_t>(hi);
  // Padding is not image: the air level is looked for among the other values.
  std::size_t padded = 0;
  if (stats.padding) {
    for (int t = (*stats.padding)[0]; t <= (*stats.padding)[1]; ++t) {
      padded += histogram[t];
      histogram[t] = 0;
    }
    if (padded == image.pixels.size()) return stats;
    while (histogram[lo] == 0) ++lo;
    while (histogram[hi] == 0) --hi;
  }
  // The air level is the end of the range that displays darkest: low modality values for MONOCHROME2, high
  // ones for MONOCHROME1 (whose stored air is bright). A negative rescale slope swaps the ends.
  const double mLo = modalityValue(image.info, storedValue(image.info, stats.lowest));
  const double mHi = modalityValue(image.info, storedValue(image.info, stats.highest));
  const bool darkIsLowModality = image.info.photometric == core::Photometric::Monochrome2;
  const int air = (darkIsLowModality == (mLo <= mHi)) ? lo : hi;
  // A single-valued image (a flat field, a test pattern) has nothing to tell air from.
  if (lo != hi && histogram[air] >= kMinBackgroundFraction * static_cast<double>(image.pixels.size() - padded)) {
    stats.background = static_cast<std::uint16_t>(air);
  }
  return stats;
}

bool isBackground(const core::ImageInfo& info, const PixelStats& stats, std::uint16_t t) {
  if (!stats.background) return false;
  const double m = modalityValue(info, storedValue(info, t));
  const double air = modalityValue(info, storedValue(info, *stats.background));
  return info.photometric == core::Photometric::Monochrome2 ? m <= air : m >= air;
}

std::vector<std::uint8_t> buildVoiTable(const core::ImageInfo& info, const PixelStats& stats,
                                        const core::DisplaySettings& settings) {
  std::vector<std::uint8_t> table(kVoiTableSize, 0);
  const std::uint8_t black = settings.invert ? 255 : 0;
  for (int t = stats.lowest; t <= stats.highest; ++t) {
    const auto tv = static_cast<std::uint16_t>(t);
    table[t] =
        isBackground(info, stats, tv) || isPadding(stats, tv)
            ? black
            : static_cast<std::uint8_t>(std::lround(255.0 * core::displayValue(info, storedValue(info, tv), settings)));
  }
  std::fill(table.begin(), table.begin() + stats.lowest, table[stats.lowest]);
  std::fill(table.begin() + stats.highest + 1, table.end(), table[stats.highest]);
  return table;
}

std::vector<core::DisplaySettings> headerPresets(const core::ImageInfo& info, bool invert) {
  std::vector<core::DisplaySettings> presets;
  for (int i = 0; i < static_cast<int>(info.windows.size()); ++i) {
    core::DisplaySettings s;
    s.windowIndex = i;
    s.invert = invert;
    presets.push_back(s);
  }
  for (int i = 0; i < static_cast<int>(info.voiLuts.size()); ++i) {
    core::DisplaySettings s;
    s.lutIndex = i;
    s.invert = invert;
    presets.push_back(s);
  }
  return presets;
}

core::DisplaySettings fullRangePreset(const core::ImageInfo& info, bool invert) {
  core::DisplaySettings s;
  s.window = core::defaultWindow(info);
  s.invert = invert;
  return s;
}

}  // namespace mammo::viewer
