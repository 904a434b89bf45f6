#include "pacs/StoreReceiver.h"

#include "dcmtk/config/osconfig.h"  // first, as DCMTK requires

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcpixel.h>
#include <dcmtk/dcmdata/dcpixseq.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <dcmtk/dcmdata/dcxfer.h>
#include <dcmtk/dcmnet/scpthrd.h>
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <list>
#include <mutex>
#include <stdexcept>

#include "core/DicomIO.h"
#include "pacs/DicomSetup.h"

namespace mammo::pacs {

namespace fs = std::filesystem;

namespace {

bool fsyncPath(const fs::path& path, bool directory) {
  const int fd = ::open(path.c_str(), directory ? O_RDONLY | O_DIRECTORY : O_RDONLY);
  if (fd < 0) return false;
  const bool ok = ::fsync(fd) == 0;
  ::close(fd);
  return ok;
}

// Why a received file is not a usable image, or empty when it is. The header facts go to `header`.
std::string checkReceived(const fs::path& file, const std::string& sopInstanceUid, core::ImageInfo& header) {
  try {
    header = core::readDicom(file, {false}).info;
  } catch (const std::exception& e) {
    return e.what();
  }
  if (header.studyInstanceUid.empty()) return "no Study Instance UID";
  if (header.sopInstanceUid.empty() || header.sopInstanceUid != sopInstanceUid) {
    return "SOP Instance UID of the data set differs from the request's";
  }
  // The pixel data the header announces must be there: a short native value or an empty fragment
  // sequence is a truncated transfer.
  DcmFileFormat ff;
  if (ff.loadFile(file.c_str(), EXS_Unknown, EGL_noChange, 4096).bad()) return "not a readable DICOM file";
  DcmDataset* ds = ff.getDataset();
  DcmElement* pixels = nullptr;
  if (ds->findAndGetElement(DCM_PixelData, pixels).bad() || !pixels) return "no pixel data";
  const DcmXfer xfer(ds->getOriginalXfer());
  if (xfer.isEncapsulated()) {
    DcmPixelData* data = OFstatic_cast(DcmPixelData*, pixels);
    DcmPixelSequence* sequence = nullptr;
    E_TransferSyntax syntax = EXS_Unknown;
    const DcmRepresentationParameter* parameter = nullptr;
    data->getOriginalRepresentationKey(syntax, parameter);
    if (data->getEncapsulatedRepresentation(syntax, parameter, sequence).bad() || !sequence || sequence->card() < 2) {
      return "compressed pixel data without fragments";
    }
    return {};
  }
  const std::uint64_t expected = static_cast<std::uint64_t>(header.rows) * header.columns * header.samplesPerPixel *
                                 ((header.bitsAllocated + 7) / 8);
  if (pixels->getLength() < expected) {
    return "pixel data shorter (" + std::to_string(pixels->getLength()) + " bytes) than " +
           std::to_string(header.rows) + "x" + std::to_string(header.columns) + " pixels need";
  }
  return {};
}

}  // namespace

fs::path incomingPart(const StudyStore& store, std::atomic<std::uint64_t>& sequence) {
  const fs::path incoming = store.incomingFolder();
  std::error_code ec;
  fs::create_directories(incoming, ec);
  return incoming / ("receiving-" + std::to_string(::getpid()) + "-" + std::to_string(sequence.fetch_add(1)) + ".part");
}

Committed commitIncoming(StudyStore& store, const fs::path& part, const std::string& sopInstanceUid, StudySource source,
                         const std::string& callingAe) {
  Committed c;
  std::error_code ec;
  const auto fail = [&](Uint16 status, std::string why) {
    fs::remove(part, ec);
    c.status = status;
    c.why = std::move(why);
    return c;
  };
  if (!fsyncPath(part, false)) return fail(STATUS_STORE_Refused_OutOfResources, "cannot write the data set");
  core::ImageInfo header;
  if (std::string why = checkReceived(part, sopInstanceUid, header); !why.empty()) {
    return fail(STATUS_STORE_Error_CannotUnderstand, std::move(why));
  }
  const std::string key = header.studyInstanceUid;
  const fs::path folder = store.studyFolder(key);
  const fs::path final = folder / (safeFileName(header.sopInstanceUid) + ".dcm");
  fs::create_directories(folder, ec);
  if (ec || ::rename(part.c_str(), final.c_str()) != 0 || !fsyncPath(folder, true)) {
    return fail(STATUS_STORE_Refused_OutOfResources, "cannot move it into the store");
  }
  header.sourcePath = final.string();
  try {
    store.addFile(header, final, source);
  } catch (const std::exception& e) {
    fs::remove(final, ec);
    return fail(STATUS_STORE_Refused_OutOfResources, e.what());
  }
  c.status = STATUS_Success;
  c.instance = {key, header.sopInstanceUid, final, callingAe, source};
  return c;
}

// The DCMTK side: the network, the accept loop and one DcmThreadSCP per association.
struct StoreReceiver::Impl {
  StoreReceiver& owner;
  T_ASC_Network* network = nullptr;
  DcmSCPConfig config;
  struct Worker {
    std::thread thread;
    std::shared_ptr<std::atomic<bool>> done = std::make_shared<std::atomic<bool>>(false);
  };
  std::mutex mutex;
  std::list<Worker> workers;
  std::atomic<int> busy{0};

