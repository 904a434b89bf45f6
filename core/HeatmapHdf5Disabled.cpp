// Builds without HDF5 (MAMMO_WITH_HDF5=OFF): NYU heatmap files are recognised and refused by name.
#include <stdexcept>

#include "core/Errors.h"
#include "core/HeatmapHdf5.h"

namespace mammo::core {
namespace {
constexpr const char* kNoHdf5 = "this Mammolens build has no HDF5 support (configured with MAMMO_WITH_HDF5=OFF)";
}

HeatmapData readNyuHdf5Heatmap(const std::filesystem::path& path) { throw LoadError(path, kNoHdf5); }

void writeNyuHeatmap(const std::filesystem::path& path, const HeatmapData&) {
  throw std::runtime_error(path.string() + ": " + kNoHdf5);
}

}  // namespace mammo::core
