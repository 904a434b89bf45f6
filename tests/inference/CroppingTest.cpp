// NYU stages 1-2 (crop and optimal centre) against the reference's recorded outputs for parity exam A
// (../shared/parity/nyu-exam-a/stage1_2_crop_and_centers.json, README §4), plus synthetic checks of the
// morphology shortcut, the orientation conventions and the centre search.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <iostream>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "Sha256.h"
#include "TestSupport.h"
#include "core/PngIO.h"
#include "inference/Cropping.h"
#include "inference/NyuConstants.h"
#include "inference/OptimalCenter.h"

using mammo::core::CropMetadata;
using mammo::core::Laterality;
using mammo::core::ViewPosition;
using namespace mammo::inference;

namespace {

struct ParityCase {
  const char* name;
  Laterality side;
  ViewPosition view;
  std::array<int, 4> window;
  std::array<int, 2> rightmostRows;
  int rightmostX;
  int bottommostY;
  std::array<int, 2> bottommostColumns;
  int distance;
  std::array<int, 2> bestCenter;
  const char* sha256;  // of the cropped uint16 pixels, little-endian, row-major
};

// Copied from stage1_2_crop_and_centers.json (all four images: horizontal_flip "NO").
// clang-format off
const ParityCase kParity[] = {
    {"A_L_CC", Laterality::Left, ViewPosition::CC, {0, 2600, 0, 1402}, {1570, 1570}, 1351, 2599, {100, 734}, 0,
     {1300, 379}, "e94a9e324fd2c900633b1d06c8af2fdbe6bca31d79b46305bf45ceefb7731b2e"},
    {"A_R_CC", Laterality::Right, ViewPosition::CC, {0, 2568, 785, 2000}, {1357, 1405}, 1165, 2517, {101, 146}, 0,
     {1284, 193}, "4bac41ee777e2f01534ac2fb30bfcb1045a2695247b0f6caa00d06ee969e528b"},
    {"A_L_MLO", Laterality::Left, ViewPosition::MLO, {0, 2600, 0, 1495}, {1699, 1744}, 1444, 2599, {100, 697}, 0,
     {1111, 569}, "ac94b88fd6234994dfed854df16ddd561a23281ad2fe40e54c67786f981bc13a"},
    {"A_R_MLO", Laterality::Right, ViewPosition::MLO, {0, 2600, 686, 2000}, {1444, 1547}, 1264, 2599, {101, 471}, 0,
     {1111, 389}, "dfc2f2d29d17112d2a2730051744601347878b0c2c3aeeba4c40f59c1773d545"},
};
// clang-format on

void PrintTo(const ParityCase& c, std::ostream* os) { *os << c.name; }

mammo::core::PngPixels readParityInput(const std::string& name) {
  return mammo::core::readPng(mammo::test::parityDir() / "inputs" / (name + ".png"));
}

std::vector<std::uint16_t> mirrored(const std::vector<std::uint16_t>& pixels, int rows, int columns) {
  std::vector<std::uint16_t> out(pixels.size());
  for (int y = 0; y < rows; ++y) {
    for (int x = 0; x < columns; ++x) out[y * columns + x] = pixels[y * columns + (columns - 1 - x)];
  }
  return out;
}

// Literal k-fold erosion/dilation with the 4-connected cross; outside the image counts as 0.
std::vector<std::uint8_t> iterateCross(std::vector<std::uint8_t> mask, int rows, int columns, int k, bool erode) {
  for (int step = 0; step < k; ++step) {
    std::vector<std::uint8_t> next(mask.size());
    const auto at = [&](int y, int x) { return y >= 0 && y < rows && x >= 0 && x < columns && mask[y * columns + x]; };
    for (int y = 0; y < rows; ++y) {
      for (int x = 0; x < columns; ++x) {
        const bool self = at(y, x);
        const bool up = at(y - 1, x), down = at(y + 1, x), left = at(y, x - 1), right = at(y, x + 1);
        next[y * columns + x] = erode ? (self && up && down && left && right) : (self || up || down || left || right);
      }
    }
    mask = std::move(next);
  }
  return mask;
}

// Random overlapping discs and boxes: blobs with holes, thin necks and pixels on the border.
std::vector<std::uint8_t> randomBlobs(int rows, int columns, unsigned seed) {
  std::mt19937 rng(seed);
  std::vector<std::uint8_t> mask(static_cast<std::size_t>(rows) * columns, 0);
  for (int blob = 0; blob < 8; ++blob) {
    const int cy = static_cast<int>(rng() % rows), cx = static_cast<int>(rng() % columns);
    const int r = 2 + static_cast<int>(rng() % 12);
    const bool disc = rng() % 2 == 0;
    const std::uint8_t value = blob == 7 ? 0 : 1;  // the last one cuts a hole
    for (int y = std::max(0, cy - r); y < std::min(rows, cy + r + 1); ++y) {
      for (int x = std::max(0, cx - r); x < std::min(columns, cx + r + 1); ++x) {
        if (!disc || (y - cy) * (y - cy) + (x - cx) * (x - cx) <= r * r) mask[y * columns + x] = value;
      }
    }
  }
  for (auto& v : mask) v = (v || rng() % 40 == 0) ? 1 : 0;  // speckle
  return mask;
}

// Cropping a mirrored image with the opposite mode mirrors the window; the face-right x values come out
// one larger, which is the reference's x1 - X mirror convention.
void expectMirrorOf(const CropMetadata& m, const CropMetadata& mirror, int columns) {
  EXPECT_EQ(mirror.windowLocation[0], m.windowLocation[0]);
  EXPECT_EQ(mirror.windowLocation[1], m.windowLocation[1]);
  EXPECT_EQ(mirror.windowLocation[2], columns - m.windowLocation[3]);
  EXPECT_EQ(mirror.windowLocation[3], columns - m.windowLocation[2]);
  EXPECT_EQ(mirror.rightmostRows, m.rightmostRows);
  EXPECT_EQ(mirror.rightmostX, m.rightmostX + 1);
  EXPECT_EQ(mirror.bottommostY, m.bottommostY);
  EXPECT_EQ(mirror.bottommostColumns, (std::array<int, 2>{m.bottommostColumns[0] + 1, m.bottommostColumns[1] + 1}));
  EXPECT_EQ(mirror.distanceFromStartingSide, m.distanceFromStartingSide);
}

}  // namespace

