#include "annotation/EditLock.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <stdexcept>

#include "annotation/Sidecar.h"

namespace mammo::annotation {
namespace fs = std::filesystem;

std::string LockOwner::describe() const {
  return "process " + std::to_string(pid) + " on host " + host + (since.empty() ? "" : " since " + since);
}

fs::path lockPath(const fs::path& annotatorFolder, const std::string& examId) {
  return annotatorFolder / (examId + ".lock");
}

std::string EditLock::hostName() {
  char name[256] = {};
  if (gethostname(name, sizeof name - 1) != 0) return "unknown-host";
  return name;
}

EditLock::~EditLock() { release(); }

EditLock::EditLock(EditLock&& other) noexcept : m_file(std::move(other.m_file)), m_me(std::move(other.m_me)) {
  other.m_file.clear();
}

EditLock& EditLock::operator=(EditLock&& other) noexcept {
  if (this != &other) {
    release();
    m_file = std::move(other.m_file);
    m_me = std::move(other.m_me);
    other.m_file.clear();
  }
  return *this;
}

std::optional<LockOwner> EditLock::readOwner(const fs::path& lockFile) {
  std::ifstream in(lockFile);
  if (!in) return std::nullopt;
  LockOwner owner;
  std::string pid;
  if (!std::getline(in, owner.host) || !std::getline(in, pid)) return std::nullopt;
  std::getline(in, owner.since);
  try {
    owner.pid = std::stol(pid);
  } catch (const std::exception&) {
    return std::nullopt;
  }
  return owner;
}

bool EditLock::isStale(const LockOwner& owner, const fs::path& lockFile) {
  if (owner.host == hostName()) {
    // kill(pid, 0) probes without signalling; EPERM means the process exists under another user.
    return owner.pid <= 0 || (kill(static_cast<pid_t>(owner.pid), 0) != 0 && errno == ESRCH);
  }
  std::error_code ec;
  const auto written = fs::last_write_time(lockFile, ec);
  if (ec) return true;
  return fs::file_time_type::clock::now() - written > kForeignStaleAfter;
}

std::optional<LockOwner> EditLock::acquire(const fs::path& folder, const std::string& examId, bool force) {
  release();
  std::error_code ec;
  fs::create_directories(folder, ec);
  if (ec) throw std::runtime_error(folder.string() + ": cannot create folder: " + ec.message());
  const fs::path file = lockPath(folder, examId);
  LockOwner me{hostName(), static_cast<long>(getpid()), isoTimestampNow()};
  const std::string text = me.host + "\n" + std::to_string(me.pid) + "\n" + me.since + "\n";
  // Two tries: the second after removing a stale (or, with force, a live) lock.
  for (int attempt = 0; attempt < 2; ++attempt) {
    const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd >= 0) {
      const bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
      ::close(fd);
      if (!ok) {
        fs::remove(file, ec);
        throw std::runtime_error(file.string() + ": cannot write lock file");
      }
      m_file = file;
      m_me = me;
      return std::nullopt;
    }
    if (errno != EEXIST) throw std::runtime_error(file.string() + ": cannot create lock file: " + std::strerror(errno));
    std::optional<LockOwner> owner = readOwner(file);
    const bool stale = !owner || isStale(*owner, file);
    if (!stale && !force) return owner;
    fs::remove(file, ec);
  }
  const std::optional<LockOwner> owner = readOwner(file);
  return owner ? owner : std::optional<LockOwner>(LockOwner{"unknown-host", 0, {}});
}

void EditLock::release() {
  if (m_file.empty()) return;
  // Only our own lock: a session that forced a takeover owns the file now.
  const std::optional<LockOwner> owner = readOwner(m_file);
  if (owner && owner->host == m_me.host && owner->pid == m_me.pid && owner->since == m_me.since) {
    std::error_code ec;
    fs::remove(m_file, ec);
  }
  m_file.clear();
}

}  // namespace mammo::annotation
