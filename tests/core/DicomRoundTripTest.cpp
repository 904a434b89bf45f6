// Phantom DICOMs round-trip through every supported transfer syntax: lossless ones with identical pixels,
// all with identical tags (apart from those that describe the compression itself).
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <gtest/gtest.h>

#include <cmath>
#include <sstream>

#include "TestSupport.h"
#include "core/DicomIO.h"
#include "core/ExamLoader.h"
#include "core/Phantom.h"
#include "core/Text.h"
#include "core/Voi.h"

using namespace mammo::core;

namespace {

const PhantomExam& smallExam() {
  static const PhantomExam exam = [] {
    PhantomOptions options;
    options.seed = 42;
    options.lesionRate = 1.0;
    return generatePhantomExam(options, 0);
  }();
  return exam;
}

// Top-level data elements as text, without the pixel data and the elements that describe compression.
std::map<std::string, std::string> tagsOf(const std::filesystem::path& file) {
  DcmFileFormat ff;
  EXPECT_TRUE(ff.loadFile(file.c_str()).good()) << file;
  std::map<std::string, std::string> tags;
  DcmDataset* ds = ff.getDataset();
  for (unsigned long i = 0; i < ds->card(); ++i) {
    DcmElement* e = ds->getElement(i);
    const DcmTagKey key = e->getTag().getXTag();
    if (key == DCM_PixelData || key == DCM_LossyImageCompression || key == DCM_LossyImageCompressionRatio ||
        key == DCM_LossyImageCompressionMethod || key.getGroup() == 0x0002) {
      continue;
    }
    std::ostringstream text;
    e->print(text, DCMTypes::PF_shortenLongTagValues);
    std::string value = text.str();
    // print() includes the VR and length; keep only the value part, the part that must survive.
    tags[key.toString().c_str()] = value.substr(0, value.find('#'));
  }
  return tags;
}

double meanAbsDifference(const std::vector<std::uint16_t>& a, const std::vector<std::uint16_t>& b, int shift = 0) {
  double sum = 0;
  for (size_t i = 0; i < a.size(); ++i) sum += std::abs(double(a[i] >> shift) - double(b[i]));
  return sum / a.size();
}

}  // namespace

class TransferSyntaxRoundTrip : public ::testing::TestWithParam<TransferSyntax> {};

