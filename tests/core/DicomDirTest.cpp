// A DICOMDIR (written by DCMTK's DicomDirInterface, as media creators do) loads as one four-view exam.
#include <dcmtk/dcmdata/dcddirif.h>
#include <gtest/gtest.h>

#include <fstream>

#include "TestSupport.h"
#include "core/DicomIO.h"
#include "core/ExamLoader.h"
#include "core/Errors.h"
#include "core/Phantom.h"

using namespace mammo::core;
namespace fs = std::filesystem;

TEST(DicomDir, LoadsTheReferencedImagesAsOneExam) {
  const auto dir = mammo::test::scratchDir();
  PhantomOptions o;
  o.seed = 21;
  const PhantomExam exam = generatePhantomExam(o, 0);
  fs::create_directories(dir / "IMAGES");
  DicomDirInterface dicomdir;
  ASSERT_TRUE(dicomdir.createNewDicomDir(DicomDirInterface::AP_GeneralPurpose, (dir / "DICOMDIR").c_str()).good());
  int index = 0;
  for (StandardView v : kStandardViews) {
    // Media file IDs: upper case, at most 8 characters per component.
    const std::string name = "IMG" + std::to_string(++index);
    writeDicom(exam.views[static_cast<int>(v)].image, dir / "IMAGES" / name, TransferSyntax::ExplicitLittleEndian);
    const OFCondition added = dicomdir.addDicomFile(("IMAGES/" + name).c_str(), dir.c_str());
    ASSERT_TRUE(added.good()) << added.text();
  }
  ASSERT_TRUE(dicomdir.writeDicomDir().good());

  const auto files = readDicomDir(dir / "DICOMDIR");
  EXPECT_EQ(files.size(), 4u);
  for (const LoadResult& result : {loadPaths({dir / "DICOMDIR"}), loadPaths({dir})}) {
    ASSERT_TRUE(result.issues.empty()) << result.issues[0].reason;
    ASSERT_EQ(result.exams.size(), 1u);
    EXPECT_TRUE(result.exams[0].complete());
    EXPECT_FALSE(result.exams[0].hasErrors());
  }
}

TEST(DicomDir, BrokenDicomDirNamesTheFile) {
  const auto dir = mammo::test::scratchDir();
  std::ofstream(dir / "DICOMDIR") << "not a dicomdir";
  try {
    readDicomDir(dir / "DICOMDIR");
    FAIL();
  } catch (const LoadError& e) {
    EXPECT_NE(std::string(e.what()).find("DICOMDIR"), std::string::npos);
  }
  const LoadResult result = loadPaths({dir / "DICOMDIR"});
  ASSERT_EQ(result.issues.size(), 1u);
  EXPECT_NE(result.issues[0].reason.find("DICOMDIR"), std::string::npos);
}
