#pragma once
// The project's weight file format: safetensors (8-byte little-endian header length, a JSON header
// {name: {"dtype": "F32", "shape": [...], "data_offsets": [begin, end]}, "__metadata__": {...}}, then the
// raw little-endian data). Simple, documented, memory-mappable and read by other tools too.
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>

#include "inference/TensorMap.h"

namespace mammo::inference {

// Storage type of the tensors in the file; TensorMap values are float32 in memory either way.
// F16 (IEEE half, round to nearest even, saturating to +-inf beyond 65504) halves the file for shipped
// weights whose precision matters less than their size (the demo model).
enum class SafeTensorsDtype { F32, F16 };

// Writes atomically (temporary file, then rename). metadata: string pairs stored under "__metadata__".
void writeSafeTensors(const std::filesystem::path& path, const TensorMap& tensors,
                      const std::map<std::string, std::string>& metadata = {},
                      SafeTensorsDtype dtype = SafeTensorsDtype::F32);
// Reads F32 and F16 tensors (F16 widened to float32 exactly); throws std::runtime_error naming the file
// (and the tensor) on malformed input or another dtype.
TensorMap readSafeTensors(const std::filesystem::path& path, std::map<std::string, std::string>* metadata = nullptr);

// IEEE 754 binary16 conversions used by the F16 storage (exposed for tests).
std::uint16_t floatToHalf(float value);
float halfToFloat(std::uint16_t half);

}  // namespace mammo::inference
