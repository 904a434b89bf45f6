#pragma once
// A real PACS for C++ tests: Debian's Orthanc started on a free loopback port with a configuration and
// storage folder of its own (no HTTP server, no plugins), stopped (SIGTERM, then SIGKILL) when this object
// goes. The shell round trip (tests/pacs/pacs_roundtrip.sh) uses the same configuration. Tests wait for it
// with their own QTRY_*/polling on answers(); available() is false where the package is absent (the test
// skips, naming it).
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "LoopbackPort.h"
#include "pacs/DicomClient.h"

extern char** environ;

namespace mammo::test {

struct OrthancOptions {
  std::string aeTitle = "TESTPACS";
  // The node Orthanc knows (C-GET and C-MOVE come from it; C-MOVE results go to its port, our receiver's).
  std::string moveAe = "MAMMOLENS";
  int movePort = 0;  // 0: a free port (nobody receives there)
};

class OrthancProcess {
 public:
  static constexpr const char* kBinary = "/usr/sbin/Orthanc";
  static bool available() { return ::access(kBinary, X_OK) == 0; }

  OrthancProcess(const std::filesystem::path& dir, OrthancOptions options = {})
      : m_options(std::move(options)), m_port(freeLoopbackPort()) {
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir / "db");
    const std::filesystem::path config = dir / "orthanc.json";
    std::ofstream(config) << configuration(dir);
    const std::string log = (dir / "orthanc.log").string();
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
    std::string binary = kBinary, configArg = config.string();
    char* argv[] = {binary.data(), configArg.data(), nullptr};
    if (posix_spawn(&m_pid, kBinary, &actions, nullptr, argv, environ) != 0) m_pid = -1;
    posix_spawn_file_actions_destroy(&actions);
  }
  ~OrthancProcess() { stop(); }
  OrthancProcess(const OrthancProcess&) = delete;
  OrthancProcess& operator=(const OrthancProcess&) = delete;

  bool running() const { return m_pid > 0 && ::kill(m_pid, 0) == 0; }
  int port() const { return m_port; }
  const std::string& aeTitle() const { return m_options.aeTitle; }
  pacs::RemoteNode node(const std::string& callingAe = "MAMMOLENS") const {
    pacs::RemoteNode n;
    n.host = "127.0.0.1";
    n.port = m_port;
    n.calledAe = m_options.aeTitle;
    n.callingAe = callingAe;
    n.timeoutSeconds = 10;
    return n;
  }
  // One C-ECHO: true once Orthanc has started and answers.
  bool answers() const {
    try {
      pacs::echo(node());
      return true;
    } catch (const std::exception&) {
      return false;
    }
  }

  void stop() {
    if (m_pid <= 0) return;
    ::kill(m_pid, SIGTERM);
    // Orthanc closes its index within a second or two; a stuck one is killed after 20 s.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    int status = 0;
    while (::waitpid(m_pid, &status, WNOHANG) == 0) {
      if (std::chrono::steady_clock::now() > deadline) {
        ::kill(m_pid, SIGKILL);
        ::waitpid(m_pid, &status, 0);
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    m_pid = -1;
  }

 private:
  std::string configuration(const std::filesystem::path& dir) const {
    const std::string db = (dir / "db").string();
    const int movePort = m_options.movePort > 0 ? m_options.movePort : freeLoopbackPort();
    const std::string modalities = "{ \"mammolens\" : { \"AET\" : \"" + m_options.moveAe +
                                   "\", \"Host\" : \"127.0.0.1\", \"Port\" : " + std::to_string(movePort) + " } }";
    return "{\n"
           "  \"Name\" : \"MammolensTestPacs\",\n"
           "  \"StorageDirectory\" : \"" +
           db +
           "\",\n"
           "  \"IndexDirectory\" : \"" +
           db +
           "\",\n"
           "  \"Plugins\" : [], \"LuaScripts\" : [],\n"
           "  \"HttpServerEnabled\" : false,\n"
           "  \"RemoteAccessAllowed\" : false,\n"
           "  \"DicomServerEnabled\" : true,\n"
           "  \"DicomAet\" : \"" +
           m_options.aeTitle +
           "\",\n"
           "  \"DicomPort\" : " +
           std::to_string(m_port) +
           ",\n"
           "  \"DicomCheckCalledAet\" : true,\n"
           "  \"DicomAlwaysAllowEcho\" : true,\n"
           "  \"DicomAlwaysAllowStore\" : true,\n"
           "  \"DicomAlwaysAllowFind\" : true,\n"
           "  \"DicomCheckModalityHost\" : false,\n"
           "  \"DicomModalities\" : " +
           modalities +
           ",\n"
           "  \"DicomScpTimeout\" : 30,\n"
           "  \"DicomScuTimeout\" : 10,\n"
           "  \"SynchronousCMove\" : true,\n"
           "  \"ConcurrentJobs\" : 1,\n"
           "  \"SaveJobs\" : false,\n"
           "  \"StableAge\" : 1,\n"
           "  \"OverwriteInstances\" : true\n"
           "}\n";
  }

  OrthancOptions m_options;
  int m_port;
  pid_t m_pid = -1;
};

}  // namespace mammo::test
