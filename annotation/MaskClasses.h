#pragma once
// The annotation classes and their label ids. The names are the NYU mask-file suffixes, so they appear
// in file names, sidecars and DICOM SEG segment labels alike.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mammo::annotation {

struct MaskClass {
  std::uint8_t label;
  std::string_view name;
};

inline constexpr std::array<MaskClass, 2> kMaskClasses{{{1, "benign"}, {2, "malignant"}}};

// "benign" for 1, "malignant" for 2, "class-<n>" for ids the project does not name.
inline std::string className(std::uint8_t label) {
  for (const auto& c : kMaskClasses) {
    if (c.label == label) return std::string(c.name);
  }
  return "class-" + std::to_string(label);
}

inline std::optional<std::uint8_t> classLabel(std::string_view name) {
  for (const auto& c : kMaskClasses) {
    if (c.name == name) return c.label;
  }
  return std::nullopt;
}

}  // namespace mammo::annotation
