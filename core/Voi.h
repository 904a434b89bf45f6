#pragma once
// The DICOM grey-scale display pipeline for one image: stored value -> modality rescale -> VOI (window
// with LINEAR / LINEAR_EXACT / SIGMOID, or a VOI LUT) -> photometric interpretation (MONOCHROME1 inverts)
// -> displayed brightness in [0, 1]. Pure functions; the stored pixels are never modified.
#include <cstdint>
#include <optional>
#include <vector>

#include "core/Image.h"

namespace mammo::core {

struct DisplaySettings {
  std::optional<VoiWindow> window;  // overrides the header's windows (user W/L)
  int windowIndex = 0;  // which header window when no override
  int lutIndex = -1;  // >= 0: use that VOI LUT instead of a window
  bool invert = false;  // user invert, on top of MONOCHROME1 handling
};

// The window used when neither the user nor the header gives one: the full stored range.
VoiWindow defaultWindow(const ImageInfo& info);
VoiWindow effectiveWindow(const ImageInfo& info, const DisplaySettings& settings);

// Displayed brightness in [0, 1] (0 = black) for one stored value.
double displayValue(const ImageInfo& info, std::uint16_t stored, const DisplaySettings& settings);

// A 256-level rendering of the whole image, row-major, for thumbnails, screenshots and tests.
std::vector<std::uint8_t> renderDisplay8(const Image& image, const DisplaySettings& settings);

}  // namespace mammo::core
