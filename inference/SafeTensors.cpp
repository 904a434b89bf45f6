#include "inference/SafeTensors.h"

#include <nlohmann/json.hpp>

#include <array>
#include <cmath>
#include <cstring>
#include <fstream>
#include <stdexcept>

namespace mammo::inference {

std::uint16_t floatToHalf(float value) {
  std::uint32_t bits = 0;
  std::memcpy(&bits, &value, 4);
  const std::uint16_t sign = static_cast<std::uint16_t>((bits >> 16) & 0x8000u);
  const std::uint32_t exponent = (bits >> 23) & 0xffu;
  std::uint32_t mantissa = bits & 0x7fffffu;
  if (exponent == 0xffu) {  // inf, NaN (keep NaN a quiet NaN)
    return static_cast<std::uint16_t>(sign | 0x7c00u | (mantissa ? 0x200u : 0u));
  }
  const int e = static_cast<int>(exponent) - 127 + 15;
  if (e >= 31) return static_cast<std::uint16_t>(sign | 0x7c00u);  // overflow: inf
  if (e <= 0) {
    if (e < -10) return sign;  // below half the smallest subnormal: signed zero
    // Subnormal: shift the mantissa with its implicit 1, round to nearest even.
    mantissa |= 0x800000u;
    const int shift = 14 - e;
    std::uint32_t half = mantissa >> shift;
    const std::uint32_t rest = mantissa & ((1u << shift) - 1u), halfway = 1u << (shift - 1);
    if (rest > halfway || (rest == halfway && (half & 1u))) ++half;
    return static_cast<std::uint16_t>(sign | half);
  }
  std::uint32_t half = (static_cast<std::uint32_t>(e) << 10) | (mantissa >> 13);
  const std::uint32_t rest = mantissa & 0x1fffu;
  if (rest > 0x1000u || (rest == 0x1000u && (half & 1u))) ++half;  // may carry into the exponent (inf)
  return static_cast<std::uint16_t>(sign | half);
}

float halfToFloat(std::uint16_t half) {
  const std::uint32_t sign = static_cast<std::uint32_t>(half & 0x8000u) << 16;
  const std::uint32_t exponent = (half >> 10) & 0x1fu, mantissa = half & 0x3ffu;
  std::uint32_t bits = 0;
  if (exponent == 0) {
    if (mantissa == 0) {
      bits = sign;
    } else {
      const float value = std::ldexp(static_cast<float>(mantissa), -24);
      std::memcpy(&bits, &value, 4);
      bits |= sign;
    }
  } else if (exponent == 31) {
    bits = sign | 0x7f800000u | (mantissa << 13);
  } else {
    bits = sign | ((exponent - 15 + 127) << 23) | (mantissa << 13);
  }
  float out = 0;
  std::memcpy(&out, &bits, 4);
  return out;
}

void writeSafeTensors(const std::filesystem::path& path, const TensorMap& tensors,
                      const std::map<std::string, std::string>& metadata, SafeTensorsDtype dtype) {
  const bool half = dtype == SafeTensorsDtype::F16;
  const std::uint64_t elementBytes = half ? 2 : 4;
  nlohmann::json header = nlohmann::json::object();
  std::uint64_t offset = 0;
  for (const auto& [name, t] : tensors) {
    const std::uint64_t bytes = t.values.size() * elementBytes;
    header[name] = {{"dtype", half ? "F16" : "F32"}, {"shape", t.shape}, {"data_offsets", {offset, offset + bytes}}};
    offset += bytes;
  }
  if (!metadata.empty()) header["__metadata__"] = metadata;
  std::string text = header.dump();
  text.append((8 - text.size() % 8) % 8, ' ');  // keep the data 8-byte aligned
  const std::filesystem::path tmp = path.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary);
    if (!out) throw std::runtime_error(path.string() + ": cannot write");
    const std::uint64_t length = text.size();
    out.write(reinterpret_cast<const char*>(&length), 8);  // little-endian host assumed (x86-64, ARM64)
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    std::vector<std::uint16_t> buffer;
    for (const auto& [name, t] : tensors) {
      if (half) {
        buffer.resize(t.values.size());
        for (std::size_t i = 0; i < buffer.size(); ++i) buffer[i] = floatToHalf(t.values[i]);
        out.write(reinterpret_cast<const char*>(buffer.data()), static_cast<std::streamsize>(buffer.size() * 2));
      } else {
        out.write(reinterpret_cast<const char*>(t.values.data()), static_cast<std::streamsize>(t.values.size() * 4));
      }
    }
    if (!out.flush()) throw std::runtime_error(path.string() + ": write failed");
  }
  std::filesystem::rename(tmp, path);
}

TensorMap readSafeTensors(const std::filesystem::path& path, std::map<std::string, std::string>* metadata) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(path.string() + ": cannot open weights");
  std::uint64_t length = 0;
  in.read(reinterpret_cast<char*>(&length), 8);
  const auto fileSize = std::filesystem::file_size(path);
  if (!in || length == 0 || length > fileSize - 8) {
    throw std::runtime_error(path.string() + ": not a safetensors file (bad header length)");
  }
  std::string text(length, '\0');
  in.read(text.data(), static_cast<std::streamsize>(length));
  nlohmann::json header;
  try {
    header = nlohmann::json::parse(text);
  } catch (const std::exception& e) {
    throw std::runtime_error(path.string() + ": malformed safetensors header: " + e.what());
  }
  const std::uint64_t dataStart = 8 + length;
  TensorMap tensors;
  std::vector<std::uint16_t> buffer;
  for (const auto& [name, entry] : header.items()) {
    if (name == "__metadata__") {
      if (metadata) *metadata = entry.get<std::map<std::string, std::string>>();
      continue;
    }
    const std::string dtype = entry.value("dtype", "");
    if (dtype != "F32" && dtype != "F16") {
      throw std::runtime_error(
          path.string() +
          std::string(": tensor ").append(name).append(" is ").append(dtype).append(" (F32 or F16 expected)"));
    }
    const std::uint64_t elementBytes = dtype == "F16" ? 2 : 4;
    NamedTensor t;
    t.shape = entry.at("shape").get<std::vector<std::int64_t>>();
    const auto offsets = entry.at("data_offsets").get<std::array<std::uint64_t, 2>>();
    std::uint64_t count = 1;
    for (auto d : t.shape) count *= static_cast<std::uint64_t>(d);
    if (offsets[1] < offsets[0] || offsets[1] - offsets[0] != count * elementBytes ||
        dataStart + offsets[1] > fileSize) {
      throw std::runtime_error(path.string() + ": tensor " + name + " has inconsistent offsets");
    }
    t.values.resize(count);
    in.seekg(static_cast<std::streamoff>(dataStart + offsets[0]));
    if (elementBytes == 4) {
      in.read(reinterpret_cast<char*>(t.values.data()), static_cast<std::streamsize>(count * 4));
    } else {
      buffer.resize(count);
      in.read(reinterpret_cast<char*>(buffer.data()), static_cast<std::streamsize>(count * 2));
      for (std::size_t i = 0; i < count; ++i) t.values[i] = halfToFloat(buffer[i]);
    }
    if (!in) throw std::runtime_error(path.string() + ": truncated data for tensor " + name);
    tensors.emplace(name, std::move(t));
  }
  return tensors;
}

}  // namespace mammo::inference
