// Lesion-type classes: the configurable class list, typed masks on disk, in DICOM SEG and in agreement.
#include <gtest/gtest.h>

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>

#include <fstream>
#include <set>

#include "TestSupport.h"
#include "annotation/Agreement.h"
#include "annotation/Brush.h"
#include "annotation/DicomSeg.h"
#include "annotation/Lesions.h"
#include "annotation/MaskClasses.h"
#include "annotation/MaskFiles.h"
#include "core/Errors.h"
#include "core/PngIO.h"

using namespace mammo;
using annotation::ClassList;
using annotation::Pathology;
namespace fs = std::filesystem;

namespace {

std::uint8_t id(const ClassList& list, const char* name) {
  const auto label = list.label(name);
  EXPECT_TRUE(label) << name;
  return label.value_or(0);
}

// A square of `label` with its top-left corner at (r, c).
void square(core::LabelMap& map, int r, int c, int side, std::uint8_t label) {
  for (int y = r; y < r + side; ++y) {
    for (int x = c; x < c + side; ++x) map.at(y, x) = label;
  }
}

}  // namespace

TEST(MaskClasses, StandardListHasEveryLesionTypePerPathologyWithColoursAndKeys) {
  const ClassList& list = ClassList::standard();
  EXPECT_EQ(list.classes().size(), 10u);
  EXPECT_EQ(id(list, "benign"), 1);
  EXPECT_EQ(id(list, "malignant"), 2);
  std::set<std::string> keys;
  std::set<std::array<std::uint8_t, 3>> colours;
  std::set<int> ids;
  for (const auto& c : list.classes()) {
    EXPECT_EQ(c.key.size(), 1u) << c.name;  // one key each
    keys.insert(c.key);
    colours.insert(c.rgb);
    ids.insert(c.label);
  }
  EXPECT_EQ(keys.size(), 10u);
  EXPECT_EQ(colours.size(), 10u);
  EXPECT_EQ(ids.size(), 10u);
  for (std::string_view type : annotation::kLesionTypes) {
    for (Pathology p : {Pathology::Benign, Pathology::Malignant}) {
      const annotation::MaskClass* c = list.find(annotation::makeClassName(p, type));
      ASSERT_TRUE(c) << type;
      EXPECT_EQ(c->pathology, p);
      EXPECT_EQ(c->lesionType, type);
    }
  }
  EXPECT_EQ(list.find("malignant-architectural-distortion")->displayName(), "Malignant architectural distortion");
  EXPECT_EQ(list.name(200), "class-200");

  const auto parsed = annotation::parseClassName("benign-calcification");
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->pathology, Pathology::Benign);
  EXPECT_EQ(parsed->lesionType, "calcification");
  for (const char* bad : {"cyst", "benign-", "benign-Mass", "malignantmass", "benign--x-", ""}) {
    EXPECT_FALSE(annotation::parseClassName(bad)) << bad;
  }
}

TEST(MaskClasses, ConfiguredListsReadWriteAndRefuseBadEntriesByName) {
  const ClassList custom = ClassList::fromJson(R"({"classes": [
      {"pathology": "malignant", "lesion_type": "mass", "colour": "#ff0000", "key": "1"},
      {"pathology": "benign", "lesion_type": "cyst", "colour": "#00ff00", "key": "2"},
      {"pathology": "malignant", "colour": "#ffff00"}]})");
  ASSERT_EQ(custom.classes().size(), 3u);
  EXPECT_EQ(custom.classes()[0].name, "malignant-mass");
  EXPECT_EQ(custom.classes()[0].label, 3);  // ids 1 and 2 stay benign's and malignant's
  EXPECT_EQ(custom.classes()[1].name, "benign-cyst");
  EXPECT_EQ(custom.classes()[1].label, 4);
  EXPECT_EQ(custom.classes()[2].label, 2);
  EXPECT_EQ((custom.classes()[1].rgb), (std::array<std::uint8_t, 3>{0, 255, 0}));
  EXPECT_EQ(ClassList::fromJson(custom.toJson()), custom);
  EXPECT_EQ(ClassList::fromJson(ClassList::standard().toJson()), ClassList::standard());

  const auto refuses = [](const std::string& json, const std::string& reason) {
    try {
      ClassList::fromJson(json);
      ADD_FAILURE() << "accepted " << json;
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find(reason), std::string::npos) << e.what();
    }
  };
  refuses(R"({"classes": []})", "empty");
  refuses(R"({"classes": [{"pathology": "suspicious"}]})", "neither benign nor malignant");
  refuses(R"({"classes": [{"pathology": "benign", "lesion_type": "Big Mass"}]})", "lower-case");
  refuses(R"({"classes": [{"pathology": "benign", "key": "Q"}, {"pathology": "malignant", "key": "Q"}]})", "key 'Q'");
  refuses(R"({"classes": [{"pathology": "benign"}, {"pathology": "benign"}]})", "listed twice");
  refuses(R"({"classes": [{"pathology": "benign", "colour": "green"}]})", "#rrggbb");
  refuses("[1, 2", "not JSON");

  const fs::path file = test::scratchDir() / "classes.json";
  std::ofstream(file)
      << R"({"classes": [{"pathology": "benign", "key": "Q"}, {"pathology": "malignant", "key": "Q"}]})";
  try {
    ClassList::read(file);
    ADD_FAILURE() << "accepted a list with a key twice";
  } catch (const core::LoadError& e) {
    EXPECT_NE(std::string(e.what()).find("classes.json"), std::string::npos) << e.what();
  }
}

