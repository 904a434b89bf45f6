#include "workstation/AnnotationPlaces.h"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>

namespace mammo::workstation {

namespace fs = std::filesystem;

fs::path annotationRoot(const core::Exam& exam, const fs::path& configuredRoot, const fs::path& userDataDir) {
  if (!configuredRoot.empty()) return configuredRoot;
  for (const auto& images : exam.views) {
    for (const auto& image : images) {
      if (image.info.sourcePath.empty()) continue;
      const fs::path dir = fs::absolute(fs::path(image.info.sourcePath)).parent_path();
      if (::access(dir.c_str(), W_OK) == 0) return dir / "annotations";
    }
  }
  return userDataDir / "annotations" / exam.id;
}

std::string annotatorName(const std::string& configured) {
  auto trimmed = [](const std::string& s) {
    const auto first = s.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) return std::string();
    return s.substr(first, s.find_last_not_of(" \t\r\n") - first + 1);
  };
  std::string name = trimmed(configured);
  for (const char* variable : {"USER", "USERNAME"}) {
    if (!name.empty()) break;
    if (const char* value = std::getenv(variable)) name = value;
  }
  if (name.empty()) name = "annotator";
  std::replace(name.begin(), name.end(), '/', '_');
  std::replace(name.begin(), name.end(), '\\', '_');
  name.erase(0, name.find_first_not_of('.'));
  return name.empty() ? "annotator" : name;
}

}  // namespace mammo::workstation
