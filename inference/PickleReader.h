#pragma once
// A minimal Python pickle virtual machine (protocols 0-5 binary opcodes, no text opcodes) that builds a tree
// of plain values instead of Python objects. Written for PyTorch's legacy torch.save files
// (LegacyTorchFile), which are protocol-2 pickles; it never imports or calls anything: a GLOBAL is recorded
// as a name, REDUCE/NEWOBJ as a call record, BINPERSID as a persistent reference, and the caller decides
// what those mean. The one exception is `collections.OrderedDict()`, which becomes a Dict so that the
// SETITEMS that follow it can fill it.
// Values are owned by the reader and live until it is destroyed (an arena, not reference counts: pickles can
// make cycles, e.g. a list appended to itself, and those must neither leak nor recurse on destruction).
// Not thread-safe per instance; separate readers may run in parallel.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace mammo::inference {

enum class PickleKind {
  None,
  Bool,
  Int,  // fits int64
  BigInt,  // LONG1/LONG4 wider than 8 bytes: `text` holds the little-endian two's-complement bytes
  Float,
  String,  // BINUNICODE (UTF-8) and Python 2 BINSTRING (raw bytes) alike
  Bytes,  // BINBYTES (protocol 3+)
  Tuple,  // `items`
  List,  // `items`
  Dict,  // `entries` in insertion order; duplicate keys are kept, the last one is Python's value
  Global,  // `text` = module, `name` = attribute
  Call,  // REDUCE/NEWOBJ result: `callable` applied to `args` (a Tuple); `state` set by BUILD
  PersistentRef,  // BINPERSID: `args` holds the persistent id
};

// Values are shared, not copied: the memo (BINPUT/BINGET) hands out the same object, and a container that
// is memoised before it is filled (EMPTY_DICT, BINPUT, SETITEMS) must show its contents through every alias.
// Child pointers are never null and point into the owning reader's arena.
struct PickleValue {
  PickleKind kind = PickleKind::None;
  bool boolValue = false;
  std::int64_t intValue = 0;
  double floatValue = 0.0;
  std::string text;
  std::string name;
  std::vector<PickleValue*> items;
  std::vector<std::pair<PickleValue*, PickleValue*>> entries;
  PickleValue* callable = nullptr;  // Call only
  PickleValue* args = nullptr;  // Call and PersistentRef only
  PickleValue* state = nullptr;  // null unless BUILD ran

  bool isString() const { return kind == PickleKind::String; }
  bool isGlobal(const std::string& module, const std::string& attribute) const {
    return kind == PickleKind::Global && text == module && name == attribute;
  }
  bool isCallOf(const std::string& module, const std::string& attribute) const {
    return kind == PickleKind::Call && callable && callable->isGlobal(module, attribute);
  }
  // The value stored under string key `key` (the last one if repeated), or nullptr.
  PickleValue* find(const std::string& key) const;
};

// Human-readable kind name for error messages ("dict", "tuple", ...).
const char* pickleKindName(PickleKind kind);

class PickleReader {
 public:
  // Bounds the memory a hostile file can make us allocate (~200 bytes per object). Each NYU weight file
  // makes about 15,000 (some 20 per state-dict entry), so this leaves room for ~50,000-tensor state dicts.
  static constexpr std::size_t kMaxValues = std::size_t{1} << 20;

  // `bytes` is the whole buffer (typically a file) and stays owned by the caller; `source` names it in
  // error messages, which also give absolute byte offsets into `bytes`.
  PickleReader(std::span<const std::uint8_t> bytes, std::string source);

  PickleReader(const PickleReader&) = delete;
  PickleReader& operator=(const PickleReader&) = delete;

  // Runs one pickle starting at `offset` up to and including its STOP and returns the object it leaves
  // (valid while this reader lives, across later load() calls); `offset` is advanced past the STOP. The
  // memo starts empty for every call, as in Python. Throws std::runtime_error naming the source, the byte
  // offset and the opcode for unknown opcodes, truncated or inconsistent data, or more than kMaxValues
  // objects in all.
  PickleValue* load(std::size_t& offset);

  // The persistent ids (BINPERSID arguments) met by the last load(), in order — what Python would have
  // passed to persistent_load. Lets a caller learn about every referenced object without walking the tree.
  const std::vector<PickleValue*>& persistentIds() const { return m_persistentIds; }

 private:
  [[noreturn]] void fail(const std::string& what) const;
  std::span<const std::uint8_t> take(std::size_t count);
  std::uint64_t readUnsigned(std::size_t byteCount);
  std::string readString(std::size_t length);
  std::string readLine();

  PickleValue* make(PickleKind kind);
  PickleValue* pop();
  PickleValue* top();
  std::vector<PickleValue*> popToMark();
  void memoPut(std::uint64_t index);
  void memoGet(std::uint64_t index);
  bool execute(std::uint8_t opcode);  // false after STOP
  void executeContainerOp(std::uint8_t opcode);
  void executeObjectOp(std::uint8_t opcode);
  void pushLong(std::size_t byteCount);
  void pushString(std::uint8_t opcode);

  std::span<const std::uint8_t> m_bytes;
  std::string m_source;
  std::size_t m_position = 0;  // next byte to read
  std::size_t m_opcodeOffset = 0;  // where the opcode being executed starts, for messages
  std::uint8_t m_opcode = 0;
  std::vector<std::unique_ptr<PickleValue>> m_arena;
  std::vector<PickleValue*> m_stack;
  std::vector<std::size_t> m_marks;  // stack heights at each MARK
  std::unordered_map<std::uint64_t, PickleValue*> m_memo;
  std::vector<PickleValue*> m_persistentIds;
};

}  // namespace mammo::inference
