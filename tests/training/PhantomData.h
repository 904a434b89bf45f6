#pragma once
// Small phantom datasets for the training tests (PNG only, written once per test folder).
#include <filesystem>

#include "core/Phantom.h"

namespace mammo::test {

inline core::ExamList phantomDataset(const std::filesystem::path& dir, int exams, std::uint64_t seed,
                                     double lesionRate = 0.9, double malignantFraction = 0.5) {
  core::PhantomOptions options;
  options.size = core::PhantomSize::Small;
  options.seed = seed;
  options.lesionRate = lesionRate;
  options.malignantFraction = malignantFraction;
  core::PhantomWriteOptions write;
  write.dicom = false;
  write.png = true;
  return core::synthesiseExams(exams, options, write, dir);
}

}  // namespace mammo::test
