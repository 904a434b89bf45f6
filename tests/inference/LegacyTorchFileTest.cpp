// The legacy torch.save reader against the five parity weight files and hand-assembled small files.
// Expected numbers for the real files come from an independent reader: CPython 3.11's standard-library
// pickle with stub find_class/persistent_load (no torch installed), decoding the storages with struct.
#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "TestSupport.h"
#include "inference/LegacyTorchFile.h"

using mammo::inference::LegacyTensor;
using mammo::inference::LegacyTorchFile;

namespace {

std::filesystem::path weights(const std::string& name) { return mammo::test::parityDir() / "weights" / name; }

std::int64_t elementCount(const LegacyTensor& tensor) {
  std::int64_t count = 1;
  for (const auto extent : tensor.shape) count *= extent;
  return count;
}

bool endsWith(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

void writeFile(const std::filesystem::path& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

std::string readFile(const std::filesystem::path& path) {
  std::ifstream stream(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(stream), std::istreambuf_iterator<char>()};
}

// Reading must either succeed or throw std::runtime_error; anything else (another exception, a crash under
// the sanitiser build) fails the test.
void expectLoadsOrThrowsRuntimeError(const std::filesystem::path& path) {
  try {
    LegacyTorchFile::read(path);
  } catch (const std::runtime_error&) {}
}

// --- a tiny pickle assembler for synthetic legacy files ---------------------------------------------------

std::string littleEndian(std::uint64_t value, int bytes) {
  std::string out;
  for (int i = 0; i < bytes; ++i) out += static_cast<char>((value >> (8 * i)) & 0xff);
  return out;
}
std::string str(const std::string& text) { return "X" + littleEndian(text.size(), 4) + text; }
std::string integer(std::int32_t value) { return "J" + littleEndian(static_cast<std::uint32_t>(value), 4); }
std::string global(const std::string& module, const std::string& name) { return "c" + module + "\n" + name + "\n"; }
std::string intTuple(const std::vector<int>& values) {
  std::string out = "(";
  for (const int v : values) out += integer(v);
  return out + "t";
}
const std::string kHeader = std::string("\x80\x02\x8a\x0a\x6c\xfc\x9c\x46\xf9\x20\x6a\xa8\x50\x19.", 15) +
                            "\x80\x02M\xe9\x03." + "\x80\x02}(" + str("little_endian") + "\x88u.";

// `type` is "module\nClass", e.g. torch.cuda's FloatStorage for a tensor saved from the GPU.
std::string tensor(const std::string& type, const std::string& key, const std::string& location, int storageSize,
                   int offset, const std::vector<int>& shape, const std::vector<int>& stride) {
  return global("torch._utils", "_rebuild_tensor_v2") + "((" + str("storage") + "c" + type + "\n" + str(key) +
         str(location) + integer(storageSize) + "NtQ" + integer(offset) + intTuple(shape) + intTuple(stride) + "\x89" +
         global("collections", "OrderedDict") + ")RtR";
}

// An OrderedDict state dict: "a" = float64 storage k1 seen transposed from offset 1, "b" = a float16 vector,
// "c" = a scalar sharing k1. k1 is a torch.cuda storage on 'cuda:0', as a GPU-saved file has it.
std::string syntheticFile(const std::vector<int>& shapeOfA = {2, 2}) {
  std::string main = "\x80\x02" + global("collections", "OrderedDict") + ")R(";
  main += str("a") + tensor("torch.cuda\nDoubleStorage", "k1", "cuda:0", 6, 1, shapeOfA, {1, 2});
  main += str("b") + tensor("torch\nHalfStorage", "k2", "cpu", 3, 0, {3}, {1});
  main += str("c") + tensor("torch.cuda\nDoubleStorage", "k1", "cuda:0", 6, 5, {}, {});
  main += "u}" + str("version") + "K\x01sb.";  // BUILD with a `_metadata`-like state, as torch writes
  std::string keys = "\x80\x02](" + str("k2") + str("k1") + "e.";
  std::string data = littleEndian(3, 8) + littleEndian(0x3c00, 2) + littleEndian(0xc000, 2) + littleEndian(0x3800, 2);
  data += littleEndian(6, 8);
  for (int i = 0; i < 6; ++i) data += littleEndian(std::bit_cast<std::uint64_t>(10.0 + i + 0.25), 8);
  return kHeader + main + keys + data;
}

}  // namespace

TEST(LegacyTorchFile, PatchModelIsABareDenseNetStateDict) {
  const auto file = LegacyTorchFile::read(weights("sample_patch_model.p"));
  EXPECT_FALSE(file.topLevelHadModelKey());
  ASSERT_EQ(file.tensors().size(), 727u);
  EXPECT_EQ(file.storageCount(), 727u);

  const LegacyTensor& conv0 = file.tensors().at("features.conv0.weight");
  EXPECT_EQ(conv0.dtype, "float32");
  EXPECT_EQ(conv0.shape, (std::vector<std::int64_t>{64, 3, 7, 7}));
  EXPECT_EQ(conv0.stride, (std::vector<std::int64_t>{147, 49, 7, 1}));
  EXPECT_EQ(conv0.storageOffset, 0);
  EXPECT_EQ(file.tensors().at("classifier.weight").shape, (std::vector<std::int64_t>{4, 1024}));

  const auto conv0Values = file.floatValues("features.conv0.weight");
  ASSERT_EQ(conv0Values.size(), 9408u);
  const std::vector<float> firstFive = {0.189875171f, -0.0787749812f, 0.16863209f, -0.108828746f, -0.0589955486f};
  EXPECT_EQ(std::vector<float>(conv0Values.begin(), conv0Values.begin() + 5), firstFive);
  EXPECT_EQ(file.floatValues("classifier.bias"),
            (std::vector<float>{-0.952957153f, 0.429882646f, 1.67793858f, 0.980866611f}));
  EXPECT_EQ(file.floatValues("classifier.weight")[0], -0.0137310848f);

  const LegacyTensor& batches = file.tensors().at("features.norm0.num_batches_tracked");
  EXPECT_EQ(batches.dtype, "int64");
  EXPECT_TRUE(batches.shape.empty());
  EXPECT_EQ(file.floatValues("features.norm0.num_batches_tracked"), std::vector<float>{4.0f});
}

TEST(LegacyTorchFile, DenseNetParameterCountsMatchTheDocument) {
  // NYU-PIPELINE.md §7.1: 6,957,956 learnable parameters (weights and biases) in 606 tensors besides
  // num_batches_tracked; those 606 also hold BatchNorm running statistics, 83,648 values more.
  const auto file = LegacyTorchFile::read(weights("sample_patch_model.p"));
  std::int64_t learnable = 0, withRunningStats = 0, floatTensors = 0;
  for (const auto& [name, tensor] : file.tensors()) {
    if (endsWith(name, "num_batches_tracked")) continue;
    ++floatTensors;
    withRunningStats += elementCount(tensor);
    if (!endsWith(name, "running_mean") && !endsWith(name, "running_var")) learnable += elementCount(tensor);
  }
  EXPECT_EQ(floatTensors, 606);
  EXPECT_EQ(learnable, 6957956);
  EXPECT_EQ(withRunningStats, 7041604);
}

struct CancerModelCase {
  const char* file;
  std::size_t entries;
  std::size_t storages;
  std::int64_t inputChannels;
  bool viewWise;
  std::vector<float> firstConvStart;  // first 3 values of four_view_resnet.cc.first_conv.weight
};

class LegacyTorchCancerModel : public ::testing::TestWithParam<CancerModelCase> {};

TEST_P(LegacyTorchCancerModel, StateDictUnderModelKeyWithSharedColumns) {
  const CancerModelCase& expected = GetParam();
  const auto file = LegacyTorchFile::read(weights(expected.file));
  EXPECT_TRUE(file.topLevelHadModelKey());
  ASSERT_EQ(file.tensors().size(), expected.entries);
  // The six column prefixes are two modules registered three times each: one storage per module tensor.
  EXPECT_EQ(file.storageCount(), expected.storages);

  const auto& tensors = file.tensors();
  EXPECT_EQ(tensors.at("four_view_resnet.cc.first_conv.weight").shape,
            (std::vector<std::int64_t>{16, expected.inputChannels, 7, 7}));
  if (expected.viewWise) {
    EXPECT_EQ(tensors.at("fc1_cc.weight").shape, (std::vector<std::int64_t>{512, 512}));
    EXPECT_EQ(tensors.at("output_layer_cc.fc_layer.weight").shape, (std::vector<std::int64_t>{8, 512}));
  } else {
    EXPECT_EQ(tensors.at("fc1_lcc.weight").shape, (std::vector<std::int64_t>{256, 256}));
    EXPECT_EQ(tensors.at("output_layer_rmlo.fc_layer.weight").shape, (std::vector<std::int64_t>{8, 256}));
  }

  const auto cc = file.floatValues("four_view_resnet.cc.first_conv.weight");
  EXPECT_EQ(std::vector<float>(cc.begin(), cc.begin() + 3), expected.firstConvStart);
  EXPECT_EQ(file.floatValues("four_view_resnet.l_cc.first_conv.weight"), cc);
  EXPECT_EQ(file.floatValues("four_view_resnet.r_cc.first_conv.weight"), cc);
  EXPECT_EQ(tensors.at("four_view_resnet.l_mlo.final_bn.running_var").storageKey,
            tensors.at("four_view_resnet.mlo.final_bn.running_var").storageKey);
  EXPECT_NE(tensors.at("four_view_resnet.cc.final_bn.running_var").storageKey,
            tensors.at("four_view_resnet.mlo.final_bn.running_var").storageKey);

  int columnTensors = 0;
  for (const auto& [name, tensor] : tensors) {
    if (name.starts_with("four_view_resnet.cc.") && !endsWith(name, "num_batches_tracked")) ++columnTensors;
  }
  EXPECT_EQ(columnTensors, 110);  // NYU-PIPELINE.md §7.2, the entries of resnet_weights_map.json
}

INSTANTIATE_TEST_SUITE_P(
    NyuWeights, LegacyTorchCancerModel,
    ::testing::Values(
        CancerModelCase{"sample_image_model.p", 794, 270, 1, true, {-0.0390963554f, -0.0588706918f, -0.0905700624f}},
        CancerModelCase{
            "sample_imageheatmaps_model.p", 794, 270, 3, true, {0.046126321f, -0.061930608f, -0.0375140645f}},
        CancerModelCase{
            "ImageOnly__ModeImage_weights.p", 802, 278, 1, false, {-0.0725687444f, 0.0180031583f, -0.0302600358f}},
        CancerModelCase{"ImageHeatmaps__ModeImage_weights.p",
                        802,
                        278,
                        3,
                        false,
                        {0.00358810043f, 0.0238017123f, -0.0341145396f}}));

TEST(LegacyTorchFile, EveryFloatOfEveryFileMatchesTheIndependentReader) {
  // Sum and sum of absolute values of all float32 tensors (shared storages counted once per tensor),
  // math.fsum per tensor in Python; double accumulation here, hence the relative tolerance.
  struct Expected {
    const char* file;
    double sum, absSum;
    double lastBias;  // last entry of the file's last state-dict tensor, an output-layer bias
    const char* lastName;
  };
  const std::vector<Expected> cases = {
      {"sample_patch_model.p", 67900.138507317533, 371810.66514472099, 0.980866611, "classifier.bias"},
      {"sample_image_model.p", 14756.54132369658, 261108.55666160601, -7.17243195, "output_layer_mlo.fc_layer.bias"},
      {"sample_imageheatmaps_model.p", 14652.062539850258, 262773.49688892328, 0.292204916,
       "output_layer_mlo.fc_layer.bias"},
      {"ImageOnly__ModeImage_weights.p", 14304.292666474741, 265674.38671322557, -0.803169847,
       "output_layer_rmlo.fc_layer.bias"},
      {"ImageHeatmaps__ModeImage_weights.p", 14953.82240655042, 262111.02987036738, 0.579603851,
       "output_layer_rmlo.fc_layer.bias"},
  };
  for (const auto& expected : cases) {
    SCOPED_TRACE(expected.file);
    const auto file = LegacyTorchFile::read(weights(expected.file));
    double sum = 0.0, absSum = 0.0;
    for (const auto& [name, tensor] : file.tensors()) {
      if (tensor.dtype != "float32") continue;
      for (const float value : file.floatValues(name)) {
        sum += value;
        absSum += std::abs(value);
      }
    }
    EXPECT_NEAR(sum, expected.sum, 1e-9 * expected.absSum);
    EXPECT_NEAR(absSum, expected.absSum, 1e-9 * expected.absSum);
    EXPECT_EQ(file.floatValues(expected.lastName).back(), static_cast<float>(expected.lastBias));
  }
}

TEST(LegacyTorchFile, SyntheticFileHonoursOffsetStrideDtypeAndSharing) {
  const auto path = mammo::test::scratchDir() / "synthetic.p";
  writeFile(path, syntheticFile());
  const auto file = LegacyTorchFile::read(path);
  EXPECT_FALSE(file.topLevelHadModelKey());
  ASSERT_EQ(file.tensors().size(), 3u);
  EXPECT_EQ(file.storageCount(), 2u);

  const LegacyTensor& a = file.tensors().at("a");
  EXPECT_EQ(a.dtype, "float64");
  EXPECT_EQ(a.storageOffset, 1);
  EXPECT_EQ(a.stride, (std::vector<std::int64_t>{1, 2}));
  // Storage k1 holds 10.25 .. 15.25; a[i][j] = k1[1 + i + 2j].
  EXPECT_EQ(file.floatValues("a"), (std::vector<float>{11.25f, 13.25f, 12.25f, 14.25f}));
  EXPECT_EQ(file.tensors().at("b").dtype, "float16");
  EXPECT_EQ(file.floatValues("b"), (std::vector<float>{1.0f, -2.0f, 0.5f}));
  EXPECT_EQ(file.tensors().at("c").storageKey, "k1");
  EXPECT_EQ(file.floatValues("c"), std::vector<float>{15.25f});

  try {
    file.floatValues("missing");
    FAIL() << "expected an exception";
  } catch (const std::runtime_error& error) {
    EXPECT_NE(std::string(error.what()).find("missing"), std::string::npos);
    EXPECT_NE(std::string(error.what()).find(path.string()), std::string::npos);
  }
}

TEST(LegacyTorchFile, TensorReachingBeyondItsStorageIsRejected) {
  const auto path = mammo::test::scratchDir() / "overrun.p";
  writeFile(path, syntheticFile({2, 3}));  // 1 + 1*1 + 2*2 = index 6 in a storage of 6
  EXPECT_THROW(LegacyTorchFile::read(path), std::runtime_error);
}

TEST(LegacyTorchFile, UnknownOpcodeErrorNamesFileOffsetAndOpcode) {
  const auto path = mammo::test::scratchDir() / "bad-opcode.p";
  writeFile(path, kHeader.substr(0, 21) + "\x80\x02\xff");  // magic and version, then 0xff at byte 23
  try {
    LegacyTorchFile::read(path);
    FAIL() << "expected an exception";
  } catch (const std::runtime_error& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find(path.string()), std::string::npos) << message;
    EXPECT_NE(message.find("byte 23"), std::string::npos) << message;
    EXPECT_NE(message.find("0xff"), std::string::npos) << message;
  }
}

TEST(LegacyTorchFile, MissingZipAndForeignFilesThrow) {
  const auto dir = mammo::test::scratchDir();
  EXPECT_THROW(LegacyTorchFile::read(dir / "does-not-exist.p"), std::runtime_error);
  writeFile(dir / "empty.p", "");
  EXPECT_THROW(LegacyTorchFile::read(dir / "empty.p"), std::runtime_error);
  writeFile(dir / "zip.p", std::string("PK\x03\x04", 4) + std::string(100, '\0'));
  try {
    LegacyTorchFile::read(dir / "zip.p");
    FAIL() << "expected an exception";
  } catch (const std::runtime_error& error) {
    EXPECT_NE(std::string(error.what()).find("zip"), std::string::npos);
  }
  // A plain pickle (no magic number) is not a legacy torch.save file.
  writeFile(dir / "plain.p", std::string("\x80\x02}q\x00.", 6));
  EXPECT_THROW(LegacyTorchFile::read(dir / "plain.p"), std::runtime_error);
}

TEST(LegacyTorchFile, EveryTruncationOfASmallFileThrows) {
  const auto dir = mammo::test::scratchDir();
  const std::string whole = syntheticFile();
  for (std::size_t length = 0; length < whole.size(); ++length) {
    writeFile(dir / "cut.p", whole.substr(0, length));
    EXPECT_THROW(LegacyTorchFile::read(dir / "cut.p"), std::runtime_error) << "length " << length;
  }
}

TEST(LegacyTorchFile, TruncatedRealFileThrows) {
  const auto dir = mammo::test::scratchDir();
  const std::string whole = readFile(weights("sample_image_model.p"));
  // Inside sys_info, inside the main pickle, inside the key list, inside a storage header, inside the data,
  // and one byte short.
  for (const std::size_t length : {100ul, 90000ul, 142700ul, 146968ul, whole.size() / 2, whole.size() - 1}) {
    writeFile(dir / "cut.p", whole.substr(0, length));
    EXPECT_THROW(LegacyTorchFile::read(dir / "cut.p"), std::runtime_error) << "length " << length;
  }
}

TEST(LegacyTorchFile, RandomAndMutatedBytesNeverCrash) {
  const auto dir = mammo::test::scratchDir();
  std::mt19937 random(20240611);
  std::uniform_int_distribution<int> byte(0, 255);
  for (int trial = 0; trial < 200; ++trial) {
    // Half the trials start with a valid header so the pickle machine sees random opcodes, not just the magic.
    std::string bytes = trial % 2 == 0 ? kHeader : std::string();
    const int length = 1 + trial * 20;
    for (int i = 0; i < length; ++i) bytes += static_cast<char>(byte(random));
    writeFile(dir / "random.p", bytes);
    EXPECT_THROW(LegacyTorchFile::read(dir / "random.p"), std::runtime_error) << "trial " << trial;
  }
  // Every single-byte change of a valid small file either still loads or throws std::runtime_error.
  const std::string whole = syntheticFile();
  for (std::size_t position = 0; position < whole.size(); ++position) {
    for (const int delta : {1, 0x80, byte(random)}) {
      std::string mutated = whole;
      mutated[position] = static_cast<char>(mutated[position] ^ delta);
      writeFile(dir / "mutated.p", mutated);
      expectLoadsOrThrowsRuntimeError(dir / "mutated.p");
    }
  }
}
