#pragma once
// Synthetic screening exams with ground truth: breast outlines per view (CC half-ellipse, MLO with the
// pectoral wedge), skin line, 1/f^beta fibroglandular texture, detector noise, 12-bit values on a zero
// background, and benign/malignant lesions placed consistently in CC and MLO of the same breast.
// Deterministic for a given seed (own generators, no implementation-defined distributions).
#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/DicomIO.h"
#include "core/ExamList.h"
#include "core/Image.h"

namespace mammo::core {

class JobContext;

enum class PhantomSize { Full, Small };  // Full: 4096 x 3328 at 0.07 mm; Small: 1024 x 832 at 0.28 mm

enum class LesionKind { CircumscribedMass, CoarseCalcifications, SpiculatedMass, FineCalcificationCluster };
bool isMalignant(LesionKind);
std::string_view toString(LesionKind);

struct PhantomOptions {
  PhantomSize size = PhantomSize::Small;
  std::uint64_t seed = 1;
  double lesionRate = 0.5;  // probability that a breast carries a lesion
  double malignantFraction = 0.5;  // of the lesions
  double betaExponent = 3.0;  // power-law exponent of the texture spectrum
};

// A lesion in breast coordinates shared by both views: depth = fraction of the breast depth from the chest
// wall towards the nipple; across = medio-lateral position (CC rows), upDown = cranio-caudal (MLO rows),
// both in [-1, 1] of the breast's half-height.
struct Lesion {
  LesionKind kind = LesionKind::CircumscribedMass;
  Laterality side = Laterality::Left;
  double depth = 0.5;
  double across = 0;
  double upDown = 0;
  double radiusMm = 6;
};

struct PhantomImage {
  Image image;  // 12-bit raw values, MONOCHROME2, for presentation
  std::vector<std::uint8_t> benignMask;  // rows*columns, 1 inside benign findings
  std::vector<std::uint8_t> malignantMask;  // rows*columns, 1 inside malignant findings
};

struct PhantomExam {
  std::string id;
  std::array<PhantomImage, 4> views;  // indexed by StandardView
  std::vector<Lesion> lesions;
  BreastLabels labels;
  int birads = 1;  // screening BI-RADS: 0 (recall) with a malignant finding, 2 benign only, 1 none
};

PhantomExam generatePhantomExam(const PhantomOptions& options, int examIndex);

struct PhantomWriteOptions {
  bool dicom = true;
  bool png = true;
  TransferSyntax syntax = TransferSyntax::ExplicitLittleEndian;
  Photometric photometric = Photometric::Monochrome2;  // MONOCHROME1 inverts the stored values explicitly
  PresentationIntent intent = PresentationIntent::ForPresentation;
};

// Writes DIR/<id>/<id>_<L|R>_<CC|MLO>.dcm and/or .png (NYU style: 16-bit, v = round(x*65535/4095),
// sBIT 12) plus masks DIR/<id>/masks/<id>_<L|R>-<CC|MLO>_<benign|malignant>.png, and returns the exam's
// entry for an exam list (PNG files when written, else DICOM).
ExamEntry writePhantomExam(const PhantomExam& exam, const std::filesystem::path& dir,
                           const PhantomWriteOptions& options);

// The whole `mammolens-cli synth` job: N exams plus DIR/exam_list.json.
ExamList synthesiseExams(int count, const PhantomOptions& options, const PhantomWriteOptions& writeOptions,
                         const std::filesystem::path& dir, JobContext* context = nullptr);

// The explicit 12-bit -> 16-bit PNG mapping of the NYU README recipe, and its inverse.
std::uint16_t nyuPngValue(std::uint16_t twelveBit);
std::uint16_t fromNyuPngValue(std::uint16_t sixteenBit);

}  // namespace mammo::core
