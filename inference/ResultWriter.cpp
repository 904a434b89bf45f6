#include "inference/ResultWriter.h"

#include "core/HeatmapIO.h"
#include "core/Orientation.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace mammo::inference {
namespace fs = std::filesystem;

namespace {

nlohmann::json probabilitiesJson(const BreastProbabilities& p) {
  return {{"left_benign", p.leftBenign},
          {"right_benign", p.rightBenign},
          {"left_malignant", p.leftMalignant},
          {"right_malignant", p.rightMalignant}};
}
}  // namespace

void writePredictionsCsv(const fs::path& file, const std::vector<BreastProbabilities>& rows, int precision) {
  std::ofstream out(file);
  if (!out) throw std::runtime_error(file.string() + ": cannot write");
  out << "left_benign,right_benign,left_malignant,right_malignant\n";
  char buffer[64];
  for (const auto& row : rows) {
    const auto values = row.asArray();
    for (int i = 0; i < 4; ++i) {
      if (precision < 0)
        std::snprintf(buffer, sizeof buffer, "%.9g", static_cast<float>(values[i]));
      else
        std::snprintf(buffer, sizeof buffer, "%.*f", precision, values[i]);
      out << buffer << (i < 3 ? "," : "\n");
    }
  }
}

std::vector<BreastProbabilities> readPredictionsCsv(const fs::path& file) {
  std::ifstream in(file);
  if (!in) throw std::runtime_error(file.string() + ": cannot open");
  std::string line;
  if (!std::getline(in, line) || line.rfind("left_benign,right_benign,left_malignant,right_malignant", 0) != 0) {
    throw std::runtime_error(file.string() + ": not an NYU predictions CSV (header)");
  }
  std::vector<BreastProbabilities> rows;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    std::replace(line.begin(), line.end(), ',', ' ');
    std::istringstream fields(line);
    BreastProbabilities p;
    if (!(fields >> p.leftBenign >> p.rightBenign >> p.leftMalignant >> p.rightMalignant)) {
      throw std::runtime_error(file.string() + ": malformed row " + std::to_string(rows.size() + 1));
    }
    rows.push_back(p);
  }
  return rows;
}

void writeExamResult(const PipelineResult& result, const fs::path& examDir) {
  fs::create_directories(examDir);
  nlohmann::json doc = {{"format", "mammolens-ai-result"},
                        {"version", 1},
                        {"exam", result.examId},
                        {"model", result.modelIdentity},
                        {"stage_seconds", result.stageSeconds},
                        {"heatmap_mode", result.heatmapMode == HeatmapMode::Fast ? "fast" : "exact"}};
  if (result.imageOnly) doc["image_only"] = probabilitiesJson(*result.imageOnly);
  if (result.imageHeatmaps) doc["image_heatmaps"] = probabilitiesJson(*result.imageHeatmaps);
  for (const ViewAnalysis& v : result.views) {
    const std::string view(core::toString(v.view));
    nlohmann::json j = {{"source", v.sourcePath},
                        {"face_right_flip", v.faceRightFlip},
                        {"window_location", v.crop.windowLocation},
                        {"rightmost_points", {v.crop.rightmostRows, v.crop.rightmostX}},
                        {"bottommost_points", {v.crop.bottommostY, v.crop.bottommostColumns}},
                        {"distance_from_starting_side", v.crop.distanceFromStartingSide}};
    if (v.crop.bestCenter) j["best_center"] = *v.crop.bestCenter;
    if (!v.benignOriginal.empty()) {
      const std::string benign = "heatmap_benign_" + view + ".mlh", malignant = "heatmap_malignant_" + view + ".mlh";
      core::writeMammolensHeatmap(examDir / benign, v.benignOriginal);
      core::writeMammolensHeatmap(examDir / malignant, v.malignantOriginal);
      j["heatmaps"] = {{"benign", benign}, {"malignant", malignant}, {"patches", v.heatmaps.grid.count()}};
      // The reference's own layout, for tools that read it: crop frame, stored orientation.
      const std::string nyuName = result.examId + "_" + std::string(core::toString(core::lateralityOf(v.view))) + "_" +
                                  std::string(core::toString(core::viewPositionOf(v.view))) + ".hdf5";
      for (const auto& [cls, map] :
           {std::pair{"benign", &v.heatmaps.benign}, std::pair{"malignant", &v.heatmaps.malignant}}) {
        std::vector<float> stored = *map;
        if (v.faceRightFlip) core::mirrorColumns(stored, v.heatmaps.rows, v.heatmaps.columns);
        fs::create_directories(examDir / (std::string("heatmap_") + cls));
        core::writeNyuHeatmap(examDir / (std::string("heatmap_") + cls) / nyuName,
                              {v.heatmaps.rows, v.heatmaps.columns, std::move(stored)});
      }
    }
    doc["views"][view] = j;
  }
  const fs::path tmp = examDir / "result.json.tmp";
  std::ofstream(tmp) << doc.dump(1) << '\n';
  fs::rename(tmp, examDir / "result.json");
}

PipelineResult readExamResult(const fs::path& examDir) {
  const fs::path file = examDir / "result.json";
  std::ifstream in(file);
  if (!in) throw std::runtime_error(file.string() + ": no saved AI result");
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(in);
  } catch (const std::exception& e) {
    throw std::runtime_error(file.string() + ": malformed: " + e.what());
  }
  if (doc.value("format", "") != "mammolens-ai-result") throw std::runtime_error(file.string() + ": not an AI result");
  PipelineResult result;
  result.examId = doc.value("exam", "");
  result.modelIdentity = doc.value("model", "");
  result.heatmapMode = doc.value("heatmap_mode", "exact") == "fast" ? HeatmapMode::Fast : HeatmapMode::Exact;
  result.stageSeconds = doc.value("stage_seconds", std::map<std::string, double>{});
  auto probabilities = [](const nlohmann::json& j) {
    return BreastProbabilities{j.at("left_benign"), j.at("right_benign"), j.at("left_malignant"),
                               j.at("right_malignant")};
  };
  if (doc.contains("image_only")) result.imageOnly = probabilities(doc["image_only"]);
  if (doc.contains("image_heatmaps")) result.imageHeatmaps = probabilities(doc["image_heatmaps"]);
  for (int v = 0; v < 4; ++v) {
    ViewAnalysis& a = result.views[v];
    a.view = static_cast<core::StandardView>(v);
    const std::string key(core::toString(a.view));
    if (!doc.contains("views") || !doc["views"].contains(key)) continue;
    const auto& j = doc["views"][key];
    a.sourcePath = j.value("source", "");
    a.faceRightFlip = j.value("face_right_flip", false);
    a.crop.windowLocation = j.at("window_location").get<std::array<int, 4>>();
    if (j.contains("best_center")) a.crop.bestCenter = j["best_center"].get<std::array<int, 2>>();
    if (j.contains("heatmaps")) {
      const core::HeatmapData benign = core::readHeatmapFile(examDir / j["heatmaps"]["benign"].get<std::string>());
      const core::HeatmapData malignant =
          core::readHeatmapFile(examDir / j["heatmaps"]["malignant"].get<std::string>());
      a.rows = benign.rows();
      a.columns = benign.columns();
      a.benignOriginal = benign;
      a.malignantOriginal = malignant;
    }
  }
  return result;
}

}  // namespace mammo::inference
