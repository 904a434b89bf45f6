#include "workstation/HeatmapFiles.h"

#include <algorithm>
#include <cctype>
#include <filesystem>

#include "core/Errors.h"
#include "core/ExamLoader.h"

namespace mammo::workstation {

std::optional<std::pair<core::StandardView, core::HeatmapKind>> heatmapIdentity(const std::string& file) {
  const std::filesystem::path path(file);
  std::string stem = path.stem().string(), lower = stem;
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  std::string folder = path.parent_path().filename().string();
  std::transform(folder.begin(), folder.end(), folder.begin(), [](unsigned char c) { return std::tolower(c); });
  std::optional<core::HeatmapKind> kind;
  for (const std::string& text : {lower, folder}) {
    if (kind) break;
    if (text.find("malignant") != std::string::npos)
      kind = core::HeatmapKind::Malignant;
    else if (text.find("benign") != std::string::npos)
      kind = core::HeatmapKind::Benign;
  }
  // Drop the class and "heatmap" words, then read the view as in image names (<id>_L_CC, L-CC, ...).
  for (const char* word : {"heatmap", "malignant", "benign"}) {
    for (auto at = lower.find(word); at != std::string::npos; at = lower.find(word)) {
      auto end = at + std::string(word).size();
      if (end < lower.size() && (lower[end] == '_' || lower[end] == '-'))
        ++end;
      else if (at > 0 && (lower[at - 1] == '_' || lower[at - 1] == '-'))
        --at;
      lower.erase(at, end - at);
      stem.erase(at, end - at);
    }
  }
  const auto facts = core::parseImageName(stem + ".png");
  if (!kind || !facts) return std::nullopt;
  const auto view = core::standardView(facts->laterality, facts->view);
  if (!view) return std::nullopt;
  return std::pair{*view, *kind};
}

HeatmapFileResult readHeatmapFiles(const std::vector<std::string>& files) {
  HeatmapFileResult result;
  for (const std::string& file : files) {
    const auto identity = heatmapIdentity(file);
    if (!identity) {
      result.errors.push_back(file +
                              ": cannot tell the view and class from the name "
                              "(expected e.g. heatmap_malignant_L-CC.mlh or heatmap_benign/A_L_CC.hdf5)");
      continue;
    }
    try {
      result.heatmaps.push_back({file, identity->first, identity->second, core::readHeatmapFile(file)});
    } catch (const core::LoadError& e) {
      result.errors.push_back(e.what());
    }
  }
  return result;
}

}  // namespace mammo::workstation
