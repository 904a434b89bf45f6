#pragma once
// Reader for PyTorch's legacy (pre-1.6, non-zip) torch.save files, the format of NYU's `.p` weight files
// (../shared/docs/NYU-PIPELINE.md §7.4), without Python or LibTorch. Such a file is five consecutive pickles
// — magic number, protocol version 1001, sys_info, the saved object, the list of storage keys — followed by
// each storage's raw bytes in that key order (8-byte little-endian element count, then the elements). Only
// the tensors of a state dict are exposed; everything else in the object is skipped.
// The whole file is held in memory (≈25 MB for the NYU files); each storage is kept once even when several
// tensors share it (the six `four_view_resnet.*` column prefixes do). Immutable after read(), so const
// access from several threads is safe.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace mammo::inference {

class PickleReader;
struct PickleValue;

struct LegacyTensor {
  std::string dtype;  // "float32", "float64", "float16", "bfloat16", "int64", "int32", ...
  std::vector<std::int64_t> shape;  // elements per dimension, PyTorch order (conv weights OIHW)
  std::vector<std::int64_t> stride;  // in elements
  std::int64_t storageOffset = 0;  // in elements
  std::string storageKey;  // tensors sharing storage bytes share this key
};

class LegacyTorchFile {
 public:
  // Throws std::runtime_error naming the file (and, for pickle errors, the byte offset and opcode) when the
  // file cannot be read, is not a legacy torch.save file (a zip-format file gets its own message), or is
  // truncated or inconsistent. Files saved from CUDA tensors load too: the stored bytes are the same.
  static LegacyTorchFile read(const std::filesystem::path& path);

  // Tensors of the state dict, by name. If the saved object is a dict with key "model" whose value is a
  // dict (the NYU cancer models), that inner dict is the state dict; otherwise the saved object itself
  // must be a dict of tensors (the NYU patch model). Includes `num_batches_tracked` (int64) entries.
  const std::map<std::string, LegacyTensor>& tensors() const { return m_tensors; }

  // A contiguous row-major float32 copy of the tensor's values, honouring offset and strides; other dtypes
  // are converted (float64 rounds to nearest, integers as by static_cast). Throws naming the tensor and the
  // file if there is no tensor of that name.
  std::vector<float> floatValues(const std::string& name) const;

  bool topLevelHadModelKey() const { return m_topLevelHadModelKey; }

  // Number of distinct storages in the file (for a saved state dict: those its tensors use).
  std::size_t storageCount() const { return m_storages.size(); }

 private:
  struct Storage {
    std::string dtype;
    std::size_t elementSize = 0;
    std::int64_t elementCount = 0;  // as declared in the pickle; the data header must agree
    std::size_t byteOffset = 0;  // into m_bytes, valid once m_hasData
    bool hasData = false;
  };

  LegacyTorchFile() = default;
  void parse();
  void registerStorage(const PickleValue* persistentId);
  void readStorageData(PickleReader& reader, std::size_t offset);
  LegacyTensor toTensor(const PickleValue* value, const std::string& name) const;
  static void checkBounds(const LegacyTensor& tensor, std::int64_t storageSize, const std::string& context);

  std::string m_source;  // the path, for messages
  std::vector<std::uint8_t> m_bytes;
  std::map<std::string, Storage> m_storages;
  std::map<std::string, LegacyTensor> m_tensors;
  bool m_topLevelHadModelKey = false;
};

}  // namespace mammo::inference