TEST(Sha256, KnownVectors) {
  EXPECT_EQ(mammo::test::sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(mammo::test::sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(mammo::test::sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

class CroppingParity : public ::testing::TestWithParam<ParityCase> {};

TEST_P(CroppingParity, MatchesTheReferenceExactly) {
  const ParityCase& c = GetParam();
  const auto png = readParityInput(c.name);
  ASSERT_EQ(png.rows, 2600);
  ASSERT_EQ(png.columns, 2000);

  const auto start = std::chrono::steady_clock::now();
  const CropResult crop = cropMammogram(png.pixels.data(), png.rows, png.columns, c.side, false);
  const auto cropped = std::chrono::steady_clock::now();
  const bool flip = needsFaceRightFlip(c.side, false);
  const auto center = optimalCenter(crop.pixels.data(), crop.rows, crop.columns, flip, c.view, crop.metadata);
  const auto done = std::chrono::steady_clock::now();
  using Ms = std::chrono::duration<double, std::milli>;
  std::cout << "[ timing ] " << c.name << ": crop " << Ms(cropped - start).count() << " ms, centre "
            << Ms(done - cropped).count() << " ms\n";

  const CropMetadata& m = crop.metadata;
  EXPECT_EQ(m.windowLocation, c.window);
  EXPECT_EQ(m.rightmostRows, c.rightmostRows);
  EXPECT_EQ(m.rightmostX, c.rightmostX);
  EXPECT_EQ(m.bottommostY, c.bottommostY);
  EXPECT_EQ(m.bottommostColumns, c.bottommostColumns);
  EXPECT_EQ(m.distanceFromStartingSide, c.distance);
  EXPECT_FALSE(m.bestCenter.has_value());
  EXPECT_EQ(center, c.bestCenter);
  EXPECT_EQ(crop.rows, c.window[1] - c.window[0]);
  EXPECT_EQ(crop.columns, c.window[3] - c.window[2]);
  ASSERT_EQ(crop.pixels.size(), static_cast<std::size_t>(crop.rows) * crop.columns);
  EXPECT_EQ(mammo::test::sha256HexLittleEndian(crop.pixels), c.sha256);
}

INSTANTIATE_TEST_SUITE_P(ExamA, CroppingParity, ::testing::ValuesIn(kParity),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(Cropping, HorizontalFlipYesMirrorsTheMetadataWithTheReferenceOffByOne) {
  // The L-CC image mirrored and flagged "YES" points left: crop mode left instead of right.
  const auto png = readParityInput("A_L_CC");
  const auto flipped = mirrored(png.pixels, png.rows, png.columns);
  const CropResult plain = cropMammogram(png.pixels.data(), png.rows, png.columns, Laterality::Left, false);
  const CropResult yes = cropMammogram(flipped.data(), png.rows, png.columns, Laterality::Left, true);
  expectMirrorOf(plain.metadata, yes.metadata, png.columns);
  EXPECT_EQ(yes.pixels, mirrored(plain.pixels, plain.rows, plain.columns));
  const bool flip = needsFaceRightFlip(Laterality::Left, true);
  ASSERT_TRUE(flip);
  const auto center = optimalCenter(yes.pixels.data(), yes.rows, yes.columns, flip, ViewPosition::CC, yes.metadata);
  EXPECT_EQ(center, (std::array<int, 2>{1300, 380}));  // x follows the shifted rightmost_x
}

TEST(Cropping, ErosionAndDilationShortcutsMatchLiteralIteration) {
  const int rows = 60, columns = 50;
  for (unsigned seed = 1; seed <= 20; ++seed) {
    const auto mask = randomBlobs(rows, columns, seed);
    for (const int k : {0, 1, 3, 6}) {
      EXPECT_EQ(erodeCross(mask, rows, columns, k), iterateCross(mask, rows, columns, k, true))
          << "erosion, seed " << seed << ", k " << k;
      EXPECT_EQ(dilateCross(mask, rows, columns, k), iterateCross(mask, rows, columns, k, false))
          << "dilation, seed " << seed << ", k " << k;
    }
  }
}

TEST(Cropping, SmallSyntheticBreastFollowsTheReferenceConventions) {
  // 40 x 30 image: a "breast" on rows 5..34, columns 0..19 (chest wall on the left: an L view), and a small
  // blob on rows 28..36, columns 22..28 that survives erosion but is not the largest component.
  const int rows = 40, columns = 30;
  std::vector<std::uint16_t> image(rows * columns, 0);
  for (int y = 5; y <= 34; ++y) {
    for (int x = 0; x <= 19; ++x) image[y * columns + x] = 1000;
  }
  for (int y = 28; y <= 36; ++y) {
    for (int x = 22; x <= 28; ++x) image[y * columns + x] = 7;
  }
  const CropParameters p{2, 3, 1.0 / 3.0};
  const CropResult left = cropMammogram(image.data(), rows, columns, Laterality::Left, false, p);
  const CropMetadata& m = left.metadata;
  // Opening = the box with its corners rounded off; bottom row 34 keeps columns 2..17 only.
  EXPECT_EQ(m.windowLocation, (std::array<int, 4>{2, 38, 0, 23}));  // y buffered both ways, x on the right
  EXPECT_EQ(m.distanceFromStartingSide, 0);
  EXPECT_EQ(m.bottommostY, 32);
  EXPECT_EQ(m.bottommostColumns, (std::array<int, 2>{2, 17}));
  // Column 19 is set on rows 7..32 (crop 5..30); the top int(36 / 3) = 12 crop rows are skipped.
  EXPECT_EQ(m.rightmostRows, (std::array<int, 2>{12, 30}));
  EXPECT_EQ(m.rightmostX, 19);
  EXPECT_EQ(left.pixels[(30 - 2) * 23 + 22], 7);  // the crop keeps the original values, blob included

  const auto flipped = mirrored(image, rows, columns);
  const CropResult right = cropMammogram(flipped.data(), rows, columns, Laterality::Right, false, p);
  expectMirrorOf(m, right.metadata, columns);
}

TEST(Cropping, EqualComponentsGoToTheFirstInRasterOrder) {
  // Two 10 x 10 squares: the right one starts higher, so scipy would give it the lower label.
  const int rows = 30, columns = 60;
  std::vector<std::uint16_t> image(rows * columns, 0);
  for (int y = 0; y < 10; ++y) {
    for (int x = 0; x < 10; ++x) {
      image[(10 + y) * columns + 5 + x] = 1;
      image[(5 + y) * columns + 40 + x] = 1;
    }
  }
  const CropResult crop = cropMammogram(image.data(), rows, columns, Laterality::Left, false, {1, 0, 1.0 / 3.0});
  EXPECT_EQ(crop.metadata.windowLocation, (std::array<int, 4>{5, 15, 40, 50}));
}

TEST(Cropping, BlankImageThrowsAClearError) {
  const std::vector<std::uint16_t> blank(300 * 200, 0);
  try {
    cropMammogram(blank.data(), 300, 200, Laterality::Left, false);
    FAIL() << "expected an exception";
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()).rfind("no breast found: ", 0), 0u) << e.what();
  }
  // A breast too thin to survive 100 erosions fails the same way.
  std::vector<std::uint16_t> thin(300 * 200, 0);
  for (int y = 0; y < 300; ++y) {
    for (int x = 0; x < 150; ++x) thin[y * 200 + x] = 5;
  }
  EXPECT_THROW(cropMammogram(thin.data(), 300, 200, Laterality::Left, false), std::runtime_error);
  EXPECT_THROW(cropMammogram(blank.data(), 300, 200, Laterality::Unknown, false), std::invalid_argument);
}

namespace {
// A 3000 x 2000 face-right CC crop: tall enough that the window (2677 rows) can slide over y = 1338..1661.
struct CcSearch {
  static constexpr int kRows = 3000, kColumns = 2000;
  std::vector<std::uint16_t> pixels = std::vector<std::uint16_t>(kRows * kColumns, 0);
  CropMetadata crop;
  CcSearch() { crop.rightmostX = 1900; }  // x = 928; window columns shift to [0, 1942)
  void set(int y, int x) { pixels[y * kColumns + x] = 1; }
  std::array<int, 2> center(bool flip = false) const {
    return optimalCenter(pixels.data(), kRows, kColumns, flip, ViewPosition::CC, crop);
  }
};
}  // namespace

TEST(OptimalCenter, CcSearchMaximisesTissueThenPrefersTheCentreThenTheTop) {
  CcSearch empty;
  EXPECT_EQ(empty.center(), (std::array<int, 2>{1500, 928}));  // all scores 0: nearest to com (1500, 1000)

  CcSearch top;
  for (int y = 0; y < 100; ++y) top.set(y, 500);  // only the highest window holds all of it
  EXPECT_EQ(top.center(), (std::array<int, 2>{1338, 928}));

  CcSearch bottom;
  for (int y = 2900; y < 3000; ++y) bottom.set(y, 500);
  EXPECT_EQ(bottom.center(), (std::array<int, 2>{1661, 928}));

  // Row 161 is inside windows with y <= 1499, row 2839 inside those with y >= 1501: y = 1499 and 1501 tie on
  // score and on distance to com; the first in scan order wins.
  CcSearch tie;
  tie.set(161, 500);
  tie.set(2839, 500);
  EXPECT_EQ(tie.center(), (std::array<int, 2>{1499, 928}));

  // Column 1990 is outside the window columns [0, 1942) unless the crop is mirrored first (to column 9).
  CcSearch mirrored;
  for (int y = 0; y < 100; ++y) mirrored.set(y, 1990);
  EXPECT_EQ(mirrored.center(false), (std::array<int, 2>{1500, 928}));
  EXPECT_EQ(mirrored.center(true), (std::array<int, 2>{1338, 928}));
}

TEST(OptimalCenter, MloUsesTheLowerOfBottommostAndTheLastTissueRowNearTheNipple) {
  const int rows = 2600, columns = 2000;
  std::vector<std::uint16_t> pixels(rows * columns, 0);
  // Face-right window columns are the right-most 1748, i.e. stored columns 252..1999 without a flip.
  for (int y = 0; y < 2400; ++y) pixels[y * columns + 300] = 9;
  for (int y = 0; y < 2500; ++y) pixels[y * columns + 100] = 9;  // outside those columns: ignored
  CropMetadata crop;
  crop.rightmostX = 1500;
  crop.bottommostY = 2599;
  const auto mlo = [&](bool flip) {
    return optimalCenter(pixels.data(), rows, columns, flip, ViewPosition::MLO, crop);
  };
  EXPECT_EQ(mlo(false), (std::array<int, 2>{2399 - 1488, 1500 - 875}));
  EXPECT_EQ(mlo(true), (std::array<int, 2>{2499 - 1488, 1500 - 875}));  // mirrored: both columns count
  crop.bottommostY = 2000;
  EXPECT_EQ(mlo(false), (std::array<int, 2>{2000 - 1488, 625}));
  EXPECT_THROW(optimalCenter(pixels.data(), rows, columns, false, ViewPosition::ML, crop), std::invalid_argument);
}
