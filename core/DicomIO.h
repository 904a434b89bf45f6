#pragma once
// DICOM mammograms: reading header facts and raw pixels (DCMTK; JPEG 2000 through GDCM), and writing
// MG images in any supported transfer syntax (used by the phantom generator and exports).
#include <filesystem>
#include <string_view>
#include <vector>

#include "core/Image.h"

namespace mammo::core {

enum class TransferSyntax {
  ImplicitLittleEndian,
  ExplicitLittleEndian,
  DeflatedExplicitLittleEndian,
  JpegBaseline,  // process 1, 8-bit lossy
  JpegExtended,  // process 2/4, 12-bit lossy
  JpegLossless,  // process 14, selection value 1
  JpegLsLossless,
  JpegLsNearLossless,
  Jpeg2000Lossless,
  Jpeg2000,  // lossy
  RleLossless,
};

inline constexpr TransferSyntax kAllTransferSyntaxes[] = {TransferSyntax::ImplicitLittleEndian,
                                                          TransferSyntax::ExplicitLittleEndian,
                                                          TransferSyntax::DeflatedExplicitLittleEndian,
                                                          TransferSyntax::JpegBaseline,
                                                          TransferSyntax::JpegExtended,
                                                          TransferSyntax::JpegLossless,
                                                          TransferSyntax::JpegLsLossless,
                                                          TransferSyntax::JpegLsNearLossless,
                                                          TransferSyntax::Jpeg2000Lossless,
                                                          TransferSyntax::Jpeg2000,
                                                          TransferSyntax::RleLossless};

std::string_view toString(TransferSyntax);  // short name, e.g. "jpeg-ls-lossless"
std::string_view uidOf(TransferSyntax);
bool isLossless(TransferSyntax);
int maxBitsStored(TransferSyntax);  // 8 for baseline, 12 for extended, else 16
std::optional<TransferSyntax> parseTransferSyntax(std::string_view);  // short name or UID

struct DicomReadOptions {
  bool readPixels = true;
};

// Reads one DICOM file. Throws LoadError naming the file for unreadable, truncated or non-DICOM files,
// unsupported transfer syntaxes, colour images, non-breast images and contradictory laterality tags.
// A file whose pixel data is missing or shorter than its header says loads with hasPixels = false and
// a warning (header facts still usable for hanging).
Image readDicom(const std::filesystem::path& path, const DicomReadOptions& options = {});

// Quick test (preamble + "DICM", or a plausible group 0008 start) without parsing the file.
bool looksLikeDicom(const std::filesystem::path& path);

// Writes an MG image (Digital Mammography X-Ray Image Storage, or the SOP class in info.sopClassUid)
// with the full mammography tag set taken from `image.info`. Pixels are written as stored.
// Throws std::runtime_error naming the file when the syntax cannot hold the data (e.g. baseline JPEG
// with more than 8 bits stored) or encoding fails.
void writeDicom(const Image& image, const std::filesystem::path& path, TransferSyntax syntax);

// Mammography-specific: a new UID under the project's root, for phantoms and derived objects.
std::string newUid();

}  // namespace mammo::core
