#pragma once
// NYU stage 3 (../shared/docs/NYU-PIPELINE.md §4): overlapping 256 x 256 patches of the standardised,
// face-right cropped image, classified by the patch classifier and averaged into benign and malignant
// heatmaps of the crop's size. Frames: everything here is in the face-right frame of the crop; callers
// mirror back to the stored orientation.
#include <array>
#include <cstdint>
#include <vector>

namespace mammo::core {
class JobContext;
}

namespace mammo::inference {

class PatchClassifier;
class PythonRandom;

struct PatchGrid {
  std::vector<int> rowStarts;  // y0 of each patch row
  std::vector<int> columnStarts;  // x0 of each patch column
  int count() const { return static_cast<int>(rowStarts.size() * columnStarts.size()); }
  // Reference order: outer loop over columns, inner over rows (k = column * rows + row).
  std::array<int, 2> origin(int k) const {
    const int n = static_cast<int>(rowStarts.size());
    return {rowStarts[k % n], columnStarts[k / n]};
  }
};

// The row list is drawn first, then the column list, from the shared Python random stream.
PatchGrid patchGrid(int rows, int columns, PythonRandom& rng);

// (x - mean) / max(std, 1e-5) over the whole crop, background included, in float64 (population std).
std::vector<double> standardiseForPatches(const std::uint16_t* pixels, std::size_t count);

// Copies patch (y0, x0) of a standardised image as float32 (256 x 256).
void extractPatch(const std::vector<double>& standardised, int columns, int y0, int x0, float* out);

struct ImageHeatmaps {
  int rows = 0, columns = 0;
  std::vector<float> malignant, benign;  // face-right frame, rows x columns
  PatchGrid grid;
  std::vector<std::array<float, 4>> patchProbabilities;  // reference patch order
};

// Per patch of the grid: 1 when it holds no breast pixel (every stored value 0). Such patches are identical
// after the whole-crop standardisation, so one classification stands for all of them.
std::vector<char> backgroundPatches(const std::uint16_t* faceRight, int rows, int columns, const PatchGrid& grid);

// Sum and count maps in float32, then divide (every pixel is covered by at least one patch).
void assembleHeatmaps(ImageHeatmaps& heatmaps);

// Interpolation in the patch grid (fast mode, and the bounds that mammolens-bench --bounds measures).
// A cell is the rectangle of grid rows row0..row1 and columns column0..column1 (inclusive) whose four
// corner patches are known.
struct GridCell {
  int row0 = 0, row1 = 0, column0 = 0, column1 = 0;
};
// 0, step, 2 step, ... and n - 1: the kept indices of a lattice over n grid rows or columns.
std::vector<int> latticeIndices(int n, int step);
// The cells between consecutive kept rows and columns.
std::vector<GridCell> latticeCells(const std::vector<int>& keptRows, const std::vector<int>& keptColumns);
// Each patch inside a cell that is not `known` becomes its `estimate` (none: 0) plus the bilinear
// interpolation of the corners' corrections (value - estimate), clamped to [0, 1]. Patch index
// k = column * gridRows + row (the reference's order). A patch in several cells takes the last one's value.
void interpolateWithinCells(const std::vector<GridCell>& cells, int gridRows, const std::vector<char>& known,
                            const std::vector<std::array<float, 4>>* estimate,
                            std::vector<std::array<float, 4>>& values);

// The whole stage for one face-right crop. Patches go through the classifier in batches of `batchSize`;
// progress and cancellation (within one batch) through `context`, which may be null.
enum class HeatmapMode {
  Exact,  // every patch through the network, as the reference
  // Approximation (fidelity and speed in docs/performance.md): the patches of every third grid row and
  // column are classified (bfloat16 on the CPU); every other patch is the fully convolutional estimate
  // (PatchClassifier::classifyFullyConvolutional) plus the classified patches' correction to it,
  // interpolated bilinearly in the patch grid. Background patches are exact.
  Fast,
};

ImageHeatmaps computeHeatmaps(const std::uint16_t* faceRight, int rows, int columns, PatchClassifier& classifier,
                              PythonRandom& rng, int batchSize = 100, core::JobContext* context = nullptr,
                              double progressFrom = 0.0, double progressTo = 1.0,
                              HeatmapMode mode = HeatmapMode::Exact);

}  // namespace mammo::inference
