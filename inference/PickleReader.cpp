#include "inference/PickleReader.h"

#include <algorithm>
#include <bit>
#include <cstdio>
#include <stdexcept>

namespace mammo::inference {

namespace {

constexpr int kHighestProtocol = 5;

namespace op {
constexpr std::uint8_t kMark = '(', kStop = '.', kPop = '0', kPopMark = '1', kDup = '2';
constexpr std::uint8_t kNone = 'N', kBinInt = 'J', kBinInt1 = 'K', kBinInt2 = 'M', kBinFloat = 'G';
constexpr std::uint8_t kBinString = 'T', kShortBinString = 'U', kBinUnicode = 'X', kBinBytes = 'B';
constexpr std::uint8_t kShortBinBytes = 'C', kEmptyList = ']', kAppend = 'a', kAppends = 'e';
constexpr std::uint8_t kEmptyTuple = ')', kTuple = 't', kEmptyDict = '}', kSetItem = 's', kSetItems = 'u';
constexpr std::uint8_t kGlobal = 'c', kReduce = 'R', kBuild = 'b', kBinPersId = 'Q';
constexpr std::uint8_t kBinGet = 'h', kLongBinGet = 'j', kBinPut = 'q', kLongBinPut = 'r';
constexpr std::uint8_t kProto = 0x80, kNewObj = 0x81, kTuple1 = 0x85, kTuple2 = 0x86, kTuple3 = 0x87;
constexpr std::uint8_t kNewTrue = 0x88, kNewFalse = 0x89, kLong1 = 0x8a, kLong4 = 0x8b;
constexpr std::uint8_t kShortBinUnicode = 0x8c, kBinUnicode8 = 0x8d, kBinBytes8 = 0x8e;
constexpr std::uint8_t kStackGlobal = 0x93, kMemoize = 0x94, kFrame = 0x95;
}  // namespace op

std::string opcodeText(std::uint8_t opcode) {
  char buffer[16];
  if (opcode >= 0x20 && opcode < 0x7f) {
    std::snprintf(buffer, sizeof buffer, "'%c' (0x%02x)", static_cast<char>(opcode), opcode);
  } else {
    std::snprintf(buffer, sizeof buffer, "0x%02x", opcode);
  }
  return buffer;
}

}  // namespace

PickleValue* PickleValue::find(const std::string& key) const {
  for (auto it = entries.rbegin(); it != entries.rend(); ++it) {
    if (it->first->isString() && it->first->text == key) return it->second;
  }
  return nullptr;
}

const char* pickleKindName(PickleKind kind) {
  switch (kind) {
    case PickleKind::None:
      return "None";
    case PickleKind::Bool:
      return "bool";
    case PickleKind::Int:
      return "int";
    case PickleKind::BigInt:
      return "big int";
    case PickleKind::Float:
      return "float";
    case PickleKind::String:
      return "str";
    case PickleKind::Bytes:
      return "bytes";
    case PickleKind::Tuple:
      return "tuple";
    case PickleKind::List:
      return "list";
    case PickleKind::Dict:
      return "dict";
    case PickleKind::Global:
      return "global";
    case PickleKind::Call:
      return "call";
    case PickleKind::PersistentRef:
      return "persistent id";
  }
  return "?";
}

PickleReader::PickleReader(std::span<const std::uint8_t> bytes, std::string source)
    : m_bytes(bytes), m_source(std::move(source)) {}

void PickleReader::fail(const std::string& what) const {
  const std::string where = m_opcodeOffset < m_bytes.size() ? "opcode " + opcodeText(m_opcode) : "end of data";
  throw std::runtime_error(m_source + ": malformed pickle at byte " + std::to_string(m_opcodeOffset) + " (" + where +
                           "): " + what);
}

std::span<const std::uint8_t> PickleReader::take(std::size_t count) {
  if (count > m_bytes.size() - m_position) {
    fail("needs " + std::to_string(count) + " more bytes but only " + std::to_string(m_bytes.size() - m_position) +
         " remain");
  }
  auto result = m_bytes.subspan(m_position, count);
  m_position += count;
  return result;
}

std::uint64_t PickleReader::readUnsigned(std::size_t byteCount) {
  std::uint64_t value = 0;
  const auto bytes = take(byteCount);
  for (std::size_t i = 0; i < byteCount; ++i) value |= static_cast<std::uint64_t>(bytes[i]) << (8 * i);
  return value;
}

std::string PickleReader::readString(std::size_t length) {
  const auto bytes = take(length);
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

std::string PickleReader::readLine() {
  const auto begin = m_bytes.begin() + static_cast<std::ptrdiff_t>(m_position);
  const auto newline = std::find(begin, m_bytes.end(), std::uint8_t{'\n'});
  if (newline == m_bytes.end()) fail("line argument has no terminating newline");
  std::string line(begin, newline);
  m_position += line.size() + 1;
  return line;
}

PickleValue* PickleReader::make(PickleKind kind) {
  if (m_arena.size() >= kMaxValues) fail("more than " + std::to_string(kMaxValues) + " objects");
  m_arena.push_back(std::make_unique<PickleValue>());
  m_arena.back()->kind = kind;
  return m_arena.back().get();
}

PickleValue* PickleReader::top() {
  const std::size_t floor = m_marks.empty() ? 0 : m_marks.back();
  if (m_stack.size() <= floor) fail("stack underflow");
  return m_stack.back();
}

PickleValue* PickleReader::pop() {
  PickleValue* value = top();
  m_stack.pop_back();
  return value;
}

std::vector<PickleValue*> PickleReader::popToMark() {
  if (m_marks.empty()) fail("no MARK on the stack");
  const std::size_t mark = m_marks.back();
  m_marks.pop_back();
  std::vector<PickleValue*> items(m_stack.begin() + static_cast<std::ptrdiff_t>(mark), m_stack.end());
  m_stack.resize(mark);
  return items;
}

void PickleReader::memoPut(std::uint64_t index) { m_memo[index] = top(); }

void PickleReader::memoGet(std::uint64_t index) {
  const auto it = m_memo.find(index);
  if (it == m_memo.end()) fail("memo key " + std::to_string(index) + " was never stored");
  m_stack.push_back(it->second);
}

void PickleReader::pushLong(std::size_t byteCount) {
  if (byteCount <= 8) {
    std::uint64_t raw = readUnsigned(byteCount);
    // Sign-extend the two's-complement value from its byteCount bytes.
    if (byteCount > 0 && byteCount < 8 && (raw >> (8 * byteCount - 1)) != 0)
      raw |= ~std::uint64_t{0} << (8 * byteCount);
    PickleValue* value = make(PickleKind::Int);
    value->intValue = static_cast<std::int64_t>(raw);
    m_stack.push_back(value);
    return;
  }
  std::string bytes = readString(byteCount);
  PickleValue* value = make(PickleKind::BigInt);
  value->text = std::move(bytes);
  m_stack.push_back(value);
}

void PickleReader::pushString(std::uint8_t opcode) {
  const bool isShort = opcode == op::kShortBinString || opcode == op::kShortBinUnicode || opcode == op::kShortBinBytes;
  const bool isWide = opcode == op::kBinUnicode8 || opcode == op::kBinBytes8;
  const bool isBytes = opcode == op::kShortBinBytes || opcode == op::kBinBytes || opcode == op::kBinBytes8;
  const std::uint64_t length = readUnsigned(isShort ? 1 : isWide ? 8 : 4);
  if (opcode == op::kBinString && length > 0x7fffffffu) fail("negative BINSTRING length");
  if (length > m_bytes.size()) fail("string length " + std::to_string(length) + " exceeds the data");
  std::string text = readString(static_cast<std::size_t>(length));
  PickleValue* value = make(isBytes ? PickleKind::Bytes : PickleKind::String);
  value->text = std::move(text);
  m_stack.push_back(value);
}

PickleValue* PickleReader::load(std::size_t& offset) {
  m_position = offset;
  m_stack.clear();
  m_marks.clear();
  m_memo.clear();
  m_persistentIds.clear();
  while (true) {
    m_opcodeOffset = m_position;
    if (m_position >= m_bytes.size()) fail("the data ends before STOP");
    m_opcode = m_bytes[m_position++];
    if (!execute(m_opcode)) break;
  }
  if (!m_marks.empty()) fail("STOP with an unclosed MARK");
  if (m_stack.size() != 1) fail("STOP leaves " + std::to_string(m_stack.size()) + " objects on the stack, not 1");
  offset = m_position;
  PickleValue* result = m_stack.back();
  m_stack.clear();
  m_memo.clear();
  return result;
}

bool PickleReader::execute(std::uint8_t opcode) {
  switch (opcode) {
    case op::kStop:
      return false;
    case op::kProto: {
      const auto protocol = readUnsigned(1);
      if (protocol > kHighestProtocol) fail("unsupported pickle protocol " + std::to_string(protocol));
      return true;
    }
    case op::kFrame:
      readUnsigned(8);
      return true;  // framing only groups opcodes; the bytes follow inline
    case op::kMark:
      m_marks.push_back(m_stack.size());
      return true;
    case op::kPop:
      pop();
      return true;
    case op::kPopMark:
      popToMark();
      return true;
    case op::kDup:
      m_stack.push_back(top());
      return true;
    case op::kNone:
      m_stack.push_back(make(PickleKind::None));
      return true;
    case op::kNewTrue:
    case op::kNewFalse: {
      PickleValue* value = make(PickleKind::Bool);
      value->boolValue = opcode == op::kNewTrue;
      m_stack.push_back(value);
      return true;
    }
    case op::kBinInt: {
      PickleValue* value = make(PickleKind::Int);
      value->intValue = static_cast<std::int32_t>(static_cast<std::uint32_t>(readUnsigned(4)));
      m_stack.push_back(value);
      return true;
    }
    case op::kBinInt1:
    case op::kBinInt2: {
      PickleValue* value = make(PickleKind::Int);
      value->intValue = static_cast<std::int64_t>(readUnsigned(opcode == op::kBinInt1 ? 1 : 2));
      m_stack.push_back(value);
      return true;
    }
    case op::kLong1:
      pushLong(readUnsigned(1));
      return true;
    case op::kLong4: {
      const auto length = static_cast<std::int32_t>(static_cast<std::uint32_t>(readUnsigned(4)));
      if (length < 0) fail("negative LONG4 length");
      pushLong(static_cast<std::size_t>(length));
      return true;
    }
    case op::kBinFloat: {
      // The only big-endian field in a pickle.
      std::uint64_t raw = 0;
      for (const auto byte : take(8)) raw = (raw << 8) | byte;
      PickleValue* value = make(PickleKind::Float);
      value->floatValue = std::bit_cast<double>(raw);
      m_stack.push_back(value);
      return true;
    }
    case op::kBinPut:
      memoPut(readUnsigned(1));
      return true;
    case op::kLongBinPut:
      memoPut(readUnsigned(4));
      return true;
    case op::kMemoize:
      memoPut(m_memo.size());
      return true;
    case op::kBinGet:
      memoGet(readUnsigned(1));
      return true;
    case op::kLongBinGet:
      memoGet(readUnsigned(4));
      return true;
    case op::kShortBinString:
    case op::kShortBinUnicode:
    case op::kBinString:
    case op::kBinUnicode:
    case op::kBinUnicode8:
    case op::kShortBinBytes:
    case op::kBinBytes:
    case op::kBinBytes8:
      pushString(opcode);
      return true;
    default:
      executeContainerOp(opcode);
      return true;
  }
}

void PickleReader::executeContainerOp(std::uint8_t opcode) {
  switch (opcode) {
    case op::kEmptyTuple:
      m_stack.push_back(make(PickleKind::Tuple));
      return;
    case op::kEmptyList:
      m_stack.push_back(make(PickleKind::List));
      return;
    case op::kEmptyDict:
      m_stack.push_back(make(PickleKind::Dict));
      return;
    case op::kTuple:
    case op::kTuple1:
    case op::kTuple2:
    case op::kTuple3: {
      PickleValue* value = make(PickleKind::Tuple);
      if (opcode == op::kTuple) {
        value->items = popToMark();
      } else {
        value->items.resize(static_cast<std::size_t>(opcode - op::kTuple1) + 1);
        for (auto it = value->items.rbegin(); it != value->items.rend(); ++it) *it = pop();
      }
      m_stack.push_back(value);
      return;
    }
    case op::kAppend:
    case op::kAppends: {
      std::vector<PickleValue*> items;
      if (opcode == op::kAppend) {
        items.push_back(pop());
      } else {
        items = popToMark();
      }
      PickleValue* list = top();
      if (list->kind != PickleKind::List)
        fail(std::string("append to a ") + pickleKindName(list->kind) + ", not a list");
      list->items.insert(list->items.end(), items.begin(), items.end());
      return;
    }
    case op::kSetItem:
    case op::kSetItems: {
      std::vector<PickleValue*> items;
      if (opcode == op::kSetItem) {
        PickleValue* value = pop();
        PickleValue* key = pop();
        items = {key, value};
      } else {
        items = popToMark();
        if (items.size() % 2 != 0) fail("SETITEMS with an odd number of items");
      }
      PickleValue* dict = top();
      if (dict->kind != PickleKind::Dict)
        fail(std::string("set item on a ") + pickleKindName(dict->kind) + ", not a dict");
      for (std::size_t i = 0; i < items.size(); i += 2) dict->entries.emplace_back(items[i], items[i + 1]);
      return;
    }
    default:
      executeObjectOp(opcode);
      return;
  }
}

void PickleReader::executeObjectOp(std::uint8_t opcode) {
  switch (opcode) {
    case op::kGlobal:
    case op::kStackGlobal: {
      PickleValue* value = make(PickleKind::Global);
      if (opcode == op::kGlobal) {
        value->text = readLine();
        value->name = readLine();
      } else {
        const PickleValue* name = pop();
        const PickleValue* module = pop();
        if (!module->isString() || !name->isString()) fail("STACK_GLOBAL needs two strings");
        value->text = module->text;
        value->name = name->text;
      }
      m_stack.push_back(value);
      return;
    }
    case op::kReduce:
    case op::kNewObj: {
      PickleValue* args = pop();
      PickleValue* callable = pop();
      if (args->kind != PickleKind::Tuple)
        fail(std::string("arguments are a ") + pickleKindName(args->kind) + ", not a tuple");
      if (callable->isGlobal("collections", "OrderedDict") && args->items.empty()) {
        m_stack.push_back(make(PickleKind::Dict));  // filled by the SETITEMS that follow
        return;
      }
      PickleValue* value = make(PickleKind::Call);
      value->callable = callable;
      value->args = args;
      m_stack.push_back(value);
      return;
    }
    case op::kBuild: {
      PickleValue* state = pop();
      PickleValue* target = top();
      if (target->kind != PickleKind::Dict && target->kind != PickleKind::Call) {
        fail(std::string("BUILD on a ") + pickleKindName(target->kind));
      }
      target->state = state;  // e.g. a state dict's `_metadata`; kept, not interpreted
      return;
    }
    case op::kBinPersId: {
      PickleValue* value = make(PickleKind::PersistentRef);
      value->args = pop();
      m_persistentIds.push_back(value->args);
      m_stack.push_back(value);
      return;
    }
    default:
      fail("unknown or unsupported opcode");
  }
}

}  // namespace mammo::inference
