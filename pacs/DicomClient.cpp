#include "pacs/DicomClient.h"

#include "dcmtk/config/osconfig.h"  // first, as DCMTK requires

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <dcmtk/dcmdata/dcxfer.h>
#include <dcmtk/dcmnet/diutil.h>
#include <dcmtk/dcmnet/scu.h>

#include <atomic>
#include <cstdio>
#include <map>
#include <set>
#include <utility>

#include "core/Job.h"
#include "core/Text.h"
#include "pacs/DicomSetup.h"

namespace mammo::pacs {

namespace fs = std::filesystem;

std::string RemoteNode::describe() const { return calledAe + " at " + host + ":" + std::to_string(port); }

namespace {

OFList<OFString> uncompressed() {
  OFList<OFString> s;
  s.push_back(UID_LittleEndianExplicitTransferSyntax);
  s.push_back(UID_LittleEndianImplicitTransferSyntax);
  return s;
}

std::string statusText(Uint16 status) {
  char text[8];
  std::snprintf(text, sizeof text, "%04X", status);
  return std::string("0x") + text;
}

// A DcmSCU that checks the job between responses: progress from the sub-operation counts, and C-CANCEL once
// the job is cancelled.
class Client : public DcmSCU {
 public:
  Client(const RemoteNode& node, core::JobContext* job, StudyStore* store = nullptr)
      : m_node(node), m_job(job), m_store(store) {
    configureDcmtkOnce();
    setAETitle(node.callingAe.c_str());
    setPeerAETitle(node.calledAe.c_str());
    setPeerHostName(node.host.c_str());
    setPeerPort(static_cast<Uint16>(node.port));
    setACSETimeout(static_cast<Uint32>(node.timeoutSeconds));
    setDIMSEBlockingMode(DIMSE_NONBLOCKING);
    setDIMSETimeout(static_cast<Uint32>(node.timeoutSeconds));
    setConnectionTimeout(node.timeoutSeconds);
  }

  void connect() {
    OFCondition c = initNetwork();
    if (c.bad()) throw DicomNetworkError(m_node.describe() + ": cannot start the network: " + c.text());
    c = negotiateAssociation();
    if (c == DUL_ASSOCIATIONREJECTED) {
      throw DicomNetworkError(m_node.describe() + " refused the association: check its AE title (" + m_node.calledAe +
                              ") and that it knows ours (" + m_node.callingAe + ")");
    }
    if (c.bad()) {
      throw DicomNetworkError(m_node.describe() + " does not answer (" + std::string(c.text()) +
                              "): check the host, the port and that it is running");
    }
  }
  T_ASC_PresentationContextID context(const char* abstractSyntax) {
    const T_ASC_PresentationContextID id = findPresentationContextID(abstractSyntax, "");
    if (id == 0)
      throw DicomNetworkError(m_node.describe() + " does not offer " +
                              dcmFindNameOfUID(abstractSyntax, abstractSyntax));
    return id;
  }
  ~Client() override {
    if (isConnected()) releaseAssociation();
  }

  TransferResult result;

