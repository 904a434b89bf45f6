#include "core/DicomIO.h"

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcpixel.h>
#include <dcmtk/dcmdata/dcrledrg.h>
#include <dcmtk/dcmdata/dcrleerg.h>
#include <dcmtk/dcmdata/dcrlerp.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <dcmtk/dcmdata/dcxfer.h>
#include <dcmtk/dcmjpeg/djdecode.h>
#include <dcmtk/dcmjpeg/djencode.h>
#include <dcmtk/dcmjpeg/djrplol.h>
#include <dcmtk/dcmjpeg/djrploss.h>
#include <dcmtk/dcmjpls/djdecode.h>
#include <dcmtk/dcmjpls/djencode.h>
#include <dcmtk/dcmjpls/djrparam.h>
#include <dcmtk/oflog/oflog.h>
#include <gdcmImageChangeTransferSyntax.h>
#include <gdcmImageReader.h>
#include <gdcmImageWriter.h>
#include <gdcmJPEG2000Codec.h>
#include <gdcmTrace.h>
#include <gdcmWriter.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <mutex>
#include <random>
#include <sstream>

#include "core/DicomCodecs.h"
#include "core/Errors.h"
#include "core/Text.h"

namespace mammo::core {
namespace detail {

const SyntaxEntry kSyntaxes[] = {
    {TransferSyntax::ImplicitLittleEndian, "implicit-le", UID_LittleEndianImplicitTransferSyntax,
     EXS_LittleEndianImplicit},
    {TransferSyntax::ExplicitLittleEndian, "explicit-le", UID_LittleEndianExplicitTransferSyntax,
     EXS_LittleEndianExplicit},
    {TransferSyntax::DeflatedExplicitLittleEndian, "deflated", UID_DeflatedExplicitVRLittleEndianTransferSyntax,
     EXS_DeflatedLittleEndianExplicit},
    {TransferSyntax::JpegBaseline, "jpeg-baseline", UID_JPEGProcess1TransferSyntax, EXS_JPEGProcess1},
    {TransferSyntax::JpegExtended, "jpeg-extended", UID_JPEGProcess2_4TransferSyntax, EXS_JPEGProcess2_4},
    {TransferSyntax::JpegLossless, "jpeg-lossless", UID_JPEGProcess14SV1TransferSyntax, EXS_JPEGProcess14SV1},
    {TransferSyntax::JpegLsLossless, "jpeg-ls-lossless", UID_JPEGLSLosslessTransferSyntax, EXS_JPEGLSLossless},
    {TransferSyntax::JpegLsNearLossless, "jpeg-ls-near-lossless", UID_JPEGLSLossyTransferSyntax, EXS_JPEGLSLossy},
    {TransferSyntax::Jpeg2000Lossless, "jpeg2000-lossless", UID_JPEG2000LosslessOnlyTransferSyntax,
     EXS_JPEG2000LosslessOnly},
    {TransferSyntax::Jpeg2000, "jpeg2000", UID_JPEG2000TransferSyntax, EXS_JPEG2000},
    {TransferSyntax::RleLossless, "rle", UID_RLELosslessTransferSyntax, EXS_RLELossless},
};

const SyntaxEntry& entryOf(TransferSyntax s) {
  for (const auto& e : kSyntaxes) {
    if (e.syntax == s) return e;
  }
  return kSyntaxes[1];
}

void registerCodecsOnce() {
  static std::once_flag once;
  std::call_once(once, [] {
    // DCMTK logs to stderr by default; keep it quiet (patient data must never reach logs).
    OFLog::configure(OFLogger::FATAL_LOG_LEVEL);
    gdcm::Trace::SetDebug(false);
    gdcm::Trace::SetWarning(false);
    gdcm::Trace::SetError(false);
    DJDecoderRegistration::registerCodecs(EDC_never);
    DJEncoderRegistration::registerCodecs(ECC_monochrome, EUC_never);
    DJLSDecoderRegistration::registerCodecs();
    DJLSEncoderRegistration::registerCodecs(0, 0, 0, 0, OFTrue, 0, OFTrue, EJLSUC_never);
    DcmRLEDecoderRegistration::registerCodecs();
    DcmRLEEncoderRegistration::registerCodecs(OFFalse, OFTrue, OFFalse);
  });
}

}  // namespace detail

namespace {

using detail::entryOf;
using detail::kSyntaxes;
using detail::registerCodecsOnce;

std::string getString(DcmItem* item, const DcmTagKey& key, unsigned long pos = 0) {
  OFString value;
  if (item->findAndGetOFString(key, value, pos).good()) {
    std::string s = value.c_str();
    while (!s.empty() && (s.back() == ' ' || s.back() == '\0')) s.pop_back();
    while (!s.empty() && s.front() == ' ') s.erase(s.begin());
    return validUtf8(s);
  }
  return {};
}

// The data set's text in UTF-8 (names are shown and written to JSON), converted from the character set it
// names; where DCMTK cannot convert, invalid bytes become U+FFFD (getString) and a warning says so.
void textToUtf8(DcmDataset* ds, std::vector<std::string>& warnings) {
  OFString charset;
  if (ds->findAndGetOFStringArray(DCM_SpecificCharacterSet, charset).bad() || charset.empty() ||
      charset == "ISO_IR 192" || charset == "ISO_IR 6") {
    return;
  }
  if (ds->convertToUTF8().bad()) {
    warnings.push_back("text in character set '" + std::string(charset.c_str()) +
                       "' could not be converted to UTF-8: some characters are shown as replacement marks");
  }
}

std::string upper(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

Laterality parseLaterality(const std::string& s) {
  const std::string u = upper(s);
  if (u == "L") return Laterality::Left;
  if (u == "R") return Laterality::Right;
  return Laterality::Unknown;
}

ViewPosition parseViewPosition(const std::string& s) {
  const std::string u = upper(s);
  if (u == "CC" || u == "FB") return ViewPosition::CC;
  if (u == "MLO") return ViewPosition::MLO;
  if (u == "ML") return ViewPosition::ML;
  if (u == "LM") return ViewPosition::LM;
  if (u == "XCCL" || u == "XCC") return ViewPosition::XCCL;
  if (u.empty()) return ViewPosition::Unknown;
  return ViewPosition::Other;
}

// ViewCodeSequence (0054,0220): SNOMED-RT (R-xxxxx) and SNOMED CT codes, or the code meaning.
ViewPosition viewFromCode(const std::string& value, const std::string& meaning) {
  static const std::pair<const char*, ViewPosition> kCodes[] = {
      {"R-10242", ViewPosition::CC},    {"399162004", ViewPosition::CC}, {"R-10226", ViewPosition::MLO},
      {"399368009", ViewPosition::MLO}, {"R-10224", ViewPosition::ML},   {"399260004", ViewPosition::ML},
      {"R-10228", ViewPosition::LM},    {"399352003", ViewPosition::LM}, {"R-1024A", ViewPosition::XCCL},
      {"399099002", ViewPosition::XCCL}};
  for (const auto& [code, view] : kCodes) {
    if (value == code) return view;
  }
  std::string m = upper(meaning);
  m.erase(std::remove_if(m.begin(), m.end(), [](char c) { return c == '-' || c == ' '; }), m.end());
  if (m == "CRANIOCAUDAL") return ViewPosition::CC;
  if (m == "MEDIOLATERALOBLIQUE") return ViewPosition::MLO;
  if (m == "MEDIOLATERAL") return ViewPosition::ML;
  if (m == "LATEROMEDIAL") return ViewPosition::LM;
  if (m.rfind("CRANIOCAUDALEXAGGERATED", 0) == 0 || m.rfind("EXAGGERATEDCRANIOCAUDAL", 0) == 0)
    return ViewPosition::XCCL;
  return value.empty() && meaning.empty() ? ViewPosition::Unknown : ViewPosition::Other;
}

std::vector<double> getDoubles(DcmItem* item, const DcmTagKey& key) {
  std::vector<double> out;
  for (unsigned long i = 0;; ++i) {
    Float64 v = 0;
    if (item->findAndGetFloat64(key, v, i).bad()) break;
    out.push_back(v);
  }
  return out;
}

void readHeader(DcmDataset* ds, ImageInfo& info, std::vector<std::string>& warnings,
                const std::filesystem::path& path) {
  info.modality = getString(ds, DCM_Modality);
  info.sopClassUid = getString(ds, DCM_SOPClassUID);
  info.sopInstanceUid = getString(ds, DCM_SOPInstanceUID);
  info.patientId = getString(ds, DCM_PatientID);
  info.patientName = getString(ds, DCM_PatientName);
  info.studyInstanceUid = getString(ds, DCM_StudyInstanceUID);
  info.seriesInstanceUid = getString(ds, DCM_SeriesInstanceUID);
  info.accessionNumber = getString(ds, DCM_AccessionNumber);
  info.studyDate = getString(ds, DCM_StudyDate);
  info.studyDescription = getString(ds, DCM_StudyDescription);
  info.manufacturer = getString(ds, DCM_Manufacturer);
  info.bodyPartExamined = getString(ds, DCM_BodyPartExamined);

  static const char* kNonBreast[] = {"CT", "MR", "US", "PT", "NM", "XA", "RF", "RTIMAGE", "ES", "OP", "SR", "ECG"};
  for (const char* m : kNonBreast) {
    if (info.modality == m) throw LoadError(path, "not a mammogram: Modality is " + info.modality);
  }
  if (!info.bodyPartExamined.empty() && upper(info.bodyPartExamined) != "BREAST") {
    throw LoadError(path, "non-breast image: BodyPartExamined is " + info.bodyPartExamined);
  }

  Uint16 v16 = 0;
  if (ds->findAndGetUint16(DCM_Rows, v16).good()) info.rows = v16;
  if (ds->findAndGetUint16(DCM_Columns, v16).good()) info.columns = v16;
  if (ds->findAndGetUint16(DCM_BitsAllocated, v16).good()) info.bitsAllocated = v16;
  info.bitsStored = info.bitsAllocated;
  if (ds->findAndGetUint16(DCM_BitsStored, v16).good()) info.bitsStored = v16;
  if (ds->findAndGetUint16(DCM_PixelRepresentation, v16).good()) info.pixelSigned = v16 == 1;
  if (ds->findAndGetUint16(DCM_SamplesPerPixel, v16).good()) info.samplesPerPixel = v16;

  const std::string photometric = upper(getString(ds, DCM_PhotometricInterpretation));
  if (photometric == "MONOCHROME1") {
    info.photometric = Photometric::Monochrome1;
  } else if (photometric == "MONOCHROME2" || photometric.empty()) {
    info.photometric = Photometric::Monochrome2;
  } else {
    throw LoadError(path, "colour image (PhotometricInterpretation " + photometric +
                              "); mammograms must be MONOCHROME1 or MONOCHROME2");
  }
  if (info.samplesPerPixel != 1) {
    throw LoadError(path, "SamplesPerPixel is " + std::to_string(info.samplesPerPixel) + "; expected 1");
  }

  const std::string intent = upper(getString(ds, DCM_PresentationIntentType));
  if (intent == "FOR PRESENTATION") info.intent = PresentationIntent::ForPresentation;
  if (intent == "FOR PROCESSING") info.intent = PresentationIntent::ForProcessing;

  std::vector<double> slope = getDoubles(ds, DCM_RescaleSlope);
  std::vector<double> intercept = getDoubles(ds, DCM_RescaleIntercept);
  if (!slope.empty()) info.rescaleSlope = slope[0];
  if (!intercept.empty()) info.rescaleIntercept = intercept[0];
  // US or SS by the pixel representation; DCMTK reads each only through its own VR.
  auto readPadding = [&](const DcmTagKey& key) -> std::optional<std::int32_t> {
    Uint16 u = 0;
    Sint16 s = 0;
    if (ds->findAndGetUint16(key, u).good())
      return info.pixelSigned ? static_cast<Sint16>(u) : static_cast<std::int32_t>(u);
    if (ds->findAndGetSint16(key, s).good())
      return info.pixelSigned ? static_cast<std::int32_t>(s) : static_cast<Uint16>(s);
    return std::nullopt;
  };
  info.pixelPaddingValue = readPadding(DCM_PixelPaddingValue);
  if (info.pixelPaddingValue) info.pixelPaddingRangeLimit = readPadding(DCM_PixelPaddingRangeLimit);

  const std::vector<double> centres = getDoubles(ds, DCM_WindowCenter);
  const std::vector<double> widths = getDoubles(ds, DCM_WindowWidth);
  for (size_t i = 0; i < std::min(centres.size(), widths.size()); ++i) {
    info.windows.push_back({centres[i], widths[i], getString(ds, DCM_WindowCenterWidthExplanation, i)});
  }
  const std::string fn = upper(getString(ds, DCM_VOILUTFunction));
  if (fn == "SIGMOID") info.voiFunction = VoiFunction::Sigmoid;
  if (fn == "LINEAR_EXACT") info.voiFunction = VoiFunction::LinearExact;

  DcmSequenceOfItems* lutSeq = nullptr;
  if (ds->findAndGetSequence(DCM_VOILUTSequence, lutSeq).good() && lutSeq) {
    for (unsigned long i = 0; i < lutSeq->card(); ++i) {
      DcmItem* item = lutSeq->getItem(i);
      VoiLut lut;
      lut.explanation = getString(item, DCM_LUTExplanation);
      Uint16 n = 0, first = 0, bits = 16;
      item->findAndGetUint16(DCM_LUTDescriptor, n, 0);
      item->findAndGetUint16(DCM_LUTDescriptor, first, 1);
      item->findAndGetUint16(DCM_LUTDescriptor, bits, 2);
      lut.firstMapped = first;
      lut.bitsPerEntry = bits;
      const Uint16* data = nullptr;
      unsigned long count = 0;
      if (item->findAndGetUint16Array(DCM_LUTData, data, &count).good() && data) {
        lut.data.assign(data, data + count);
        if (n != 0 && count != n) warnings.push_back("VOI LUT entry count differs from its descriptor");
        info.voiLuts.push_back(std::move(lut));
      }
    }
  }

  auto spacingFrom = [&](const DcmTagKey& key, const char* name) -> std::optional<PixelSpacing> {
    std::vector<double> v = getDoubles(ds, key);
    if (v.size() >= 2 && v[0] > 0 && v[1] > 0) return PixelSpacing{v[0], v[1], name};
    return std::nullopt;
  };
  // A mammogram's pixels are 0.02-1 mm; a spacing far outside (seen in the wild: PixelSpacing 74.7\46.6) is
  // not used for millimetres: the detector's spacing then, said in a warning.
  auto plausible = [](const std::optional<PixelSpacing>& sp) {
    return sp && sp->rowMm >= 0.005 && sp->rowMm <= 5.0 && sp->columnMm >= 0.005 && sp->columnMm <= 5.0;
  };
  const std::optional<PixelSpacing> pixelSpacing = spacingFrom(DCM_PixelSpacing, "PixelSpacing");
  const std::optional<PixelSpacing> imagerSpacing = spacingFrom(DCM_ImagerPixelSpacing, "ImagerPixelSpacing");
  if (plausible(pixelSpacing)) {
    info.spacing = pixelSpacing;
  } else if (plausible(imagerSpacing)) {
    info.spacing = imagerSpacing;
  }
  const auto formatMm = [](double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", v);
    return std::string(buf);
  };
  for (const auto& [sp, name] :
       {std::pair{&pixelSpacing, "PixelSpacing"}, std::pair{&imagerSpacing, "ImagerPixelSpacing"}}) {
    if (*sp && !plausible(*sp)) {
      warnings.push_back(std::string(name) + " " + formatMm((*sp)->rowMm) + "\\" + formatMm((*sp)->columnMm) +
                         " mm is not a mammogram's pixel size: not used for millimetres");
    }
  }
  if (const std::vector<double> m = getDoubles(ds, DCM_EstimatedRadiographicMagnificationFactor);
      !m.empty() && m[0] >= 1.0 && m[0] <= 3.0) {
    info.magnification = m[0];
  }

  // Laterality: ImageLaterality (image level) first, Laterality (series level) as fallback.
  const Laterality imageLat = parseLaterality(getString(ds, DCM_ImageLaterality));
  const Laterality seriesLat = parseLaterality(getString(ds, DCM_Laterality));
  if (imageLat != Laterality::Unknown && seriesLat != Laterality::Unknown && imageLat != seriesLat) {
    throw LoadError(path, "contradictory laterality: ImageLaterality (0020,0062) is " +
                              std::string(toString(imageLat)) + " but Laterality (0020,0060) is " +
                              std::string(toString(seriesLat)));
  }
  if (imageLat != Laterality::Unknown) {
    info.laterality = imageLat;
    info.lateralitySource = "ImageLaterality";
  } else if (seriesLat != Laterality::Unknown) {
    info.laterality = seriesLat;
    info.lateralitySource = "Laterality";
  }

  info.view = parseViewPosition(getString(ds, DCM_ViewPosition));
  if (info.view != ViewPosition::Unknown) info.viewSource = "ViewPosition";
  DcmItem* viewItem = nullptr;
  if (ds->findAndGetSequenceItem(DCM_ViewCodeSequence, viewItem, 0).good() && viewItem) {
    const ViewPosition coded = viewFromCode(getString(viewItem, DCM_CodeValue), getString(viewItem, DCM_CodeMeaning));
    if (info.view == ViewPosition::Unknown) {
      info.view = coded;
      info.viewSource = "ViewCodeSequence";
    } else if (coded != ViewPosition::Unknown && coded != ViewPosition::Other && coded != info.view) {
      warnings.push_back("ViewPosition " + std::string(toString(info.view)) + " disagrees with ViewCodeSequence " +
                         std::string(toString(coded)) + "; using ViewPosition");
    }
  }

  OFString orientation;
  if (ds->findAndGetOFStringArray(DCM_PatientOrientation, orientation).good()) {
    info.patientOrientation = orientation.c_str();
  }
}

// Copies decoded little-endian pixel bytes into uint16 values, masking bits above BitsStored.
void unpackPixels(const unsigned char* bytes, size_t byteCount, Image& image) {
  const size_t n = static_cast<size_t>(image.info.rows) * image.info.columns;
  image.pixels.resize(n);
  const std::uint16_t mask =
      image.info.bitsStored >= 16 ? 0xffff : static_cast<std::uint16_t>((1u << image.info.bitsStored) - 1);
  if (image.info.bitsAllocated == 8) {
    for (size_t i = 0; i < n; ++i) image.pixels[i] = static_cast<std::uint16_t>(bytes[i] & mask);
  } else {
    std::memcpy(image.pixels.data(), bytes, n * 2);
    if (!image.info.pixelSigned) {
      for (auto& p : image.pixels) p &= mask;
    }
  }
  (void)byteCount;
}

void decodeWithGdcm(const std::filesystem::path& path, Image& image) {
  gdcm::ImageReader reader;
  reader.SetFileName(path.c_str());
  if (!reader.Read()) throw LoadError(path, "cannot decode JPEG 2000 pixel data");
  const gdcm::Image& img = reader.GetImage();
  std::vector<char> buffer(img.GetBufferLength());
  if (!img.GetBuffer(buffer.data())) throw LoadError(path, "cannot decode JPEG 2000 pixel data");
  const size_t need = static_cast<size_t>(image.info.rows) * image.info.columns * (image.info.bitsAllocated / 8);
  if (buffer.size() < need) throw LoadError(path, "JPEG 2000 stream holds fewer pixels than Rows x Columns");
  unpackPixels(reinterpret_cast<const unsigned char*>(buffer.data()), buffer.size(), image);
}

}  // namespace

std::string_view toString(TransferSyntax s) { return entryOf(s).name; }
std::string_view uidOf(TransferSyntax s) { return entryOf(s).uid; }

bool isLossless(TransferSyntax s) {
  return s != TransferSyntax::JpegBaseline && s != TransferSyntax::JpegExtended &&
         s != TransferSyntax::JpegLsNearLossless && s != TransferSyntax::Jpeg2000;
}

int maxBitsStored(TransferSyntax s) {
  if (s == TransferSyntax::JpegBaseline) return 8;
  if (s == TransferSyntax::JpegExtended) return 12;
  return 16;
}

std::optional<TransferSyntax> parseTransferSyntax(std::string_view text) {
  for (const auto& e : kSyntaxes) {
    if (text == e.name || text == e.uid) return e.syntax;
  }
  return std::nullopt;
}

bool looksLikeDicom(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  char head[132] = {};
  in.read(head, sizeof head);
  if (in.gcount() == 132 && std::memcmp(head + 128, "DICM", 4) == 0) return true;
  // Headerless (no preamble) files usually start with group 0x0008.
  return in.gcount() >= 8 && head[0] == 0x08 && head[1] == 0x00;
}

Image readDicom(const std::filesystem::path& path, const DicomReadOptions& options) {
  registerCodecsOnce();
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) throw LoadError(path, "no such file");
  DcmFileFormat file;
  OFCondition status = file.loadFile(path.c_str(), EXS_Unknown, EGL_noChange, DCM_MaxReadLength, ERM_autoDetect);
  DcmDataset* ds = file.getDataset();
  Image image;
  image.info.sourcePath = path.string();
  image.info.format = "DICOM";
  if (status.bad()) {
    // A file cut inside its pixel data still has a usable header; anything else is unreadable.
    const bool headerUsable = ds && ds->tagExists(DCM_Rows) && ds->tagExists(DCM_SOPClassUID);
    if (!headerUsable) throw LoadError(path, std::string("not a readable DICOM file: ") + status.text());
    image.warnings.push_back(std::string("file is truncated or damaged (") + status.text() +
                             "); header read, pixels unavailable");
  }
  if (!ds || ds->card() == 0) throw LoadError(path, "not a DICOM file (no data elements)");
  const E_TransferSyntax xfer = ds->getOriginalXfer();
  DcmXfer xferInfo(xfer);
  image.info.transferSyntaxUid = xferInfo.getXferID();
  image.info.transferSyntaxName = xferInfo.getXferName();
  textToUtf8(ds, image.warnings);
  readHeader(ds, image.info, image.warnings, path);
  if (image.info.rows <= 0 || image.info.columns <= 0) throw LoadError(path, "missing Rows/Columns: not an image");
  if (image.info.bitsAllocated != 8 && image.info.bitsAllocated != 16) {
    throw LoadError(path, "unsupported BitsAllocated " + std::to_string(image.info.bitsAllocated));
  }
  if (!options.readPixels || status.bad()) return image;

