#pragma once
// The checkpoints of a training run folder (training/RunFolder.h) and turning one into the model bundle
// used for reading. Plain C++; functions are thread-safe apart from concurrent writes to the same folder.
#include <filesystem>
#include <string>
#include <vector>

#include "training/RunFolder.h"

namespace mammo::workstation {

struct CheckpointEntry {
  training::RunPart part = training::RunPart::Patch;
  int epoch = 0;
  std::filesystem::path weights;  // .../checkpoint-epoch-NNN.safetensors
  double trainLoss = 0, validationLoss = 0, valAucMalignant = 0;  // NaN when the sidecar has null
  double accuracy = -1;  // patch classifier only
  bool best = false;  // the epoch of RUN/<part>/best.json
  std::string provenance;
};

// Sorted by part (training order), then epoch. Files without a readable sidecar are skipped.
std::vector<CheckpointEntry> listCheckpoints(const std::filesystem::path& runDir);

// Writes a model bundle to `bundleDir` whose `checkpoint.part` network is that checkpoint's weights and
// whose other networks are the run's best checkpoints, or else those of `fallbackBundle` (the model in use
// for reading; may be empty). Throws std::runtime_error saying which network is missing and what to do.
void writeReadingBundle(const CheckpointEntry& checkpoint, const std::filesystem::path& runDir,
                        const std::filesystem::path& fallbackBundle, const std::filesystem::path& bundleDir);

}  // namespace mammo::workstation
