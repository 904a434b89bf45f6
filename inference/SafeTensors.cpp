#include "inference/SafeTensors.h"

#include <nlohmann/json.hpp>

#include <array>
#include <cstring>
#include <fstream>
#include <stdexcept>

namespace mammo::inference {

void writeSafeTensors(const std::filesystem::path& path, const TensorMap& tensors,
                      const std::map<std::string, std::string>& metadata) {
  nlohmann::json header = nlohmann::json::object();
  std::uint64_t offset = 0;
  for (const auto& [name, t] : tensors) {
    const std::uint64_t bytes = t.values.size() * sizeof(float);
    header[name] = {{"dtype", "F32"}, {"shape", t.shape}, {"data_offsets", {offset, offset + bytes}}};
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
    for (const auto& [name, t] : tensors) {
      out.write(reinterpret_cast<const char*>(t.values.data()), static_cast<std::streamsize>(t.values.size() * 4));
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
  for (const auto& [name, entry] : header.items()) {
    if (name == "__metadata__") {
      if (metadata) *metadata = entry.get<std::map<std::string, std::string>>();
      continue;
    }
    if (entry.value("dtype", "") != "F32") throw std::runtime_error(path.string() + ": tensor " + name + " is not F32");
    NamedTensor t;
    t.shape = entry.at("shape").get<std::vector<std::int64_t>>();
    const auto offsets = entry.at("data_offsets").get<std::array<std::uint64_t, 2>>();
    std::uint64_t count = 1;
    for (auto d : t.shape) count *= static_cast<std::uint64_t>(d);
    if (offsets[1] < offsets[0] || offsets[1] - offsets[0] != count * 4 || dataStart + offsets[1] > fileSize) {
      throw std::runtime_error(path.string() + ": tensor " + name + " has inconsistent offsets");
    }
    t.values.resize(count);
    in.seekg(static_cast<std::streamoff>(dataStart + offsets[0]));
    in.read(reinterpret_cast<char*>(t.values.data()), static_cast<std::streamsize>(count * 4));
    if (!in) throw std::runtime_error(path.string() + ": truncated data for tensor " + name);
    tensors.emplace(name, std::move(t));
  }
  return tensors;
}

}  // namespace mammo::inference
