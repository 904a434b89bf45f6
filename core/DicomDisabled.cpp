// A build without DICOM support (MAMMO_WITH_DICOM=OFF: the LibTorch-only inference build for GPU machines
// that have no DCMTK). DICOM files are still recognised, so that they get a clear error naming the file
// instead of being skipped silently.
#include <cstring>
#include <fstream>

#include "core/DicomIO.h"
#include "core/Errors.h"
#include "core/ExamLoader.h"

namespace mammo::core {
namespace {
constexpr const char* kNoDicom = "this Mammolens build has no DICOM support (configured with MAMMO_WITH_DICOM=OFF)";
}

bool looksLikeDicom(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  char head[132] = {};
  in.read(head, sizeof head);
  return in.gcount() == 132 && std::memcmp(head + 128, "DICM", 4) == 0;
}

Image readDicom(const std::filesystem::path& path, const DicomReadOptions&) { throw LoadError(path, kNoDicom); }

std::vector<std::filesystem::path> readDicomDir(const std::filesystem::path& dicomdir) {
  throw LoadError(dicomdir, kNoDicom);
}

}  // namespace mammo::core