 protected:
  OFCondition handleFINDResponse(const T_ASC_PresentationContextID id, QRResponse* response, OFBool& wait) override {
    const OFCondition c = DcmSCU::handleFINDResponse(id, response, wait);
    cancelIfAsked(id, wait);
    return c;
  }
  OFCondition handleMOVEResponse(const T_ASC_PresentationContextID id, RetrieveResponse* response,
                                 OFBool& wait) override {
    const OFCondition c = DcmSCU::handleMOVEResponse(id, response, wait);
    report(*response);
    cancelIfAsked(id, wait);
    return c;
  }
  OFCondition handleCGETResponse(const T_ASC_PresentationContextID id, RetrieveResponse* response,
                                 OFBool& go) override {
    const OFCondition c = DcmSCU::handleCGETResponse(id, response, go);
    report(*response);
    cancelIfAsked(id, go);
    return c;
  }
  // A C-GET sub-operation: the instance into the store as the receiver does (write, sync, check, rename).
  OFCondition handleSTORERequest(const T_ASC_PresentationContextID, DcmDataset* incoming, OFBool& go,
                                 Uint16& status) override {
    go = OFTrue;
    status = STATUS_STORE_Refused_OutOfResources;
    if (!incoming || !m_store) return EC_Normal;
    OFString sop;
    incoming->findAndGetOFString(DCM_SOPInstanceUID, sop);
    DcmFileFormat file(incoming, OFFalse);  // takes the data set
    const fs::path part = incomingPart(*m_store, m_sequence);
    if (file.saveFile(part.c_str(), EXS_Unknown).bad()) {
      std::error_code ec;
      fs::remove(part, ec);
      result.problems.push_back("instance " + std::string(sop.c_str()) + ": cannot write it");
      return EC_Normal;  // an error here would end the whole C-GET (0xC000)
    }
    const Committed c = commitIncoming(*m_store, part, sop.c_str(), StudySource::Retrieved, m_node.calledAe);
    status = c.status;
    if (c.status != STATUS_Success) result.problems.push_back("instance " + std::string(sop.c_str()) + ": " + c.why);
    return EC_Normal;
  }

 private:
  void report(const RetrieveResponse& r) {
    result.completed = r.m_numberOfCompletedSubops;
    result.failed = r.m_numberOfFailedSubops;
    result.warning = r.m_numberOfWarningSubops;
    const double total = r.m_numberOfCompletedSubops + r.m_numberOfFailedSubops + r.m_numberOfWarningSubops +
                         r.m_numberOfRemainingSubops;
    if (m_job && total > 0) {
      m_job->progress((total - r.m_numberOfRemainingSubops) / total,
                      std::to_string(result.completed) + " of " + std::to_string(static_cast<int>(total)) + " images");
    }
  }
  void cancelIfAsked(T_ASC_PresentationContextID id, OFBool& wait) {
    if (!m_job || !m_job->cancelled() || m_cancelSent || !wait) return;
    sendCANCELRequest(id);
    m_cancelSent = true;  // the PACS answers with its final (cancelled) status: keep waiting for it
  }

