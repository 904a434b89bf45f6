#include "training/DatasetHeatmaps.h"

#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>

#include <unistd.h>

#include "core/Job.h"
#include "inference/PatchClassifier.h"
#include "inference/PythonRandom.h"

namespace mammo::training {

namespace {

constexpr char kMagic[8] = {'M', 'L', 'H', 'C', 'A', 'C', 'H', '1'};

struct Fnv {
  std::uint64_t h = 0xcbf29ce484222325ull;
  void add(const void* data, std::size_t n) {
    const auto* p = static_cast<const unsigned char*>(data);
    for (std::size_t i = 0; i < n; ++i) h = (h ^ p[i]) * 0x100000001b3ull;
  }
  template <typename T>
  void value(const T& v) {
    add(&v, sizeof v);
  }
  std::string hex() const {
    char out[17];
    std::snprintf(out, sizeof out, "%016llx", static_cast<unsigned long long>(h));
    return out;
  }
};

std::string imageKey(const PreparedView& v, const HeatmapCacheOptions& o) {
  Fnv f;
  f.value(v.rows);
  f.value(v.columns);
  f.add(v.pixels.data(), v.pixels.size() * sizeof(std::uint16_t));
  f.value(o.seed);
  f.value(static_cast<int>(o.mode));
  return f.hex();
}

bool readEntry(const std::filesystem::path& file, PreparedView& v) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return false;
  char magic[8];
  std::int32_t rows = 0, columns = 0;
  in.read(magic, 8);
  in.read(reinterpret_cast<char*>(&rows), 4);
  in.read(reinterpret_cast<char*>(&columns), 4);
  if (!in || std::memcmp(magic, kMagic, 8) != 0 || rows != v.rows || columns != v.columns) return false;
  const std::size_t n = static_cast<std::size_t>(rows) * columns;
  std::vector<float> benign(n), malignant(n);
  in.read(reinterpret_cast<char*>(benign.data()), static_cast<std::streamsize>(n * sizeof(float)));
  in.read(reinterpret_cast<char*>(malignant.data()), static_cast<std::streamsize>(n * sizeof(float)));
  if (!in || in.peek() != std::char_traits<char>::eof()) return false;
  v.benignHeatmap = core::FloatRaster(rows, columns, std::move(benign));
  v.malignantHeatmap = core::FloatRaster(rows, columns, std::move(malignant));
  return true;
}

void writeEntry(const std::filesystem::path& file, const PreparedView& v) {
  std::filesystem::create_directories(file.parent_path());
  const std::filesystem::path tmp = file.string() + "." + std::to_string(::getpid()) + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary);
    const std::int32_t rows = v.rows, columns = v.columns;
    out.write(kMagic, 8);
    out.write(reinterpret_cast<const char*>(&rows), 4);
    out.write(reinterpret_cast<const char*>(&columns), 4);
    out.write(reinterpret_cast<const char*>(v.benignHeatmap.data()),
              static_cast<std::streamsize>(v.benignHeatmap.size() * sizeof(float)));
    out.write(reinterpret_cast<const char*>(v.malignantHeatmap.data()),
              static_cast<std::streamsize>(v.malignantHeatmap.size() * sizeof(float)));
    if (!out) throw std::runtime_error("cannot write heatmap cache " + tmp.string() + ": check free space");
  }
  std::filesystem::rename(tmp, file);
}

}  // namespace

std::string patchModelHash(const inference::TensorMap& weights) {
  Fnv f;
  for (const auto& [name, t] : weights) {
    f.add(name.data(), name.size());
    f.add(t.shape.data(), t.shape.size() * sizeof(std::int64_t));
    f.add(t.values.data(), t.values.size() * sizeof(float));
  }
  return f.hex();
}

HeatmapCacheStats addHeatmaps(CancerDataset& data, const inference::TensorMap& patchWeights,
                              const HeatmapCacheOptions& options, core::JobContext* context) {
  HeatmapCacheStats stats;
  const std::filesystem::path modelDir =
      options.cacheDir.empty() ? std::filesystem::path() : options.cacheDir / patchModelHash(patchWeights);
  std::unique_ptr<inference::PatchClassifier> classifier;  // loaded on the first miss
  const std::size_t total = data.views.size() * 4;
  std::size_t done = 0;
  for (auto& exam : data.views) {
    for (PreparedView& v : exam) {
      if (context) {
        context->throwIfCancelled();
        context->progress(static_cast<double>(done) / static_cast<double>(total), "heatmaps");
      }
      ++done;
      const std::filesystem::path file =
          modelDir.empty() ? std::filesystem::path() : modelDir / (imageKey(v, options) + ".mlhc");
      if (!file.empty() && readEntry(file, v)) {
        ++stats.hits;
        continue;
      }
      const auto started = std::chrono::steady_clock::now();
      if (!classifier)
        classifier = std::make_unique<inference::PatchClassifier>(patchWeights, "trained patch classifier");
      inference::PythonRandom rng(options.seed);
      inference::ImageHeatmaps h = inference::computeHeatmaps(v.pixels.data(), v.rows, v.columns, *classifier, rng,
                                                              options.batchSize, nullptr, 0.0, 1.0, options.mode);
      v.benignHeatmap = core::FloatRaster(v.rows, v.columns, std::move(h.benign));
      v.malignantHeatmap = core::FloatRaster(v.rows, v.columns, std::move(h.malignant));
      ++stats.computed;
      stats.computeSeconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
      if (!file.empty()) writeEntry(file, v);
    }
  }
  if (context) context->progress(1.0, "heatmaps");
  return stats;
}

}  // namespace mammo::training
