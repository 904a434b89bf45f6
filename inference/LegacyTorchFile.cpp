#include "inference/LegacyTorchFile.h"

#include <array>
#include <bit>
#include <cmath>
#include <fstream>
#include <limits>
#include <stdexcept>
#include <system_error>

#include "inference/PickleReader.h"

namespace mammo::inference {

namespace {

// torch.serialization's MAGIC_NUMBER 0x1950a86a20f9469cfc6c as pickle's LONG1 stores it: little-endian
// two's complement, minimal length.
constexpr std::array<std::uint8_t, 10> kMagic = {0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19};
constexpr std::int64_t kLegacyProtocolVersion = 1001;

struct StorageType {
  const char* className;
  const char* dtype;
  std::size_t elementSize;
};

// Every legacy storage class, so that a file with an unusual storage can still be skipped past correctly.
constexpr std::array<StorageType, 12> kStorageTypes = {{
    {"FloatStorage", "float32", 4},
    {"DoubleStorage", "float64", 8},
    {"HalfStorage", "float16", 2},
    {"BFloat16Storage", "bfloat16", 2},
    {"LongStorage", "int64", 8},
    {"IntStorage", "int32", 4},
    {"ShortStorage", "int16", 2},
    {"CharStorage", "int8", 1},
    {"ByteStorage", "uint8", 1},
    {"BoolStorage", "bool", 1},
    {"ComplexFloatStorage", "complex64", 8},
    {"ComplexDoubleStorage", "complex128", 16},
}};

std::uint64_t loadLittleEndian(const std::uint8_t* bytes, std::size_t count) {
  std::uint64_t value = 0;
  for (std::size_t i = 0; i < count; ++i) value |= static_cast<std::uint64_t>(bytes[i]) << (8 * i);
  return value;
}

template <typename Signed>
Signed loadSigned(const std::uint8_t* bytes) {
  using Unsigned = std::make_unsigned_t<Signed>;
  return static_cast<Signed>(static_cast<Unsigned>(loadLittleEndian(bytes, sizeof(Signed))));
}

float halfToFloat(std::uint16_t half) {
  const int exponent = (half >> 10) & 0x1f;
  const int mantissa = half & 0x3ff;
  float magnitude;
  if (exponent == 0) {
    magnitude = std::ldexp(static_cast<float>(mantissa), -24);  // zero and subnormals
  } else if (exponent == 31) {
    magnitude = mantissa == 0 ? std::numeric_limits<float>::infinity() : std::numeric_limits<float>::quiet_NaN();
  } else {
    magnitude = std::ldexp(static_cast<float>(mantissa + 1024), exponent - 25);
  }
  return (half & 0x8000) != 0 ? -magnitude : magnitude;
}

using Converter = float (*)(const std::uint8_t*);

// How to turn one stored element of `dtype` into float32; nullptr for dtypes with no real value.
Converter converterFor(const std::string& dtype) {
  if (dtype == "float32") {
    return
        [](const std::uint8_t* b) { return std::bit_cast<float>(static_cast<std::uint32_t>(loadLittleEndian(b, 4))); };
  }
  if (dtype == "float64") {
    return [](const std::uint8_t* b) { return static_cast<float>(std::bit_cast<double>(loadLittleEndian(b, 8))); };
  }
  if (dtype == "float16") {
    return [](const std::uint8_t* b) { return halfToFloat(static_cast<std::uint16_t>(loadLittleEndian(b, 2))); };
  }
  if (dtype == "bfloat16") {
    // bfloat16 is the upper half of a float32.
    return [](const std::uint8_t* b) {
      return std::bit_cast<float>(static_cast<std::uint32_t>(loadLittleEndian(b, 2) << 16));
    };
  }
  if (dtype == "int64") return [](const std::uint8_t* b) { return static_cast<float>(loadSigned<std::int64_t>(b)); };
  if (dtype == "int32") return [](const std::uint8_t* b) { return static_cast<float>(loadSigned<std::int32_t>(b)); };
  if (dtype == "int16") return [](const std::uint8_t* b) { return static_cast<float>(loadSigned<std::int16_t>(b)); };
  if (dtype == "int8") return [](const std::uint8_t* b) { return static_cast<float>(static_cast<std::int8_t>(b[0])); };
  if (dtype == "uint8" || dtype == "bool") return [](const std::uint8_t* b) { return static_cast<float>(b[0]); };
  return nullptr;
}

std::int64_t intAt(const PickleValue* tuple, std::size_t index, const std::string& context) {
  if (tuple->items.size() <= index || tuple->items[index]->kind != PickleKind::Int) {
    throw std::runtime_error(context + ": expected an int at position " + std::to_string(index));
  }
  return tuple->items[index]->intValue;
}

std::vector<std::int64_t> intTuple(const PickleValue* value, const std::string& context) {
  if (value->kind != PickleKind::Tuple) throw std::runtime_error(context + ": expected a tuple of ints");
  std::vector<std::int64_t> result;
  for (std::size_t i = 0; i < value->items.size(); ++i) result.push_back(intAt(value, i, context));
  return result;
}

std::string errorContext(const std::string& source, const std::string& what) {
  return "LegacyTorchFile: " + source + ": " + what;
}

}  // namespace

LegacyTorchFile LegacyTorchFile::read(const std::filesystem::path& path) {
  LegacyTorchFile file;
  file.m_source = path.string();
  std::ifstream stream(path, std::ios::binary);
  std::error_code error;
  const auto size = std::filesystem::file_size(path, error);
  if (!stream || error) throw std::runtime_error(errorContext(file.m_source, "cannot open the file for reading"));
  file.m_bytes.resize(static_cast<std::size_t>(size));
  if (!stream.read(reinterpret_cast<char*>(file.m_bytes.data()), static_cast<std::streamsize>(size))) {
    throw std::runtime_error(errorContext(file.m_source, "read error"));
  }
  file.parse();
  return file;
}

void LegacyTorchFile::parse() {
  const auto fail = [this](const std::string& what) { throw std::runtime_error(errorContext(m_source, what)); };
  if (m_bytes.size() >= 4 && m_bytes[0] == 'P' && m_bytes[1] == 'K' && m_bytes[2] == 3 && m_bytes[3] == 4) {
    fail(
        "a zip-format torch.save file (PyTorch >= 1.6); only the legacy format is read here — re-save it with "
        "_use_new_zipfile_serialization=False");
  }
  PickleReader reader(m_bytes, "LegacyTorchFile: " + m_source);
  std::size_t offset = 0;
  const auto magic = reader.load(offset);
  if (magic->kind != PickleKind::BigInt || magic->text != std::string(kMagic.begin(), kMagic.end())) {
    fail("not a legacy torch.save file (magic number missing)");
  }
  const auto version = reader.load(offset);
  if (version->kind != PickleKind::Int || version->intValue != kLegacyProtocolVersion) {
    fail("unsupported torch.save protocol version (expected 1001)");
  }
  const auto sysInfo = reader.load(offset);
  if (sysInfo->kind != PickleKind::Dict) fail("sys_info is not a dict");
  if (const auto littleEndian = sysInfo->find("little_endian");
      littleEndian && littleEndian->kind == PickleKind::Bool && !littleEndian->boolValue) {
    fail("saved on a big-endian machine, which is not supported");
  }

  const auto object = reader.load(offset);
  for (const auto& id : reader.persistentIds()) registerStorage(id);
  readStorageData(reader, offset);

  if (object->kind != PickleKind::Dict) {
    fail(std::string("the saved object is a ") + pickleKindName(object->kind) + ", not a dict of tensors");
  }
  const PickleValue* stateDict = object;
  if (const auto model = object->find("model"); model && model->kind == PickleKind::Dict) {
    stateDict = model;
    m_topLevelHadModelKey = true;
  }
  for (const auto& [key, value] : stateDict->entries) {
    if (!key->isString()) fail(std::string("state dict key is a ") + pickleKindName(key->kind) + ", not a str");
    m_tensors[key->text] = toTensor(value, key->text);
  }
}

void LegacyTorchFile::registerStorage(const PickleValue* id) {
  // ('storage', storage class, key, location, element count, view metadata); location is ignored because
  // CUDA storages are written with the same bytes as CPU ones.
  const std::string context = errorContext(m_source, "storage reference");
  if (id->kind != PickleKind::Tuple || id->items.size() < 5 || !id->items[0]->isString() ||
      id->items[0]->text != "storage" || !id->items[2]->isString()) {
    throw std::runtime_error(context + ": unexpected persistent id layout");
  }
  const auto& typeValue = id->items[1];
  const StorageType* type = nullptr;
  for (const auto& candidate : kStorageTypes) {
    if (typeValue->kind == PickleKind::Global && typeValue->name == candidate.className) type = &candidate;
  }
  if (type == nullptr) {
    const std::string typeName = typeValue->kind == PickleKind::Global ? typeValue->text + "." + typeValue->name
                                                                       : pickleKindName(typeValue->kind);
    throw std::runtime_error(context + ": unsupported storage type " + typeName);
  }
  const std::string& key = id->items[2]->text;
  const std::int64_t count = intAt(id, 4, context + " '" + key + "'");
  if (count < 0) throw std::runtime_error(context + " '" + key + "': negative size");

  const auto [it, inserted] = m_storages.try_emplace(key, Storage{type->dtype, type->elementSize, count});
  if (!inserted && (it->second.dtype != type->dtype || it->second.elementCount != count)) {
    throw std::runtime_error(context + " '" + key + "': referenced with two different types or sizes");
  }
}

void LegacyTorchFile::readStorageData(PickleReader& reader, std::size_t offset) {
  const auto fail = [this](const std::string& what) { throw std::runtime_error(errorContext(m_source, what)); };
  const auto keys = reader.load(offset);
  if (keys->kind != PickleKind::List) fail("the storage key list is missing");
  for (const auto& keyValue : keys->items) {
    if (!keyValue->isString()) fail("a storage key is not a str");
    const auto it = m_storages.find(keyValue->text);
    if (it == m_storages.end()) fail("storage '" + keyValue->text + "' has data but no reference, size unknown");
    Storage& storage = it->second;
    if (storage.hasData) fail("storage '" + keyValue->text + "' is listed twice");
    if (m_bytes.size() - offset < 8) fail("truncated in the header of storage '" + keyValue->text + "'");
    const auto count = static_cast<std::int64_t>(loadLittleEndian(m_bytes.data() + offset, 8));
    offset += 8;
    if (count != storage.elementCount) {
      fail("storage '" + keyValue->text + "' holds " + std::to_string(count) + " elements but was declared with " +
           std::to_string(storage.elementCount));
    }
    if (static_cast<std::uint64_t>(count) > (m_bytes.size() - offset) / storage.elementSize) {
      fail("truncated in the data of storage '" + keyValue->text + "' at byte " + std::to_string(offset));
    }
    storage.byteOffset = offset;
    storage.hasData = true;
    offset += static_cast<std::size_t>(count) * storage.elementSize;
  }
  for (const auto& [key, storage] : m_storages) {
    if (!storage.hasData) fail("storage '" + key + "' is referenced but its data is missing");
  }
}

LegacyTensor LegacyTorchFile::toTensor(const PickleValue* value, const std::string& name) const {
  const std::string context = errorContext(m_source, "tensor '" + name + "'");
  if (value->isCallOf("torch._utils", "_rebuild_parameter") && !value->args->items.empty()) {
    value = value->args->items[0];  // an nn.Parameter saved as such wraps a plain tensor
  }
  if (!value->isCallOf("torch._utils", "_rebuild_tensor_v2") && !value->isCallOf("torch._utils", "_rebuild_tensor")) {
    throw std::runtime_error(context + ": the value is a " + pickleKindName(value->kind) + ", not a tensor");
  }
  const PickleValue* args = value->args;
  if (args->items.size() < 4 || args->items[0]->kind != PickleKind::PersistentRef) {
    throw std::runtime_error(context + ": unexpected arguments to the tensor rebuild function");
  }
  const PickleValue* id = args->items[0]->args;  // layout checked by registerStorage
  LegacyTensor tensor;
  tensor.storageKey = id->items[2]->text;
  tensor.storageOffset = intAt(args, 1, context);
  tensor.shape = intTuple(args->items[2], context);
  tensor.stride = intTuple(args->items[3], context);
  if (id->items.size() > 5 && id->items[5]->kind == PickleKind::Tuple) {
    // A pre-1.0 storage view: (view key, offset into the root storage, view size).
    if (__builtin_add_overflow(tensor.storageOffset, intAt(id->items[5], 1, context), &tensor.storageOffset)) {
      throw std::runtime_error(context + ": storage offset overflows");
    }
  }
  const Storage& storage = m_storages.at(tensor.storageKey);
  tensor.dtype = storage.dtype;
  checkBounds(tensor, storage.elementCount, context);
  return tensor;
}

void LegacyTorchFile::checkBounds(const LegacyTensor& tensor, std::int64_t storageSize, const std::string& context) {
  if (tensor.shape.size() != tensor.stride.size())
    throw std::runtime_error(context + ": shape and stride differ in rank");
  if (tensor.storageOffset < 0) throw std::runtime_error(context + ": negative storage offset");
  std::int64_t count = 1;
  std::int64_t lastIndex = tensor.storageOffset;
  bool overflow = false;
  for (std::size_t i = 0; i < tensor.shape.size(); ++i) {
    if (tensor.shape[i] < 0 || tensor.stride[i] < 0) throw std::runtime_error(context + ": negative size or stride");
    std::int64_t span = 0;
    overflow |= __builtin_mul_overflow(count, tensor.shape[i], &count);
    if (tensor.shape[i] > 1) overflow |= __builtin_mul_overflow(tensor.shape[i] - 1, tensor.stride[i], &span);
    overflow |= __builtin_add_overflow(lastIndex, span, &lastIndex);
  }
  // More elements than the storage holds would only come from an expanded (stride 0) view, which state
  // dicts never contain; refusing it bounds what floatValues() allocates.
  if (overflow || count > storageSize || (count > 0 && lastIndex >= storageSize)) {
    throw std::runtime_error(context + ": shape, stride and offset reach beyond its storage of " +
                             std::to_string(storageSize) + " elements");
  }
}

std::vector<float> LegacyTorchFile::floatValues(const std::string& name) const {
  const auto it = m_tensors.find(name);
  if (it == m_tensors.end()) throw std::runtime_error(errorContext(m_source, "no tensor named '" + name + "'"));
  const LegacyTensor& tensor = it->second;
  const Storage& storage = m_storages.at(tensor.storageKey);
  std::int64_t count = 1;
  for (const auto extent : tensor.shape) count *= extent;
  const Converter convert = converterFor(tensor.dtype);
  if (convert == nullptr) {
    throw std::runtime_error(
        errorContext(m_source, "tensor '" + name + "' of dtype " + tensor.dtype + " has no float32 conversion"));
  }
  std::vector<float> values(static_cast<std::size_t>(count));
  // Walk the elements in row-major order with an odometer over the dimensions (bounds checked at read).
  std::vector<std::int64_t> index(tensor.shape.size(), 0);
  std::int64_t element = tensor.storageOffset;
  for (std::int64_t n = 0; n < count; ++n) {
    const auto* bytes = m_bytes.data() + storage.byteOffset + static_cast<std::size_t>(element) * storage.elementSize;
    values[static_cast<std::size_t>(n)] = convert(bytes);
    for (std::size_t d = index.size(); d-- > 0;) {
      element += tensor.stride[d];
      if (++index[d] < tensor.shape[d]) break;
      element -= tensor.stride[d] * tensor.shape[d];
      index[d] = 0;
    }
  }
  return values;
}

}  // namespace mammo::inference