  // Joins the workers whose association has ended.
  void reap() {
    std::lock_guard lock(mutex);
    for (auto it = workers.begin(); it != workers.end();) {
      if (it->done->load()) {
        it->thread.join();
        it = workers.erase(it);
      } else {
        ++it;
      }
    }
  }

  explicit Impl(StoreReceiver& o) : owner(o) {}
  void acceptLoop();
};

namespace {

class ReceiverScp : public DcmThreadSCP {
 public:
  ReceiverScp(StoreReceiver& owner, StudyStore& store, const ReceiverOptions& options, const ReceiverEvents& events,
              std::atomic<bool>& stop, std::atomic<std::uint64_t>& stored, std::atomic<std::uint64_t>& refused,
              std::atomic<std::uint64_t>& sequence)
      : m_store(store),
        m_options(options),
        m_events(events),
        m_stop(stop),
        m_stored(stored),
        m_refused(refused),
        m_sequence(sequence) {
    (void)owner;
  }

 protected:
  OFBool checkCallingAETitleAccepted(const OFString& callingAe) override {
    const bool ok = std::find(m_options.allowedCallers.begin(), m_options.allowedCallers.end(),
                              std::string(callingAe.c_str())) != m_options.allowedCallers.end();
    if (!ok) problem("association refused: calling AE title '" + std::string(callingAe.c_str()) + "' is not allowed");
    return ok;
  }
  OFBool checkCalledAETitleAccepted(const OFString& calledAe) override {
    const bool ok = calledAe == OFString(m_options.aeTitle.c_str());
    if (!ok) problem("association refused: called AE title '" + std::string(calledAe.c_str()) + "' is not ours");
    return ok;
  }
  OFBool stopAfterCurrentAssociation() override { return m_stop.load(); }
  OFBool stopAfterConnectionTimeout() override { return m_stop.load(); }

  OFCondition handleIncomingCommand(T_DIMSE_Message* message, const DcmPresentationContextInfo& context) override {
    if (message->CommandField == DIMSE_C_STORE_RQ) return store(message->msg.CStoreRQ, context.presentationContextID);
    return DcmThreadSCP::handleIncomingCommand(message, context);  // C-ECHO
  }

 private:
  void problem(const std::string& line) {
    if (m_events.problem) m_events.problem(line);
  }

  OFCondition store(T_DIMSE_C_StoreRQ& request, T_ASC_PresentationContextID context) {
    const std::string sop = request.AffectedSOPInstanceUID;
    const fs::path part = incomingPart(m_store, m_sequence);
    const OFCondition received = receiveSTORERequest(request, context, OFString(part.c_str()));
    if (received.bad()) {
      std::error_code ec;
      fs::remove(part, ec);
      if (received != DIMSE_OUTOFRESOURCES) return received;  // the network failed: the association ends
      return refuse(context, request, STATUS_STORE_Refused_OutOfResources, sop, "cannot write the data set");
    }
    const bool retrieved = (request.opts & O_STORE_MOVEORIGINATORAETITLE) &&
                           std::string(request.MoveOriginatorApplicationEntityTitle) == m_options.aeTitle;
    const Committed c = commitIncoming(m_store, part, sop, retrieved ? StudySource::Retrieved : StudySource::Received,
                                       getPeerAETitle().c_str());
    if (c.status != STATUS_Success) return refuse(context, request, c.status, sop, c.why);
    ++m_stored;
    if (m_events.stored) m_events.stored(c.instance);
    return sendSTOREResponse(context, request, STATUS_Success);
  }

  OFCondition refuse(T_ASC_PresentationContextID context, const T_DIMSE_C_StoreRQ& request, Uint16 status,
                     const std::string& sop, const std::string& why) {
    ++m_refused;
    char code[8];
    std::snprintf(code, sizeof code, "%04X", status);
    problem("instance " + sop + " refused (status 0x" + code + "): " + why);
    return sendSTOREResponse(context, request, status);
  }

