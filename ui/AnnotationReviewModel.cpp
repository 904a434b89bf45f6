#include "ui/AnnotationReviewModel.h"

#include "ui/JobRunner.h"

namespace mammo::ui {

AnnotationReviewModel::AnnotationReviewModel(JobRunner& runner, QObject* parent) : QObject(parent), m_runner(runner) {}

void AnnotationReviewModel::review(std::shared_ptr<const core::Exam> exam,
                                   std::array<std::optional<core::LabelMap>, 4> ours,
                                   const std::filesystem::path& otherFolder, const QString& other,
                                   annotation::ClassList classes) {
  const int request = ++m_request;
  JobRunner::Callbacks<workstation::ExamReview> callbacks;
  callbacks.done = [this, request](workstation::ExamReview review) {
    if (request != m_request) return;
    m_result = std::move(review);
    for (const std::string& e : m_result->errors) emit message(QString::fromStdString(e));
    emit reviewUpdated();
  };
  callbacks.failed = [this, request](const QString& error) {
    if (request == m_request) emit message(tr("Review failed: %1").arg(error));
  };
  m_runner.start<workstation::ExamReview>(
      JobRunner::Lane::Annotation, tr("Comparing with %1").arg(other), this,
      [exam = std::move(exam), ours = std::move(ours), otherFolder, other = other.toStdString(),
       classes = std::move(classes)](core::JobContext&) {
        return workstation::reviewExam(*exam, ours, otherFolder, other, classes);
      },
      std::move(callbacks));
}

void AnnotationReviewModel::clear() {
  reset();
  emit reviewUpdated();
}

void AnnotationReviewModel::reset() {
  ++m_request;
  m_result.reset();
}

}  // namespace mammo::ui
