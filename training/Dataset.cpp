#include "training/Dataset.h"

#include <algorithm>
#include <cmath>
#include <random>
#include <set>
#include <stdexcept>
#include <string>

namespace mammo::training {

namespace {

// Fisher-Yates with a rejection-free 64-bit reduction; the bias is negligible for dataset sizes and,
// unlike std::shuffle, the result is the same with every standard library.
template <typename T>
void shuffleDeterministic(std::vector<T>& items, std::mt19937_64& rng) {
  for (std::size_t i = items.size(); i > 1; --i) {
    const std::size_t j = static_cast<std::size_t>(rng() % i);
    std::swap(items[i - 1], items[j]);
  }
}

std::string patientOf(const core::ExamEntry& e) { return e.patientId.empty() ? e.id : e.patientId; }

}  // namespace

std::array<int, 4> examTargets(const core::ExamEntry& exam) {
  const auto& l = exam.labels;
  return {l.leftBenign.value_or(0), l.rightBenign.value_or(0), l.leftMalignant.value_or(0),
          l.rightMalignant.value_or(0)};
}

bool hasFindings(const core::ExamEntry& exam) {
  const auto t = examTargets(exam);
  return std::any_of(t.begin(), t.end(), [](int v) { return v > 0; });
}

bool hasMalignancy(const core::ExamEntry& exam) {
  const auto t = examTargets(exam);
  return t[2] > 0 || t[3] > 0;
}

DatasetSplit splitByPatient(const core::ExamList& list, const SplitOptions& options) {
  if (options.validationFraction < 0 || options.testFraction < 0 ||
      options.validationFraction + options.testFraction >= 1.0) {
    throw std::invalid_argument("splitByPatient: validation and test fractions must be >= 0 and sum below 1");
  }
  std::map<std::string, std::vector<int>> examsOf;
  std::map<std::string, bool> malignant;
  for (int i = 0; i < static_cast<int>(list.exams.size()); ++i) {
    const std::string p = patientOf(list.exams[i]);
    examsOf[p].push_back(i);
    malignant[p] = malignant[p] || hasMalignancy(list.exams[i]);
  }
  std::array<std::vector<std::string>, 2> strata;  // without, with malignancy (sorted: map order)
  for (const auto& [p, m] : malignant) strata[m ? 1 : 0].push_back(p);
  std::mt19937_64 rng(options.seed);
  DatasetSplit split;
  for (auto& stratum : strata) {
    shuffleDeterministic(stratum, rng);
    const auto n = static_cast<double>(stratum.size());
    const auto nTest = static_cast<std::size_t>(std::lround(n * options.testFraction));
    const auto nValidation = static_cast<std::size_t>(std::lround(n * options.validationFraction));
    for (std::size_t k = 0; k < stratum.size(); ++k) {
      auto& target = k < nTest ? split.test : k < nTest + nValidation ? split.validation : split.train;
      for (int e : examsOf[stratum[k]]) target.push_back(e);
    }
  }
  for (auto* s : {&split.train, &split.validation, &split.test}) std::sort(s->begin(), s->end());
  return split;
}

ClassStatistics classStatistics(const core::ExamList& list, const std::vector<int>& indices) {
  ClassStatistics s;
  std::set<std::string> patients;
  for (int i : indices) {
    const core::ExamEntry& e = list.exams.at(static_cast<std::size_t>(i));
    ++s.exams;
    patients.insert(patientOf(e));
    const auto t = examTargets(e);
    for (int k = 0; k < 4; ++k) s.positives[k] += t[k] > 0 ? 1 : 0;
    (hasFindings(e) ? s.examsWithFindings : s.examsWithoutFindings)++;
    bool masks = false;
    for (const auto& view : e.views) {
      for (const auto& image : view) masks = masks || !image.masks.empty();
    }
    s.examsWithMasks += masks ? 1 : 0;
    if (e.birads) ++s.birads[*e.birads];
  }
  s.patients = static_cast<int>(patients.size());
  return s;
}

}  // namespace mammo::training
