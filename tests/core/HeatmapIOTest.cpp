// Heatmap files: the reference's HDF5 files (LZF, transposed) read exactly, and both formats round-trip.
#include <gtest/gtest.h>
#include <lzma.h>

#include <cstring>
#include <fstream>

#include "TestSupport.h"
#include "core/Errors.h"
#include "core/HeatmapIO.h"

using namespace mammo::core;

namespace {
// The parity set's raw float32 (transposed, xz-compressed) copy of the same heatmap.
std::vector<float> xzFloats(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  const std::string packed((std::istreambuf_iterator<char>(in)), {});
  lzma_stream s = LZMA_STREAM_INIT;
  EXPECT_EQ(lzma_stream_decoder(&s, UINT64_MAX, 0), LZMA_OK);
  std::vector<std::uint8_t> out(64 << 20);
  s.next_in = reinterpret_cast<const std::uint8_t*>(packed.data());
  s.avail_in = packed.size();
  s.next_out = out.data();
  s.avail_out = out.size();
  EXPECT_EQ(lzma_code(&s, LZMA_FINISH), LZMA_STREAM_END);
  out.resize(out.size() - s.avail_out);
  lzma_end(&s);
  std::vector<float> v(out.size() / 4);
  std::memcpy(v.data(), out.data(), v.size() * 4);
  return v;
}
}  // namespace

TEST(HeatmapIO, ReadsTheReferencesLzfHdf5Exactly) {
  const auto dir = mammo::test::parityDir() / "stage3_heatmaps";
  const HeatmapData h = readHeatmapFile(dir / "reference_hdf5" / "heatmap_malignant" / "A_R_CC.hdf5");
  EXPECT_EQ(h.rows(), 2568);
  EXPECT_EQ(h.columns(), 1215);
  const std::vector<float> raw = xzFloats(dir / "A_R_CC_heatmap_malignant.f32.xz");
  ASSERT_EQ(raw.size(), h.size());
  for (int y = 0; y < h.rows(); y += 7) {
    for (int x = 0; x < h.columns(); x += 5) {
      ASSERT_EQ(h.at(y, x), raw[static_cast<size_t>(x) * h.rows() + y]);
    }
  }
}

TEST(HeatmapIO, BothFormatsRoundTrip) {
  const auto dir = mammo::test::scratchDir();
  std::vector<float> values;
  for (int i = 0; i < 15; ++i) values.push_back(i * 0.0625f);
  const HeatmapData h(3, 5, values);
  writeMammolensHeatmap(dir / "a.mlh", h);
  writeNyuHeatmap(dir / "a.hdf5", h);
  for (const char* name : {"a.mlh", "a.hdf5"}) {
    const HeatmapData back = readHeatmapFile(dir / name);
    EXPECT_EQ(back.rows(), 3) << name;
    EXPECT_EQ(back.columns(), 5) << name;
    EXPECT_EQ(*back.storage(), values) << name;
  }
}

TEST(HeatmapIO, BadFilesNameTheFile) {
  const auto dir = mammo::test::scratchDir();
  std::ofstream(dir / "x.mlh") << "MAMMOHM1";
  EXPECT_THROW(readHeatmapFile(dir / "x.mlh"), LoadError);
  std::ofstream(dir / "y.hdf5") << "not hdf5 at all";
  try {
    readHeatmapFile(dir / "y.hdf5");
    FAIL();
  } catch (const LoadError& e) {
    EXPECT_NE(std::string(e.what()).find("y.hdf5"), std::string::npos);
  }
}
