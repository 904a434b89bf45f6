// Stage 4 window sampling against the reference's recorded windows and input statistics, driven by the
// numpy-compatible random stream exactly as the reference consumes it.
#include <gtest/gtest.h>

#include "ParityData.h"
#include "inference/NumpyRandom.h"
#include "inference/WindowSampler.h"

using namespace mammo;

namespace {

void checkRun(const std::string& run, bool augment) {
  const nlohmann::json details = test::readJson(test::parityDir() / "stage4_predictions" / (run + "_details.json"));
  const nlohmann::json centres = test::readJson(test::parityDir() / "exam_list_after_stage2.json")[0]["best_center"];
  std::array<std::vector<float>, 4> images;
  for (int v = 0; v < 4; ++v) {
    const auto& c = test::parityCrops()[v];
    images[v].assign(c.faceRight.begin(), c.faceRight.end());
  }
  inference::NumpyRandom rng(0);
  for (const auto& sample : details["samples"]) {
    for (int v = 0; v < 4; ++v) {
      const auto view = static_cast<core::StandardView>(v);
      const auto& c = test::parityCrops()[v];
      const auto centre = centres[std::string(core::toString(view))][0].get<std::array<int, 2>>();
      inference::FaceRightInput input{c.crop.rows, c.crop.columns, {images[v].data()}};
      const inference::SampledWindow w =
          inference::sampleWindow(input, core::viewPositionOf(view), centre, augment, rng);
      const auto& ref = sample["windows"][v];
      const std::string where = run + " sample " + std::to_string(sample["sample_index"].get<int>()) + " " +
                                std::string(core::toString(view));
      EXPECT_EQ(w.paddedRows, ref["padded_shape"][0].get<int>()) << where;
      EXPECT_EQ(w.paddedColumns, ref["padded_shape"][1].get<int>()) << where;
      const auto a = ref["borders_after_location_noise"].get<std::array<int, 4>>();
      EXPECT_EQ((std::array<int, 4>{w.afterLocationNoise.top, w.afterLocationNoise.bottom, w.afterLocationNoise.left,
                                    w.afterLocationNoise.right}),
                a)
          << where;
      const auto f = ref["final_borders_top_bottom_left_right"].get<std::array<int, 4>>();
      EXPECT_EQ((std::array<int, 4>{w.final.top, w.final.bottom, w.final.left, w.final.right}), f) << where;
      EXPECT_EQ(w.resized, ref["resized"].get<bool>()) << where;
      // The standardised image channel at the reference's probe pixels.
      const auto& stats = sample["input_stats"][std::string(core::toString(view))]["per_item_per_channel"][0][0];
      const auto probes = stats["probe_yx"].get<std::vector<std::array<int, 2>>>();
      const auto values = stats["probe_values"].get<std::vector<float>>();
      for (size_t i = 0; i < probes.size(); ++i) {
        const float mine = w.data[static_cast<size_t>(probes[i][0]) * w.columns + probes[i][1]];
        EXPECT_NEAR(mine, values[i], 2e-5) << where << " probe " << i;
      }
      double sum = 0;
      for (size_t i = 0; i < static_cast<size_t>(w.rows) * w.columns; ++i) sum += w.data[i];
      EXPECT_NEAR(sum, stats["sum"].get<double>(), 5.0) << where;  // a sum of ~5 M values near 0
    }
  }
}

}  // namespace

TEST(WindowParity, DeterministicRunMatchesReference) { checkRun("image_only_noaug1", false); }
TEST(WindowParity, AugmentedTenSampleRunMatchesReference) { checkRun("image_only_aug10", true); }
