#include <gtest/gtest.h>

#include <fstream>

#include "TestSupport.h"
#include "core/Errors.h"
#include "core/ExamList.h"
#include "core/ExamLoader.h"

using namespace mammo::core;

TEST(ExamList, ProjectFormatRoundTrips) {
  const auto dir = mammo::test::scratchDir();
  ExamList list;
  ExamEntry e;
  e.id = "E1";
  e.patientId = "P9";
  e.birads = 2;
  e.labels.leftBenign = 1;
  e.labels.rightMalignant = 0;
  ExamImageEntry image;
  image.file = dir / "imgs" / "E1_L_CC.png";
  image.masks["benign"] = dir / "imgs" / "E1_L-CC_benign.png";
  CropMetadata crop;
  crop.windowLocation = {1, 2, 3, 4};
  crop.rightmostRows = {5, 6};
  crop.rightmostX = 7;
  crop.bottommostY = 8;
  crop.bottommostColumns = {9, 10};
  crop.bestCenter = std::array<int, 2>{11, 12};
  image.crop = crop;
  e.view(StandardView::LCC).push_back(image);
  list.exams.push_back(e);
  writeExamList(list, dir / "list.json");

  const ExamList back = readExamList(dir / "list.json");
  ASSERT_EQ(back.exams.size(), 1u);
  const ExamEntry& b = back.exams[0];
  EXPECT_EQ(b.id, "E1");
  EXPECT_EQ(b.patientId, "P9");
  EXPECT_EQ(b.birads, 2);
  EXPECT_EQ(b.labels.leftBenign, 1);
  EXPECT_EQ(b.labels.rightMalignant, 0);
  EXPECT_FALSE(b.labels.rightBenign.has_value());
  ASSERT_EQ(b.view(StandardView::LCC).size(), 1u);
  EXPECT_EQ(b.view(StandardView::LCC)[0].file, image.file);
  EXPECT_EQ(b.view(StandardView::LCC)[0].masks.at("benign"), image.masks["benign"]);
  ASSERT_TRUE(b.view(StandardView::LCC)[0].crop);
  EXPECT_EQ(b.view(StandardView::LCC)[0].crop->windowLocation, crop.windowLocation);
  EXPECT_EQ(b.view(StandardView::LCC)[0].crop->bestCenter, crop.bestCenter);
  // Paths are stored relative to the list so a dataset folder can move.
  std::ifstream in(dir / "list.json");
  std::string text((std::istreambuf_iterator<char>(in)), {});
  EXPECT_NE(text.find("\"imgs/E1_L_CC.png\""), std::string::npos);
}

TEST(ExamList, ReadsNyuReferenceStructureWithCropMetadata) {
  ExamListReadOptions options;
  options.imagesDir = mammo::test::parityDir() / "inputs";
  const ExamList list = readExamList(mammo::test::parityDir() / "exam_list_after_stage2.json", options);
  ASSERT_EQ(list.exams.size(), 1u);
  const ExamEntry& e = list.exams[0];
  EXPECT_EQ(e.id, "A");
  const auto& rcc = e.view(StandardView::RCC);
  ASSERT_EQ(rcc.size(), 1u);
  EXPECT_EQ(rcc[0].file.filename(), "A_R_CC.png");
  ASSERT_TRUE(rcc[0].crop);
  EXPECT_EQ(rcc[0].crop->windowLocation, (std::array<int, 4>{0, 2568, 785, 2000}));
  EXPECT_EQ(rcc[0].crop->rightmostRows, (std::array<int, 2>{1357, 1405}));
  EXPECT_EQ(rcc[0].crop->rightmostX, 1165);
  EXPECT_EQ(rcc[0].crop->bottommostY, 2517);
  EXPECT_EQ(rcc[0].crop->bottommostColumns, (std::array<int, 2>{101, 146}));
  EXPECT_EQ(rcc[0].crop->bestCenter, (std::array<int, 2>{1284, 193}));
  // And the exam loads from it.
  LoadOptions load;
  load.imagesDir = options.imagesDir;
  const LoadResult result = loadExamList(list, load);
  ASSERT_EQ(result.exams.size(), 1u);
  EXPECT_TRUE(result.exams[0].complete());
  EXPECT_FALSE(result.exams[0].hasErrors());
}

TEST(ExamList, MalformedListsNameFileAndReason) {
  const auto dir = mammo::test::scratchDir();
  std::ofstream(dir / "bad.json") << "{\"exams\": [ {\"id\": \"x\", \"views\": {\"L-XX\": [\"a.png\"]}} ]}";
  try {
    readExamList(dir / "bad.json");
    FAIL();
  } catch (const LoadError& e) {
    EXPECT_NE(std::string(e.what()).find("bad.json"), std::string::npos);
    EXPECT_NE(e.reason().find("L-XX"), std::string::npos);
  }
  std::ofstream(dir / "broken.json") << "{\"exams\": [";
  EXPECT_THROW(readExamList(dir / "broken.json"), LoadError);
}

TEST(ExamList, ViewContradictingTheFileIsAnError) {
  const auto dir = mammo::test::scratchDir();
  ExamList list;
  ExamEntry e;
  e.id = "x";
  ExamImageEntry image;
  image.file = mammo::test::parityDir() / "inputs" / "A_L_CC.png";
  e.view(StandardView::RMLO).push_back(image);
  list.exams.push_back(e);
  const LoadResult result = loadExamList(list);
  ASSERT_EQ(result.exams.size(), 1u);
  bool found = false;
  for (const auto& issue : result.exams[0].issues)
    found = found || issue.reason.find("listed as R-MLO") != std::string::npos;
  EXPECT_TRUE(found);
}
