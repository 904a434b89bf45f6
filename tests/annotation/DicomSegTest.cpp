// DICOM SEG export/import with dcmseg: PNG masks -> SEG -> masks round trips, the source reference, the
// object checked with DCMTK (and with dciodvfy from Debian's dicom3tools where installed).
#include <gtest/gtest.h>

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <dcmtk/dcmseg/segdoc.h>
#include <dcmtk/dcmseg/segment.h>

#include <cstdio>
#include <fstream>
#include <memory>

#include "TestSupport.h"
#include "annotation/DicomSeg.h"
#include "annotation/MaskFiles.h"
#include "core/DicomIO.h"
#include "core/Errors.h"
#include "core/Phantom.h"

using namespace mammo;
namespace fs = std::filesystem;

namespace {

struct WrittenExam {
  core::PhantomExam exam;
  core::ExamEntry entry;  // PNG images and masks
  fs::path dir;
};

WrittenExam writeExam(const fs::path& dir) {
  core::PhantomOptions o;
  o.seed = 4;
  o.lesionRate = 1.0;
  WrittenExam w{core::generatePhantomExam(o, 0), {}, dir};
  core::PhantomWriteOptions write;  // DICOM and PNG
  w.entry = core::writePhantomExam(w.exam, dir, write);
  return w;
}

fs::path dicomOf(const WrittenExam& w, core::StandardView v) {
  const std::string stem = w.exam.id + "_" + std::string(core::toString(core::lateralityOf(v))) + "_" +
                           std::string(core::toString(core::viewPositionOf(v)));
  return w.dir / w.exam.id / (stem + ".dcm");
}

// A top-level attribute, or with `nested` the first one found at any depth.
std::string attribute(const fs::path& file, const DcmTagKey& tag, bool nested = false) {
  DcmFileFormat ff;
  EXPECT_TRUE(ff.loadFile(file.c_str()).good()) << file;
  OFString value;
  ff.getDataset()->findAndGetOFString(tag, value, 0, nested);
  return value.c_str();
}

// dciodvfy (dicom3tools) if the build found it or MAMMO_DCIODVFY names it: its "Error" lines.
std::optional<std::string> dciodvfyErrors(const fs::path& file) {
  std::string tool = MAMMO_DCIODVFY;
  if (const char* env = std::getenv("MAMMO_DCIODVFY")) tool = env;
  if (tool.empty()) return std::nullopt;
  const fs::path log = file.string() + ".dciodvfy.txt";
  const std::string command = "'" + tool + "' '" + file.string() + "' > '" + log.string() + "' 2>&1";
  EXPECT_NE(std::system(command.c_str()), -1);
  std::ifstream in(log);
  std::string line, errors;
  while (std::getline(in, line)) {
    if (line.rfind("Error", 0) == 0) errors += line + "\n";
  }
  return errors;
}

}  // namespace

TEST(DicomSeg, PngMasksToSegAndBackAreEqualAndReferenceTheSource) {
  const fs::path dir = test::scratchDir();
  const WrittenExam w = writeExam(dir);
  for (core::StandardView v : core::kStandardViews) {
    const auto& masks = w.entry.view(v)[0].masks;
    const core::LabelMap map = annotation::readMasks(masks);
    const fs::path seg = dir / (w.exam.id + "_" + std::string(core::toString(v)) + "_seg.dcm");
    annotation::SegWriteOptions options;
    options.examId = w.exam.id;
    options.view = v;
    options.sourceImage = dicomOf(w, v);
    options.creator = "Tester^Alice";
    annotation::writeDicomSeg(seg, map, options);

    const annotation::SegContents back = annotation::readDicomSeg(seg);
    ASSERT_EQ(back.map.labels, map.labels) << core::toString(v);
    EXPECT_EQ(back.examId, w.exam.id);
    EXPECT_EQ(back.view, v);
    EXPECT_EQ(back.frames, 2u);
    ASSERT_EQ(back.segments.size(), 2u);
    EXPECT_EQ(back.segments[0].label, "benign");
    EXPECT_EQ(back.segments[1].classId, 2);
    EXPECT_EQ(back.segments[1].categoryCode, "SCT 49755003");
    EXPECT_EQ(back.segments[1].typeCode, "SCT 52988006");
    const std::string sourceUid = attribute(*options.sourceImage, DCM_SOPInstanceUID);
    EXPECT_EQ(back.referencedSopInstanceUids, std::vector<std::string>{sourceUid});

    // Back to NYU PNGs: the same files' content as the phantom wrote.
    const auto again = annotation::writeMasks(dir / "png", w.exam.id, v, back.map);
    for (const auto& [cls, file] : again) {
      EXPECT_EQ(annotation::readMasks({{cls, file}}).labels, annotation::readMasks({{cls, masks.at(cls)}}).labels);
    }
  }
}

