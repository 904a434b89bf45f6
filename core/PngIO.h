#pragma once
// 8- and 16-bit greyscale PNG, read as the raw stored sample values (no sBIT shift, no gamma, top row
// first), which is what the NYU reference reads (../shared/docs/NYU-PIPELINE.md §1).
#include <cstdint>
#include <filesystem>
#include <vector>

namespace mammo::core {

struct PngPixels {
  int rows = 0;
  int columns = 0;
  int bitDepth = 0;  // 8 or 16 as stored
  int significantBits = 0;  // sBIT if present, else bitDepth (reported only, never applied)
  std::vector<std::uint16_t> pixels;
};

// Throws LoadError naming the file for unreadable, truncated, corrupt or non-greyscale files.
PngPixels readPng(const std::filesystem::path& path);

// Writes greyscale at bitDepth 8 or 16; values must fit. sBIT is written when significantBits > 0.
// Throws std::runtime_error naming the file on failure; writes to a temporary file and renames.
void writePng(const std::filesystem::path& path, int rows, int columns, const std::uint16_t* pixels, int bitDepth,
              int significantBits = 0);

}  // namespace mammo::core
