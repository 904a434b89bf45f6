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
nlohmann::json number(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); }

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

double numberOr(const nlohmann::json& j, const char* key, double fallback) {
  const auto it = j.find(key);
  return it == j.end() || it->is_null() ? fallback : it->get<double>();
}

EpochMetrics fromJson(const nlohmann::json& j) {
  const double nan = std::nan("");
  EpochMetrics m;
  m.epoch = j.at("epoch").get<int>();
  m.trainLoss = numberOr(j, "train_loss", nan);
  m.validationLoss = numberOr(j, "val_loss", nan);
  if (const auto auc = j.find("auc"); auc != j.end()) {
    for (const auto& [name, value] : auc->items()) m.auc[name] = value.is_null() ? nan : value.get<double>();
  }
  m.valAucMalignant = numberOr(j, "val_auc_malignant", nan);
  m.accuracy = numberOr(j, "val_accuracy", -1);
  m.trainSeconds = numberOr(j, "train_seconds", 0);
  m.validationSeconds = numberOr(j, "val_seconds", 0);
  if (const auto t = j.find("timings"); t != j.end()) {
    m.loaderSeconds = numberOr(*t, "loader_seconds", 0);
    m.modelSeconds = numberOr(*t, "model_seconds", 0);
    m.waitSeconds = numberOr(*t, "wait_seconds", 0);
    m.samples = static_cast<int>(numberOr(*t, "samples", 0));
    m.loaderThreads = static_cast<int>(numberOr(*t, "loader_threads", 0));
  }
  return m;
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

std::vector<EpochMetrics> parseMetricsJson(const std::string& text, const std::string& source) {
  try {
    std::vector<EpochMetrics> out;
    const nlohmann::json j = nlohmann::json::parse(text);
    for (const auto& e : j.at("epochs")) out.push_back(fromJson(e));
    return out;
  } catch (const nlohmann::json::exception& e) {
    throw std::runtime_error(source + ": not a metrics file (" + e.what() + ")");
  }
}

std::vector<EpochMetrics> readMetricsFile(const std::filesystem::path& file) {
  if (!std::filesystem::exists(file)) return {};
  return parseMetricsJson(readTextFile(file), file.string());
}

std::optional<CheckpointSidecar> readCheckpointSidecar(const std::filesystem::path& file) {
  try {
    const nlohmann::json j = nlohmann::json::parse(readTextFile(file));
    CheckpointSidecar s;
    s.info.architecture = j.value("architecture", "");
    s.info.channels = j.value("channels", 1);
    s.info.epoch = j.value("epoch", 0);
    s.info.provenance = j.value("provenance", "");
    s.info.datasetSummary = j.value("dataset", "");
    s.weights = file.parent_path() / j.value("weights", file.stem().string() + ".safetensors");
    if (const auto m = j.find("metrics"); m != j.end() && m->is_object()) s.metrics = fromJson(*m);
    return s;
  } catch (const std::exception&) {
    return std::nullopt;  // being written, or not ours
  }
}

}  // namespace mammo::training
