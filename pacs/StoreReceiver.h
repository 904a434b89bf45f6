#pragma once
// The workstation's C-STORE SCP (DICOM receiver, DCMTK dcmnet): listens on a port with an AE title, accepts
// associations only from configured calling AE titles (others are rejected with "calling AE title not
// recognized") and only for our own called AE title, takes mammography and X-ray images (for presentation
// and for processing) and secondary captures (digitised film) in every transfer syntax we read, and stores
// each into the study store:
//
//   received bytes -> STORE/incoming/<unique>.part -> fsync -> checked (a DICOM image with study and
//   instance UIDs and the pixel data its header announces) -> renamed into STORE/studies/<study>/<sop>.dcm
//   (names made safe from the UIDs) -> fsync of the folder -> indexed -> only then the success status.
//
// A file that cannot be written gets 0xA700 (out of resources), one that fails the check 0xA900 or 0xC000;
// nothing of it stays on disk or in the index, and the receiver keeps running. Several associations are
// served at once (one worker thread each, up to maxAssociations). Messages never name patients.
// Threads: the constructor starts the listener thread; callbacks are called on the association's worker
// thread; stop() (and the destructor) waits for the running associations.
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "pacs/StudyStore.h"

namespace mammo::pacs {

struct ReceiverOptions {
  std::string aeTitle = "MAMMOLENS";
  int port = 11112;
  std::vector<std::string> allowedCallers;  // calling AE titles let in (case-sensitive); empty: none
  int maxAssociations = 8;
  int timeoutSeconds = 30;  // association negotiation and idle DIMSE time
};

struct ReceivedInstance {
  std::string studyKey, sopInstanceUid;
  std::filesystem::path file;
  std::string callingAe;
  StudySource source = StudySource::Received;  // Retrieved when a C-MOVE of ours sent it
};

struct ReceiverEvents {
  std::function<void(const ReceivedInstance&)> stored;  // after the file is on disk and indexed
  std::function<void(const std::string& line)> problem;  // a refused instance or association (no patient data)
};

class StoreReceiver {
 public:
  // Opens the port and starts listening. Throws std::runtime_error when the port cannot be opened.
  StoreReceiver(StudyStore& store, ReceiverOptions options, ReceiverEvents events = {});
  ~StoreReceiver();
  StoreReceiver(const StoreReceiver&) = delete;
  StoreReceiver& operator=(const StoreReceiver&) = delete;

  // Stops accepting, lets the running associations end, and returns (within about a second plus them).
  void stop();
  const ReceiverOptions& options() const { return m_options; }
  std::uint64_t stored() const { return m_stored.load(); }
  std::uint64_t refused() const { return m_refused.load(); }

  struct Impl;  // the DCMTK side (StoreReceiver.cpp)

 private:
  StudyStore& m_store;
  ReceiverOptions m_options;
  ReceiverEvents m_events;
  std::atomic<bool> m_stop{false};
  std::atomic<std::uint64_t> m_stored{0}, m_refused{0}, m_sequence{0};
  std::unique_ptr<Impl> m_impl;
  std::thread m_thread;
};

// Removes what a receiver killed mid-write left behind: every file in STORE/incoming/. Returns how many.
int cleanIncoming(const StudyStore& store);

}  // namespace mammo::pacs
