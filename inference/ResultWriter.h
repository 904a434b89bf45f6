#pragma once
// Writing pipeline results: the NYU prediction CSVs, per-exam JSON (crop metadata, centres, timings, model
// identity) and heatmaps in the project's float format, and reading heatmaps back (viewer overlays).
#include <filesystem>
#include <string>
#include <vector>

#include "inference/Pipeline.h"

namespace mammo::inference {

// NYU columns left_benign,right_benign,left_malignant,right_malignant; one row per exam in the given order.
// precision < 0: full float precision (9 significant digits round-trip float32); else fixed decimals
// (the reference writes 4).
void writePredictionsCsv(const std::filesystem::path& file, const std::vector<BreastProbabilities>& rows,
                         int precision = -1);
// Reads such a CSV (ours or the reference's): one row per exam. Throws std::runtime_error naming the file
// for a missing file, another header or a malformed row.
std::vector<BreastProbabilities> readPredictionsCsv(const std::filesystem::path& file);

// DIR/<exam id>/: result.json, the two NYU CSVs, heatmap_<benign|malignant>_<L-CC|...>.mlh in the original
// image grid (core/HeatmapIO.h), and for interchange the reference's layout: heatmap_<class>/<id>_<L|R>_<VIEW>.hdf5
// in the crop frame, stored orientation.
void writeExamResult(const PipelineResult& result, const std::filesystem::path& examDir);
// Reads back what writeExamResult wrote (probabilities, crops, heatmaps in the original grid; no patch
// probabilities). Throws std::runtime_error naming the file.
PipelineResult readExamResult(const std::filesystem::path& examDir);

}  // namespace mammo::inference
