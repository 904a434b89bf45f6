#pragma once
// Phantom four-view DICOM studies with a chosen identity (patient, date, accession, UIDs), for the store
// and network tests: the phantom generator's images (small size) written as MG files.
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "core/DicomIO.h"
#include "core/Phantom.h"

namespace mammo::test {

struct StudyIdentity {
  std::string patientId, patientName, studyDate, accession;
  std::string studyUid = {};  // empty: made from the seed
};

// Changes a view's image before it is written (a prior moved by a known transform, a view of noise).
using ViewChange = std::function<core::Image(core::StandardView, const core::Image&)>;

// Writes the study's four views into `dir` (one file per view: <accession>_<view>.dcm) and returns the files.
inline std::vector<std::filesystem::path> writePhantomStudy(const StudyIdentity& id, const std::filesystem::path& dir,
                                                            std::uint64_t seed = 1, const ViewChange& change = {}) {
  core::PhantomOptions options;
  options.size = core::PhantomSize::Small;
  options.seed = seed;
  const core::PhantomExam exam = core::generatePhantomExam(options, 0);
  std::filesystem::create_directories(dir);
  const std::string studyUid =
      id.studyUid.empty() ? "1.2.826.0.1.3680043.10.1234." + std::to_string(seed) : id.studyUid;
  std::vector<std::filesystem::path> files;
  for (core::StandardView v : core::kStandardViews) {
    core::Image image =
        change ? change(v, exam.views[static_cast<int>(v)].image) : exam.views[static_cast<int>(v)].image;
    image.info.patientId = id.patientId;
    image.info.patientName = id.patientName;
    image.info.studyDate = id.studyDate;
    image.info.accessionNumber = id.accession;
    image.info.studyInstanceUid = studyUid;
    image.info.seriesInstanceUid = studyUid + "." + std::to_string(static_cast<int>(v) + 1);
    image.info.sopInstanceUid = studyUid + "." + std::to_string(static_cast<int>(v) + 1) + ".1";
    const std::filesystem::path file = dir / (id.accession + "_" + std::string(core::toString(v)) + ".dcm");
    core::writeDicom(image, file, core::TransferSyntax::ExplicitLittleEndian);
    files.push_back(file);
  }
  return files;
}

}  // namespace mammo::test
