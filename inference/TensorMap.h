#pragma once
// Named float32 tensors as plain C++ (no LibTorch): what weight importers produce and models consume.
// Names follow the published NYU state dicts, so loading is a name-for-name copy.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace mammo::inference {

struct NamedTensor {
  std::vector<std::int64_t> shape;
  std::vector<float> values;  // contiguous, row-major
};

using TensorMap = std::map<std::string, NamedTensor>;

}  // namespace mammo::inference