  StudyStore& m_store;
  const ReceiverOptions& m_options;
  const ReceiverEvents& m_events;
  std::atomic<bool>& m_stop;
  std::atomic<std::uint64_t>& m_stored;
  std::atomic<std::uint64_t>& m_refused;
  std::atomic<std::uint64_t>& m_sequence;
};

}  // namespace

void StoreReceiver::Impl::acceptLoop() {
  const DcmSharedSCPConfig shared(config);
  while (!owner.m_stop.load()) {
    reap();
    T_ASC_Association* association = nullptr;
    const OFCondition c =
        ASC_receiveAssociation(network, &association, ASC_DEFAULTMAXPDU, nullptr, nullptr, OFFalse, DUL_NOBLOCK, 1);
    if (c.bad()) {
      if (association) {
        if (c != DUL_NOASSOCIATIONREQUEST) ASC_dropAssociation(association);
        ASC_destroyAssociation(&association);
      }
      continue;
    }
    if (busy.load() >= owner.m_options.maxAssociations) {
      T_ASC_RejectParameters reject = {ASC_RESULT_REJECTEDTRANSIENT, ASC_SOURCE_SERVICEPROVIDER_PRESENTATION_RELATED,
                                       ASC_REASON_SP_PRES_LOCALLIMITEXCEEDED};
      ASC_rejectAssociation(association, &reject);
      ASC_dropAssociation(association);
      ASC_destroyAssociation(&association);
      if (owner.m_events.problem) owner.m_events.problem("association refused: too many at once");
      continue;
    }
    ++busy;
    std::lock_guard lock(mutex);
    Worker& worker = workers.emplace_back();
    worker.thread = std::thread([this, association, shared, done = worker.done] {
      {
        ReceiverScp scp(owner, owner.m_store, owner.m_options, owner.m_events, owner.m_stop, owner.m_stored,
                        owner.m_refused, owner.m_sequence);
        scp.setSharedConfig(shared);
        scp.run(association);  // negotiation (AE checks), then the DIMSE loop; drops the association at its end
      }
      --busy;
      done->store(true);
    });
  }
}

StoreReceiver::StoreReceiver(StudyStore& store, ReceiverOptions options, ReceiverEvents events)
    : m_store(store),
      m_options(std::move(options)),
      m_events(std::move(events)),
      m_impl(std::make_unique<Impl>(*this)) {
  configureDcmtkOnce();
  DcmSCPConfig& c = m_impl->config;
  c.setAETitle(m_options.aeTitle.c_str());
  c.setPort(static_cast<Uint16>(m_options.port));
  c.setACSETimeout(static_cast<Uint32>(m_options.timeoutSeconds));
  c.setDIMSEBlockingMode(DIMSE_NONBLOCKING);
  c.setDIMSETimeout(static_cast<Uint32>(m_options.timeoutSeconds));
  c.setHostLookupEnabled(OFFalse);
  c.setRespondWithCalledAETitle(OFTrue);
  addStoragePresentationContexts(c);
  cleanIncoming(m_store);
  const OFCondition opened =
      ASC_initializeNetwork(NET_ACCEPTOR, m_options.port, m_options.timeoutSeconds, &m_impl->network);
  if (opened.bad()) {
    throw std::runtime_error("cannot listen on port " + std::to_string(m_options.port) + ": " + opened.text());
  }
  m_thread = std::thread([this] { m_impl->acceptLoop(); });
}

StoreReceiver::~StoreReceiver() { stop(); }

void StoreReceiver::stop() {
  m_stop = true;
  if (m_thread.joinable()) m_thread.join();
  std::list<Impl::Worker> workers;
  {
    std::lock_guard lock(m_impl->mutex);
    workers.swap(m_impl->workers);
  }
  for (Impl::Worker& w : workers) w.thread.join();
  if (m_impl->network) ASC_dropNetwork(&m_impl->network);
}

int cleanIncoming(const StudyStore& store) {
  // receiving-<pid>-<n>.part: a file of a process that is gone is what a killed receiver left behind; a live
  // receiver's (another process on the same store) is left alone.
  int removed = 0;
  std::error_code ec;
  for (const fs::directory_entry& entry : fs::directory_iterator(store.incomingFolder(), ec)) {
    const std::string name = entry.path().filename().string();
    int pid = 0;
    if (std::sscanf(name.c_str(), "receiving-%d-", &pid) == 1 && pid > 0 && pid != ::getpid() && ::kill(pid, 0) == 0) {
      continue;
    }
    if (entry.is_regular_file(ec) && fs::remove(entry.path(), ec)) ++removed;
  }
  return removed;
}

}  // namespace mammo::pacs
