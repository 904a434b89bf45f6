#pragma once
// PRIVATE to mammo_core: the HDF5 half of core/HeatmapIO. HeatmapHdf5.cpp implements it with HDF5;
// HeatmapHdf5Disabled.cpp, for builds without HDF5 (MAMMO_WITH_HDF5=OFF), throws a LoadError instead.
#include "core/HeatmapIO.h"

namespace mammo::core {

// The NYU layout (dataset "image", stored transposed). Throws LoadError naming the file and the reason.
HeatmapData readNyuHdf5Heatmap(const std::filesystem::path& path);

}  // namespace mammo::core
