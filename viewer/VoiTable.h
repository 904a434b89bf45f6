#pragma once
// The DICOM display pipeline of one image (core::Voi) as a 65536-entry lookup table for the GPU, so a
// window/level change rebuilds 64 KB instead of re-mapping millions of pixels. Entry t is the displayed grey
// (0 = black, 255 = white) of texture value t, computed by core::displayValue: core::Voi stays the single
// source of truth for LINEAR, LINEAR_EXACT, SIGMOID, VOI LUTs, MONOCHROME1 and invert.
//
// Texture values are the stored values, except for signed images, whose bit pattern is offset by 0x8000 so
// that texture order is value order (the GPU interpolates between neighbouring texels before the lookup).
//
// Background air stays black whatever the window (IHE Mammography): the image's air level is the darkest
// modality value present (MONOCHROME2: lowest; MONOCHROME1: highest) when it covers at least 1% of the
// pixels and the image holds more than one value; every value at or beyond that level maps to black before
// the user's invert. Pixel padding (core::ImageInfo::pixelPaddingValue, up to its range limit) is air as well,
// whatever its value and whatever the window, and is left out when the air level is looked for. The user's invert is
// the DICOM Presentation LUT INVERSE, applied to every displayed value, so it also turns the air white.
// Plain C++, no VTK; any thread.
#include <array>
#include <cstdint>
#include <optional>
#include <vector>

#include "core/Image.h"
#include "core/Voi.h"

namespace mammo::viewer {

inline constexpr int kVoiTableSize = 65536;

// Stored value <-> texture value (identity for unsigned images).
std::uint16_t textureValue(const core::ImageInfo& info, std::uint16_t stored);
std::uint16_t storedValue(const core::ImageInfo& info, std::uint16_t texture);

// What the table needs to know about the pixels, found once per image (one pass over the pixels).
struct PixelStats {
  std::uint16_t lowest = 0;  // lowest texture value present
  std::uint16_t highest = 0;  // highest texture value present
  std::optional<std::uint16_t> background;  // texture value of the air level; none when the image has no air
  std::optional<std::array<std::uint16_t, 2>> padding;  // texture values of the pixel padding, inclusive
};
// The pixel padding range in texture values; none when the header gives no Pixel Padding Value.
std::optional<std::array<std::uint16_t, 2>> paddingRange(const core::ImageInfo& info);
bool isPadding(const PixelStats& stats, std::uint16_t t);
PixelStats analysePixels(const core::Image& image);

// True when texture value t is air (at or beyond the background level on the dark side).
bool isBackground(const core::ImageInfo& info, const PixelStats& stats, std::uint16_t t);

// The table for the current display settings. Entries in [lowest, highest] come from core::displayValue (or
// black for air); entries outside repeat the end values: linear interpolation between present values never
// leaves that range, so they are never sampled.
std::vector<std::uint8_t> buildVoiTable(const core::ImageInfo& info, const PixelStats& stats,
                                        const core::DisplaySettings& settings);

// The window/level presets of an image, in key order: the header's windows, then its VOI LUTs.
// `invert` is carried over so a preset never changes the inversion.
std::vector<core::DisplaySettings> headerPresets(const core::ImageInfo& info, bool invert);
// The "full range" preset: the whole stored range (core::defaultWindow).
core::DisplaySettings fullRangePreset(const core::ImageInfo& info, bool invert);

}  // namespace mammo::viewer
