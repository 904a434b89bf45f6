#pragma once
// A reviewer's comparison of our masks of an exam with another annotator's: their masks read from their
// folder and the agreement, per class and per pathology (annotation::MaskAgreement), all views together.
// Plain C++; runs on a worker thread.
#include <array>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "annotation/Agreement.h"
#include "annotation/MaskClasses.h"
#include "core/Exam.h"
#include "core/LabelMap.h"

namespace mammo::workstation {

struct ExamReview {
  std::string other;  // the other annotator
  annotation::MaskAgreement agreement;
  annotation::ClassList classes;  // ours plus the other annotator's extra classes: names the ids above
  std::array<std::optional<core::LabelMap>, 4> otherMaps;  // by StandardView
  std::vector<std::string> errors;  // unreadable masks of theirs
};

// `ours` by StandardView (views without an image empty). A view the other annotator left untouched counts
// as empty.
ExamReview reviewExam(const core::Exam& exam, const std::array<std::optional<core::LabelMap>, 4>& ours,
                      const std::filesystem::path& otherFolder, const std::string& other,
                      annotation::ClassList classes);

}  // namespace mammo::workstation