TEST(MaskClasses, TypedMasksRoundTripAndClearedTypesAreSavedCleared) {
  const fs::path dir = test::scratchDir();
  const ClassList& list = ClassList::standard();
  core::LabelMap map(60, 50);
  square(map, 5, 5, 10, id(list, "malignant-mass"));
  square(map, 30, 20, 6, id(list, "benign-calcification"));
  square(map, 45, 40, 4, id(list, "malignant"));
  const auto files = annotation::writeMasks(dir, "E9", core::StandardView::RCC, map, list);
  // The NYU pair always, typed classes where painted.
  EXPECT_EQ(files.size(), 4u);
  ASSERT_TRUE(files.count("malignant-mass") && files.count("benign-calcification"));
  EXPECT_EQ(files.at("malignant-mass").filename(), "E9_R-CC_malignant-mass.png");
  EXPECT_FALSE(fs::exists(dir / "E9_R-CC_benign-mass.png"));
  ClassList readList = list;
  EXPECT_EQ(annotation::readMasks(files, readList).labels, map.labels);
  EXPECT_EQ(readList, list);  // nothing had to be added

  // The mass is erased: its file is rewritten empty, not left behind with the old mask.
  square(map, 5, 5, 10, 0);
  const auto again = annotation::writeMasks(dir, "E9", core::StandardView::RCC, map, list);
  ASSERT_TRUE(again.count("malignant-mass"));
  const core::PngPixels png = core::readPng(again.at("malignant-mass"));
  EXPECT_TRUE(std::all_of(png.pixels.begin(), png.pixels.end(), [](std::uint8_t v) { return v == 0; }));

  // Found by name alone, with the class of a file outside the configured list added, not dropped.
  fs::copy_file(files.at("benign-calcification"), dir / "E9_R-CC_benign-cyst.png");
  const auto sets = annotation::findMaskFiles({dir});
  ASSERT_EQ(sets.size(), 1u);
  EXPECT_EQ(sets[0].files.size(), 5u);
  ClassList pathologies = ClassList::pathologiesOnly();
  const core::LabelMap merged = annotation::readMasks(sets[0].files, pathologies);
  ASSERT_TRUE(pathologies.find("benign-cyst"));
  ASSERT_TRUE(pathologies.find("benign-calcification"));
  EXPECT_EQ(pathologies.find("benign-cyst")->pathology, Pathology::Benign);
  EXPECT_GE(pathologies.find("benign-cyst")->label, 3);
  EXPECT_EQ(std::count(merged.labels.begin(), merged.labels.end(), id(pathologies, "malignant")), 16);

  fs::copy_file(files.at("malignant"), dir / "E9_R-CC_lump.png");
  ClassList any = list;
  EXPECT_THROW(annotation::readMasks({{"lump", dir / "E9_R-CC_lump.png"}}, any), core::LoadError);
}

