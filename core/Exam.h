#pragma once
// A screening exam: the four standard views (more images per view allowed), extra views kept aside,
// labels, and every problem found while loading it.
#include <array>
#include <optional>
#include <string>
#include <vector>

#include "core/ExamList.h"
#include "core/Image.h"

namespace mammo::core {

struct LoadIssue {
  std::string file;  // may be empty for exam-level problems
  std::string reason;
  bool error = true;  // false: warning
};

struct Exam {
  std::string id;
  std::string patientId;
  std::string studyInstanceUid;
  std::array<std::vector<Image>, 4> views;  // indexed by StandardView
  std::vector<Image> otherImages;  // ML, XCCL, ... kept but not hung in the four-view protocol
  BreastLabels labels;
  std::optional<int> birads;
  std::vector<LoadIssue> issues;

  std::vector<Image>& view(StandardView v) { return views[static_cast<int>(v)]; }
  const std::vector<Image>& view(StandardView v) const { return views[static_cast<int>(v)]; }
  const Image* first(StandardView v) const { return view(v).empty() ? nullptr : &view(v).front(); }
  std::vector<StandardView> missingViews() const;
  bool complete() const { return missingViews().empty(); }
  bool hasErrors() const;
  size_t imageCount() const;
};

}  // namespace mammo::core
