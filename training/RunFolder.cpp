#include "training/RunFolder.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <stdexcept>

#include "training/Checkpoint.h"

namespace mammo::training {

namespace {
constexpr std::string_view kCheckpointPrefix = "checkpoint-epoch-";
}

std::string_view folderName(RunPart part) {
  switch (part) {
    case RunPart::Patch:
      return "patch";
    case RunPart::Birads:
      return "birads";
    case RunPart::Image:
      return "image";
    case RunPart::ImageHeatmaps:
      return "imageheatmaps";
  }
  return "patch";
}

std::string_view partTitle(RunPart part) {
  switch (part) {
    case RunPart::Patch:
      return "Patch classifier";
    case RunPart::Birads:
      return "BI-RADS pretraining";
    case RunPart::Image:
      return "Image-only model";
    case RunPart::ImageHeatmaps:
      return "Image+heatmaps model";
  }
  return "";
}

std::optional<RunPart> parseRunPart(std::string_view name) {
  for (RunPart p : kRunParts) {
    if (folderName(p) == name) return p;
  }
  return std::nullopt;
}

std::filesystem::path PartFolder::checkpointStem(int epoch) const {
  char name[48];
  std::snprintf(name, sizeof name, "%.*s%03d", static_cast<int>(kCheckpointPrefix.size()), kCheckpointPrefix.data(),
                epoch);
  return m_dir / name;
}

bool PartFolder::hasHistory() const {
  std::error_code ec;
  return std::filesystem::exists(metrics(), ec) || std::filesystem::exists(resume(), ec);
}

std::optional<int> PartFolder::sidecarEpoch(const std::filesystem::path& file) {
  const std::string name = file.filename().string();
  if (name.rfind(kCheckpointPrefix, 0) != 0 || file.extension() != ".json") return std::nullopt;
  const std::string digits = file.stem().string().substr(kCheckpointPrefix.size());
  if (digits.empty() || digits.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
  return std::stoi(digits);
}

std::filesystem::path RunFolder::readingBundle(RunPart part, int epoch) const {
  char name[64];
  std::snprintf(name, sizeof name, "%s-epoch-%03d", std::string(folderName(part)).c_str(), epoch);
  return m_root / "reading" / name;
}

void RunFolder::writeRunInfo(const RunInfo& info) const {
  std::filesystem::create_directories(m_root);
  writeTextFile(runInfoFile(),
                nlohmann::json{{"input_scale", info.inputScale}, {"downsample", info.downsample}}.dump(1) + "\n");
}

std::optional<RunInfo> RunFolder::readRunInfo() const {
  if (!std::filesystem::exists(runInfoFile())) return std::nullopt;
  try {
    const nlohmann::json j = nlohmann::json::parse(readTextFile(runInfoFile()));
    return RunInfo{j.at("input_scale").get<double>(), j.at("downsample").get<int>()};
  } catch (const nlohmann::json::exception& e) {
    throw std::runtime_error(runInfoFile().string() + ": not a run description (" + e.what() + ")");
  }
}

}  // namespace mammo::training
