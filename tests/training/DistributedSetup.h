#pragma once
// What the two-process training test (DistributedTest.cpp) and each of its ranks (distributed_rank.cpp, a
// helper executable) share: the training options and the dataset of the phantom exams in DIR/data.
#include <filesystem>

#include "core/ExamList.h"
#include "training/CancerTrainer.h"

namespace mammo::test {

inline constexpr double kScale = 0.1;

inline training::CancerTrainOptions options(const std::filesystem::path& out) {
  training::CancerTrainOptions o;
  o.inputScale = kScale;
  o.train.epochs = 1;
  o.train.batchSize = 2;
  o.train.seed = 13;
  o.train.learningRate = 1e-3;
  o.train.freezeBatchNorm = true;
  o.train.outDir = out;
  return o;
}

inline training::CancerDataset dataset(const std::filesystem::path& dir) {
  const core::ExamList list = core::readExamList(dir / "data" / "exam_list.json");
  return training::loadCancerDataset(list, {0, 1, 2, 3}, kScale);
}

}  // namespace mammo::test
