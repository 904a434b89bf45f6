#pragma once
// The workstation's use of the configured PACS (workstation::PacsSettings) through pacs/DicomClient: the node
// from the settings, a study retrieved into the study store by the method the reader chose, and the open
// study's priors found on the PACS when the store has none. Qt-free; each call runs on the calling thread (a
// job's worker), with progress and cancellation through the JobContext, and throws
// pacs::DicomNetworkError naming the node.
#include <optional>
#include <string>
#include <vector>

#include "pacs/DicomClient.h"
#include "workstation/Settings.h"

namespace mammo::core {
class JobContext;
}

namespace mammo::workstation {

// The configured PACS as a node we call with our own AE title (the store settings' one). nullopt-like: an
// empty host means none is configured (check configured()).
pacs::RemoteNode pacsNode(const PacsSettings& pacs, const StoreSettings& ours);
bool configured(const PacsSettings& pacs);

enum class RetrieveMethod {
  Get,  // C-GET: the PACS answers on our association, straight into the store
  Move,  // C-MOVE to our running receiver (the PACS must know our AE title, host and port)
};

struct Retrieved {
  pacs::TransferResult transfer;
  std::string studyKey;  // the study's key in the store (its Study Instance UID)
  int imagesInStore = 0;  // what the store holds of it afterwards
  std::optional<pacs::StudyRecord> study;  // its record in the store afterwards (read on the job's thread)
};

// Retrieves one study into `store`. By C-MOVE the images arrive at the workstation's receiver, which must be
// running with `ours`; this waits for the PACS's final answer (its counts).
Retrieved retrieveStudy(const pacs::RemoteNode& node, const std::string& studyUid, RetrieveMethod method,
                        const StoreSettings& ours, pacs::StudyStore& store, core::JobContext* job = nullptr);

// The patient's studies on the PACS dated before `beforeDate` (all others when it is empty), `excludeUid`
// left out, newest first.
std::vector<pacs::StudyMatch> findPriorsOnPacs(const pacs::RemoteNode& node, const std::string& patientId,
                                               const std::string& beforeDate, const std::string& excludeUid,
                                               core::JobContext* job = nullptr);

}  // namespace mammo::workstation
