#include "training/PatchSampler.h"

#include <algorithm>
#include <sstream>
#include <stdexcept>

namespace mammo::training {

namespace {

constexpr int kAnchorStride = 8;  // breast-pixel anchors are thinned to every 8th row and column
constexpr int kMaxAttempts = 64;

int uniformInt(std::mt19937_64& rng, int n) { return static_cast<int>(rng() % static_cast<std::uint64_t>(n)); }

}  // namespace

int patchLabel(const PreparedView& view, int y0, int x0, int minLesionPixels) {
  int malignant = 0, benign = 0;
  if (!view.lesions.empty()) {
    for (int r = y0; r < y0 + kPatchSide; ++r) {
      const std::uint8_t* row = view.lesions.data() + static_cast<std::size_t>(r) * view.columns;
      for (int c = x0; c < x0 + kPatchSide; ++c) {
        malignant += (row[c] & kMalignantBit) ? 1 : 0;
        benign += (row[c] & kBenignBit) ? 1 : 0;
      }
    }
  }
  if (malignant >= minLesionPixels) return static_cast<int>(PatchClass::Malignant);
  if (benign >= minLesionPixels) return static_cast<int>(PatchClass::Benign);
  if (malignant + benign > 0) return -1;
  if (view.imageHasFinding) return static_cast<int>(PatchClass::Outside);
  if (!view.examHasFindings) return static_cast<int>(PatchClass::Negative);
  return -1;
}

PatchSampler::PatchSampler(std::vector<PreparedView> views, const PatchSamplerOptions& options)
    : m_options(options), m_rng(options.seed) {
  for (auto& v : views) {
    if (v.rows >= kPatchSide && v.columns >= kPatchSide) m_views.push_back(std::move(v));
  }
  for (int i = 0; i < static_cast<int>(m_views.size()); ++i) {
    const PreparedView& v = m_views[i];
    const bool background = v.imageHasFinding || !v.examHasFindings;
    const auto backgroundClass = static_cast<int>(v.imageHasFinding ? PatchClass::Outside : PatchClass::Negative);
    for (int r = 0; r < v.rows; ++r) {
      for (int c = 0; c < v.columns; ++c) {
        const int k = r * v.columns + c;
        const std::uint8_t bits = v.lesions.empty() ? 0 : v.lesions[k];
        if (bits & kMalignantBit)
          m_anchors[static_cast<int>(PatchClass::Malignant)].emplace_back(i, k);
        else if (bits & kBenignBit)
          m_anchors[static_cast<int>(PatchClass::Benign)].emplace_back(i, k);
        else if (background && r % kAnchorStride == 0 && c % kAnchorStride == 0 && v.pixels[k] != 0) {
          m_anchors[backgroundClass].emplace_back(i, k);
        }
      }
    }
  }
  const auto available = availableClasses();
  if (std::none_of(available.begin(), available.end(), [](bool b) { return b; })) {
    throw std::invalid_argument("PatchSampler: no image gives a patch of any class");
  }
}

std::array<bool, kPatchClasses> PatchSampler::availableClasses() const {
  std::array<bool, kPatchClasses> out{};
  for (int k = 0; k < kPatchClasses; ++k) out[k] = !m_anchors[k].empty();
  return out;
}

Patch PatchSampler::draw(PatchClass label, std::mt19937_64& rng, bool augment) const {
  const auto& anchors = m_anchors[static_cast<int>(label)];
  const int want = static_cast<int>(label);
  Patch p;
  for (int attempt = 0;; ++attempt) {
    const auto [viewIndex, pixel] = anchors[uniformInt(rng, static_cast<int>(anchors.size()))];
    const PreparedView& v = m_views[viewIndex];
    const int ay = pixel / v.columns, ax = pixel % v.columns;
    // The anchor lies anywhere inside the patch (lesion classes) or is its centre (background classes).
    const bool lesion = label == PatchClass::Malignant || label == PatchClass::Benign;
    int y0 = lesion ? ay - uniformInt(rng, kPatchSide) : ay - kPatchSide / 2;
    int x0 = lesion ? ax - uniformInt(rng, kPatchSide) : ax - kPatchSide / 2;
    y0 = std::clamp(y0, 0, v.rows - kPatchSide);
    x0 = std::clamp(x0, 0, v.columns - kPatchSide);
    if (patchLabel(v, y0, x0, m_options.minLesionPixels) != want && attempt + 1 < kMaxAttempts) continue;
    p.label = label;
    p.viewIndex = viewIndex;
    p.y0 = y0;
    p.x0 = x0;
    break;
  }
  const PreparedView& v = m_views[p.viewIndex];
  const bool flipX = augment && (rng() & 1u), flipY = augment && (rng() & 1u);
  p.pixels.resize(static_cast<std::size_t>(kPatchSide) * kPatchSide);
  for (int r = 0; r < kPatchSide; ++r) {
    const float* src = v.standardised.data() + static_cast<std::size_t>(p.y0 + r) * v.columns + p.x0;
    float* dst = p.pixels.data() + static_cast<std::size_t>(flipY ? kPatchSide - 1 - r : r) * kPatchSide;
    for (int c = 0; c < kPatchSide; ++c) dst[flipX ? kPatchSide - 1 - c : c] = src[c];
  }
  return p;
}

std::vector<Patch> PatchSampler::sampleBatch(int count) {
  const auto available = availableClasses();
  std::vector<int> classes;
  for (int k = 0; k < kPatchClasses; ++k) {
    if (available[k]) classes.push_back(k);
  }
  std::vector<Patch> batch;
  batch.reserve(static_cast<std::size_t>(count));
  for (int i = 0; i < count; ++i, ++m_next) {
    const auto label = static_cast<PatchClass>(classes[m_next % classes.size()]);
    batch.push_back(draw(label, m_rng, m_options.augment));
  }
  return batch;
}

std::vector<Patch> PatchSampler::sampleBatchAt(int count, std::uint64_t firstIndex, std::uint64_t seed) const {
  const auto available = availableClasses();
  std::vector<int> classes;
  for (int k = 0; k < kPatchClasses; ++k) {
    if (available[k]) classes.push_back(k);
  }
  std::mt19937_64 rng(seed);
  std::vector<Patch> batch;
  batch.reserve(static_cast<std::size_t>(count));
  for (int i = 0; i < count; ++i) {
    const auto label = static_cast<PatchClass>(classes[(firstIndex + static_cast<std::uint64_t>(i)) % classes.size()]);
    batch.push_back(draw(label, rng, m_options.augment));
  }
  return batch;
}

std::vector<Patch> PatchSampler::evaluationSet(int perClass, std::uint64_t seed) const {
  std::mt19937_64 rng(seed);
  std::vector<Patch> out;
  for (int k = 0; k < kPatchClasses; ++k) {
    if (m_anchors[k].empty()) continue;
    for (int i = 0; i < perClass; ++i) out.push_back(draw(static_cast<PatchClass>(k), rng, false));
  }
  return out;
}

std::string PatchSampler::state() const {
  std::ostringstream s;
  s << m_next << ' ' << m_rng;
  return s.str();
}

void PatchSampler::restore(const std::string& state) {
  std::istringstream s(state);
  s >> m_next >> m_rng;
  if (!s) throw std::runtime_error("PatchSampler: malformed generator state in the checkpoint");
}

}  // namespace mammo::training
