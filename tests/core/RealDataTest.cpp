// Every file in ../shared/data/real loads with the right laterality and view (or its header facts).
#include <gtest/gtest.h>

#include <algorithm>

#include "TestSupport.h"
#include "core/ExamLoader.h"
#include "core/Orientation.h"

using namespace mammo::core;
using mammo::test::realDataDir;

TEST(RealData, DensityExamLoadsAllFourViewsAndFlagsMirroredRightViews) {
  const LoadResult result = loadPaths({realDataDir() / "density-exam"});
  ASSERT_TRUE(result.issues.empty());
  ASSERT_EQ(result.exams.size(), 1u);
  const Exam& exam = result.exams[0];
  EXPECT_TRUE(exam.complete());
  for (StandardView v : kStandardViews) {
    ASSERT_EQ(exam.view(v).size(), 1u) << toString(v);
    const Image& image = exam.view(v)[0];
    EXPECT_EQ(image.info.rows, 2600);
    EXPECT_EQ(image.info.columns, 2000);
    EXPECT_EQ(image.info.bitsStored, 8);
    EXPECT_EQ(image.standardView(), v);
    // The file names say R, but these right breasts are stored facing right like the left ones.
    EXPECT_EQ(image.orientation.chestWall, ImageEdge::Left) << toString(v);
    EXPECT_EQ(image.orientation.mirrored, lateralityOf(v) == Laterality::Right) << toString(v);
  }
  // The mirrored views are reported as warnings on the exam.
  int mirroredWarnings = 0;
  for (const auto& issue : exam.issues) mirroredWarnings += issue.reason.find("stored mirrored") != std::string::npos;
  EXPECT_EQ(mirroredWarnings, 2);
}

TEST(RealData, DensityExamNormalisesToFaceRightWithInverse) {
  const LoadResult result = loadPaths({realDataDir() / "density-exam"});
  ASSERT_EQ(result.exams.size(), 1u);
  for (StandardView v : kStandardViews) {
    const Image& image = result.exams[0].view(v)[0];
    const FaceRightTransform t = faceRightTransform(image);
    // Chest wall detected on the left edge: already facing right, even for the mislabelled R views.
    EXPECT_FALSE(t.flip) << toString(v);
    for (int c : {0, 1, 999, 1999}) EXPECT_EQ(t.toStoredColumn(t.toNormalisedColumn(c)), c);
  }
}

TEST(RealData, ParityInputsAreInAcquisitionOrientation) {
  const LoadResult result = loadPaths({mammo::test::parityDir() / "inputs"});
  ASSERT_EQ(result.exams.size(), 1u);
  const Exam& exam = result.exams[0];
  EXPECT_EQ(exam.id, "A");
  for (StandardView v : kStandardViews) {
    const Image& image = exam.view(v)[0];
    EXPECT_EQ(image.info.bitsStored, 16);
    EXPECT_FALSE(image.orientation.mirrored) << toString(v);
    const bool right = lateralityOf(v) == Laterality::Right;
    EXPECT_EQ(image.orientation.chestWall, right ? ImageEdge::Right : ImageEdge::Left);
    const FaceRightTransform t = faceRightTransform(image);
    EXPECT_EQ(t.flip, right);
    // After normalisation the chest wall column (0) is breast on most rows.
    const std::vector<std::uint16_t> faceRight = toFaceRight(image, t);
    int rowsWithBreast = 0;
    for (int r = 0; r < image.info.rows; ++r)
      rowsWithBreast += faceRight[static_cast<size_t>(r) * image.info.columns] > 0;
    EXPECT_GT(rowsWithBreast, image.info.rows / 2) << toString(v);
    // Inverse mapping: normalised column c is stored column W-1-c for flipped images.
    EXPECT_EQ(faceRight[5], image.at(0, t.toStoredColumn(5)));
  }
}

