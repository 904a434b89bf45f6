#include "workstation/TrainingCheckpoints.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <stdexcept>

#include "inference/ModelBundle.h"
#include "inference/SafeTensors.h"
#include "training/BundleExport.h"
#include "training/Checkpoint.h"

namespace mammo::workstation {

namespace {

namespace fs = std::filesystem;
using training::RunFolder;
using training::RunPart;

}  // namespace

std::vector<CheckpointEntry> listCheckpoints(const fs::path& runDir) {
  const RunFolder run(runDir);
  std::vector<CheckpointEntry> out;
  for (RunPart part : training::kRunParts) {
    const training::PartFolder files = run.part(part);
    std::error_code error;
    if (!fs::is_directory(files.dir(), error)) continue;
    int bestEpoch = -1;
    if (const auto best = training::readCheckpointSidecar(files.bestSidecar())) bestEpoch = best->info.epoch;
    for (const auto& file : fs::directory_iterator(files.dir(), error)) {
      if (!training::PartFolder::sidecarEpoch(file.path())) continue;
      const auto sidecar = training::readCheckpointSidecar(file.path());
      if (!sidecar) continue;
      CheckpointEntry e;
      e.part = part;
      e.epoch = sidecar->info.epoch;
      e.weights = sidecar->weights;
      e.provenance = sidecar->info.provenance;
      const double nan = std::nan("");
      const training::EpochMetrics none{0, nan, nan, {}, nan, -1};
      const training::EpochMetrics& m = sidecar->metrics ? *sidecar->metrics : none;
      e.trainLoss = m.trainLoss;
      e.validationLoss = m.validationLoss;
      e.valAucMalignant = m.valAucMalignant;
      e.accuracy = m.accuracy;
      e.best = e.epoch == bestEpoch;
      if (fs::exists(e.weights)) out.push_back(std::move(e));
    }
  }
  std::sort(out.begin(), out.end(), [](const CheckpointEntry& a, const CheckpointEntry& b) {
    return std::pair(a.part, a.epoch) < std::pair(b.part, b.epoch);
  });
  return out;
}

void writeReadingBundle(const CheckpointEntry& checkpoint, const fs::path& runDir, const fs::path& fallbackBundle,
                        const fs::path& bundleDir) {
  if (checkpoint.part == RunPart::Birads) {
    throw std::runtime_error(
        "the BI-RADS model only pretrains the cancer models' columns and is not used for "
        "reading: choose a patch classifier or cancer model checkpoint");
  }
  const RunFolder run(runDir);
  std::optional<inference::ModelBundle> fallback;
  bool cancerFromFallback = false;
  auto weightsOf = [&](RunPart part) -> inference::TensorMap {
    if (part == checkpoint.part) return inference::readSafeTensors(checkpoint.weights);
    const fs::path best = run.part(part).bestWeights();
    if (fs::exists(best)) return inference::readSafeTensors(best);
    if (fallbackBundle.empty() || !fs::exists(fallbackBundle / "bundle.json")) {
      throw std::runtime_error("reading needs a " + std::string(training::partTitle(part)) +
                               " as well: " + runDir.string() +
                               " has none and no model is in use for reading. Train it (phase \"all\") or "
                               "choose a model bundle under AI > Choose model first");
    }
    if (!fallback) fallback = inference::readModelBundle(fallbackBundle);
    if (part == RunPart::Patch) return fallback->patch;
    cancerFromFallback = true;
    return part == RunPart::Image ? fallback->imageOnly : fallback->imageHeatmaps;
  };
  inference::ModelBundle bundle;
  bundle.name = "Training run " + runDir.filename().string() + ": " +
                std::string(training::partTitle(checkpoint.part)) + " epoch " + std::to_string(checkpoint.epoch);
  bundle.provenance = checkpoint.provenance;
  bundle.patch = weightsOf(RunPart::Patch);
  bundle.imageOnly = weightsOf(RunPart::Image);
  bundle.imageHeatmaps = weightsOf(RunPart::ImageHeatmaps);
  // The cancer models run at the size they were trained at: the run's (its exported bundle after train all,
  // else run.json) when the chosen checkpoint is a cancer model or both cancer models come from the run,
  // else the fallback bundle's.
  auto runGeometry = [&]() -> std::optional<inference::CancerInputGeometry> {
    if (fs::exists(run.bundle() / "bundle.json")) return inference::readModelBundleInfo(run.bundle()).cancerInput;
    const std::optional<training::RunInfo> info = run.readRunInfo();
    if (!info) return std::nullopt;
    return training::trainedCancerInput(info->inputScale, info->downsample);
  };
  bundle.cancerInput = checkpoint.part != RunPart::Patch || !cancerFromFallback ? runGeometry() : fallback->cancerInput;
  inference::writeModelBundle(bundle, bundleDir);
}

}  // namespace mammo::workstation
