// The C-STORE receiver (pacs::StoreReceiver) on loopback, with the workstation's own client and DCMTK's
// association-level calls as the sender: stored studies, a refused caller, a path-traversal UID, an image
// whose header announces more pixels than it carries, a sender that dies mid-transfer, leftovers of a killed
// receiver — each with a clear reason, nothing half-written indexed, and the receiver still serving.
// (Round trips against a real PACS, Orthanc, with DCMTK's storescu/findscu: tests/pacs/pacs_roundtrip.sh.)
#include <gtest/gtest.h>

#include "dcmtk/config/osconfig.h"  // first, as DCMTK requires

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcmetinf.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <dcmtk/dcmnet/assoc.h>
#include <dcmtk/dcmnet/dimse.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "pacs/DicomClient.h"
#include "pacs/StoreReceiver.h"
#include "pacs/StudyStore.h"
#include "PhantomStudies.h"
#include "LoopbackPort.h"
#include "TestSupport.h"

namespace fs = std::filesystem;
using namespace mammo;

namespace {

int freePort() { return test::freeLoopbackPort(); }

std::vector<fs::path> filesUnder(const fs::path& dir) {
  std::vector<fs::path> out;
  std::error_code ec;
  for (const auto& e : fs::recursive_directory_iterator(dir, ec)) {
    if (e.is_regular_file()) out.push_back(e.path());
  }
  return out;
}

class ReceiverTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root = test::scratchDir();
    store = std::make_unique<pacs::StudyStore>(root / "store");
    options.aeTitle = "MAMMOTEST";
    options.port = freePort();
    options.allowedCallers = {"MODALITY"};
    options.timeoutSeconds = 5;
    events.problem = [this](const std::string& line) {
      std::lock_guard lock(mutex);
      problems.push_back(line);
    };
    receiver = std::make_unique<pacs::StoreReceiver>(*store, options, events);
  }
  void TearDown() override { receiver.reset(); }

  pacs::RemoteNode node(const std::string& callingAe = "MODALITY") const {
    return {"127.0.0.1", options.port, options.aeTitle, callingAe, 5};
  }
  std::vector<fs::path> phantom(const std::string& accession, std::uint64_t seed, const std::string& uid = {}) {
    return test::writePhantomStudy({"P-" + accession, "Test^" + accession, "20260102", accession, uid},
                                   root / ("src-" + accession), seed);
  }
  std::string allProblems() {
    std::lock_guard lock(mutex);
    std::string all;
    for (const std::string& p : problems) all += p + "\n";
    return all;
  }
  // The receiver keeps serving: a fresh study after whatever went wrong is stored.
  void expectStillServing() {
    const pacs::TransferResult r = pacs::sendFiles(node(), phantom("AFTER", 99));
    EXPECT_EQ(r.completed, 4) << (r.problems.empty() ? "" : r.problems.front());
  }
  void expectNothingIncoming() { EXPECT_TRUE(filesUnder(store->incomingFolder()).empty()); }

  fs::path root;
  std::unique_ptr<pacs::StudyStore> store;
  pacs::ReceiverOptions options;
  pacs::ReceiverEvents events;
  std::unique_ptr<pacs::StoreReceiver> receiver;
  std::mutex mutex;
  std::vector<std::string> problems;
};

TEST_F(ReceiverTest, storesEachStudyInItsFolderAndIndexesItAsReceived) {
  const std::vector<fs::path> first = phantom("ACC1", 1), second = phantom("ACC2", 2);
  std::vector<fs::path> both = first;
  both.insert(both.end(), second.begin(), second.end());
  const pacs::TransferResult r = pacs::sendFiles(node(), both);
  EXPECT_EQ(r.completed, 8);
  EXPECT_EQ(r.failed, 0);
  EXPECT_EQ(receiver->stored(), 8u);

  const std::vector<pacs::StudyRecord> studies = store->studies();
  ASSERT_EQ(studies.size(), 2u);
  for (const pacs::StudyRecord& s : studies) {
    EXPECT_EQ(s.source, pacs::StudySource::Received);
    EXPECT_EQ(s.views, "L-CC R-CC L-MLO R-MLO");
    EXPECT_EQ(s.files.size(), 4u);
    for (const fs::path& f : s.files) {
      EXPECT_EQ(f.parent_path(), s.folder);
      EXPECT_TRUE(fs::exists(f));
    }
  }
  // Byte for byte the sent data set (the file meta group is the receiver's own).
  const core::Image sent = core::readDicom(first[0]);
  const auto study = store->study(sent.info.studyInstanceUid);
  ASSERT_TRUE(study);
  const core::Image received = core::readDicom(study->folder / (sent.info.sopInstanceUid + ".dcm"));
  EXPECT_EQ(received.pixels, sent.pixels);
  EXPECT_EQ(received.info.accessionNumber, "ACC1");
  expectNothingIncoming();
}

