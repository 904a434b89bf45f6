#pragma once
// Heatmap files chosen by the user (the project's .mlh or the NYU HDF5 layout): which view and class each
// one is, from its name (e.g. heatmap_malignant_L-CC.mlh, or heatmap_benign/A_L_CC.hdf5), and its values.
// Plain C++: runs on a worker thread.
#include <optional>
#include <string>
#include <vector>

#include "core/HeatmapIO.h"
#include "core/Types.h"

namespace mammo::workstation {

struct NamedHeatmap {
  std::string file;
  core::StandardView view = core::StandardView::LCC;
  core::HeatmapKind kind = core::HeatmapKind::Malignant;
  core::HeatmapData data;
};

struct HeatmapFileResult {
  std::vector<NamedHeatmap> heatmaps;
  std::vector<std::string> errors;  // "file: reason"
};

// View and class from the file name (class may also come from the parent folder); nullopt if unclear.
std::optional<std::pair<core::StandardView, core::HeatmapKind>> heatmapIdentity(const std::string& file);
HeatmapFileResult readHeatmapFiles(const std::vector<std::string>& files);

}  // namespace mammo::workstation