TEST(RealData, DdsmSecondaryCaptureLoadsAsLeftMlo) {
  const Image image = loadImage(realDataDir() / "dicom" / "MG1_JPLY.dcm");
  EXPECT_EQ(image.info.laterality, Laterality::Left);
  EXPECT_EQ(image.info.lateralitySource, "Laterality");  // no ImageLaterality in this file
  EXPECT_EQ(image.info.view, ViewPosition::MLO);
  EXPECT_EQ(image.info.modality, "RG");
  EXPECT_EQ(image.info.rows, 4664);
  EXPECT_EQ(image.info.columns, 3064);
  EXPECT_EQ(image.info.bitsStored, 12);
  EXPECT_EQ(image.info.transferSyntaxUid, "1.2.840.10008.1.2.4.51");
  EXPECT_EQ(image.info.patientOrientation, "A\\F");
  EXPECT_EQ(image.orientation.expected, ImageEdge::Left);
  ASSERT_TRUE(image.info.hasPixels);
  std::uint16_t lo = 0xffff, hi = 0;
  for (auto p : image.pixels) {
    lo = std::min(lo, p);
    hi = std::max(hi, p);
  }
  EXPECT_LE(hi, 4095);
  EXPECT_GT(hi - lo, 1000);  // real decoded content, not a constant
}

TEST(RealData, GeSenographeHeadersGiveTheirFacts) {
  const Image presentation = loadImage(realDataDir() / "dicom" / "MG-Im-GE_Seno_1_ForPresentation.dcm");
  EXPECT_EQ(presentation.info.laterality, Laterality::Left);
  EXPECT_EQ(presentation.info.lateralitySource, "ImageLaterality");
  EXPECT_EQ(presentation.info.view, ViewPosition::CC);
  EXPECT_EQ(presentation.info.intent, PresentationIntent::ForPresentation);
  EXPECT_EQ(presentation.info.photometric, Photometric::Monochrome2);
  EXPECT_EQ(presentation.info.modality, "MG");
  ASSERT_TRUE(presentation.info.spacing);
  // Its PixelSpacing (74.7\46.6 mm) is no mammogram's: the detector's 0.094 mm is used, and said.
  EXPECT_EQ(presentation.info.spacing->source, "ImagerPixelSpacing");
  EXPECT_NEAR(presentation.info.spacing->columnMm, 0.094090909, 1e-9);
  ASSERT_TRUE(presentation.info.magnification);
  EXPECT_DOUBLE_EQ(*presentation.info.magnification, 1.0);
  EXPECT_TRUE(std::any_of(presentation.warnings.begin(), presentation.warnings.end(), [](const std::string& w) {
    return w.rfind("PixelSpacing 74.7082\\46.575 mm is not a mammogram's pixel size", 0) == 0;
  })) << (presentation.warnings.empty() ? std::string("no warning") : presentation.warnings.front());

  const Image processing = loadImage(realDataDir() / "dicom" / "MG-Im-GE_Seno_1_ForProcessing.dcm");
  EXPECT_EQ(processing.info.intent, PresentationIntent::ForProcessing);
  EXPECT_EQ(processing.info.photometric, Photometric::Monochrome1);
  EXPECT_EQ(processing.standardView(), StandardView::LCC);

  const Image scaled = loadImage(realDataDir() / "dicom" / "MG-Im-GE-SenDS-scaled.dcm");
  EXPECT_EQ(scaled.standardView(), StandardView::LCC);
  EXPECT_EQ(scaled.info.patientOrientation, "A\\R");
  EXPECT_EQ(scaled.orientation.expected, ImageEdge::Left);
}

TEST(RealData, GeSenographeForPresentationIsPreferredOverForProcessing) {
  const LoadResult result = loadPaths({realDataDir() / "dicom" / "MG-Im-GE_Seno_1_ForProcessing.dcm",
                                       realDataDir() / "dicom" / "MG-Im-GE_Seno_1_ForPresentation.dcm"});
  ASSERT_EQ(result.exams.size(), 1u);
  const Exam& exam = result.exams.front();
  ASSERT_EQ(exam.view(StandardView::LCC).size(), 2u);
  EXPECT_EQ(exam.first(StandardView::LCC)->info.intent, PresentationIntent::ForPresentation);
  EXPECT_TRUE(std::any_of(exam.issues.begin(), exam.issues.end(), [](const LoadIssue& i) {
    return !i.error && i.reason.rfind("L-CC: FOR PROCESSING image not used", 0) == 0;
  }));
}

TEST(RealData, EveryRealFileLoadsWithoutLoaderErrors) {
  const LoadResult result = loadPaths({realDataDir()});
  EXPECT_TRUE(result.issues.empty()) << (result.issues.empty() ? "" : result.issues[0].reason);
  size_t images = 0;
  for (const auto& exam : result.exams) {
    images += exam.imageCount();
    EXPECT_TRUE(exam.otherImages.empty());
  }
  EXPECT_EQ(images, 8u);
}
