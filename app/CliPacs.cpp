// mammolens-cli pacs echo | listen | query | retrieve | send: the workstation's DICOM node (pacs/StoreReceiver,
// pacs/DicomClient) on the command line. Lines name studies and instances by UID, never patients (but query,
// whose answer is the patient's studies, prints what the PACS returned).
#include <nlohmann/json.hpp>
#include <signal.h>

#include <cstdio>
#include <iostream>
#include <mutex>

#include "app/CliCommands.h"
#include "app/ProgressBar.h"
#include "core/Job.h"
#include "pacs/DicomClient.h"
#include "pacs/StoreReceiver.h"
#include "pacs/StudyStore.h"

namespace mammo::app {

namespace {

pacs::RemoteNode nodeOf(const PacsOptions& o) { return {o.host, o.port, o.calledAe, o.aet, o.timeout}; }

int printTransfer(const pacs::TransferResult& r, const char* what) {
  for (const std::string& p : r.problems) std::cerr << "warning: " << p << '\n';
  std::printf("%s: %d completed, %d failed, %d with warnings\n", what, r.completed, r.failed, r.warning);
  return r.failed > 0 ? 2 : 0;
}

// SIGINT and SIGTERM held for sigwait (before any thread starts, so every thread inherits the mask).
sigset_t stopSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  return set;
}

}  // namespace

int runPacsEcho(const PacsOptions& o) {
  pacs::echo(nodeOf(o));
  std::printf("C-ECHO %s: ok\n", nodeOf(o).describe().c_str());
  return 0;
}

int runPacsListen(const PacsOptions& o) {
  const sigset_t signals = stopSignals();
  pacs::StudyStore store(o.store);
  std::mutex printing;
  pacs::ReceiverEvents events;
  events.stored = [&](const pacs::ReceivedInstance& i) {
    std::lock_guard lock(printing);
    std::printf("stored %s (study %s) from %s\n", i.sopInstanceUid.c_str(), i.studyKey.c_str(), i.callingAe.c_str());
    std::fflush(stdout);
  };
  events.problem = [&](const std::string& line) {
    std::lock_guard lock(printing);
    std::fprintf(stderr, "%s\n", line.c_str());
  };
  pacs::ReceiverOptions options;
  options.aeTitle = o.aet;
  options.port = o.listenPort;
  options.allowedCallers = o.allow;
  options.maxAssociations = o.maxAssociations;
  options.timeoutSeconds = o.timeout;
  pacs::StoreReceiver receiver(store, options, events);
  std::printf("listening as %s on port %d, store %s\n", o.aet.c_str(), o.listenPort, o.store.c_str());
  std::fflush(stdout);
  int signal = 0;
  sigwait(&signals, &signal);
  receiver.stop();
  std::printf("stopped: %llu stored, %llu refused\n", static_cast<unsigned long long>(receiver.stored()),
              static_cast<unsigned long long>(receiver.refused()));
  return 0;
}

int runPacsQuery(const PacsOptions& o) {
  const std::vector<pacs::StudyMatch> matches =
      pacs::findStudies(nodeOf(o), {o.patientId, o.studyDate, o.accession, ""});
  if (o.json) {
    nlohmann::json out = nlohmann::json::array();
    for (const pacs::StudyMatch& m : matches) {
      out.push_back({{"study_uid", m.studyUid},
                     {"patient_id", m.patientId},
                     {"patient_name", m.patientName},
                     {"study_date", m.studyDate},
                     {"accession", m.accession},
                     {"description", m.description},
                     {"modalities", m.modalities},
                     {"instances", m.instances}});
    }
    std::cout << out.dump(1) << '\n';
    return 0;
  }
  for (const pacs::StudyMatch& m : matches) {
    std::printf("%-10s %-16s %-14s %-8s %3d  %s\n", m.studyDate.c_str(), m.patientId.c_str(), m.accession.c_str(),
                m.modalities.c_str(), m.instances, m.studyUid.c_str());
  }
  std::printf("%zu stud%s\n", matches.size(), matches.size() == 1 ? "y" : "ies");
  return 0;
}

int runPacsRetrieve(const PacsOptions& o) {
  pacs::StudyStore store(o.store);
  ProgressBar bar;
  core::JobContext job([&bar](double f, const std::string& s) { bar.update(f, s); });
  if (o.method == "get") return printTransfer(pacs::getStudy(nodeOf(o), o.studyUid, store, &job), "C-GET");
  // C-MOVE: our receiver takes what the PACS sends, for as long as the move lasts.
  pacs::ReceiverOptions options;
  options.aeTitle = o.aet;
  options.port = o.listenPort;
  options.allowedCallers = {o.calledAe};
  options.timeoutSeconds = o.timeout;
  pacs::ReceiverEvents events;
  events.problem = [](const std::string& line) { std::fprintf(stderr, "%s\n", line.c_str()); };
  pacs::StoreReceiver receiver(store, options, events);
  const pacs::TransferResult result = pacs::moveStudy(nodeOf(o), o.studyUid, o.aet, &job);
  receiver.stop();
  if (receiver.stored() != static_cast<std::uint64_t>(result.completed)) {
    std::fprintf(stderr, "warning: the PACS reports %d images sent, the receiver stored %llu\n", result.completed,
                 static_cast<unsigned long long>(receiver.stored()));
  }
  return printTransfer(result, "C-MOVE");
}

int runPacsSend(const PacsOptions& o) {
  ProgressBar bar;
  core::JobContext job([&bar](double f, const std::string& s) { bar.update(f, s); });
  const std::vector<std::filesystem::path> files(o.files.begin(), o.files.end());
  return printTransfer(pacs::sendFiles(nodeOf(o), files, &job), "C-STORE");
}

}  // namespace mammo::app
