#pragma once
// Heatmaps of every view of a cancer dataset from a trained patch classifier, through inference's stage 3
// (inference::computeHeatmaps, fast fully convolutional mode by default), for training the image+heatmaps
// model — cached on disk. A cache entry is keyed by the view's face-right pixels (and size), the heatmap
// settings (mode, seed) and the patch model's weights: CACHE/<model hash>/<image key>.mlhc, so a changed
// model or image misses and recomputes. Files are written atomically; an unreadable entry is recomputed.
// Runs on the calling thread.
#include <cstdint>
#include <filesystem>
#include <string>

#include "inference/Heatmaps.h"
#include "inference/TensorMap.h"
#include "training/CancerTrainer.h"

namespace mammo::core {
class JobContext;
}

namespace mammo::training {

struct HeatmapCacheOptions {
  std::filesystem::path cacheDir;  // empty: no cache (always computed)
  std::uint64_t seed = 0;  // of the patch grid's stride lists (a fresh stream per view)
  inference::HeatmapMode mode = inference::HeatmapMode::Fast;
  int batchSize = 16;
};

struct HeatmapCacheStats {
  int hits = 0;  // views read from the cache
  int computed = 0;  // views run through the patch classifier
  double computeSeconds = 0;
};

// Fills PreparedView::benignHeatmap/malignantHeatmap of every view (rows x columns of the view).
// Progress and cancel through `context` (may be null).
HeatmapCacheStats addHeatmaps(CancerDataset& data, const inference::TensorMap& patchWeights,
                              const HeatmapCacheOptions& options, core::JobContext* context = nullptr);

// 64-bit FNV-1a of every tensor's name, shape and values, as 16 hex digits.
std::string patchModelHash(const inference::TensorMap& weights);

}  // namespace mammo::training