TEST_F(ReceiverTest, refusesAnUnknownCallerAndServesTheNextOne) {
  EXPECT_THROW(
      {
        try {
          pacs::sendFiles(node("STRANGER"), phantom("NOPE", 3));
        } catch (const pacs::DicomNetworkError& e) {
          EXPECT_NE(std::string(e.what()).find("refused the association"), std::string::npos) << e.what();
          throw;
        }
      },
      pacs::DicomNetworkError);
  EXPECT_TRUE(store->studies().empty());
  EXPECT_NE(allProblems().find("calling AE title 'STRANGER' is not allowed"), std::string::npos) << allProblems();
  // A wrong called AE title is refused as well.
  pacs::RemoteNode wrongCalled = node();
  wrongCalled.calledAe = "SOMEONEELSE";
  EXPECT_THROW(pacs::echo(wrongCalled), pacs::DicomNetworkError);
  EXPECT_NO_THROW(pacs::echo(node()));
  expectStillServing();
}

TEST_F(ReceiverTest, uidsThatClimbOutOfTheStoreStayInside) {
  // UIDs are not checked for syntax by senders in the wild; ours must not become paths.
  const std::vector<fs::path> files = phantom("TRAVERSE", 4, "../../../escaped");
  for (const fs::path& f : files) {
    DcmFileFormat ff;
    ASSERT_TRUE(ff.loadFile(f.c_str()).good());
    ff.loadAllDataIntoMemory();  // it is written back over itself
    ff.getDataset()->putAndInsertString(DCM_SOPInstanceUID, ("../../x" + f.stem().string()).c_str());
    ff.getMetaInfo()->putAndInsertString(DCM_MediaStorageSOPInstanceUID, ("../../x" + f.stem().string()).c_str());
    ASSERT_TRUE(ff.saveFile(f.c_str(), EXS_LittleEndianExplicit).good());
  }
  const pacs::TransferResult r = pacs::sendFiles(node(), files);
  EXPECT_EQ(r.completed, 4) << allProblems();
  const fs::path root = fs::weakly_canonical(store->dir());
  for (const fs::path& f : filesUnder(root)) {
    const std::string name = f.filename().string();
    if (name.rfind("x", 0) == 0 || name.find("escaped") != std::string::npos) {
      const fs::path canonical = fs::weakly_canonical(f);
      EXPECT_EQ(canonical.string().rfind((root / "studies").string(), 0), 0u) << canonical << " escaped the store";
    }
  }
  EXPECT_FALSE(fs::exists(root / "escaped"));
  EXPECT_FALSE(fs::exists(store->dir().parent_path() / "x"));
  const std::vector<pacs::StudyRecord> studies = store->studies();
  ASSERT_EQ(studies.size(), 1u);
  EXPECT_EQ(studies[0].key, "../../../escaped");  // the index keeps the UID as sent
  EXPECT_EQ(studies[0].folder.parent_path(), store->dir() / "studies");
  EXPECT_EQ(studies[0].files.size(), 4u);
}

TEST_F(ReceiverTest, anImageWithoutTheAnnouncedPixelsIsRefusedWithItsReason) {
  std::vector<fs::path> files = phantom("SHORT", 5);
  {
    DcmFileFormat ff;
    ASSERT_TRUE(ff.loadFile(files[0].c_str()).good());
    ff.loadAllDataIntoMemory();  // it is written back over itself
    Uint16 rows = 0;
    ff.getDataset()->findAndGetUint16(DCM_Rows, rows);
    ff.getDataset()->putAndInsertUint16(DCM_Rows, static_cast<Uint16>(rows * 2));  // claims twice the pixels
    ASSERT_TRUE(ff.saveFile(files[0].c_str(), EXS_LittleEndianExplicit).good());
  }
  const pacs::TransferResult r = pacs::sendFiles(node(), files);
  EXPECT_EQ(r.failed, 1);
  EXPECT_EQ(r.completed, 3);
  ASSERT_FALSE(r.problems.empty());
  EXPECT_NE(r.problems[0].find("status 0xC000"), std::string::npos) << r.problems[0];
  EXPECT_NE(allProblems().find("pixel data shorter"), std::string::npos) << allProblems();
  EXPECT_EQ(receiver->refused(), 1u);
  const std::vector<pacs::StudyRecord> studies = store->studies();
  ASSERT_EQ(studies.size(), 1u);
  EXPECT_EQ(studies[0].files.size(), 3u);
  EXPECT_EQ(filesUnder(studies[0].folder).size(), 3u);
  expectNothingIncoming();
  expectStillServing();
}

// A sender that stops in the middle of an image's data (its process died, the cable was pulled): DCMTK's
// association calls, the association aborted from the progress callback after the first chunk.
void abortAfterFirstChunk(void* association, T_DIMSE_StoreProgress* progress, T_DIMSE_C_StoreRQ*) {
  if (progress->state == DIMSE_StoreProgressing && progress->progressBytes > 0) {
    ASC_abortAssociation(static_cast<T_ASC_Association*>(association));
  }
}

