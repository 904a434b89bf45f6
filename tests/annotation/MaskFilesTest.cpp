// NYU-named PNG masks, atomic writes and the JSON sidecar.
#include <gtest/gtest.h>

#include <fstream>
#include <random>
#include <regex>

#include "TestSupport.h"
#include "annotation/AtomicFile.h"
#include "annotation/Brush.h"
#include "annotation/MaskFiles.h"
#include "annotation/Sidecar.h"
#include "core/Errors.h"
#include "core/Phantom.h"
#include "core/PngIO.h"

using namespace mammo;
namespace fs = std::filesystem;

TEST(MaskFiles, NyuNamesParseAndTemporariesDoNot) {
  EXPECT_EQ(annotation::maskFileName("0_1", core::StandardView::RMLO, "malignant"), "0_1_R-MLO_malignant.png");
  const auto name = annotation::parseMaskFileName("/x/P_0001_L-CC_benign.png");
  ASSERT_TRUE(name);
  EXPECT_EQ(name->examId, "P_0001");
  EXPECT_EQ(name->view, core::StandardView::LCC);
  EXPECT_EQ(name->className, "benign");
  EXPECT_FALSE(annotation::parseMaskFileName("P_L_CC.png"));  // an image, not a mask
  EXPECT_FALSE(annotation::parseMaskFileName("P_L-XX_benign.png"));
  EXPECT_FALSE(annotation::parseMaskFileName(".P_L-CC_benign.png.12.3.tmp"));
  EXPECT_TRUE(annotation::isTemporaryName(".P_L-CC_benign.png.12.3.tmp"));
  EXPECT_THROW(annotation::annotatorFolder("/r", "../x"), std::invalid_argument);
  EXPECT_EQ(annotation::annotatorFolder("/r", "alice"), fs::path("/r/alice"));
}

TEST(MaskFiles, WrittenMasksReadBackIdenticalAndAre8Bit0Or255) {
  const fs::path dir = test::scratchDir();
  core::LabelMap map(300, 200);
  std::mt19937 rng(9);
  for (int i = 0; i < 40; ++i) {
    std::uniform_real_distribution<double> r(0, 300), c(0, 200);
    annotation::BrushStroke({{r(rng), c(rng)}, {r(rng), c(rng)}}, 6, static_cast<std::uint8_t>(1 + i % 2)).apply(map);
  }
  const auto files = annotation::writeMasks(dir, "E1", core::StandardView::LMLO, map);
  ASSERT_EQ(files.size(), 2u);
  EXPECT_EQ(files.at("benign").filename(), "E1_L-MLO_benign.png");
  const core::PngPixels png = core::readPng(files.at("malignant"));
  EXPECT_EQ(png.bitDepth, 8);
  for (size_t i = 0; i < png.pixels.size(); ++i) ASSERT_EQ(png.pixels[i], map.labels[i] == 2 ? 255 : 0);
  EXPECT_EQ(annotation::readMasks(files).labels, map.labels);
  for (const auto& entry : fs::directory_iterator(dir)) EXPECT_FALSE(annotation::isTemporaryName(entry.path()));
  const auto found = annotation::findMaskFiles({dir});
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].view, core::StandardView::LMLO);
  EXPECT_EQ(found[0].files, files);
}

TEST(MaskFiles, PhantomMasksImportIntoOneLabelMap) {
  const fs::path dir = test::scratchDir();
  core::PhantomOptions o;
  o.seed = 4;
  o.lesionRate = 1.0;
  const core::PhantomExam exam = core::generatePhantomExam(o, 0);
  core::PhantomWriteOptions w;
  w.dicom = false;
  const core::ExamEntry entry = core::writePhantomExam(exam, dir, w);
  const auto sets = annotation::findMaskFiles({dir});
  ASSERT_EQ(sets.size(), 4u);
  for (const auto& set : sets) {
    const core::PhantomImage& p = exam.views[static_cast<int>(set.view)];
    const core::LabelMap map = annotation::readMasks(set.files);
    ASSERT_EQ(map.labels.size(), p.benignMask.size());
    for (size_t i = 0; i < map.labels.size(); ++i) {
      ASSERT_EQ(map.labels[i], p.malignantMask[i] ? 2 : p.benignMask[i] ? 1 : 0);
    }
    EXPECT_EQ(set.files, entry.view(set.view)[0].masks);
  }
}

