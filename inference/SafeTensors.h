#pragma once
// The project's weight file format: safetensors (8-byte little-endian header length, a JSON header
// {name: {"dtype": "F32", "shape": [...], "data_offsets": [begin, end]}, "__metadata__": {...}}, then the
// raw little-endian data). Simple, documented, memory-mappable and read by other tools too.
#include <filesystem>
#include <map>
#include <string>

#include "inference/TensorMap.h"

namespace mammo::inference {

// Writes atomically (temporary file, then rename). metadata: string pairs stored under "__metadata__".
void writeSafeTensors(const std::filesystem::path& path, const TensorMap& tensors,
                      const std::map<std::string, std::string>& metadata = {});
// Reads F32 tensors; throws std::runtime_error naming the file (and the tensor) on malformed input.
TensorMap readSafeTensors(const std::filesystem::path& path, std::map<std::string, std::string>* metadata = nullptr);

}  // namespace mammo::inference
