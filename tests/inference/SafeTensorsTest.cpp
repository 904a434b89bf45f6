#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <limits>

#include "TestSupport.h"
#include "inference/ModelBundle.h"
#include "inference/SafeTensors.h"

using namespace mammo::inference;

TEST(SafeTensors, HalfConversionMatchesIeeeBinary16) {
  // Reference bit patterns of IEEE 754 binary16.
  EXPECT_EQ(floatToHalf(1.0f), 0x3c00);
  EXPECT_EQ(floatToHalf(-2.0f), 0xc000);
  EXPECT_EQ(floatToHalf(65504.0f), 0x7bff);
  EXPECT_EQ(floatToHalf(1e6f), 0x7c00);  // overflow -> inf
  EXPECT_EQ(floatToHalf(std::ldexp(1.0f, -24)), 0x0001);  // smallest subnormal
  EXPECT_EQ(floatToHalf(std::ldexp(1.0f, -14)), 0x0400);  // smallest normal
  EXPECT_EQ(floatToHalf(std::ldexp(1.0f, -26)), 0x0000);  // below half the smallest subnormal
  EXPECT_EQ(floatToHalf(1.0f + std::ldexp(1.0f, -11)), 0x3c00);  // tie -> even (down)
  EXPECT_EQ(floatToHalf(1.0f + 3 * std::ldexp(1.0f, -11)), 0x3c02);  // tie -> even (up)
  EXPECT_EQ(floatToHalf(0.1f), 0x2e66);
  EXPECT_TRUE(std::isnan(halfToFloat(floatToHalf(std::numeric_limits<float>::quiet_NaN()))));
  // Every finite half converts to float and back unchanged.
  for (std::uint32_t h = 0; h < 0x10000; ++h) {
    if ((h & 0x7c00u) == 0x7c00u) continue;
    ASSERT_EQ(floatToHalf(halfToFloat(static_cast<std::uint16_t>(h))), h) << std::hex << h;
  }
  EXPECT_FLOAT_EQ(halfToFloat(0x3555), 0.333251953125f);
  EXPECT_FLOAT_EQ(halfToFloat(0x0001), std::ldexp(1.0f, -24));
}

TEST(SafeTensors, F16FileIsHalfTheSizeAndReadsBackAsFloat32) {
  const auto dir = mammo::test::scratchDir();
  TensorMap tensors;
  NamedTensor t{{64, 64}, {}};
  for (int i = 0; i < 64 * 64; ++i) t.values.push_back(std::sin(0.01f * static_cast<float>(i)) * 3.0f);
  tensors["w"] = t;
  tensors["b"] = NamedTensor{{3}, {0.5f, -0.25f, 1024.0f}};
  writeSafeTensors(dir / "f32.safetensors", tensors, {{"k", "v"}});
  writeSafeTensors(dir / "f16.safetensors", tensors, {{"k", "v"}}, SafeTensorsDtype::F16);
  const auto f32 = std::filesystem::file_size(dir / "f32.safetensors");
  const auto f16 = std::filesystem::file_size(dir / "f16.safetensors");
  EXPECT_LT(f16, f32 / 2 + 256);  // the data halves; the header is about the same
  std::map<std::string, std::string> metadata;
  const TensorMap back = readSafeTensors(dir / "f16.safetensors", &metadata);
  EXPECT_EQ(metadata.at("k"), "v");
  ASSERT_EQ(back.at("w").shape, (std::vector<std::int64_t>{64, 64}));
  for (std::size_t i = 0; i < t.values.size(); ++i) {
    ASSERT_NEAR(back.at("w").values[i], t.values[i], std::abs(t.values[i]) * 1e-3 + 1e-6) << i;
    ASSERT_EQ(back.at("w").values[i], halfToFloat(floatToHalf(t.values[i])));
  }
  EXPECT_EQ(back.at("b").values, (std::vector<float>{0.5f, -0.25f, 1024.0f}));  // exact in half
  // The header says F16 (other safetensors readers see it as such).
  std::ifstream in(dir / "f16.safetensors", std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)), {});
  EXPECT_NE(text.find("\"dtype\":\"F16\""), std::string::npos);
}

TEST(SafeTensors, RefusesOtherDtypesNamingTheTensor) {
  const auto dir = mammo::test::scratchDir();
  const std::string header = R"({"x":{"dtype":"BF16","shape":[1],"data_offsets":[0,2]}})";
  std::ofstream out(dir / "bf16.safetensors", std::ios::binary);
  const std::uint64_t length = header.size();
  out.write(reinterpret_cast<const char*>(&length), 8);
  out << header << "\0\0";
  out.close();
  try {
    readSafeTensors(dir / "bf16.safetensors");
    FAIL() << "BF16 accepted";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("tensor x is BF16"), std::string::npos) << e.what();
  }
}

TEST(ModelBundle, CancerInputGeometryAndStorageRoundTrip) {
  const auto dir = mammo::test::scratchDir();
  ModelBundle bundle;
  bundle.name = "tiny";
  bundle.provenance = "trained on synthetic phantoms — not for clinical use";
  bundle.patch["a"] = NamedTensor{{2}, {1.0f, 0.1f}};
  bundle.imageOnly["b"] = NamedTensor{{1}, {2.0f}};
  bundle.imageHeatmaps["c"] = NamedTensor{{1}, {3.0f}};
  writeModelBundle(bundle, dir / "plain");
  const ModelBundle plain = readModelBundle(dir / "plain");
  EXPECT_FALSE(plain.cancerInput.has_value());  // NYU-style: the reference's sizes
  EXPECT_EQ(plain.storage, SafeTensorsDtype::F32);
  EXPECT_EQ(plain.patch.at("a").values[1], 0.1f);

  CancerInputGeometry g;
  g.downsample = 2;
  g.inputScale = 0.125;
  g.inputSizeCc = {335, 243};
  g.inputSizeMlo = {372, 219};
  g.locationNoise = g.sizeNoise = 13;
  g.centreColumnsCc = 486;
  g.centreColumnsMlo = 437;
  bundle.cancerInput = g;
  bundle.storage = SafeTensorsDtype::F16;
  writeModelBundle(bundle, dir / "trained");
  const ModelBundle trained = readModelBundle(dir / "trained");
  ASSERT_TRUE(trained.cancerInput.has_value());
  EXPECT_EQ(trained.cancerInput->downsample, 2);
  EXPECT_EQ(trained.cancerInput->inputSizeCc, (std::array<int, 2>{335, 243}));
  EXPECT_EQ(trained.cancerInput->inputSizeMlo, (std::array<int, 2>{372, 219}));
  EXPECT_EQ(trained.cancerInput->locationNoise, 13);
  EXPECT_EQ(trained.cancerInput->centreColumnsMlo, 437);
  EXPECT_EQ(trained.storage, SafeTensorsDtype::F16);
  EXPECT_EQ(trained.provenance, bundle.provenance);
  EXPECT_EQ(trained.patch.at("a").values[1], halfToFloat(floatToHalf(0.1f)));
}