TEST(MaskFiles, BadMasksAreReportedWithTheirFile) {
  const fs::path dir = test::scratchDir();
  const auto a = annotation::writeMasks(dir / "a", "E", core::StandardView::LCC, core::LabelMap(10, 10));
  const auto b = annotation::writeMasks(dir / "b", "E", core::StandardView::LCC, core::LabelMap(10, 12));
  try {
    annotation::readMasks({{"benign", a.at("benign")}, {"malignant", b.at("malignant")}});
    FAIL() << "sizes differ";
  } catch (const core::LoadError& e) {
    EXPECT_EQ(e.file(), b.at("malignant"));
  }
  EXPECT_THROW(annotation::readMasks({{"cyst", a.at("benign")}}), core::LoadError);
  std::ofstream(dir / "E_L-CC_benign.png") << "not a png";
  EXPECT_THROW(annotation::readMasks({{"benign", dir / "E_L-CC_benign.png"}}), core::LoadError);
  EXPECT_THROW(annotation::findMaskFiles({dir}), std::invalid_argument);  // a/ and b/ both hold E_L-CC
}

TEST(MaskFiles, StaleTemporariesAreRemoved) {
  const fs::path dir = test::scratchDir();
  std::ofstream(dir / ".E_L-CC_benign.png.77.0.tmp") << "half";
  annotation::writeFileAtomically(dir / "keep.json", std::vector<std::uint8_t>{'{', '}'});
  EXPECT_EQ(annotation::removeStaleTemporaries(dir), 1u);
  EXPECT_TRUE(fs::exists(dir / "keep.json"));
  EXPECT_THROW(annotation::writeFileAtomically(dir / "missing" / "x.json", std::vector<std::uint8_t>{1}),
               std::runtime_error);
}

TEST(Sidecar, RoundTripsEveryField) {
  const fs::path dir = test::scratchDir();
  annotation::AnnotationSidecar s;
  s.annotator = "alice";
  s.examId = "E1";
  s.created = annotation::isoTimestampNow();
  s.modified = s.created;
  s.toolVersion = "Mammolens 0.1.0";
  s.images["L-CC"] = {100, 80, core::PixelSpacing{0.07, 0.07, "PixelSpacing"}, {{"benign", "E1_L-CC_benign.png"}}};
  s.images["L-MLO"] = {100, 80, std::nullopt, {}};
  annotation::Lesion l;
  l.id = 4;
  l.className = "malignant";
  l.regions = {{"L-CC", {1, 2, 11, 22}, 150, 0.735}, {"L-MLO", {5, 5, 9, 9}, 12, std::nullopt}};
  l.status = annotation::LesionStatus::Flagged;
  l.note = "check \"MLO\"";
  s.lesions.push_back(l);
  const fs::path file = annotation::sidecarPath(dir, "E1");
  annotation::writeSidecar(file, s);
  EXPECT_TRUE(std::regex_match(s.created, std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)")));
  const annotation::AnnotationSidecar r = annotation::readSidecar(file);
  EXPECT_EQ(r.annotator, "alice");
  EXPECT_EQ(r.created, s.created);
  EXPECT_EQ(r.toolVersion, s.toolVersion);
  ASSERT_EQ(r.images.size(), 2u);
  EXPECT_DOUBLE_EQ(r.images.at("L-CC").spacing->rowMm, 0.07);
  EXPECT_FALSE(r.images.at("L-MLO").spacing);
  ASSERT_EQ(r.lesions.size(), 1u);
  EXPECT_EQ(r.lesions[0].id, 4);
  EXPECT_EQ(r.lesions[0].regions[0].box, (annotation::PixelRect{1, 2, 11, 22}));
  EXPECT_DOUBLE_EQ(*r.lesions[0].regions[0].areaMm2, 0.735);
  EXPECT_EQ(r.lesions[0].status, annotation::LesionStatus::Flagged);
  EXPECT_EQ(r.lesions[0].note, l.note);
  std::ofstream(dir / "bad.json") << R"({"format": "mammolens-annotation/1", "annotator": 3})";
  EXPECT_THROW(annotation::readSidecar(dir / "bad.json"), core::LoadError);
}
