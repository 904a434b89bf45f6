#pragma once
// The reviewer's side of annotation mode: the comparison of our masks with another annotator's
// (workstation::reviewExam), computed on the job runner's Annotation lane and kept until the session
// changes. GUI thread only.
#include <QObject>
#include <QString>

#include <array>
#include <filesystem>
#include <memory>
#include <optional>

#include "workstation/ExamReview.h"

namespace mammo::ui {

class JobRunner;

class AnnotationReviewModel : public QObject {
  Q_OBJECT

 public:
  explicit AnnotationReviewModel(JobRunner& runner, QObject* parent = nullptr);

  // Compares `ours` with the masks in `otherFolder`; reviewUpdated follows (unless clear() or another
  // review() came first). `generation` ties the result to the session it was asked for.
  void review(std::shared_ptr<const core::Exam> exam, std::array<std::optional<core::LabelMap>, 4> ours,
              const std::filesystem::path& otherFolder, const QString& other, annotation::ClassList classes);
  // No review (reviewUpdated follows).
  void clear();
  // Drops the result and any review still being computed, without a signal (the session ended).
  void reset();
  const std::optional<workstation::ExamReview>& result() const { return m_result; }

 signals:
  void reviewUpdated();
  void message(const QString& text);

 private:
  JobRunner& m_runner;
  std::optional<workstation::ExamReview> m_result;
  int m_request = 0;  // reviews asked for; only the latest is shown
};

}  // namespace mammo::ui