  if (!ds->tagExists(DCM_PixelData)) {
    image.warnings.push_back("no pixel data (header only)");
    return image;
  }
  if (xfer == EXS_JPEG2000LosslessOnly || xfer == EXS_JPEG2000) {
    decodeWithGdcm(path, image);
    image.info.hasPixels = true;
    return image;
  }
  if (xferInfo.isEncapsulated()) {
    bool known = false;
    for (const auto& e : kSyntaxes) known = known || e.dcmtk == xfer;
    if (!known && xfer != EXS_JPEGProcess14 && xfer != EXS_JPEGProcess2_4 && xfer != EXS_JPEGProcess1) {
      throw LoadError(path, std::string("unsupported transfer syntax ") + xferInfo.getXferName() + " (" +
                                xferInfo.getXferID() + ")");
    }
    status = ds->chooseRepresentation(EXS_LittleEndianExplicit, nullptr);
    if (status.bad() || !ds->canWriteXfer(EXS_LittleEndianExplicit)) {
      throw LoadError(path, std::string("cannot decode pixel data (") + xferInfo.getXferName() +
                                "): " + (status.bad() ? status.text() : "codec failed"));
    }
  }
  DcmElement* pixelElement = nullptr;
  if (ds->findAndGetElement(DCM_PixelData, pixelElement).bad() || !pixelElement) {
    image.warnings.push_back("no pixel data (header only)");
    return image;
  }
  const size_t need = static_cast<size_t>(image.info.rows) * image.info.columns * (image.info.bitsAllocated / 8);
  Uint8* bytes = nullptr;
  if (image.info.bitsAllocated == 16) {
    Uint16* words = nullptr;
    if (pixelElement->getUint16Array(words).good()) bytes = reinterpret_cast<Uint8*>(words);
  } else {
    pixelElement->getUint8Array(bytes);
  }
  const size_t have = pixelElement->getLength();
  if (!bytes || have < need) {
    image.warnings.push_back("pixel data holds " + std::to_string(have) + " bytes but Rows x Columns needs " +
                             std::to_string(need) + "; header only");
    return image;
  }
  unpackPixels(bytes, have, image);
  image.info.hasPixels = true;
  return image;
}

std::string newUid() {
  static std::atomic<unsigned> counter{0};
  char buffer[100];
  // DCMTK's generator builds on its registered root; add our own counter to keep UIDs unique in a run.
  dcmGenerateUniqueIdentifier(buffer, SITE_INSTANCE_UID_ROOT);
  std::string uid = buffer;
  uid += "." + std::to_string(counter++ % 100000);
  if (uid.size() > 64) uid.resize(64);
  if (uid.back() == '.') uid.pop_back();
  return uid;
}

}  // namespace mammo::core
