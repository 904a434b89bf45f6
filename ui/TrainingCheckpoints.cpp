#include "ui/TrainingCheckpoints.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <optional>
#include <stdexcept>

#include "inference/ModelBundle.h"
#include "inference/SafeTensors.h"
#include "training/BundleExport.h"
#include "training/Checkpoint.h"
#include "ui/TrainingSession.h"

namespace mammo::ui {

namespace {

namespace fs = std::filesystem;

double numberOr(const nlohmann::json& j, const char* key, double fallback) {
  const auto it = j.find(key);
  return it == j.end() || it->is_null() ? fallback : it->get<double>();
}

int partOrder(const std::string& part) {
  for (std::size_t i = 0; i < kTrainingParts.size(); ++i) {
    if (part == kTrainingParts[i]) return static_cast<int>(i);
  }
  return static_cast<int>(kTrainingParts.size());
}

std::optional<nlohmann::json> readSidecar(const fs::path& file) {
  try {
    return nlohmann::json::parse(training::readTextFile(file));
  } catch (const std::exception&) {
    return std::nullopt;  // being written, or not ours: not listed
  }
}

}  // namespace

std::vector<CheckpointEntry> listCheckpoints(const fs::path& runDir) {
  std::vector<CheckpointEntry> out;
  for (const char* part : kTrainingParts) {
    const fs::path dir = runDir / part;
    std::error_code error;
    if (!fs::is_directory(dir, error)) continue;
    int bestEpoch = -1;
    if (const auto best = readSidecar(dir / "best.json")) bestEpoch = best->value("epoch", -1);
    for (const auto& file : fs::directory_iterator(dir, error)) {
      const std::string name = file.path().filename().string();
      if (name.rfind("checkpoint-epoch-", 0) != 0 || file.path().extension() != ".json") continue;
      const auto j = readSidecar(file.path());
      if (!j) continue;
      CheckpointEntry e;
      e.part = part;
      e.epoch = j->value("epoch", 0);
      e.weights = dir / j->value("weights", file.path().stem().string() + ".safetensors");
      e.provenance = j->value("provenance", "");
      const nlohmann::json metrics = j->value("metrics", nlohmann::json::object());
      const double nan = std::nan("");
      e.trainLoss = numberOr(metrics, "train_loss", nan);
      e.validationLoss = numberOr(metrics, "val_loss", nan);
      e.valAucMalignant = numberOr(metrics, "val_auc_malignant", nan);
      e.accuracy = numberOr(metrics, "val_accuracy", -1);
      e.best = e.epoch == bestEpoch;
      if (fs::exists(e.weights)) out.push_back(std::move(e));
    }
  }
  std::sort(out.begin(), out.end(), [](const CheckpointEntry& a, const CheckpointEntry& b) {
    return std::pair(partOrder(a.part), a.epoch) < std::pair(partOrder(b.part), b.epoch);
  });
  return out;
}

void writeReadingBundle(const CheckpointEntry& checkpoint, const fs::path& runDir, const fs::path& fallbackBundle,
                        const fs::path& bundleDir) {
  if (checkpoint.part == "birads") {
    throw std::runtime_error("the BI-RADS model only pretrains the cancer models' columns and is not used for "
                             "reading: choose a patch classifier or cancer model checkpoint");
  }
  std::optional<inference::ModelBundle> fallback;
  bool cancerFromFallback = false;
  auto weightsOf = [&](const std::string& part) -> inference::TensorMap {
    if (part == checkpoint.part) return inference::readSafeTensors(checkpoint.weights);
    const fs::path best = runDir / part / "best.safetensors";
    if (fs::exists(best)) return inference::readSafeTensors(best);
    if (fallbackBundle.empty() || !fs::exists(fallbackBundle / "bundle.json")) {
      throw std::runtime_error("reading needs a " + partTitle(part) + " as well: " + runDir.string() +
                               " has none and no model is in use for reading. Train it (phase \"all\") or "
                               "choose a model bundle under AI > Choose model first");
    }
    if (!fallback) fallback = inference::readModelBundle(fallbackBundle);
    if (part == "patch") return fallback->patch;
    cancerFromFallback = true;
    return part == "image" ? fallback->imageOnly : fallback->imageHeatmaps;
  };
  inference::ModelBundle bundle;
  bundle.name = "Training run " + runDir.filename().string() + ": " + partTitle(checkpoint.part) + " epoch " +
                std::to_string(checkpoint.epoch);
  bundle.provenance = checkpoint.provenance;
  bundle.patch = weightsOf("patch");
  bundle.imageOnly = weightsOf("image");
  bundle.imageHeatmaps = weightsOf("imageheatmaps");
  // The cancer models run at the size they were trained at: the run's (its exported bundle after train all,
  // else the dashboard's run.json) when the chosen checkpoint is a cancer model or both cancer models come
  // from the run, else the fallback bundle's.
  auto runGeometry = [&]() -> std::optional<inference::CancerInputGeometry> {
    if (fs::exists(runDir / "bundle" / "bundle.json")) {
      return inference::readModelBundleInfo(runDir / "bundle").cancerInput;
    }
    if (!fs::exists(runDir / "run.json")) return std::nullopt;
    const nlohmann::json run = nlohmann::json::parse(std::ifstream(runDir / "run.json"));
    return training::trainedCancerInput(run.at("input_scale").get<double>(), run.at("downsample").get<int>());
  };
  bundle.cancerInput = checkpoint.part != "patch" || !cancerFromFallback ? runGeometry() : fallback->cancerInput;
  inference::writeModelBundle(bundle, bundleDir);
}

}  // namespace mammo::ui