void sendHalfAndDie(const pacs::RemoteNode& node, const fs::path& file) {
  T_ASC_Network* network = nullptr;
  ASSERT_TRUE(ASC_initializeNetwork(NET_REQUESTOR, 0, 5, &network).good());
  T_ASC_Parameters* parameters = nullptr;
  ASSERT_TRUE(ASC_createAssociationParameters(&parameters, 16384).good());  // small PDUs: many chunks
  ASC_setAPTitles(parameters, node.callingAe.c_str(), node.calledAe.c_str(), nullptr);
  const std::string peer = node.host + ":" + std::to_string(node.port);
  ASC_setPresentationAddresses(parameters, "localhost", peer.c_str());
  const char* syntaxes[] = {UID_LittleEndianExplicitTransferSyntax};
  ASC_addPresentationContext(parameters, 1, UID_DigitalMammographyXRayImageStorageForPresentation, syntaxes, 1);
  T_ASC_Association* association = nullptr;
  ASSERT_TRUE(ASC_requestAssociation(network, parameters, &association).good());
  DcmFileFormat ff;
  ASSERT_TRUE(ff.loadFile(file.c_str()).good());
  OFString sop;
  ff.getDataset()->findAndGetOFString(DCM_SOPInstanceUID, sop);
  T_DIMSE_C_StoreRQ request{};
  request.MessageID = association->nextMsgID++;
  OFStandard::strlcpy(request.AffectedSOPClassUID, UID_DigitalMammographyXRayImageStorageForPresentation,
                      sizeof request.AffectedSOPClassUID);
  OFStandard::strlcpy(request.AffectedSOPInstanceUID, sop.c_str(), sizeof request.AffectedSOPInstanceUID);
  request.Priority = DIMSE_PRIORITY_MEDIUM;
  T_DIMSE_C_StoreRSP response{};
  DcmDataset* statusDetail = nullptr;
  const OFCondition sent = DIMSE_storeUser(association, 1, &request, nullptr, ff.getDataset(), abortAfterFirstChunk,
                                           association, DIMSE_BLOCKING, 0, &response, &statusDetail);
  EXPECT_TRUE(sent.bad()) << "the transfer should have broken off";
  delete statusDetail;
  ASC_destroyAssociation(&association);
  ASC_dropNetwork(&network);
}

TEST_F(ReceiverTest, aTransferCutOffMidwayLeavesNothingBehind) {
  const std::vector<fs::path> files = phantom("CUT", 6);
  sendHalfAndDie(node(), files[0]);
  // The receiver notices the broken association (its worker ends); by then nothing may be left of the image.
  for (int i = 0; i < 100 && !filesUnder(store->incomingFolder()).empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));  // the receiver's own thread cleans up
  }
  expectNothingIncoming();
  EXPECT_TRUE(store->studies().empty());
  EXPECT_EQ(receiver->stored(), 0u);
  expectStillServing();
}

TEST_F(ReceiverTest, severalSendersAtOnceAreAllStored) {
  std::vector<std::thread> senders;
  std::vector<pacs::TransferResult> results(3);
  std::vector<std::vector<fs::path>> studies;
  for (int i = 0; i < 3; ++i) studies.push_back(phantom("PAR" + std::to_string(i), 10 + i));
  for (int i = 0; i < 3; ++i) {
    senders.emplace_back([&, i] { results[i] = pacs::sendFiles(node(), studies[i]); });
  }
  for (std::thread& t : senders) t.join();
  for (const pacs::TransferResult& r : results) EXPECT_EQ(r.completed, 4);
  EXPECT_EQ(store->studies().size(), 3u);
  EXPECT_EQ(receiver->stored(), 12u);
}

TEST_F(ReceiverTest, aKilledReceiversLeftoversAreRemovedOnStart) {
  receiver.reset();
  fs::create_directories(store->incomingFolder());
  // A .part of a process that no longer exists (pid 1 is alive; a huge pid is not).
  const fs::path dead = store->incomingFolder() / "receiving-999999999-0.part";
  std::ofstream(dead) << "half an image";
  receiver = std::make_unique<pacs::StoreReceiver>(*store, options, events);
  EXPECT_FALSE(fs::exists(dead));
  EXPECT_TRUE(store->studies().empty());
  expectStillServing();
}

TEST_F(ReceiverTest, aPortInUseIsAClearError) {
  pacs::ReceiverOptions same = options;
  try {
    pacs::StoreReceiver second(*store, same, events);
    FAIL() << "a second receiver on the same port";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("cannot listen on port " + std::to_string(options.port)), std::string::npos)
        << e.what();
  }
  expectStillServing();
}

}  // namespace
