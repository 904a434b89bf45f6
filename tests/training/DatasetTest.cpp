#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "training/Dataset.h"

using namespace mammo;
using namespace mammo::training;

namespace {

core::ExamList syntheticList(int patients) {
  core::ExamList list;
  for (int p = 0; p < patients; ++p) {
    for (int e = 0; e < 1 + p % 3; ++e) {  // 1 to 3 exams per patient
      core::ExamEntry exam;
      exam.id = "p" + std::to_string(p) + "e" + std::to_string(e);
      exam.patientId = "patient" + std::to_string(p);
      exam.labels.leftMalignant = p % 4 == 0 ? 1 : 0;
      exam.labels.rightBenign = p % 5 == 0 ? 1 : 0;
      exam.birads = p % 4 == 0 ? 0 : 1;
      list.exams.push_back(exam);
    }
  }
  return list;
}

std::set<std::string> patientsOf(const core::ExamList& list, const std::vector<int>& indices) {
  std::set<std::string> out;
  for (int i : indices) out.insert(list.exams[i].patientId);
  return out;
}

}  // namespace

TEST(Dataset, PatientSplitHasNoOverlapAndCoversEveryExam) {
  const core::ExamList list = syntheticList(40);
  const DatasetSplit split = splitByPatient(list, {0.2, 0.2, 7});
  const auto train = patientsOf(list, split.train), validation = patientsOf(list, split.validation),
             test = patientsOf(list, split.test);
  for (const auto& p : validation) EXPECT_FALSE(train.count(p)) << p;
  for (const auto& p : test) EXPECT_FALSE(train.count(p) || validation.count(p)) << p;
  EXPECT_EQ(split.train.size() + split.validation.size() + split.test.size(), list.exams.size());
  EXPECT_EQ(validation.size(), 8u);
  EXPECT_EQ(test.size(), 8u);
  // Stratified: malignant patients (every 4th) reach the held-out splits.
  EXPECT_GT(classStatistics(list, split.validation).positives[2], 0);
  EXPECT_GT(classStatistics(list, split.test).positives[2], 0);
}

TEST(Dataset, SplitIsDeterministicForASeed) {
  const core::ExamList list = syntheticList(30);
  const DatasetSplit a = splitByPatient(list, {0.25, 0.0, 3});
  const DatasetSplit b = splitByPatient(list, {0.25, 0.0, 3});
  const DatasetSplit c = splitByPatient(list, {0.25, 0.0, 4});
  EXPECT_EQ(a.train, b.train);
  EXPECT_EQ(a.validation, b.validation);
  EXPECT_NE(a.validation, c.validation);
  EXPECT_THROW(splitByPatient(list, {0.6, 0.5, 0}), std::invalid_argument);
}

TEST(Dataset, ClassStatisticsCount) {
  const core::ExamList list = syntheticList(8);  // patients 0..7: 1,2,3,1,2,3,1,2 exams
  std::vector<int> all(list.exams.size());
  for (int i = 0; i < static_cast<int>(all.size()); ++i) all[i] = i;
  const ClassStatistics s = classStatistics(list, all);
  EXPECT_EQ(s.exams, 15);
  EXPECT_EQ(s.patients, 8);
  EXPECT_EQ(s.positives[2], 1 + 2);  // patients 0 and 4
  EXPECT_EQ(s.positives[1], 1 + 3);  // patients 0 and 5
  EXPECT_EQ(s.examsWithFindings, 1 + 2 + 3);
  EXPECT_EQ(s.birads.at(0), 3);
}
