#include "annotation/AtomicFile.h"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>

namespace mammo::annotation {
namespace fs = std::filesystem;
namespace {

std::runtime_error systemError(const fs::path& file, const std::string& what) {
  return std::runtime_error(file.string() + ": " + what + ": " + std::strerror(errno));
}

void fsyncPath(const fs::path& path, int flags, const fs::path& forError) {
  const int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) throw systemError(forError, "cannot open " + path.string() + " to sync it");
  const int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) throw systemError(forError, "fsync of " + path.string() + " failed");
}

fs::path folderOf(const fs::path& target) { return target.has_parent_path() ? target.parent_path() : fs::path("."); }

}  // namespace

fs::path temporaryPathFor(const fs::path& target) {
  static std::atomic<unsigned long> counter{0};
  return folderOf(target) / ("." + target.filename().string() + "." + std::to_string(::getpid()) + "." +
                             std::to_string(counter++) + ".tmp");
}

void commitTemporary(const fs::path& temporary, const fs::path& target) {
  try {
    fsyncPath(temporary, O_RDONLY, target);
    if (::rename(temporary.c_str(), target.c_str()) != 0)
      throw systemError(target, "cannot rename the temporary over it");
    fsyncPath(folderOf(target), O_RDONLY | O_DIRECTORY, target);
  } catch (...) {
    std::error_code ignored;
    fs::remove(temporary, ignored);
    throw;
  }
}

void writeFileAtomically(const fs::path& target, std::span<const std::uint8_t> bytes) {
  const fs::path tmp = temporaryPathFor(target);
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) throw systemError(target, "cannot create temporary " + tmp.filename().string());
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const auto error = systemError(target, "write failed");
      ::close(fd);
      ::unlink(tmp.c_str());
      throw error;
    }
    done += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    const auto error = systemError(target, "fsync/close failed");
    ::unlink(tmp.c_str());
    throw error;
  }
  if (::rename(tmp.c_str(), target.c_str()) != 0) {
    const auto error = systemError(target, "cannot rename the temporary over it");
    ::unlink(tmp.c_str());
    throw error;
  }
  fsyncPath(folderOf(target), O_RDONLY | O_DIRECTORY, target);
}

bool isTemporaryName(const fs::path& file) {
  const std::string name = file.filename().string();
  return name.size() > 5 && name.front() == '.' && name.ends_with(".tmp");
}

std::size_t removeStaleTemporaries(const fs::path& folder) {
  std::size_t removed = 0;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(folder, ec)) {
    if (entry.is_regular_file() && isTemporaryName(entry.path())) removed += fs::remove(entry.path(), ec);
  }
  return removed;
}

}  // namespace mammo::annotation
