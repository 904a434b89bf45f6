#pragma once
// Patch-grid positions of the NYU heatmap stage along one image axis (../shared/docs/NYU-PIPELINE.md §4.2).
// Patches of P = 256 pixels cover the axis with nominal stride S = 70; when (L - P) is not a multiple of S,
// one extra patch is added and the deficit is spread over the steps, the shortened steps being chosen by
// Python's random.sample. Reproducing the NYU heatmaps therefore requires calling this with one shared
// PythonRandom in the reference's order: per image the row axis first, then the column axis.
#include <vector>

namespace mammo::inference {

class PythonRandom;

inline constexpr int kPatchSize = 256;  // pixels
inline constexpr int kPatchStride = 70;  // pixels

// Start offsets (pixels, 0-based, ascending, first 0) of the patches along an axis of `length` pixels; the
// last patch ends exactly at `length`. Draws from `rng` only when the steps are uneven. Throws
// std::invalid_argument when length < patchSize or patchSize/stride are not positive.
std::vector<int> strideList(int length, PythonRandom& rng, int patchSize = kPatchSize, int stride = kPatchStride);

}  // namespace mammo::inference
