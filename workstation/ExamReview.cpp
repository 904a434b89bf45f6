#include "workstation/ExamReview.h"

#include "workstation/AnnotationSession.h"

namespace mammo::workstation {

ExamReview reviewExam(const core::Exam& exam, const std::array<std::optional<core::LabelMap>, 4>& ours,
                      const std::filesystem::path& otherFolder, const std::string& other,
                      annotation::ClassList classes) {
  ExamReview review;
  review.other = other;
  review.classes = std::move(classes);
  review.otherMaps = AnnotationSession::readSavedMasks(exam, otherFolder, review.classes, review.errors);
  for (int v = 0; v < 4; ++v) {
    if (!ours[v]) continue;
    const core::LabelMap empty(ours[v]->rows, ours[v]->columns);
    review.agreement.add(*ours[v], review.otherMaps[v] ? *review.otherMaps[v] : empty, review.classes);
  }
  return review;
}

}  // namespace mammo::workstation
