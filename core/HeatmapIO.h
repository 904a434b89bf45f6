#pragma once
// Heatmap files: the project's own float format and the NYU reference's HDF5 layout.
// - Mammolens (.mlh): magic "MAMMOHM1", int32 rows, int32 columns (little endian), then rows x columns
//   float32, row-major, in the pixel grid of the image it belongs to.
// - NYU (.hdf5): dataset "image", float32, stored TRANSPOSED (on-disk shape columns x rows, so pixel
//   (y, x) is element x * rows + y), LZF-compressed by the reference (HDF5 filter 32000, from Debian's
//   hdf5-plugin-lzf). Frame: the reference's cropped image, stored orientation.
#include <filesystem>
#include <vector>

#include "core/Raster.h"

namespace mammo::core {

// A heatmap as read from or written to a file: a raster without spacing (the files carry none).
using HeatmapData = FloatRaster;

// Either format, recognised by content. Throws LoadError naming the file and the reason.
HeatmapData readHeatmapFile(const std::filesystem::path& path);

void writeMammolensHeatmap(const std::filesystem::path& path, const HeatmapData& heatmap);
// Writes the NYU layout; LZF when the filter is available (as the reference), else gzip level 4.
void writeNyuHeatmap(const std::filesystem::path& path, const HeatmapData& heatmap);

}  // namespace mammo::core
