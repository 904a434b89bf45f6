#pragma once
// "Someone is editing this exam": a small lock file per annotator folder and exam,
// <folder>/<exam>.lock, holding the owner's host name, process id and start time (one line each). It is
// advisory: it only lets a second session warn its user before two sessions overwrite each other's masks.
//
// A lock is stale (and taken over silently) when its owner is on this host and the process is gone, or
// when it is on another host and older than kForeignStaleAfter (that host's processes cannot be asked).
// Locks are file-system objects: creating one is atomic (O_EXCL), releasing removes it only when it is
// still ours. Not thread-safe per object; every call does file I/O (keep it off the GUI thread).
#include <chrono>
#include <filesystem>
#include <optional>
#include <string>

namespace mammo::annotation {

struct LockOwner {
  std::string host;
  long pid = 0;
  std::string since;  // ISO-8601 UTC, as written by the owner
  std::string describe() const;  // "process 1234 on host ws-7 since 2026-11-26T09:15:02Z"
};

class EditLock {
 public:
  static constexpr std::chrono::hours kForeignStaleAfter{12};

  EditLock() = default;
  // Releases the lock if this object holds it.
  ~EditLock();
  EditLock(const EditLock&) = delete;
  EditLock& operator=(const EditLock&) = delete;
  EditLock(EditLock&& other) noexcept;
  EditLock& operator=(EditLock&& other) noexcept;

  // Tries to take <folder>/<examId>.lock. Returns nullopt when taken (creating `folder` if needed), or
  // the live owner when another session holds it; the lock is then not ours, but `force` takes it over
  // anyway (the user chose to go on). Throws std::runtime_error when the folder cannot be written.
  std::optional<LockOwner> acquire(const std::filesystem::path& folder, const std::string& examId, bool force = false);
  void release();
  bool held() const { return !m_file.empty(); }
  const std::filesystem::path& file() const { return m_file; }

  // The owner named in a lock file, nullopt when it is missing or unreadable; and whether it is stale.
  static std::optional<LockOwner> readOwner(const std::filesystem::path& lockFile);
  static bool isStale(const LockOwner& owner, const std::filesystem::path& lockFile);
  static std::string hostName();

 private:
  std::filesystem::path m_file;
  LockOwner m_me;
};

std::filesystem::path lockPath(const std::filesystem::path& annotatorFolder, const std::string& examId);

}  // namespace mammo::annotation