TEST(DicomSeg, SegPassesDcmtkChecks) {
  const fs::path dir = test::scratchDir();
  const WrittenExam w = writeExam(dir);
  const core::StandardView v = core::StandardView::RMLO;
  const fs::path seg = dir / "seg.dcm";
  annotation::SegWriteOptions options{w.exam.id, v, dicomOf(w, v), "Mammolens", std::nullopt};
  annotation::writeDicomSeg(seg, annotation::readMasks(w.entry.view(v)[0].masks), options);
  EXPECT_TRUE(annotation::isDicomSeg(seg));
  EXPECT_FALSE(annotation::isDicomSeg(*options.sourceImage));

  DcmSegmentation* raw = nullptr;
  ASSERT_TRUE(DcmSegmentation::loadFile(seg.c_str(), raw).good());
  std::unique_ptr<DcmSegmentation> doc(raw);
  EXPECT_EQ(doc->getSegmentationType(), DcmSegTypes::ST_BINARY);
  EXPECT_EQ(doc->getNumberOfSegments(), 2u);
  EXPECT_EQ(doc->getNumberOfFrames(), 2u);
  EXPECT_TRUE(doc->check());
  for (unsigned s = 1; s <= 2; ++s) {
    OFVector<size_t> frames;
    doc->getFramesForSegment(s, frames);
    EXPECT_EQ(frames.size(), 1u) << "segment " << s;
    EXPECT_EQ(doc->getSegment(s)->getSegmentAlgorithmType(), DcmSegTypes::SAT_MANUAL);
  }
  // Same patient and study as the source image; its own series and instance; the Segmentation SOP class.
  EXPECT_EQ(attribute(seg, DCM_SOPClassUID), UID_SegmentationStorage);
  EXPECT_EQ(attribute(seg, DCM_Modality), "SEG");
  EXPECT_EQ(attribute(seg, DCM_StudyInstanceUID), attribute(*options.sourceImage, DCM_StudyInstanceUID));
  EXPECT_EQ(attribute(seg, DCM_PatientID), attribute(*options.sourceImage, DCM_PatientID));
  EXPECT_NE(attribute(seg, DCM_SeriesInstanceUID), attribute(*options.sourceImage, DCM_SeriesInstanceUID));
  EXPECT_EQ(attribute(seg, DCM_Rows), "1024");
  EXPECT_EQ(attribute(seg, DCM_BitsAllocated), "1");
  EXPECT_EQ(attribute(seg, DCM_ReferencedSOPInstanceUID, true), attribute(*options.sourceImage, DCM_SOPInstanceUID));
  EXPECT_EQ(attribute(seg, DCM_PatientOrientation), attribute(*options.sourceImage, DCM_PatientOrientation));
  EXPECT_EQ(attribute(seg, DCM_FrameOfReferenceUID), "");  // mammograms have none, so neither has their SEG

  if (const auto errors = dciodvfyErrors(seg)) {
    EXPECT_EQ(*errors, "") << "dciodvfy found errors (full report beside " << seg << ")";
  } else {
    std::printf("dciodvfy not installed (Debian package dicom3tools): checked with DCMTK only\n");
  }
}

TEST(DicomSeg, WithoutSourceTheExamIdIsThePatientAndBadInputsAreNamed) {
  const fs::path dir = test::scratchDir();
  core::LabelMap map(40, 30);
  map.at(3, 4) = 1;
  map.at(20, 20) = 2;
  annotation::writeDicomSeg(dir / "x.dcm", map, {"E_77", core::StandardView::LMLO, std::nullopt, "A", std::nullopt});
  EXPECT_EQ(attribute(dir / "x.dcm", DCM_PatientID), "E_77");
  const annotation::SegContents back = annotation::readDicomSeg(dir / "x.dcm");
  EXPECT_EQ(back.map.labels, map.labels);
  EXPECT_EQ(back.examId, "E_77");
  EXPECT_TRUE(back.referencedSopInstanceUids.empty());

  const WrittenExam w = writeExam(dir);
  try {
    annotation::writeDicomSeg(dir / "y.dcm", map,
                              {"E", core::StandardView::LCC, dicomOf(w, core::StandardView::LCC), "", std::nullopt});
    FAIL() << "size mismatch not detected";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find(dicomOf(w, core::StandardView::LCC).string()), std::string::npos) << e.what();
  }
  EXPECT_FALSE(fs::exists(dir / "y.dcm"));
  EXPECT_THROW(annotation::readDicomSeg(dicomOf(w, core::StandardView::LCC)), core::LoadError);
  std::ofstream(dir / "junk.dcm") << "junk";
  EXPECT_THROW(annotation::readDicomSeg(dir / "junk.dcm"), core::LoadError);
}
