#include "workstation/Analysis.h"

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <stdexcept>

#include "core/Job.h"
#include "inference/Device.h"
#include "inference/ModelBundle.h"
#include "inference/ResultWriter.h"

namespace mammo::workstation {

namespace fs = std::filesystem;

namespace {

// 64-bit FNV-1a, as 16 hex digits.
class Fnv1a {
 public:
  void add(const std::string& text) {
    for (unsigned char c : text) m_hash = (m_hash ^ c) * 1099511628211ull;
    m_hash = (m_hash ^ 0xffu) * 1099511628211ull;  // separator: "ab"+"c" differs from "a"+"bc"
  }
  std::string hex() const {
    char out[17];
    std::snprintf(out, sizeof out, "%016llx", static_cast<unsigned long long>(m_hash));
    return out;
  }

 private:
  std::uint64_t m_hash = 14695981039346656037ull;
};

}  // namespace

fs::path analysisCacheFolder(const core::Exam& exam, const AiSettings& settings, const fs::path& userCacheDir) {
  Fnv1a hash;
  for (const auto& images : exam.views) {
    for (const auto& image : images) hash.add(image.info.sourcePath);
  }
  hash.add(settings.modelBundle);
  hash.add(std::to_string(settings.samples) + (settings.augment ? "a" : "d") + (settings.fastHeatmaps ? "f" : "e"));
  const std::string key = hash.hex();
  if (const core::Image* first = exam.first(core::StandardView::LCC); first && !first->info.sourcePath.empty()) {
    const fs::path dir = fs::absolute(fs::path(first->info.sourcePath)).parent_path();
    if (::access(dir.c_str(), W_OK) == 0) return dir / ".mammolens" / "ai" / key;
  }
  return userCacheDir / "ai" / key;
}

std::optional<inference::PipelineResult> readCachedAnalysis(const core::Exam& exam, const AiSettings& settings,
                                                            const fs::path& userCacheDir) {
  if (settings.modelBundle.empty()) return std::nullopt;
  const fs::path folder = analysisCacheFolder(exam, settings, userCacheDir);
  std::error_code ec;
  if (!fs::exists(folder / "result.json", ec)) return std::nullopt;
  try {
    return inference::readExamResult(folder);
  } catch (const std::exception&) {
    return std::nullopt;  // a damaged cache is simply recomputed
  }
}

std::shared_ptr<inference::PipelineModels> ModelCache::models(const std::string& bundle, const std::string& device,
                                                              core::JobContext* job) {
  std::lock_guard lock(m_mutex);
  if (!m_models || m_bundle != bundle || m_device != device) {
    m_models.reset();
    if (job) job->progress(0.0, "Loading model");
    m_models =
        std::make_shared<inference::PipelineModels>(inference::buildModels(inference::readModelBundle(bundle), device));
    m_bundle = bundle;
    m_device = device;
  }
  return m_models;
}

inference::PipelineResult analyseExam(const core::Exam& exam, const AiSettings& settings, ModelCache& cache,
                                      const fs::path& userCacheDir, core::JobContext& job, const AnalysisEvents& events,
                                      bool progressive) {
  if (settings.modelBundle.empty()) {
    throw std::runtime_error("No AI model is configured. Choose a model bundle (AI → Choose model...).");
  }
  // The device of the settings: CUDA when asked for (or "auto" and this LibTorch has it), else the CPU.
  const inference::ComputeInfo compute = inference::applyComputeSettings({settings.threads, settings.device});
  const std::shared_ptr<inference::PipelineModels> models = cache.models(settings.modelBundle, compute.device, &job);
  inference::PipelineOptions options;
  options.samples = settings.samples;
  options.augment = settings.augment;
  options.heatmapMode = settings.fastHeatmaps ? inference::HeatmapMode::Fast : inference::HeatmapMode::Exact;
  options.progressive = progressive;
  options.onPreliminary = events.preliminary;
  options.onViewHeatmaps = events.viewHeatmaps;
  options.onImageOnly = events.imageOnly;
  inference::PipelineResult result = inference::runPipeline(exam, *models, options, &job);
  // Saved for instant reopening; a failure to save never loses the result on screen.
  try {
    inference::writeExamResult(result, analysisCacheFolder(exam, settings, userCacheDir));
  } catch (const std::exception&) {}
  return result;
}

}  // namespace mammo::workstation
