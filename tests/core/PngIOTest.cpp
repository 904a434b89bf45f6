#include <gtest/gtest.h>

#include <fstream>

#include "TestSupport.h"
#include "core/Errors.h"
#include "core/PngIO.h"

using namespace mammo::core;

TEST(PngIO, SixteenBitRoundTripKeepsRawValuesDespiteSbit) {
  const auto dir = mammo::test::scratchDir();
  std::vector<std::uint16_t> pixels = {0, 1, 4095, 4096, 65535, 12345};
  writePng(dir / "a.png", 2, 3, pixels.data(), 16, 12);
  const PngPixels back = readPng(dir / "a.png");
  EXPECT_EQ(back.rows, 2);
  EXPECT_EQ(back.columns, 3);
  EXPECT_EQ(back.bitDepth, 16);
  EXPECT_EQ(back.significantBits, 12);
  EXPECT_EQ(back.pixels, pixels);  // no sBIT shift
}

TEST(PngIO, EightBitRoundTrip) {
  const auto dir = mammo::test::scratchDir();
  std::vector<std::uint16_t> pixels = {0, 7, 128, 255};
  writePng(dir / "b.png", 2, 2, pixels.data(), 8);
  const PngPixels back = readPng(dir / "b.png");
  EXPECT_EQ(back.bitDepth, 8);
  EXPECT_EQ(back.pixels, pixels);
}

TEST(PngIO, RejectsValuesTooLargeForEightBits) {
  const auto dir = mammo::test::scratchDir();
  std::vector<std::uint16_t> pixels = {256};
  EXPECT_THROW(writePng(dir / "c.png", 1, 1, pixels.data(), 8), std::invalid_argument);
}

TEST(PngIO, ParityInputMatchesRecordedScaling) {
  // The parity PNGs are 8-bit values times 257: every raw value must be a multiple of 257.
  const PngPixels png = readPng(mammo::test::parityDir() / "inputs" / "A_L_CC.png");
  ASSERT_EQ(png.rows, 2600);
  ASSERT_EQ(png.columns, 2000);
  std::uint16_t maxValue = 0;
  for (std::uint16_t v : png.pixels) {
    ASSERT_EQ(v % 257, 0);
    maxValue = std::max(maxValue, v);
  }
  EXPECT_GT(maxValue, 255);  // raw 16-bit values, not shifted down
}

TEST(PngIO, TruncatedFileGivesLoadErrorNamingFile) {
  const auto dir = mammo::test::scratchDir();
  std::vector<std::uint16_t> pixels(64 * 64);
  for (size_t i = 0; i < pixels.size(); ++i) pixels[i] = static_cast<std::uint16_t>(i * 37);
  writePng(dir / "full.png", 64, 64, pixels.data(), 16);
  std::ifstream in(dir / "full.png", std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), {});
  std::ofstream(dir / "cut.png", std::ios::binary).write(bytes.data(), bytes.size() / 2);
  try {
    readPng(dir / "cut.png");
    FAIL() << "expected LoadError";
  } catch (const LoadError& e) {
    EXPECT_NE(std::string(e.what()).find("cut.png"), std::string::npos);
    EXPECT_FALSE(e.reason().empty());
  }
}

TEST(PngIO, NonPngGivesLoadError) {
  const auto dir = mammo::test::scratchDir();
  std::ofstream(dir / "x.png") << "hello";
  EXPECT_THROW(readPng(dir / "x.png"), LoadError);
  EXPECT_THROW(readPng(dir / "missing.png"), LoadError);
}
