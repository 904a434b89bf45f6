#include "workstation/PacsAccess.h"

#include <algorithm>

#include "core/Job.h"

namespace mammo::workstation {

pacs::RemoteNode pacsNode(const PacsSettings& pacs, const StoreSettings& ours) {
  pacs::RemoteNode node;
  node.host = pacs.host;
  node.port = pacs.port;
  node.calledAe = pacs.aeTitle;
  node.callingAe = ours.aeTitle;
  return node;
}

bool configured(const PacsSettings& pacs) { return !pacs.host.empty(); }

Retrieved retrieveStudy(const pacs::RemoteNode& node, const std::string& studyUid, RetrieveMethod method,
                        const StoreSettings& ours, pacs::StudyStore& store, core::JobContext* job) {
  Retrieved r;
  r.studyKey = studyUid;
  r.transfer = method == RetrieveMethod::Get ? pacs::getStudy(node, studyUid, store, job)
                                             : pacs::moveStudy(node, studyUid, ours.aeTitle, job);
  r.study = store.study(studyUid);
  if (r.study) r.imagesInStore = r.study->images;
  return r;
}

std::vector<pacs::StudyMatch> findPriorsOnPacs(const pacs::RemoteNode& node, const std::string& patientId,
                                               const std::string& beforeDate, const std::string& excludeUid,
                                               core::JobContext* job) {
  if (patientId.empty()) return {};  // an unknown patient has no priors we could trust
  pacs::StudyQuery query;
  query.patientId = patientId;
  std::vector<pacs::StudyMatch> matches = pacs::findStudies(node, query, job);
  // The PACS matches the patient id exactly; the date and the open study are ours to leave out (a range
  // "-YYYYMMDD" would include the current day).
  std::erase_if(matches, [&](const pacs::StudyMatch& m) {
    return m.studyUid == excludeUid || m.patientId != patientId || (!beforeDate.empty() && !(m.studyDate < beforeDate));
  });
  std::stable_sort(matches.begin(), matches.end(),
                   [](const pacs::StudyMatch& a, const pacs::StudyMatch& b) { return a.studyDate > b.studyDate; });
  return matches;
}

}  // namespace mammo::workstation
