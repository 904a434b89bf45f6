#pragma once
// The training view of an exam list: labels, BI-RADS, mask files and patient ids per exam, splits by
// patient (no patient in two splits) and class statistics. Plain C++, thread-safe (pure functions).
#include <array>
#include <cstdint>
#include <map>
#include <vector>

#include "core/ExamList.h"

namespace mammo::training {

// Indices into ExamList::exams.
struct DatasetSplit {
  std::vector<int> train, validation, test;
};

struct SplitOptions {
  double validationFraction = 0.2;  // of the patients
  double testFraction = 0.0;
  std::uint64_t seed = 0;
};

// Patients (ExamEntry::patientId, the exam id when empty) are shuffled with `seed` and dealt to the
// splits, stratified by whether any of their exams has a malignant breast so that every split gets
// positives when there are enough. Deterministic for a given list and seed (own generator arithmetic,
// no implementation-defined distributions). Each split is sorted ascending.
DatasetSplit splitByPatient(const core::ExamList& list, const SplitOptions& options);

struct ClassStatistics {
  int exams = 0;
  int patients = 0;
  int examsWithFindings = 0;  // any benign or malignant breast
  int examsWithoutFindings = 0;
  int examsWithMasks = 0;  // at least one mask file named
  std::array<int, 4> positives{};  // left_benign, right_benign, left_malignant, right_malignant
  std::map<int, int> birads;  // BI-RADS -> exams (exams without one are not counted)
};

ClassStatistics classStatistics(const core::ExamList& list, const std::vector<int>& indices);

// Positive labels of an exam in the NYU column order (missing labels count as 0).
std::array<int, 4> examTargets(const core::ExamEntry& exam);
bool hasFindings(const core::ExamEntry& exam);
bool hasMalignancy(const core::ExamEntry& exam);

}  // namespace mammo::training
