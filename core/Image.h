#pragma once
// One mammogram: raw stored pixel values plus the header facts needed to hang, display and analyse it.
// Pixels are row-major (row, col), exactly as stored in the file: never rescaled, windowed or flipped.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/Types.h"

namespace mammo::core {

struct VoiWindow {
  double center = 0;
  double width = 0;
  std::string explanation;
};

// A VOI LUT from the VOI LUT Sequence (0028,3010): entry i maps stored value firstMapped + i.
struct VoiLut {
  std::string explanation;
  int firstMapped = 0;
  int bitsPerEntry = 16;
  std::vector<std::uint16_t> data;
};

struct PixelSpacing {
  double rowMm = 0;  // distance between row centres (vertical), mm
  double columnMm = 0;  // distance between column centres (horizontal), mm
  std::string source;  // "PixelSpacing", "ImagerPixelSpacing" or "file name"
};

struct ImageInfo {
  std::string sourcePath;
  std::string format;  // "DICOM" or "PNG"
  Laterality laterality = Laterality::Unknown;
  ViewPosition view = ViewPosition::Unknown;
  std::string lateralitySource;  // which tag or file-name rule gave the laterality
  std::string viewSource;
  int rows = 0;
  int columns = 0;
  int bitsAllocated = 16;
  int bitsStored = 16;
  bool pixelSigned = false;
  int samplesPerPixel = 1;
  Photometric photometric = Photometric::Monochrome2;
  PresentationIntent intent = PresentationIntent::Unknown;
  double rescaleSlope = 1.0;
  double rescaleIntercept = 0.0;
  // Pixel Padding Value (0028,0120) and Pixel Padding Range Limit (0028,0121), as stored values read with the
  // pixel representation (signed when pixelSigned): stored values from the one to the other (inclusive) are
  // not part of the image and are displayed as air.
  std::optional<std::int32_t> pixelPaddingValue;
  std::optional<std::int32_t> pixelPaddingRangeLimit;
  std::vector<VoiWindow> windows;
  std::vector<VoiLut> voiLuts;
  VoiFunction voiFunction = VoiFunction::Linear;
  std::optional<PixelSpacing> spacing;
  // Estimated Radiographic Magnification Factor (0018,1114): the source-to-detector over source-to-object
  // distance; ImagerPixelSpacing divided by it is the spacing at the breast. Only values in [1, 3] are kept.
  std::optional<double> magnification;
  std::string patientOrientation;  // e.g. "A\\R"
  std::string modality;
  std::string sopClassUid;
  std::string sopInstanceUid;
  std::string transferSyntaxUid;
  std::string transferSyntaxName;
  std::string patientId;
  std::string patientName;
  std::string studyInstanceUid;
  std::string seriesInstanceUid;
  std::string accessionNumber;
  std::string studyDate;
  std::string studyDescription;
  std::string manufacturer;
  std::string bodyPartExamined;
  bool hasPixels = false;  // false for header-only or pixel-truncated files
};

// Where the chest wall is, found from the pixels, and whether that agrees with the laterality.
struct OrientationReport {
  ImageEdge chestWall = ImageEdge::Unknown;  // detected from pixels
  ImageEdge expected = ImageEdge::Unknown;  // from laterality (and PatientOrientation when present)
  double leftEdgeFraction = 0;  // fraction of rows whose edge column holds breast
  double rightEdgeFraction = 0;
  bool mirrored = false;  // detected edge contradicts the expected one
  std::string verdict() const;  // "ok", "mirrored", "undetermined"
};

struct Image {
  ImageInfo info;
  std::vector<std::uint16_t> pixels;  // rows*columns raw stored values (bit pattern if signed)
  OrientationReport orientation;
  std::vector<std::string> warnings;

  std::uint16_t at(int row, int col) const { return pixels[static_cast<size_t>(row) * info.columns + col]; }
  std::optional<StandardView> standardView() const { return core::standardView(info.laterality, info.view); }
};

}  // namespace mammo::core