  const RemoteNode& m_node;
  core::JobContext* m_job;
  StudyStore* m_store;
  std::atomic<std::uint64_t> m_sequence{0};
  bool m_cancelSent = false;
};

void checkFinal(const RemoteNode& node, const char* what, Uint16 status, TransferResult& result) {
  if (status == STATUS_Success) return;
  if (status == STATUS_MOVE_Cancel_SubOperationsTerminatedDueToCancelIndication) throw core::Cancelled();
  if ((status & 0xF000) == 0xB000) {
    result.problems.push_back(std::string(what) + " ended with warnings (" + statusText(status) + ")");
    return;
  }
  throw DicomNetworkError(node.describe() + ": " + what + " failed with status " + statusText(status) +
                          (result.problems.empty() ? std::string() : " (" + result.problems.front() + ")"));
}

// The final response's status of a retrieval (the last of the list).
template <class Response>
Uint16 finalStatus(const OFList<Response*>& responses) {
  return responses.empty() ? STATUS_Success : responses.back()->m_status;
}

template <class Response>
void deleteAll(OFList<Response*>& responses) {
  for (Response* r : responses) delete r;
  responses.clear();
}

std::string get(DcmItem& item, const DcmTagKey& tag) {
  OFString v;
  item.findAndGetOFStringArray(tag, v);
  std::string s = v.c_str();
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return core::validUtf8(s);
}

}  // namespace

void echo(const RemoteNode& node) {
  Client client(node, nullptr);
  client.addPresentationContext(UID_VerificationSOPClass, uncompressed());
  client.connect();
  const OFCondition c = client.sendECHORequest(0);
  if (c.bad()) throw DicomNetworkError(node.describe() + ": C-ECHO failed: " + c.text());
}

std::vector<StudyMatch> findStudies(const RemoteNode& node, const StudyQuery& query, core::JobContext* job) {
  Client client(node, job);
  client.addPresentationContext(UID_FINDStudyRootQueryRetrieveInformationModel, uncompressed());
  client.connect();
  DcmDataset keys;
  keys.putAndInsertOFStringArray(DCM_SpecificCharacterSet, "ISO_IR 192");  // answers in UTF-8, please
  keys.putAndInsertOFStringArray(DCM_QueryRetrieveLevel, "STUDY");
  keys.putAndInsertOFStringArray(DCM_StudyInstanceUID, query.studyUid.c_str());
  keys.putAndInsertOFStringArray(DCM_PatientID, query.patientId.c_str());
  keys.putAndInsertOFStringArray(DCM_PatientName, "");
  keys.putAndInsertOFStringArray(DCM_StudyDate, query.studyDate.c_str());
  keys.putAndInsertOFStringArray(DCM_AccessionNumber, query.accession.c_str());
  keys.putAndInsertOFStringArray(DCM_StudyDescription, "");
  keys.putAndInsertOFStringArray(DCM_ModalitiesInStudy, "");
  keys.putAndInsertOFStringArray(DCM_NumberOfStudyRelatedInstances, "");
  OFList<QRResponse*> responses;
  const OFCondition c =
      client.sendFINDRequest(client.context(UID_FINDStudyRootQueryRetrieveInformationModel), &keys, &responses);
  std::vector<StudyMatch> out;
  Uint16 final = STATUS_Success;
  for (QRResponse* r : responses) {
    if (r->m_dataset &&
        (r->m_status == STATUS_Pending || r->m_status == STATUS_FIND_Pending_WarningUnsupportedOptionalKeys)) {
      DcmDataset& d = *r->m_dataset;
      d.convertToUTF8();  // from the character set the PACS answered in (invalid bytes are replaced in get)
      StudyMatch m{get(d, DCM_StudyInstanceUID), get(d, DCM_PatientID),       get(d, DCM_PatientName),
                   get(d, DCM_StudyDate),        get(d, DCM_AccessionNumber), get(d, DCM_StudyDescription),
                   get(d, DCM_ModalitiesInStudy)};
      m.instances = std::atoi(get(d, DCM_NumberOfStudyRelatedInstances).c_str());
      out.push_back(std::move(m));
    } else {
      final = r->m_status;
    }
  }
  deleteAll(responses);
  if (c.bad()) throw DicomNetworkError(node.describe() + ": C-FIND failed: " + c.text());
  if (final == STATUS_FIND_Cancel_MatchingTerminatedDueToCancelRequest) throw core::Cancelled();
  if (final != STATUS_Success)
    throw DicomNetworkError(node.describe() + ": C-FIND failed with status " + statusText(final));
  return out;
}

TransferResult moveStudy(const RemoteNode& node, const std::string& studyUid, const std::string& destinationAe,
                         core::JobContext* job) {
  Client client(node, job);
  client.addPresentationContext(UID_MOVEStudyRootQueryRetrieveInformationModel, uncompressed());
  client.connect();
  DcmDataset keys;
  keys.putAndInsertOFStringArray(DCM_QueryRetrieveLevel, "STUDY");
  keys.putAndInsertOFStringArray(DCM_StudyInstanceUID, studyUid.c_str());
  OFList<RetrieveResponse*> responses;
  const OFCondition c = client.sendMOVERequest(client.context(UID_MOVEStudyRootQueryRetrieveInformationModel),
                                               destinationAe.c_str(), &keys, &responses);
  const Uint16 final = finalStatus(responses);
  deleteAll(responses);
  if (c.bad()) throw DicomNetworkError(node.describe() + ": C-MOVE failed: " + c.text());
  checkFinal(node, "C-MOVE", final, client.result);
  return client.result;
}

TransferResult getStudy(const RemoteNode& node, const std::string& studyUid, StudyStore& store, core::JobContext* job) {
  Client client(node, job, &store);
  client.addPresentationContext(UID_GETStudyRootQueryRetrieveInformationModel, uncompressed());
  // Storage with us as the SCP: one context per compressed syntax (a PACS picks one syntax per context and
  // cannot convert every compressed one), one for the uncompressed pair.
  for (const std::string& sop : storageSopClasses()) {
    for (const std::string& syntax : storageTransferSyntaxes()) {
      if (syntax == UID_LittleEndianExplicitTransferSyntax || syntax == UID_LittleEndianImplicitTransferSyntax)
        continue;
      OFList<OFString> one;
      one.push_back(syntax.c_str());
      client.addPresentationContext(sop.c_str(), one, ASC_SC_ROLE_SCP);
    }
    client.addPresentationContext(sop.c_str(), uncompressed(), ASC_SC_ROLE_SCP);
  }
  client.connect();
  DcmDataset keys;
  keys.putAndInsertOFStringArray(DCM_QueryRetrieveLevel, "STUDY");
  keys.putAndInsertOFStringArray(DCM_StudyInstanceUID, studyUid.c_str());
  OFList<RetrieveResponse*> responses;
  const OFCondition c =
      client.sendCGETRequest(client.context(UID_GETStudyRootQueryRetrieveInformationModel), &keys, &responses);
  const Uint16 final = finalStatus(responses);
  deleteAll(responses);
  if (c.bad()) throw DicomNetworkError(node.describe() + ": C-GET failed: " + c.text());
  checkFinal(node, "C-GET", final, client.result);
  return client.result;
}

TransferResult sendFiles(const RemoteNode& node, const std::vector<fs::path>& files, core::JobContext* job) {
  // A context per (SOP class, transfer syntax) the files have: each is sent as it is.
  std::set<std::pair<std::string, std::string>> kinds;
  std::vector<std::pair<fs::path, std::pair<std::string, std::string>>> readable;
  TransferResult result;
  for (const fs::path& file : files) {
    DcmFileFormat ff;
    if (ff.loadFile(file.c_str(), EXS_Unknown, EGL_noChange, 256).bad()) {
      result.problems.push_back(file.string() + ": not a readable DICOM file");
      ++result.failed;
      continue;
    }
    OFString sop;
    ff.getDataset()->findAndGetOFString(DCM_SOPClassUID, sop);
    const std::string syntax = DcmXfer(ff.getDataset()->getOriginalXfer()).getXferID();
    if (sop.empty()) {
      result.problems.push_back(file.string() + ": no SOP Class UID");
      ++result.failed;
      continue;
    }
    kinds.insert({sop.c_str(), syntax});
    readable.push_back({file, {sop.c_str(), syntax}});
  }
  if (readable.empty()) return result;
  Client client(node, job);
  for (const auto& [sop, syntax] : kinds) {
    OFList<OFString> one;
    one.push_back(syntax.c_str());
    client.addPresentationContext(sop.c_str(), one);
  }
  client.connect();
  for (std::size_t i = 0; i < readable.size(); ++i) {
    if (job) {
      job->throwIfCancelled();
      job->progress(static_cast<double>(i) / readable.size(),
                    "sending " + std::to_string(i + 1) + " of " + std::to_string(readable.size()));
    }
    const auto& [file, kind] = readable[i];
    const T_ASC_PresentationContextID id = client.findPresentationContextID(kind.first.c_str(), kind.second.c_str());
    Uint16 status = 0;
    const OFCondition c =
        id ? client.sendSTORERequest(id, file.c_str(), nullptr, status) : DIMSE_NOVALIDPRESENTATIONCONTEXTID;
    if (c.bad() || (status != STATUS_Success && (status & 0xF000) != 0xB000)) {
      ++result.failed;
      result.problems.push_back(file.string() + ": " +
                                (c.bad() ? std::string(c.text()) : "status " + statusText(status)));
    } else {
      ++result.completed;
    }
  }
  if (job) job->progress(1.0, "sent");
  return result;
}

}  // namespace mammo::pacs