TEST_P(TransferSyntaxRoundTrip, PixelsAndTagsSurvive) {
  const TransferSyntax syntax = GetParam();
  const auto dir = mammo::test::scratchDir();
  const Image& original = smallExam().views[static_cast<int>(StandardView::LMLO)].image;

  PhantomWriteOptions reference;
  reference.png = false;
  const ExamEntry refEntry = writePhantomExam(smallExam(), dir / "reference", reference);
  PhantomWriteOptions options;
  options.png = false;
  options.syntax = syntax;
  const ExamEntry entry = writePhantomExam(smallExam(), dir / "encoded", options);
  const auto& file = entry.view(StandardView::LMLO)[0].file;
  const auto& refFile = refEntry.view(StandardView::LMLO)[0].file;

  const Image back = loadImage(file);
  EXPECT_EQ(back.info.transferSyntaxUid, uidOf(syntax));
  ASSERT_TRUE(back.info.hasPixels);
  EXPECT_EQ(back.info.rows, original.info.rows);
  EXPECT_EQ(back.info.columns, original.info.columns);
  EXPECT_EQ(back.standardView(), StandardView::LMLO);
  EXPECT_EQ(back.info.sopInstanceUid, original.info.sopInstanceUid);
  EXPECT_EQ(back.info.studyInstanceUid, original.info.studyInstanceUid);
  EXPECT_EQ(back.info.patientId, original.info.patientId);
  ASSERT_EQ(back.info.spacing.has_value(), true);
  EXPECT_DOUBLE_EQ(back.info.spacing->rowMm, original.info.spacing->rowMm);
  EXPECT_EQ(back.orientation.chestWall, ImageEdge::Left);
  EXPECT_FALSE(back.orientation.mirrored);

  if (isLossless(syntax)) {
    EXPECT_EQ(back.pixels, original.pixels) << "lossless syntax changed pixels";
  } else if (syntax == TransferSyntax::JpegBaseline) {
    EXPECT_EQ(back.info.bitsStored, 8);
    EXPECT_LT(meanAbsDifference(original.pixels, back.pixels, 4), 2.0);
  } else if (syntax == TransferSyntax::JpegLsNearLossless) {
    for (size_t i = 0; i < back.pixels.size(); ++i) {
      ASSERT_LE(std::abs(int(back.pixels[i]) - int(original.pixels[i])), 2) << "near-lossless bound broken at " << i;
    }
  } else {
    EXPECT_LT(meanAbsDifference(original.pixels, back.pixels), 40.0);
  }

  if (syntax != TransferSyntax::JpegBaseline) {  // baseline changes bit depth and windows by design
    auto expected = tagsOf(refFile);
    auto actual = tagsOf(file);
    for (const auto& [tag, value] : expected) {
      ASSERT_TRUE(actual.count(tag)) << "tag " << tag << " lost in " << toString(syntax);
      EXPECT_EQ(actual[tag], value) << "tag " << tag << " changed in " << toString(syntax);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(AllSyntaxes, TransferSyntaxRoundTrip, ::testing::ValuesIn(kAllTransferSyntaxes),
                         [](const auto& info) {
                           std::string name(toString(info.param));
                           for (auto& c : name) c = std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
                           return name;
                         });

TEST(DicomWrite, BaselineRejectsTwelveBitImagesWithClearMessage) {
  const auto dir = mammo::test::scratchDir();
  try {
    writeDicom(smallExam().views[0].image, dir / "x.dcm", TransferSyntax::JpegBaseline);
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("at most 8 bits"), std::string::npos);
  }
}

TEST(DicomWrite, MonochromeOneStoresInvertedValuesThatDisplayIdentically) {
  const auto dir = mammo::test::scratchDir();
  PhantomWriteOptions m1;
  m1.png = false;
  m1.photometric = Photometric::Monochrome1;
  const ExamEntry e1 = writePhantomExam(smallExam(), dir / "m1", m1);
  PhantomWriteOptions m2;
  m2.png = false;
  const ExamEntry e2 = writePhantomExam(smallExam(), dir / "m2", m2);
  const Image a = loadImage(e1.view(StandardView::RCC)[0].file);
  const Image b = loadImage(e2.view(StandardView::RCC)[0].file);
  EXPECT_EQ(a.info.photometric, Photometric::Monochrome1);
  EXPECT_EQ(b.info.photometric, Photometric::Monochrome2);
  EXPECT_EQ(a.pixels[0], 4095 - b.pixels[0]);  // stored values are inverted...
  EXPECT_EQ(renderDisplay8(a, {}), renderDisplay8(b, {}));  // ...and displayed the same
  // Orientation detection copes with the bright MONOCHROME1 background.
  EXPECT_EQ(a.orientation.chestWall, ImageEdge::Right);
}

TEST(DicomWrite, ForProcessingIntentIsRecorded) {
  const auto dir = mammo::test::scratchDir();
  PhantomWriteOptions options;
  options.png = false;
  options.intent = PresentationIntent::ForProcessing;
  const ExamEntry e = writePhantomExam(smallExam(), dir, options);
  const Image image = loadImage(e.view(StandardView::LCC)[0].file);
  EXPECT_EQ(image.info.intent, PresentationIntent::ForProcessing);
  EXPECT_EQ(image.info.sopClassUid, "1.2.840.10008.5.1.4.1.1.1.2.1");
}

// FOR PROCESSING: a view with both uses the FOR PRESENTATION image and says which; a view with only a FOR
// PROCESSING image shows it with a warning. Nothing is dropped and no pixel changes.
TEST(ExamLoading, ForPresentationIsPreferredAndForProcessingIsNamed) {
  const auto dir = mammo::test::scratchDir();
  PhantomWriteOptions options;
  options.png = false;
  const ExamEntry presentation = writePhantomExam(smallExam(), dir / "presentation", options);
  options.intent = PresentationIntent::ForProcessing;
  const ExamEntry processing = writePhantomExam(smallExam(), dir / "processing", options);
  // L-CC twice (processing listed first), R-CC for processing only, the MLOs for presentation.
  const std::vector<std::filesystem::path> files{
      processing.view(StandardView::LCC)[0].file, presentation.view(StandardView::LCC)[0].file,
      processing.view(StandardView::RCC)[0].file, presentation.view(StandardView::LMLO)[0].file,
      presentation.view(StandardView::RMLO)[0].file};
  const LoadResult loaded = loadPaths(files);
  ASSERT_EQ(loaded.exams.size(), 1u);
  const Exam& exam = loaded.exams.front();
  ASSERT_EQ(exam.view(StandardView::LCC).size(), 2u);
  EXPECT_EQ(exam.first(StandardView::LCC)->info.intent, PresentationIntent::ForPresentation);
  EXPECT_EQ(exam.view(StandardView::LCC)[1].info.intent, PresentationIntent::ForProcessing);
  EXPECT_EQ(exam.first(StandardView::RCC)->info.intent, PresentationIntent::ForProcessing);
  EXPECT_EQ(exam.first(StandardView::RCC)->pixels, smallExam().views[static_cast<int>(StandardView::RCC)].image.pixels);
  auto warning = [&](const std::string& start) -> const LoadIssue* {
    for (const LoadIssue& i : exam.issues) {
      if (i.reason.rfind(start, 0) == 0) return &i;
    }
    return nullptr;
  };
  const LoadIssue* unused = warning("L-CC: FOR PROCESSING image not used; the FOR PRESENTATION image ");
  ASSERT_NE(unused, nullptr);
  EXPECT_FALSE(unused->error);
  EXPECT_EQ(unused->file, processing.view(StandardView::LCC)[0].file.string());
  EXPECT_NE(unused->reason.find(presentation.view(StandardView::LCC)[0].file.string()), std::string::npos);
  const LoadIssue* only = warning("R-CC is a FOR PROCESSING image");
  ASSERT_NE(only, nullptr);
  EXPECT_FALSE(only->error);
  EXPECT_EQ(warning("L-MLO"), nullptr);
  for (const LoadIssue& i : exam.issues) {  // (the two phantom writes share their UIDs: that is an error)
    if (i.reason.find("FOR PROCESSING") != std::string::npos) {
      EXPECT_FALSE(i.error) << i.reason;
    }
  }
}

// Names arrive in the character set the file names (here ISO 8859-1); the reader gives UTF-8, and text in no
// character set it can convert shows replacement marks, never invalid UTF-8 (which JSON and Qt refuse).
TEST(DicomText, LatinOneNamesAreReadAsUtf8AndUnknownBytesAsReplacementMarks) {
  const std::filesystem::path dir = mammo::test::scratchDir();
  const std::filesystem::path file = dir / "latin1.dcm";
  writeDicom(smallExam().views[0].image, file, TransferSyntax::ExplicitLittleEndian);
  const auto rewrite = [&](const char* charset, const char* name) {
    DcmFileFormat ff;
    ASSERT_TRUE(ff.loadFile(file.c_str()).good());
    ff.loadAllDataIntoMemory();
    ff.getDataset()->putAndInsertString(DCM_SpecificCharacterSet, charset);
    ff.getDataset()->putAndInsertString(DCM_PatientName, name);
    ASSERT_TRUE(ff.saveFile(file.c_str(), EXS_LittleEndianExplicit).good());
  };
  rewrite("ISO_IR 100", "M\xFCller^J\xF6rg");
  const Image latin = readDicom(file);
  EXPECT_EQ(latin.info.patientName, "M\xC3\xBCller^J\xC3\xB6rg");
  EXPECT_TRUE(isValidUtf8(latin.info.patientName));

  rewrite("", "M\xFCller");  // no character set named: the bytes are not ASCII, not UTF-8
  const Image unnamed = readDicom(file);
  EXPECT_EQ(unnamed.info.patientName, "M\xEF\xBF\xBDller");
}

TEST(DicomText, ValidUtf8KeepsWellFormedTextAndReplacesEachBadByte) {
  EXPECT_EQ(validUtf8("Mamograf\xC3\xAD"
                      "a"),
            "Mamograf\xC3\xAD"
            "a");
  EXPECT_EQ(validUtf8("\xE1\xBB\x8B"), "\xE1\xBB\x8B");  // three bytes
  EXPECT_EQ(validUtf8("a\xFF"
                      "b"),
            "a\xEF\xBF\xBD"
            "b");
  EXPECT_EQ(validUtf8("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD");  // an overlong '/'
  EXPECT_EQ(validUtf8("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // a surrogate
  EXPECT_EQ(validUtf8("\xE1\xBB"), "\xEF\xBF\xBD\xEF\xBF\xBD");  // cut short
  EXPECT_FALSE(isValidUtf8("\xF5\x80\x80\x80"));
  EXPECT_TRUE(isValidUtf8("\xF4\x8F\xBF\xBF"));
}
