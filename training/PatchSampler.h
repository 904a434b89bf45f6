#pragma once
// Phase 1 training data (issue 6, ../shared/docs/NYU-PIPELINE.md §11): 256 x 256 patches of the
// standardised face-right crops, labelled by their overlap with the lesion masks into the reference's four
// classes, drawn class-balanced with random flips. Not thread-safe: one sampler per training run.
#include <array>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "training/PreparedView.h"

namespace mammo::training {

// Class indices of the patch classifier's outputs.
enum class PatchClass { Malignant = 0, Benign = 1, Outside = 2, Negative = 3 };
inline constexpr int kPatchClasses = 4;
inline constexpr int kPatchSide = 256;

struct PatchSamplerOptions {
  int minLesionPixels = 64;  // a patch is malignant/benign when it holds at least this many mask pixels
  bool augment = true;  // random horizontal and vertical flips
  std::uint64_t seed = 0;
};

struct Patch {
  PatchClass label = PatchClass::Negative;
  int viewIndex = 0;  // into the sampler's views
  int y0 = 0, x0 = 0;  // top-left in the face-right crop frame
  std::vector<float> pixels;  // 256 x 256, standardised, after augmentation
};

// The label the masks give a patch at (y0, x0) of `view`, or -1 when it is ambiguous (a few lesion pixels,
// fewer than minLesionPixels): malignant before benign; lesion-free patches are Outside in an image with a
// finding, Negative in an exam without findings, and -1 in a finding-free image of an exam with findings.
int patchLabel(const PreparedView& view, int y0, int x0, int minLesionPixels);

class PatchSampler {
 public:
  // Views smaller than 256 x 256 are skipped. Throws std::invalid_argument when no class has a patch.
  PatchSampler(std::vector<PreparedView> views, const PatchSamplerOptions& options);

  // `count` patches; classes are dealt round-robin over the available classes, starting where the last
  // batch stopped, so batches are balanced; positions and flips are random.
  std::vector<Patch> sampleBatch(int count);
  // The same dealing without state, for loader threads: patch i of the batch gets class number
  // firstIndex + i of the round robin, and all draws come from a generator seeded with `seed`. Thread-safe.
  std::vector<Patch> sampleBatchAt(int count, std::uint64_t firstIndex, std::uint64_t seed) const;
  // A fixed, unaugmented evaluation set of `perClass` patches per available class (own generator).
  std::vector<Patch> evaluationSet(int perClass, std::uint64_t seed) const;

  std::array<bool, kPatchClasses> availableClasses() const;
  const std::vector<PreparedView>& views() const { return m_views; }

  // The generator and round-robin position as text, for checkpoints; restore() continues the stream.
  std::string state() const;
  void restore(const std::string& state);

 private:
  Patch draw(PatchClass label, std::mt19937_64& rng, bool augment) const;

  std::vector<PreparedView> m_views;
  PatchSamplerOptions m_options;
  std::mt19937_64 m_rng;
  std::uint64_t m_next = 0;
  // Per class: candidate (view, pixel index) anchors. Lesion classes anchor on mask pixels; the others on
  // breast pixels (nonzero) of the eligible images.
  std::array<std::vector<std::pair<int, int>>, kPatchClasses> m_anchors;
};

}  // namespace mammo::training
