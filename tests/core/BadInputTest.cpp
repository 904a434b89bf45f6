// Bad input gets a clear LoadError naming the file and the reason, never a crash: specific cases, then a
// fuzz-style sweep of truncated and bit-flipped copies of every kind of test file through every loader.
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <gtest/gtest.h>

#include <fstream>

#include "TestSupport.h"
#include "core/DicomIO.h"
#include "core/Errors.h"
#include "core/ExamList.h"
#include "core/ExamLoader.h"
#include "core/Phantom.h"
#include "core/PngIO.h"

using namespace mammo::core;
namespace fs = std::filesystem;

namespace {

// A small real-looking MG image: a 256 x 208 corner of a phantom view (keeps the fuzz sweep fast).
Image tinyImage(StandardView view) {
  PhantomOptions o;
  o.seed = 5;
  static const PhantomExam exam = generatePhantomExam(o, 0);
  Image image = exam.views[static_cast<int>(view)].image;
  const int rows = 256, cols = 208, r0 = 384;
  const int c0 = lateralityOf(view) == Laterality::Left ? 0 : image.info.columns - cols;
  std::vector<std::uint16_t> pixels;
  for (int r = r0; r < r0 + rows; ++r) {
    for (int c = c0; c < c0 + cols; ++c) pixels.push_back(image.at(r, c));
  }
  image.pixels = pixels;
  image.info.rows = rows;
  image.info.columns = cols;
  return image;
}

void editDicom(const fs::path& in, const fs::path& out, const std::function<void(DcmDataset*)>& edit) {
  DcmFileFormat ff;
  ASSERT_TRUE(ff.loadFile(in.c_str()).good());
  edit(ff.getDataset());
  ASSERT_TRUE(ff.saveFile(out.c_str(), EXS_LittleEndianExplicit).good());
}

std::string expectLoadError(const fs::path& file) {
  try {
    loadImage(file);
  } catch (const LoadError& e) {
    EXPECT_NE(std::string(e.what()).find(file.filename().string()), std::string::npos) << e.what();
    return e.reason();
  }
  ADD_FAILURE() << "no LoadError for " << file;
  return {};
}

std::string readAll(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

}  // namespace

TEST(BadInput, ContradictoryLateralityIsAnError) {
  const auto dir = mammo::test::scratchDir();
  writeDicom(tinyImage(StandardView::LCC), dir / "ok.dcm", TransferSyntax::ExplicitLittleEndian);
  editDicom(dir / "ok.dcm", dir / "contra.dcm", [](DcmDataset* ds) { ds->putAndInsertString(DCM_Laterality, "R"); });
  EXPECT_NE(expectLoadError(dir / "contra.dcm").find("contradictory laterality"), std::string::npos);
}

TEST(BadInput, NonBreastImagesAreRejected) {
  const auto dir = mammo::test::scratchDir();
  writeDicom(tinyImage(StandardView::LCC), dir / "ok.dcm", TransferSyntax::ExplicitLittleEndian);
  editDicom(dir / "ok.dcm", dir / "ct.dcm", [](DcmDataset* ds) { ds->putAndInsertString(DCM_Modality, "CT"); });
  EXPECT_NE(expectLoadError(dir / "ct.dcm").find("not a mammogram"), std::string::npos);
  editDicom(dir / "ok.dcm", dir / "chest.dcm",
            [](DcmDataset* ds) { ds->putAndInsertString(DCM_BodyPartExamined, "CHEST"); });
  EXPECT_NE(expectLoadError(dir / "chest.dcm").find("non-breast"), std::string::npos);
  editDicom(dir / "ok.dcm", dir / "rgb.dcm",
            [](DcmDataset* ds) { ds->putAndInsertString(DCM_PhotometricInterpretation, "RGB"); });
  EXPECT_NE(expectLoadError(dir / "rgb.dcm").find("colour image"), std::string::npos);
}

TEST(BadInput, NotDicomNotPngEmptyAndMissingFiles) {
  const auto dir = mammo::test::scratchDir();
  std::ofstream(dir / "notes.dcm") << "this is not a DICOM file at all, just text that is long enough";
  EXPECT_FALSE(expectLoadError(dir / "notes.dcm").empty());
  std::ofstream(dir / "empty.dcm").close();
  EXPECT_NE(expectLoadError(dir / "empty.dcm").find("empty"), std::string::npos);
  EXPECT_NE(expectLoadError(dir / "absent.dcm").find("no such file"), std::string::npos);
}

TEST(BadInput, MissingAndDuplicateViewsAreReported) {
  const auto dir = mammo::test::scratchDir();
  for (StandardView v : {StandardView::LCC, StandardView::RCC, StandardView::LMLO}) {
    Image image = tinyImage(v);
    writeDicom(image, dir / (std::string(toString(v)) + ".dcm"), TransferSyntax::ExplicitLittleEndian);
  }
  fs::copy_file(dir / "L-CC.dcm", dir / "L-CC-copy.dcm");
  const LoadResult result = loadPaths({dir});
  ASSERT_EQ(result.exams.size(), 1u);
  const Exam& exam = result.exams[0];
  EXPECT_EQ(exam.missingViews(), std::vector<StandardView>{StandardView::RMLO});
  bool missing = false, duplicate = false;
  for (const auto& issue : exam.issues) {
    missing = missing || issue.reason == "missing view R-MLO";
    duplicate = duplicate || issue.reason.find("duplicate image") != std::string::npos;
  }
  EXPECT_TRUE(missing);
  EXPECT_TRUE(duplicate);
  EXPECT_TRUE(exam.hasErrors());
}

TEST(BadInput, ABadFileDoesNotStopTheRestOfTheExam) {
  const auto dir = mammo::test::scratchDir();
  for (StandardView v : kStandardViews) {
    writeDicom(tinyImage(v), dir / (std::string(toString(v)) + ".dcm"), TransferSyntax::ExplicitLittleEndian);
  }
  const std::string bytes = readAll(dir / "R-MLO.dcm");
  std::ofstream(dir / "R-MLO.dcm", std::ios::binary).write(bytes.data(), 300);  // header cut short
  const LoadResult result = loadPaths({dir});
  size_t loaded = 0;
  for (const auto& e : result.exams) loaded += e.imageCount();
  EXPECT_GE(loaded, 3u);
  bool named = false;
  for (const auto& issue : result.issues) named = named || issue.file.find("R-MLO.dcm") != std::string::npos;
  for (const auto& e : result.exams) {
    for (const auto& issue : e.issues) named = named || issue.file.find("R-MLO.dcm") != std::string::npos;
  }
  EXPECT_TRUE(named);
}

TEST(BadInput, FuzzTruncatedAndBitFlippedCopiesNeverCrash) {
  const auto dir = mammo::test::scratchDir();
  std::vector<fs::path> seeds;
  for (TransferSyntax s : kAllTransferSyntaxes) {
    Image image = tinyImage(StandardView::RMLO);
    if (maxBitsStored(s) < 12) {
      for (auto& p : image.pixels) p >>= 4;
      image.info.bitsStored = image.info.bitsAllocated = 8;
    }
    const fs::path file = dir / ("seed-" + std::string(toString(s)) + ".dcm");
    writeDicom(image, file, s);
    seeds.push_back(file);
  }
  for (const char* name :
       {"MG-Im-GE_Seno_1_ForPresentation.dcm", "MG-Im-GE_Seno_1_ForProcessing.dcm", "MG-Im-GE-SenDS-scaled.dcm"}) {
    seeds.push_back(mammo::test::realDataDir() / "dicom" / name);
  }
  {
    const Image image = tinyImage(StandardView::LCC);
    writePng(dir / "seed_L_CC.png", image.info.rows, image.info.columns, image.pixels.data(), 16, 12);
    seeds.push_back(dir / "seed_L_CC.png");
    ExamList list;
    ExamEntry e;
    e.id = "fuzz";
    ExamImageEntry ref;
    ref.file = dir / "seed_L_CC.png";
    e.view(StandardView::LCC).push_back(ref);
    list.exams.push_back(e);
    writeExamList(list, dir / "seed_list.json");
    seeds.push_back(dir / "seed_list.json");
  }

  std::uint64_t state = 12345;
  auto next = [&state] {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return state >> 33;
  };
  int variants = 0, rejected = 0;
  for (const fs::path& seed : seeds) {
    const std::string bytes = readAll(seed);
    ASSERT_GT(bytes.size(), 16u);
    const std::string ext = seed.extension().string();
    for (int k = 0; k < 24; ++k) {
      std::string mutated = bytes;
      if (k < 8) {
        mutated.resize(bytes.size() * k / 8 + next() % 7);  // truncations, including 0-ish lengths
      } else {
        const int flips = 1 + k % 6;
        // Half the flips hit the header, where they do the most damage.
        for (int f = 0; f < flips; ++f) {
          const size_t limit = (k % 2) ? std::min<size_t>(bytes.size(), 2048) : bytes.size();
          mutated[next() % limit] ^= static_cast<char>(1u << (next() % 8));
        }
      }
      const fs::path file = dir / ("variant-" + std::to_string(variants++) + ext);
      std::ofstream(file, std::ios::binary).write(mutated.data(), mutated.size());
      try {
        if (ext == ".json") {
          const ExamList list = readExamList(file);
          loadExamList(list);
        } else {
          const Image image = loadImage(file);
          if (image.info.hasPixels) {
            EXPECT_EQ(image.pixels.size(), static_cast<size_t>(image.info.rows) * image.info.columns);
          }
        }
      } catch (const LoadError& e) {
        ++rejected;
        EXPECT_NE(std::string(e.what()).find(file.filename().string()), std::string::npos);
        EXPECT_FALSE(e.reason().empty());
      }
      // Any other exception type (or a crash) fails the test.
    }
  }
  EXPECT_GT(rejected, variants / 4);  // the sweep really produced broken files
  // Folder loading over all the variants survives too.
  const LoadResult all = loadPaths({dir});
  EXPECT_FALSE(all.issues.empty());
}