TEST(MaskClasses, WhereTypedMasksOverlapMalignantWins) {
  const fs::path dir = test::scratchDir();
  const ClassList& list = ClassList::standard();
  core::LabelMap mass(20, 20), calcification(20, 20);
  square(mass, 2, 2, 10, id(list, "benign-mass"));
  square(calcification, 6, 6, 10, id(list, "malignant-calcification"));
  const auto a = annotation::writeMasks(dir / "a", "E", core::StandardView::LCC, mass, list);
  const auto b = annotation::writeMasks(dir / "b", "E", core::StandardView::LCC, calcification, list);
  ClassList readList = list;
  const core::LabelMap both = annotation::readMasks(
      {{"benign-mass", a.at("benign-mass")}, {"malignant-calcification", b.at("malignant-calcification")}}, readList);
  EXPECT_EQ(both.at(7, 7), id(list, "malignant-calcification"));
  EXPECT_EQ(both.at(3, 3), id(list, "benign-mass"));
  EXPECT_EQ(both.at(15, 15), id(list, "malignant-calcification"));
}

TEST(MaskClasses, DicomSegCarriesLesionTypesWithTheirCodesAndReadsBack) {
  const fs::path dir = test::scratchDir();
  const ClassList& list = ClassList::standard();
  core::LabelMap map(40, 30);
  square(map, 2, 2, 8, id(list, "malignant-architectural-distortion"));
  square(map, 20, 10, 5, id(list, "benign-asymmetry"));
  annotation::SegWriteOptions options;
  options.examId = "E_5";
  options.view = core::StandardView::RMLO;
  options.classes = list;
  annotation::writeDicomSeg(dir / "typed.dcm", map, options);

  ClassList readList = ClassList::pathologiesOnly();  // the reader learns the typed classes from the SEG
  const annotation::SegContents back = annotation::readDicomSeg(dir / "typed.dcm", readList);
  ASSERT_EQ(back.segments.size(), 4u);  // benign, malignant, then the two painted types
  std::map<std::string, std::string> typeOf;
  for (const auto& s : back.segments) typeOf[s.label] = s.typeCode;
  EXPECT_EQ(typeOf.at("benign"), "SCT 52988006");
  EXPECT_EQ(typeOf.at("malignant-architectural-distortion"), "SCT 129792006");
  EXPECT_EQ(typeOf.at("benign-asymmetry"), "SCT 129789007");
  for (size_t i = 0; i < map.labels.size(); ++i) {
    ASSERT_EQ(readList.name(back.map.labels[i]), list.name(map.labels[i])) << i;
  }
  // And on to PNGs under the reader's ids: the typed files appear with the same pixels.
  const auto files = annotation::writeMasks(dir / "png", "E_5", core::StandardView::RMLO, back.map, readList);
  ClassList again = list;
  EXPECT_EQ(annotation::readMasks(files, again).labels, map.labels);
}

TEST(MaskClasses, PathologyAgreementIgnoresTheLesionTypeAndLesionsKeepTheirTypedClass) {
  const ClassList& list = ClassList::standard();
  core::LabelMap a(20, 20), b(20, 20);
  square(a, 0, 0, 4, id(list, "malignant-mass"));
  square(b, 0, 0, 4, id(list, "malignant-calcification"));  // same region, another type
  square(a, 10, 10, 2, id(list, "benign"));
  square(b, 10, 10, 2, id(list, "benign-mass"));
  const auto byClass = annotation::agreement(a, b);
  EXPECT_DOUBLE_EQ(byClass.at(id(list, "malignant-mass")).dice(), 0.0);
  const auto byPathology = annotation::agreement(annotation::pathologyMap(a, list), annotation::pathologyMap(b, list));
  EXPECT_DOUBLE_EQ(byPathology.at(2).dice(), 1.0);
  EXPECT_EQ(byPathology.at(2).intersection, 16u);
  EXPECT_DOUBLE_EQ(byPathology.at(1).iou(), 1.0);

  std::vector<annotation::Lesion> lesions;
  annotation::updateLesions(lesions, "R-CC", a, std::nullopt, list);
  ASSERT_EQ(lesions.size(), 2u);
  std::set<std::string> names{lesions[0].className, lesions[1].className};
  EXPECT_EQ(names, (std::set<std::string>{"malignant-mass", "benign"}));
}
