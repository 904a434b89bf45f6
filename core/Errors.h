#pragma once
// Errors a user can act on: what went wrong, with which file, and why.
#include <filesystem>
#include <stdexcept>
#include <string>

namespace mammo::core {

// Thrown by every loader. what() reads "<file>: <reason>".
class LoadError : public std::runtime_error {
 public:
  LoadError(std::filesystem::path file, std::string reason)
      : std::runtime_error(file.string() + ": " + reason), m_file(std::move(file)), m_reason(std::move(reason)) {}
  const std::filesystem::path& file() const { return m_file; }
  const std::string& reason() const { return m_reason; }

 private:
  std::filesystem::path m_file;
  std::string m_reason;
};

// Thrown when a job is cancelled through its JobContext.
class Cancelled : public std::runtime_error {
 public:
  Cancelled() : std::runtime_error("cancelled") {}
};

}  // namespace mammo::core
