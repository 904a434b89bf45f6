#pragma once
// Readers for the parity vectors in ../shared/parity/nyu-exam-a (test code only): xz-compressed raw
// float32 heatmaps, patch-probability CSVs, JSON summaries, and the reference's cropped exam.
#include <lzma.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "TestSupport.h"
#include "core/PngIO.h"
#include "inference/Cropping.h"
#include "inference/NyuConstants.h"
#include "core/Orientation.h"

namespace mammo::test {

inline std::vector<float> readXzFloats(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  const std::string packed((std::istreambuf_iterator<char>(in)), {});
  lzma_stream stream = LZMA_STREAM_INIT;
  if (lzma_stream_decoder(&stream, UINT64_MAX, 0) != LZMA_OK) throw std::runtime_error("lzma init failed");
  std::vector<std::uint8_t> out;
  std::uint8_t buffer[1 << 16];
  stream.next_in = reinterpret_cast<const std::uint8_t*>(packed.data());
  stream.avail_in = packed.size();
  lzma_ret ret = LZMA_OK;
  while (ret == LZMA_OK) {
    stream.next_out = buffer;
    stream.avail_out = sizeof buffer;
    ret = lzma_code(&stream, LZMA_FINISH);
    out.insert(out.end(), buffer, buffer + (sizeof buffer - stream.avail_out));
  }
  lzma_end(&stream);
  if (ret != LZMA_STREAM_END) throw std::runtime_error("cannot decompress " + path.string());
  std::vector<float> values(out.size() / 4);
  std::memcpy(values.data(), out.data(), values.size() * 4);
  return values;
}

inline nlohmann::json readJson(const std::filesystem::path& path) {
  std::ifstream in(path);
  return nlohmann::json::parse(in);
}

// patch_index,col_index,row_index,y0,x0,p0,p1,p2,p3
struct ReferencePatch {
  int index, column, row, y0, x0;
  std::array<float, 4> p;
};

inline std::vector<ReferencePatch> readPatchCsv(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  std::vector<ReferencePatch> patches;
  while (std::getline(in, line)) {
    std::replace(line.begin(), line.end(), ',', ' ');
    std::istringstream s(line);
    ReferencePatch p{};
    s >> p.index >> p.column >> p.row >> p.y0 >> p.x0 >> p.p[0] >> p.p[1] >> p.p[2] >> p.p[3];
    patches.push_back(p);
  }
  return patches;
}

inline const char* kParityNames[] = {"A_L_CC", "A_R_CC", "A_L_MLO", "A_R_MLO"};

// The cropped exam, each crop in the face-right frame (R views mirrored), view order L-CC, R-CC, L-MLO, R-MLO.
struct ParityCrop {
  inference::CropResult crop;
  std::vector<std::uint16_t> faceRight;
  bool mirrored = false;
};

inline const std::array<ParityCrop, 4>& parityCrops() {
  static const std::array<ParityCrop, 4> crops = [] {
    std::array<ParityCrop, 4> out;
    for (int v = 0; v < 4; ++v) {
      const core::PngPixels png = core::readPng(parityDir() / "inputs" / (std::string(kParityNames[v]) + ".png"));
      const auto side = core::lateralityOf(static_cast<core::StandardView>(v));
      out[v].crop = inference::cropMammogram(png.pixels.data(), png.rows, png.columns, side, false);
      out[v].faceRight = out[v].crop.pixels;
      out[v].mirrored = inference::needsFaceRightFlip(side, false);
      if (out[v].mirrored) core::mirrorColumns(out[v].faceRight, out[v].crop.rows, out[v].crop.columns);
    }
    return out;
  }();
  return crops;
}

}  // namespace mammo::test
