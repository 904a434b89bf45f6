#include "core/Exam.h"

#include <algorithm>

namespace mammo::core {

std::vector<StandardView> Exam::missingViews() const {
  std::vector<StandardView> missing;
  for (StandardView v : kStandardViews) {
    if (view(v).empty()) missing.push_back(v);
  }
  return missing;
}

bool Exam::hasErrors() const {
  return std::any_of(issues.begin(), issues.end(), [](const LoadIssue& i) { return i.error; });
}

size_t Exam::imageCount() const {
  size_t n = otherImages.size();
  for (const auto& v : views) n += v.size();
  return n;
}

}  // namespace mammo::core
