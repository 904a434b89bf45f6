// Load time of a full-size four-view exam (4096 x 3328, 12 bits, 0.07 mm) in several encodings.
// Run: build/dev/tests/bench/bench_core   (target for uncompressed DICOM: under 1 s per exam)
#include <benchmark/benchmark.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "core/ExamLoader.h"
#include "core/Phantom.h"

using namespace mammo::core;
namespace fs = std::filesystem;

namespace {

// Writes the exam once per encoding and reuses it across runs (deterministic seed).
fs::path examFolder(const std::string& name, TransferSyntax syntax, bool png) {
  const fs::path dir = fs::path(MAMMO_BENCH_TMP) / name;
  const fs::path marker = dir / "complete";
  if (fs::exists(marker)) return dir;
  fs::remove_all(dir);
  static const PhantomExam exam = [] {
    PhantomOptions o;
    o.size = PhantomSize::Full;
    o.seed = 2026;
    o.lesionRate = 1.0;
    return generatePhantomExam(o, 0);
  }();
  PhantomWriteOptions w;
  w.dicom = !png;
  w.png = png;
  w.syntax = syntax;
  writePhantomExam(exam, dir, w);
  fs::remove_all(dir / exam.id / "masks");
  std::ofstream(marker) << "ok\n";
  return dir;
}

void loadExam(benchmark::State& state, const fs::path& dir) {
  size_t bytes = 0;
  for (auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file()) bytes += entry.file_size();
  }
  for (auto _ : state) {
    LoadResult result = loadPaths({dir});
    if (result.exams.size() != 1 || !result.exams[0].complete()) state.SkipWithError("exam did not load");
    benchmark::DoNotOptimize(result);
  }
  state.counters["MB_on_disk"] = bytes / 1e6;
}

void BM_LoadFullExam_ExplicitLittleEndian(benchmark::State& state) {
  loadExam(state, examFolder("explicit-le", TransferSyntax::ExplicitLittleEndian, false));
}
void BM_LoadFullExam_JpegLsLossless(benchmark::State& state) {
  loadExam(state, examFolder("jpeg-ls", TransferSyntax::JpegLsLossless, false));
}
void BM_LoadFullExam_Jpeg2000Lossless(benchmark::State& state) {
  loadExam(state, examFolder("jpeg2000", TransferSyntax::Jpeg2000Lossless, false));
}
void BM_LoadFullExam_Png16(benchmark::State& state) {
  loadExam(state, examFolder("png", TransferSyntax::ExplicitLittleEndian, true));
}

void BM_GenerateFullPhantomExam(benchmark::State& state) {
  PhantomOptions o;
  o.size = PhantomSize::Full;
  for (auto _ : state) benchmark::DoNotOptimize(generatePhantomExam(o, 0));
}

}  // namespace

BENCHMARK(BM_LoadFullExam_ExplicitLittleEndian)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_LoadFullExam_JpegLsLossless)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_LoadFullExam_Jpeg2000Lossless)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(2);
BENCHMARK(BM_LoadFullExam_Png16)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_GenerateFullPhantomExam)->Unit(benchmark::kMillisecond)->Iterations(1);
BENCHMARK_MAIN();
