#include "training/Checkpoint.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "inference/SafeTensors.h"

namespace mammo::training {

namespace {

// JSON has no NaN: an undefined AUC is written as null.
nlohmann::json number(double v) {
  return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr);
}

nlohmann::json toJson(const EpochMetrics& m) {
  nlohmann::json j;
  j["epoch"] = m.epoch;
  j["train_loss"] = number(m.trainLoss);
  j["val_loss"] = number(m.validationLoss);
  nlohmann::json auc = nlohmann::json::object();
  for (const auto& [name, value] : m.auc) auc[name] = number(value);
  j["auc"] = auc;
  j["val_auc_malignant"] = number(m.valAucMalignant);
  if (m.accuracy >= 0) j["val_accuracy"] = m.accuracy;
  j["train_seconds"] = m.trainSeconds;
  j["val_seconds"] = m.validationSeconds;
  auto rate = [](double n, double s) { return s > 0 ? nlohmann::json(n / s) : nlohmann::json(nullptr); };
  j["timings"] = {{"train_seconds", m.trainSeconds},
                  {"val_seconds", m.validationSeconds},
                  {"loader_seconds", m.loaderSeconds},
                  {"model_seconds", m.modelSeconds},
                  {"wait_seconds", m.waitSeconds},
                  {"samples", m.samples},
                  {"loader_threads", m.loaderThreads},
                  {"loader_samples_per_second", rate(m.samples, m.loaderSeconds)},
                  {"model_samples_per_second", rate(m.samples, m.modelSeconds)}};
  return j;
}

}  // namespace

void writeTextFile(const std::filesystem::path& path, const std::string& text) {
  const std::filesystem::path tmp = path.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary);
    out << text;
    if (!out) throw std::runtime_error("cannot write " + tmp.string() + ": check the folder and free space");
  }
  std::filesystem::rename(tmp, path);
}

std::string readTextFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void writeCheckpoint(const std::filesystem::path& stem, const inference::TensorMap& weights, const CheckpointInfo& info,
                     const EpochMetrics* metrics) {
  std::filesystem::create_directories(stem.parent_path());
  inference::writeSafeTensors(stem.string() + ".safetensors", weights,
                              {{"architecture", info.architecture}, {"provenance", info.provenance}});
  nlohmann::json j;
  j["architecture"] = info.architecture;
  j["channels"] = info.channels;
  j["input_size"] = {{"cc", info.ccInputSize}, {"mlo", info.mloInputSize}};
  j["epoch"] = info.epoch;
  j["provenance"] = info.provenance;
  j["dataset"] = info.datasetSummary;
  j["weights"] = stem.filename().string() + ".safetensors";
  if (metrics) j["metrics"] = toJson(*metrics);
  writeTextFile(stem.string() + ".json", j.dump(2) + "\n");
}

std::string metricsJson(const std::vector<EpochMetrics>& epochs) {
  nlohmann::json j;
  j["epochs"] = nlohmann::json::array();
  for (const auto& m : epochs) j["epochs"].push_back(toJson(m));
  return j.dump(2) + "\n";
}

}  // namespace mammo::training
