#include <gtest/gtest.h>

#include <algorithm>

#include "TestSupport.h"
#include "core/ExamLoader.h"
#include "core/Phantom.h"

using namespace mammo::core;

namespace {
size_t count(const std::vector<std::uint8_t>& mask) { return std::count(mask.begin(), mask.end(), 1); }
}  // namespace

TEST(Phantom, DeterministicForASeedAndDifferentAcrossSeeds) {
  PhantomOptions a;
  a.seed = 7;
  const PhantomExam x = generatePhantomExam(a, 3);
  const PhantomExam y = generatePhantomExam(a, 3);
  for (int v = 0; v < 4; ++v) EXPECT_EQ(x.views[v].image.pixels, y.views[v].image.pixels);
  a.seed = 8;
  const PhantomExam z = generatePhantomExam(a, 3);
  EXPECT_NE(x.views[0].image.pixels, z.views[0].image.pixels);
}

TEST(Phantom, RealisticValuesOnZeroBackground) {
  PhantomOptions o;
  o.seed = 3;
  const PhantomExam exam = generatePhantomExam(o, 0);
  for (StandardView v : kStandardViews) {
    const Image& image = exam.views[static_cast<int>(v)].image;
    EXPECT_EQ(image.info.rows, 1024);
    EXPECT_EQ(image.info.columns, 832);
    EXPECT_EQ(image.info.bitsStored, 12);
    const auto [lo, hi] = std::minmax_element(image.pixels.begin(), image.pixels.end());
    EXPECT_EQ(*lo, 0);
    EXPECT_LE(*hi, 4095);
    const double background = std::count(image.pixels.begin(), image.pixels.end(), 0) / double(image.pixels.size());
    EXPECT_GT(background, 0.2);
    EXPECT_LT(background, 0.8);
    // The breast touches the chest-wall edge: left for L views, right for R views.
    EXPECT_EQ(exam.views[static_cast<int>(v)].image.pixels.size(), size_t(1024) * 832);
  }
}

TEST(Phantom, LesionsAppearInBothViewsOfTheirBreastWithMatchingLabels) {
  PhantomOptions o;
  o.lesionRate = 1.0;
  for (std::uint64_t seed = 1; seed <= 6; ++seed) {
    o.seed = seed;
    const PhantomExam exam = generatePhantomExam(o, 0);
    ASSERT_EQ(exam.lesions.size(), 2u);  // one per breast at rate 1
    for (StandardView v : kStandardViews) {
      const PhantomImage& p = exam.views[static_cast<int>(v)];
      const bool left = lateralityOf(v) == Laterality::Left;
      const int benign = left ? *exam.labels.leftBenign : *exam.labels.rightBenign;
      const int malignant = left ? *exam.labels.leftMalignant : *exam.labels.rightMalignant;
      EXPECT_EQ(count(p.benignMask) > 0, benign == 1) << toString(v) << " seed " << seed;
      EXPECT_EQ(count(p.malignantMask) > 0, malignant == 1) << toString(v) << " seed " << seed;
      // Lesion pixels lie inside the breast.
      for (size_t i = 0; i < p.image.pixels.size(); ++i) {
        if (p.benignMask[i] || p.malignantMask[i]) {
          ASSERT_GT(p.image.pixels[i], 0u);
        }
      }
    }
    const bool anyMalignant = *exam.labels.leftMalignant || *exam.labels.rightMalignant;
    EXPECT_EQ(exam.birads, anyMalignant ? 0 : 2);
  }
}

TEST(Phantom, WrittenExamLoadsBackAsAFourViewExamWithMasks) {
  const auto dir = mammo::test::scratchDir();
  PhantomOptions o;
  o.seed = 11;
  o.lesionRate = 1.0;
  PhantomWriteOptions w;  // DICOM and PNG
  const ExamList list = synthesiseExams(2, o, w, dir);
  ASSERT_EQ(list.exams.size(), 2u);
  ASSERT_TRUE(std::filesystem::exists(dir / "exam_list.json"));
  const LoadResult fromList = loadPaths({dir / "exam_list.json"});
  ASSERT_EQ(fromList.exams.size(), 2u);
  for (const Exam& exam : fromList.exams) {
    EXPECT_TRUE(exam.complete());
    EXPECT_FALSE(exam.hasErrors()) << (exam.issues.empty() ? "" : exam.issues[0].reason);
    for (StandardView v : kStandardViews) {
      const Image& image = exam.view(v)[0];
      EXPECT_EQ(image.info.format, "PNG");
      EXPECT_FALSE(image.orientation.mirrored);
      EXPECT_EQ(image.orientation.chestWall, lateralityOf(v) == Laterality::Left ? ImageEdge::Left : ImageEdge::Right);
      // PNG values follow the explicit 12 -> 16 bit NYU mapping, and map back exactly.
      const Image dicom = loadImage(std::filesystem::path(image.info.sourcePath).replace_extension(".dcm"));
      for (size_t i = 0; i < image.pixels.size(); i += 997) {
        ASSERT_EQ(fromNyuPngValue(image.pixels[i]), dicom.pixels[i]);
      }
    }
  }
  // Loading the folder finds the DICOMs and PNGs but never the masks.
  const LoadResult fromFolder = loadPaths({dir / list.exams[0].id});
  size_t images = 0;
  for (const Exam& e : fromFolder.exams) {
    images += e.imageCount();
    EXPECT_TRUE(e.otherImages.empty());
  }
  EXPECT_EQ(images, 8u);
}

TEST(Phantom, NyuPngMappingIsReversible) {
  for (int x = 0; x <= 4095; ++x) {
    ASSERT_EQ(fromNyuPngValue(nyuPngValue(static_cast<std::uint16_t>(x))), x);
  }
  EXPECT_EQ(nyuPngValue(4095), 65535);
  EXPECT_EQ(nyuPngValue(1), 16);  // round(65535/4095) = 16
}
