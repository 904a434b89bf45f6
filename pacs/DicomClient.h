#pragma once
// The workstation as a DICOM client (SCU, DCMTK dcmnet) of a PACS: C-ECHO, study-level C-FIND, retrieval of
// a study by C-MOVE (to a receiver of ours, pacs::StoreReceiver) or by C-GET (straight into the study store,
// each instance through the same write-sync-check-rename as the receiver), and C-STORE of files.
// Each call opens its own association and runs on the calling thread (a job's worker); progress and
// cancellation go through the JobContext (a cancelled retrieval sends C-CANCEL and returns what arrived).
// Errors are DicomNetworkError with a message naming the node and what to check; never patient data.
#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "pacs/StudyStore.h"

namespace mammo::core {
class JobContext;
}

namespace mammo::pacs {

struct RemoteNode {
  std::string host = "127.0.0.1";
  int port = 4242;
  std::string calledAe = "ORTHANC";  // the PACS's AE title
  std::string callingAe = "MAMMOLENS";  // ours
  int timeoutSeconds = 30;
  std::string describe() const;  // "ORTHANC at 127.0.0.1:4242"
};

class DicomNetworkError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Throws DicomNetworkError when the node does not answer or refuses us.
void echo(const RemoteNode& node);

// Study-level keys; empty ones match anything. studyDate: YYYYMMDD, or a range YYYYMMDD-YYYYMMDD (either end
// may be left out).
struct StudyQuery {
  std::string patientId;
  std::string studyDate;
  std::string accession;
  std::string studyUid;
};

struct StudyMatch {
  std::string studyUid, patientId, patientName, studyDate, accession, description, modalities;
  int instances = 0;
};

std::vector<StudyMatch> findStudies(const RemoteNode& node, const StudyQuery& query, core::JobContext* job = nullptr);

struct TransferResult {
  int completed = 0, failed = 0, warning = 0;
  std::vector<std::string> problems;  // per instance or per response, no patient data
};

// C-MOVE of a study to `destinationAe` (which the PACS must know: its host and port). The instances arrive at
// that receiver; this returns the PACS's counts.
TransferResult moveStudy(const RemoteNode& node, const std::string& studyUid, const std::string& destinationAe,
                         core::JobContext* job = nullptr);
// C-GET of a study into `store` (source Retrieved).
TransferResult getStudy(const RemoteNode& node, const std::string& studyUid, StudyStore& store,
                        core::JobContext* job = nullptr);
// C-STORE of files, each in its own transfer syntax.
TransferResult sendFiles(const RemoteNode& node, const std::vector<std::filesystem::path>& files,
                         core::JobContext* job = nullptr);

}  // namespace mammo::pacs
