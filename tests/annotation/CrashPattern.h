#pragma once
// The label maps the crash-test writer produces: version v is a pseudo-random pattern of classes 1 and 2
// seeded by v, with v's 32 bits also spelled out in row 0 (columns 0-31 in class 1, 32-63 in class 2), so
// each class's mask file alone tells which version it claims to be and can be checked against it.
#include <cstdint>

#include "core/LabelMap.h"

namespace mammo::test {

inline constexpr int kCrashRows = 1024;
inline constexpr int kCrashColumns = 832;

inline core::LabelMap crashPattern(std::uint32_t version) {
  core::LabelMap map(kCrashRows, kCrashColumns);
  for (int bit = 0; bit < 32; ++bit) {
    if (version >> bit & 1u) {
      map.at(0, bit) = 1;
      map.at(0, 32 + bit) = 2;
    }
  }
  // Blocks of 64x64 pixels keep the files and the lesion count realistic (long runs, ~100 regions) while
  // versions differ in most blocks.
  for (int r = 1; r < kCrashRows; ++r) {
    for (int c = 0; c < kCrashColumns; ++c) {
      std::uint32_t h = version * 2654435761u ^ static_cast<std::uint32_t>((r / 64) * 7919 + (c / 64) * 104729);
      h ^= h >> 15;
      h *= 2246822519u;
      h ^= h >> 13;
      map.at(r, c) = static_cast<std::uint8_t>(h % 3);
    }
  }
  return map;
}

// The version a class plane claims (row 0 bits); class 1 or 2.
template <typename Pixels>
std::uint32_t claimedVersion(const Pixels& plane, int label) {
  std::uint32_t v = 0;
  for (int bit = 0; bit < 32; ++bit) {
    if (plane[(label == 1 ? 0 : 32) + bit]) v |= 1u << bit;
  }
  return v;
}

}  // namespace mammo::test
