// DICOMDIR reading (DCMTK), apart from ExamLoader so that a build without DICOM support
// (MAMMO_WITH_DICOM=OFF, core/DicomDisabled.cpp) needs no DCMTK.
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>

#include <algorithm>

#include "core/Errors.h"
#include "core/ExamLoader.h"

namespace mammo::core {
namespace fs = std::filesystem;

std::vector<fs::path> readDicomDir(const fs::path& dicomdir) {
  DcmFileFormat file;
  if (file.loadFile(dicomdir.c_str()).bad()) throw LoadError(dicomdir, "not a readable DICOMDIR");
  DcmSequenceOfItems* records = nullptr;
  if (file.getDataset()->findAndGetSequence(DCM_DirectoryRecordSequence, records).bad() || !records) {
    throw LoadError(dicomdir, "DICOMDIR has no Directory Record Sequence");
  }
  std::vector<fs::path> files;
  const fs::path base = dicomdir.parent_path();
  for (unsigned long i = 0; i < records->card(); ++i) {
    DcmItem* item = records->getItem(i);
    OFString type, id;
    item->findAndGetOFString(DCM_DirectoryRecordType, type);
    if (type != "IMAGE") continue;
    if (item->findAndGetOFStringArray(DCM_ReferencedFileID, id).bad()) continue;
    std::string rel = id.c_str();
    std::replace(rel.begin(), rel.end(), '\\', '/');
    files.push_back(base / rel);
  }
  if (files.empty()) throw LoadError(dicomdir, "DICOMDIR references no images");
  return files;
}

}  // namespace mammo::core
