// Writing MG DICOM in every supported transfer syntax (DCMTK encoders; JPEG 2000 through GDCM).
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcrlerp.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <dcmtk/dcmjpeg/djrplol.h>
#include <dcmtk/dcmjpeg/djrploss.h>
#include <dcmtk/dcmjpls/djrparam.h>
#include <gdcmImageChangeTransferSyntax.h>
#include <gdcmImageReader.h>
#include <gdcmJPEG2000Codec.h>
#include <gdcmWriter.h>

#include <sstream>

#include "core/DicomCodecs.h"
#include "core/DicomIO.h"

namespace mammo::core {

using detail::entryOf;
using detail::registerCodecsOnce;
using detail::SyntaxEntry;

namespace {

void putString(DcmItem* item, const DcmTagKey& key, const std::string& value) {
  item->putAndInsertString(key, value.c_str());
}

std::string formatDouble(double v) {
  std::ostringstream s;
  s.precision(10);
  s << v;
  return s.str();
}

// Patient, study, series and instance identity, and the mammography image's view.
void putIdentity(const ImageInfo& info, DcmDataset* ds) {
  const bool mg = info.modality.empty() || info.modality == "MG";
  putString(ds, DCM_SpecificCharacterSet, "ISO_IR 100");
  putString(ds, DCM_SOPClassUID,
            info.sopClassUid.empty() ? (info.intent == PresentationIntent::ForProcessing
                                            ? UID_DigitalMammographyXRayImageStorageForProcessing
                                            : UID_DigitalMammographyXRayImageStorageForPresentation)
                                     : info.sopClassUid);
  putString(ds, DCM_SOPInstanceUID, info.sopInstanceUid.empty() ? newUid() : info.sopInstanceUid);
  putString(ds, DCM_StudyInstanceUID, info.studyInstanceUid.empty() ? newUid() : info.studyInstanceUid);
  putString(ds, DCM_SeriesInstanceUID, info.seriesInstanceUid.empty() ? newUid() : info.seriesInstanceUid);
  putString(ds, DCM_Modality, mg ? "MG" : info.modality);
  putString(ds, DCM_ImageType,
            info.intent == PresentationIntent::ForProcessing ? "ORIGINAL\\PRIMARY" : "DERIVED\\PRIMARY");
  putString(ds, DCM_PatientID, info.patientId);
  putString(ds, DCM_PatientName, info.patientName);
  putString(ds, DCM_PatientBirthDate, "");
  putString(ds, DCM_PatientSex, "F");
  putString(ds, DCM_StudyDate, info.studyDate);
  putString(ds, DCM_StudyTime, "090000");
  putString(ds, DCM_StudyID, "1");
  putString(ds, DCM_AccessionNumber, info.accessionNumber);
  putString(ds, DCM_ReferringPhysicianName, "");
  putString(ds, DCM_StudyDescription, info.studyDescription);
  putString(ds, DCM_SeriesNumber, "1");
  putString(ds, DCM_InstanceNumber, "1");
  putString(ds, DCM_Manufacturer, info.manufacturer);
  putString(ds, DCM_BodyPartExamined, "BREAST");
  putString(ds, DCM_PresentationIntentType,
            std::string(toString(info.intent == PresentationIntent::Unknown ? PresentationIntent::ForPresentation
                                                                            : info.intent)));
  putString(ds, DCM_ImageLaterality, std::string(toString(info.laterality)));
  putString(ds, DCM_ViewPosition, std::string(toString(info.view)));
  putString(ds, DCM_PatientOrientation, info.patientOrientation);
}

// The acquisition, rescale, padding, spacing and view code of the Mammography Image and DX modules.
void putAcquisition(const ImageInfo& info, DcmDataset* ds) {
  // Acquisition facts of the Mammography Image and DX modules; fixed values describe the phantom's
  // notional acquisition (a typical 29 kVp W/Rh exposure of a 50 mm compressed breast).
  static const std::pair<DcmTagKey, const char*> kAcquisition[] = {{DCM_DetectorType, "DIRECT"},
                                                                   {DCM_PositionerType, "MAMMOGRAPHIC"},
                                                                   {DCM_OrganExposed, "BREAST"},
                                                                   {DCM_BreastImplantPresent, "NO"},
                                                                   {DCM_PartialView, "NO"},
                                                                   {DCM_BurnedInAnnotation, "NO"},
                                                                   {DCM_PixelIntensityRelationship, "LOG"},
                                                                   {DCM_KVP, "29"},
                                                                   {DCM_ExposureTime, "1200"},
                                                                   {DCM_XRayTubeCurrent, "100"},
                                                                   {DCM_CompressionForce, "120"},
                                                                   {DCM_BodyPartThickness, "50"},
                                                                   {DCM_AnodeTargetMaterial, "TUNGSTEN"},
                                                                   {DCM_FilterMaterial, "RHODIUM"}};
  for (const auto& [key, value] : kAcquisition) ds->putAndInsertString(key, value);
  ds->putAndInsertSint16(DCM_PixelIntensityRelationshipSign, 1);
  putString(ds, DCM_RescaleIntercept, formatDouble(info.rescaleIntercept));
  putString(ds, DCM_RescaleSlope, formatDouble(info.rescaleSlope));
  putString(ds, DCM_RescaleType, "US");
  // Pixel padding in the pixel representation's VR (SS for signed pixels, US otherwise).
  for (const auto& [key, value] : {std::pair{DCM_PixelPaddingValue, info.pixelPaddingValue},
                                   std::pair{DCM_PixelPaddingRangeLimit, info.pixelPaddingRangeLimit}}) {
    if (!value || !info.pixelPaddingValue) continue;
    if (info.pixelSigned)
      ds->putAndInsertSint16(key, static_cast<Sint16>(*value));
    else
      ds->putAndInsertUint16(key, static_cast<Uint16>(*value));
  }
  if (info.spacing) {
    const std::string sp = formatDouble(info.spacing->rowMm) + "\\" + formatDouble(info.spacing->columnMm);
    putString(ds, DCM_ImagerPixelSpacing, sp);
    putString(ds, DCM_PixelSpacing, sp);
    putString(ds, DCM_EstimatedRadiographicMagnificationFactor, formatDouble(info.magnification.value_or(1.0)));
  }
  // View Code Sequence with its SNOMED CT code.
  if (info.view == ViewPosition::CC || info.view == ViewPosition::MLO) {
    DcmItem* item = nullptr;
    if (ds->findOrCreateSequenceItem(DCM_ViewCodeSequence, item, 0).good()) {
      const bool cc = info.view == ViewPosition::CC;
      putString(item, DCM_CodeValue, cc ? "399162004" : "399368009");
      putString(item, DCM_CodingSchemeDesignator, "SCT");
      putString(item, DCM_CodeMeaning, cc ? "cranio-caudal" : "medio-lateral oblique");
    }
  }
}

// The VOI LUT module: windows and LUTs.
void putVoi(const ImageInfo& info, DcmDataset* ds) {
  if (!info.windows.empty()) {
    std::string c, w, e;
    for (size_t i = 0; i < info.windows.size(); ++i) {
      const char* sep = i ? "\\" : "";
      c += sep + formatDouble(info.windows[i].center);
      w += sep + formatDouble(info.windows[i].width);
      e += sep + info.windows[i].explanation;
    }
    putString(ds, DCM_WindowCenter, c);
    putString(ds, DCM_WindowWidth, w);
    putString(ds, DCM_WindowCenterWidthExplanation, e);
    putString(ds, DCM_VOILUTFunction, std::string(toString(info.voiFunction)));
  }
  for (size_t i = 0; i < info.voiLuts.size(); ++i) {
    DcmItem* item = nullptr;
    const VoiLut& lut = info.voiLuts[i];
    if (ds->findOrCreateSequenceItem(DCM_VOILUTSequence, item, static_cast<signed long>(i)).good()) {
      const Uint16 descriptor[3] = {static_cast<Uint16>(lut.data.size()), static_cast<Uint16>(lut.firstMapped),
                                    static_cast<Uint16>(lut.bitsPerEntry)};
      item->putAndInsertUint16Array(DCM_LUTDescriptor, descriptor, 3);
      putString(item, DCM_LUTExplanation, lut.explanation);
      item->putAndInsertUint16Array(DCM_LUTData, lut.data.data(), static_cast<unsigned long>(lut.data.size()));
    }
  }
}

// The Image Pixel module: the stored values as they are.
void putPixels(const Image& image, DcmDataset* ds) {
  const ImageInfo& info = image.info;
  ds->putAndInsertUint16(DCM_SamplesPerPixel, 1);
  putString(ds, DCM_PhotometricInterpretation, std::string(toString(info.photometric)));
  ds->putAndInsertUint16(DCM_Rows, static_cast<Uint16>(info.rows));
  ds->putAndInsertUint16(DCM_Columns, static_cast<Uint16>(info.columns));
  ds->putAndInsertUint16(DCM_BitsAllocated, static_cast<Uint16>(info.bitsAllocated));
  ds->putAndInsertUint16(DCM_BitsStored, static_cast<Uint16>(info.bitsStored));
  ds->putAndInsertUint16(DCM_HighBit, static_cast<Uint16>(info.bitsStored - 1));
  ds->putAndInsertUint16(DCM_PixelRepresentation, info.pixelSigned ? 1 : 0);
  const size_t n = static_cast<size_t>(info.rows) * info.columns;
  if (info.bitsAllocated == 8) {
    std::vector<Uint8> bytes(n);
    for (size_t i = 0; i < n; ++i) bytes[i] = static_cast<Uint8>(image.pixels[i]);
    ds->putAndInsertUint8Array(DCM_PixelData, bytes.data(), static_cast<unsigned long>(n));
  } else {
    ds->putAndInsertUint16Array(DCM_PixelData, image.pixels.data(), static_cast<unsigned long>(n));
  }
}

void fillDataset(const Image& image, DcmDataset* ds) {
  putIdentity(image.info, ds);
  putAcquisition(image.info, ds);
  putVoi(image.info, ds);
  putPixels(image, ds);
}

void writeJpeg2000(const std::filesystem::path& uncompressed, const std::filesystem::path& path, bool lossless) {
  gdcm::ImageReader reader;
  reader.SetFileName(uncompressed.c_str());
  if (!reader.Read()) throw std::runtime_error(path.string() + ": cannot re-read for JPEG 2000 encoding");
  gdcm::ImageChangeTransferSyntax change;
  gdcm::JPEG2000Codec codec;
  if (lossless) {
    change.SetTransferSyntax(gdcm::TransferSyntax::JPEG2000Lossless);
  } else {
    codec.SetRate(0, 10.0);
    codec.SetReversible(false);
    change.SetTransferSyntax(gdcm::TransferSyntax::JPEG2000);
  }
  change.SetUserCodec(&codec);
  change.SetInput(reader.GetImage());
  if (!change.Change()) throw std::runtime_error(path.string() + ": JPEG 2000 encoding failed");
  // Replace only the pixel data: gdcm::ImageWriter would rewrite other elements (e.g. re-format DS spacing).
  gdcm::File& file = reader.GetFile();
  file.GetDataSet().Replace(change.GetOutput().GetDataElement());
  file.GetHeader().SetDataSetTransferSyntax(change.GetOutput().GetTransferSyntax());
  gdcm::Writer writer;
  writer.SetFile(file);
  writer.SetFileName(path.c_str());
  if (!writer.Write()) throw std::runtime_error(path.string() + ": cannot write");
}

// Encodes the dataset's pixels in `syntax` (JPEG 2000 is written by GDCM afterwards: explicit little endian here).
void encodePixels(DcmDataset& ds, TransferSyntax syntax, const std::filesystem::path& path) {
  const SyntaxEntry& entry = entryOf(syntax);
  OFCondition status;
  switch (syntax) {
    case TransferSyntax::JpegBaseline:
    case TransferSyntax::JpegExtended: {
      DJ_RPLossy params(95);
      status = ds.chooseRepresentation(entry.dcmtk, &params);
      break;
    }
    case TransferSyntax::JpegLossless: {
      DJ_RPLossless params(6, 0);
      status = ds.chooseRepresentation(entry.dcmtk, &params);
      break;
    }
    case TransferSyntax::JpegLsLossless: {
      DJLSRepresentationParameter params(0, OFTrue);
      status = ds.chooseRepresentation(entry.dcmtk, &params);
      break;
    }
    case TransferSyntax::JpegLsNearLossless: {
      DJLSRepresentationParameter params(2, OFFalse);
      status = ds.chooseRepresentation(entry.dcmtk, &params);
      break;
    }
    case TransferSyntax::RleLossless: {
      DcmRLERepresentationParameter params;
      status = ds.chooseRepresentation(entry.dcmtk, &params);
      break;
    }
    default:
      break;
  }
  const bool j2k = syntax == TransferSyntax::Jpeg2000 || syntax == TransferSyntax::Jpeg2000Lossless;
  if (status.bad() || !ds.canWriteXfer(j2k ? EXS_LittleEndianExplicit : entry.dcmtk)) {
    throw std::runtime_error(path.string() + ": cannot encode as " + std::string(toString(syntax)) +
                             (status.bad() ? std::string(": ") + status.text() : std::string()));
  }
}

}  // namespace

void writeDicom(const Image& image, const std::filesystem::path& path, TransferSyntax syntax) {
  registerCodecsOnce();
  const ImageInfo& info = image.info;
  if (image.pixels.size() != static_cast<size_t>(info.rows) * info.columns) {
    throw std::runtime_error(path.string() + ": pixel count does not match rows x columns");
  }
  if (info.bitsStored > maxBitsStored(syntax)) {
    throw std::runtime_error(path.string() + ": " + std::string(toString(syntax)) + " holds at most " +
                             std::to_string(maxBitsStored(syntax)) + " bits stored, image has " +
                             std::to_string(info.bitsStored));
  }
  DcmFileFormat file;
  DcmDataset* ds = file.getDataset();
  fillDataset(image, ds);
  const std::filesystem::path tmp = path.string() + ".tmp";
  const SyntaxEntry& entry = entryOf(syntax);
  encodePixels(*ds, syntax, path);
  if (!isLossless(syntax)) {
    putString(ds, DCM_LossyImageCompression, "01");
  }
  const bool j2k = syntax == TransferSyntax::Jpeg2000 || syntax == TransferSyntax::Jpeg2000Lossless;
  const E_TransferSyntax writeXfer = j2k ? EXS_LittleEndianExplicit : entry.dcmtk;
  const OFCondition status =
      file.saveFile(tmp.c_str(), writeXfer, EET_ExplicitLength, EGL_recalcGL, EPD_withoutPadding);
  if (status.bad()) {
    std::filesystem::remove(tmp);
    throw std::runtime_error(path.string() + ": cannot write: " + status.text());
  }
  if (j2k) {
    const std::filesystem::path tmp2 = path.string() + ".j2k.tmp";
    try {
      writeJpeg2000(tmp, tmp2, syntax == TransferSyntax::Jpeg2000Lossless);
    } catch (...) {
      std::filesystem::remove(tmp);
      std::filesystem::remove(tmp2);
      throw;
    }
    std::filesystem::remove(tmp);
    std::filesystem::rename(tmp2, path);
    return;
  }
  std::filesystem::rename(tmp, path);
}

}  // namespace mammo::core
