#include <gtest/gtest.h>

#include <ATen/Parallel.h>

#include <cmath>

#include "PhantomData.h"
#include "TestSupport.h"
#include "training/BiradsTrainer.h"
#include "training/CancerTrainer.h"

using namespace mammo;
using namespace mammo::training;

namespace {

constexpr double kScale = 0.1;

bool isColumn(const std::string& name) { return name.rfind("four_view_resnet.", 0) == 0; }
bool isFirstConv(const std::string& name) { return name.find("first_conv.weight") != std::string::npos; }

// Mean cross-entropy and accuracy of the BI-RADS predictions against the exams' categories.
std::pair<double, double> crossEntropy(const std::vector<std::array<double, 3>>& p, const std::vector<int>& birads) {
  double sum = 0;
  int correct = 0;
  for (std::size_t i = 0; i < p.size(); ++i) {
    sum -= std::log(std::max(p[i][static_cast<std::size_t>(birads[i])], 1e-12));
    correct += std::max_element(p[i].begin(), p[i].end()) - p[i].begin() == birads[i] ? 1 : 0;
  }
  return {sum / static_cast<double>(p.size()), static_cast<double>(correct) / static_cast<double>(p.size())};
}

}  // namespace

// BI-RADS pretraining learns: on phantom exams of all three categories (0: malignant finding, 1: none,
// 2: benign only) the training set's cross-entropy of the trained columns falls well below that of the
// weights after one epoch, and most exams are classified right.
TEST(Birads, PretrainingLearnsOnPhantoms) {
  at::set_num_threads(2);
  const auto dir = test::scratchDir();
  const core::ExamList list = test::phantomDataset(dir / "data", 9, 41, 0.5, 0.5);
  const CancerDataset data = loadCancerDataset(list, {0, 1, 2, 3, 4, 5, 6, 7, 8}, kScale);
  std::array<int, 3> categories{};
  for (int b : data.birads) {
    ASSERT_GE(b, 0);
    ASSERT_LE(b, 2);
    ++categories[static_cast<std::size_t>(b)];
  }
  for (int c : categories) ASSERT_GT(c, 0) << "the phantom seed must give every BI-RADS category";
  BiradsTrainOptions options;
  options.inputScale = kScale;
  options.train.batchSize = 3;
  options.train.learningRate = 1e-3;
  options.train.seed = 4;
  options.train.epochs = 1;
  options.train.patience = 100;
  options.train.outDir = dir / "one";
  const TrainResult one = trainBiradsModel(data, data, options);
  options.train.epochs = 12;
  options.train.outDir = dir / "many";
  const TrainResult many = trainBiradsModel(data, data, options);
  ASSERT_EQ(many.epochs.size(), 12u);
  const auto [before, accuracyBefore] = crossEntropy(predictBirads(one.finalWeights, data, kScale), data.birads);
  const auto [after, accuracyAfter] = crossEntropy(predictBirads(many.finalWeights, data, kScale), data.birads);
  std::printf("training cross-entropy after 1 epoch %.3f (accuracy %.2f), after 12 epochs %.3f (accuracy %.2f)\n",
              before, accuracyBefore, after, accuracyAfter);
  EXPECT_LT(after, 0.6 * before);
  EXPECT_GE(accuracyAfter, 7.0 / 9.0);
  EXPECT_LT(many.epochs.back().trainLoss, many.epochs.front().trainLoss);
  EXPECT_TRUE(std::isfinite(many.epochs.back().auc.at("birads_macro")));
}

// The cancer models start from the BI-RADS columns: every four_view_resnet tensor of the image-only model
// is the pretrained one bit for bit; in the image+heatmaps model the first convolution's image channel is,
// and its heatmap channels and the heads keep the seeded initialisation. trainCancerModel starts there:
// with learning rate 0 and frozen BatchNorm its final weights are the transferred ones.
TEST(Birads, TransferCopiesTheColumnsIntoTheCancerModels) {
  at::set_num_threads(2);
  const auto dir = test::scratchDir();
  const core::ExamList list = test::phantomDataset(dir / "data", 2, 43, 1.0);
  const CancerDataset data = loadCancerDataset(list, {0, 1}, kScale);
  BiradsTrainOptions b;
  b.inputScale = kScale;
  b.train.epochs = 1;
  b.train.batchSize = 2;
  b.train.learningRate = 1e-2;  // far from any initialisation
  b.train.seed = 8;
  b.train.outDir = dir / "birads";
  const inference::TensorMap birads = trainBiradsModel(data, data, b).finalWeights;
  const inference::TensorMap columns = columnWeights(birads);
  ASSERT_GT(columns.size(), 50u);

  for (int channels : {1, 3}) {
    CancerTrainOptions c;
    c.channels = channels;
    c.inputScale = kScale;
    c.train.seed = 9;
    const inference::TensorMap scratch = initialCancerWeights(c);
    c.initialColumns = columns;
    const inference::TensorMap transferred = initialCancerWeights(c);
    ASSERT_EQ(scratch.size(), transferred.size());
    int checked = 0;
    for (const auto& [name, t] : transferred) {
      if (!isColumn(name)) {
        EXPECT_EQ(t.values, scratch.at(name).values) << name << " is not a column tensor and must keep its init";
        continue;
      }
      const inference::NamedTensor& source = columns.at(name);
      if (channels == 3 && isFirstConv(name)) {
        ASSERT_EQ(t.shape, (std::vector<std::int64_t>{16, 3, 7, 7}));
        for (int o = 0; o < 16; ++o) {
          for (int ch = 0; ch < 3; ++ch) {
            for (int k = 0; k < 49; ++k) {
              const float value = t.values[static_cast<std::size_t>((o * 3 + ch) * 49 + k)];
              if (ch == 0) {
                ASSERT_EQ(value, source.values[static_cast<std::size_t>(o * 49 + k)]) << name;
              } else {
                ASSERT_EQ(value, scratch.at(name).values[static_cast<std::size_t>((o * 3 + ch) * 49 + k)]) << name;
              }
            }
          }
        }
      } else {
        EXPECT_EQ(t.shape, source.shape) << name;
        EXPECT_EQ(t.values, source.values) << name;
      }
      ++checked;
    }
    EXPECT_EQ(checked, static_cast<int>(columns.size()));
    // The columns differ from a fresh initialisation, so equality above is the transfer's doing.
    EXPECT_NE(scratch.at("four_view_resnet.cc.final_bn.weight").values,
              columns.at("four_view_resnet.cc.final_bn.weight").values);

    c.train.learningRate = 0;
    c.train.freezeBatchNorm = true;
    c.train.epochs = 1;
    c.train.batchSize = 2;
    c.train.outDir = dir / ("cancer-" + std::to_string(channels));
    if (channels == 3) {
      CancerDataset withMaps = data;
      for (auto& exam : withMaps.views) {
        for (auto& v : exam) {
          v.benignHeatmap = v.malignantHeatmap =
              core::FloatRaster(v.rows, v.columns, std::vector<float>(v.pixels.size(), 0.5f));
        }
      }
      const TrainResult r = trainCancerModel(withMaps, withMaps, c);
      for (const auto& [name, t] : transferred) EXPECT_EQ(r.finalWeights.at(name).values, t.values) << name;
    } else {
      const TrainResult r = trainCancerModel(data, data, c);
      for (const auto& [name, t] : transferred) EXPECT_EQ(r.finalWeights.at(name).values, t.values) << name;
    }
  }
}
