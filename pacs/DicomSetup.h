#pragma once
// PRIVATE to mammo_pacs: what the receiver and the clients share of DCMTK's set-up — its logging (off: our
// own messages say what happened, and DCMTK's could name patients at debug level), and the storage SOP
// classes and transfer syntaxes we take (compressed first: an SCP accepts the first of its own list that a
// sender proposes, and a sender that cannot decompress must get its compressed syntax).
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "pacs/StoreReceiver.h"

class DcmSCPConfig;

namespace mammo::pacs {

void configureDcmtkOnce();

// Digital mammography and digital X-ray images, for presentation and for processing, and secondary
// capture (digitised film).
const std::vector<std::string>& storageSopClasses();
// Lossless compressed, lossy compressed, then uncompressed.
const std::vector<std::string>& storageTransferSyntaxes();

// A presentation context per storage SOP class with every transfer syntax, and Verification (C-ECHO).
void addStoragePresentationContexts(DcmSCPConfig& config);

// A new STORE/incoming/receiving-<pid>-<n>.part name (the folder made).
std::filesystem::path incomingPart(const StudyStore& store, std::atomic<std::uint64_t>& sequence);

// A received instance in `part` (written, not yet synced) into the store: fsync, checked, renamed into its
// study's folder, the folder synced, indexed. status 0 (success), else the C-STORE status to answer and why;
// then nothing of it is left on disk or in the index.
struct Committed {
  std::uint16_t status = 0;
  std::string why;
  ReceivedInstance instance;
};
Committed commitIncoming(StudyStore& store, const std::filesystem::path& part, const std::string& sopInstanceUid,
                         StudySource source, const std::string& callingAe);

}  // namespace mammo::pacs
