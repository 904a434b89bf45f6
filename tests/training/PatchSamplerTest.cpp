#include <gtest/gtest.h>

#include <array>
#include <map>

#include "PhantomData.h"
#include "TestSupport.h"
#include "training/PatchSampler.h"

using namespace mammo;
using namespace mammo::training;

namespace {

// Counts mask pixels of the phantom's own (uncropped, stored-orientation) masks under a face-right patch.
std::array<int, 2> phantomMaskPixels(const core::PhantomImage& image, const PreparedView& v, int y0, int x0) {
  const int columns = image.image.info.columns;
  const auto& window = v.crop.windowLocation;
  std::array<int, 2> counts{};  // benign, malignant
  for (int r = y0; r < y0 + kPatchSide; ++r) {
    for (int c = x0; c < x0 + kPatchSide; ++c) {
      const int storedColumn = v.faceRightFlip ? v.columns - 1 - c : c;
      const std::size_t k = static_cast<std::size_t>(window[0] + r) * columns + window[2] + storedColumn;
      counts[0] += image.benignMask[k] ? 1 : 0;
      counts[1] += image.malignantMask[k] ? 1 : 0;
    }
  }
  return counts;
}

}  // namespace

TEST(PatchSampler, LabelsFollowThePhantomMasks) {
  const auto dir = test::scratchDir();
  core::PhantomOptions options;
  options.seed = 11;
  options.lesionRate = 0.9;
  const core::ExamList list = test::phantomDataset(dir, 6, options.seed, options.lesionRate);
  std::vector<PreparedView> views;
  std::vector<const core::PhantomImage*> truth;
  std::vector<core::PhantomExam> exams;
  for (int e = 0; e < 6; ++e) exams.push_back(core::generatePhantomExam(options, e));
  for (int e = 0; e < 6; ++e) {
    for (int v = 0; v < 4; ++v) {
      views.push_back(prepareView(list.exams[e], static_cast<core::StandardView>(v), {669, 485}));
      truth.push_back(&exams[e].views[v]);
    }
  }
  PatchSampler sampler(views, {64, true, 5});
  const auto available = sampler.availableClasses();
  ASSERT_TRUE(available[0] && available[1] && available[2]) << "the phantom seed should give lesions";
  const std::vector<Patch> batch = sampler.sampleBatch(40);
  std::array<int, kPatchClasses> counts{};
  for (const Patch& p : batch) {
    ++counts[static_cast<int>(p.label)];
    const PreparedView& v = sampler.views()[p.viewIndex];
    const auto pixels = phantomMaskPixels(*truth[p.viewIndex], v, p.y0, p.x0);
    switch (p.label) {
      case PatchClass::Malignant:
        EXPECT_GE(pixels[1], 64);
        break;
      case PatchClass::Benign:
        EXPECT_GE(pixels[0], 64);
        EXPECT_LT(pixels[1], 64);
        break;
      case PatchClass::Outside:
        EXPECT_EQ(pixels[0] + pixels[1], 0);
        EXPECT_TRUE(v.imageHasFinding);
        break;
      case PatchClass::Negative:
        EXPECT_EQ(pixels[0] + pixels[1], 0);
        EXPECT_FALSE(v.examHasFindings);
        break;
    }
    ASSERT_EQ(p.pixels.size(), static_cast<std::size_t>(kPatchSide * kPatchSide));
  }
  // Balanced: round-robin over the available classes.
  const int classes = available[0] + available[1] + available[2] + available[3];
  for (int k = 0; k < kPatchClasses; ++k) {
    if (available[k]) {
      EXPECT_NEAR(counts[k], 40 / classes, 1) << k;
    }
  }
}

TEST(PatchSampler, StateRestoresTheStream) {
  const auto dir = test::scratchDir();
  const core::ExamList list = test::phantomDataset(dir, 2, 3, 1.0);
  std::vector<PreparedView> views;
  for (int v = 0; v < 4; ++v)
    views.push_back(prepareView(list.exams[0], static_cast<core::StandardView>(v), {669, 485}));
  PatchSampler a(views, {64, true, 9}), b(views, {64, true, 1});
  a.sampleBatch(3);
  b.restore(a.state());
  const auto pa = a.sampleBatch(4), pb = b.sampleBatch(4);
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(pa[i].y0, pb[i].y0);
    EXPECT_EQ(pa[i].x0, pb[i].x0);
    EXPECT_EQ(pa[i].pixels, pb[i].pixels);
  }
}

// Masks of lesion-type classes ("malignant-mass", "benign-calcification"; annotation/MaskClasses.h) train
// as their pathology: the same lesion bits as the plain benign/malignant masks of the same pixels.
TEST(PreparedView, LesionTypeMasksCountAsTheirPathology) {
  const auto dir = test::scratchDir();
  const core::ExamList list = test::phantomDataset(dir, 1, 3, 1.0);
  core::ExamEntry typed = list.exams[0], unknown = list.exams[0];
  int withMasks = 0;
  for (int v = 0; v < 4; ++v) {
    const auto view = static_cast<core::StandardView>(v);
    for (auto* entry : {&typed, &unknown}) {
      auto& masks = entry->view(view)[0].masks;
      std::map<std::string, std::filesystem::path> renamed;
      for (const auto& [name, file] : masks) {
        renamed[entry == &typed ? (name == "malignant" ? "malignant-mass" : "benign-calcification") : "lump-" + name] =
            file;
      }
      masks = renamed;
    }
    const PreparedView plain = prepareView(list.exams[0], view, {669, 485});
    const PreparedView byType = prepareView(typed, view, {669, 485});
    const PreparedView neither = prepareView(unknown, view, {669, 485});
    EXPECT_EQ(byType.lesions, plain.lesions) << v;
    EXPECT_EQ(byType.imageHasFinding, plain.imageHasFinding) << v;
    EXPECT_FALSE(neither.imageHasFinding) << v;  // names that are no class carry no label
    withMasks += plain.imageHasFinding ? 1 : 0;
  }
  EXPECT_GT(withMasks, 0) << "the phantom seed should give lesions";
}
