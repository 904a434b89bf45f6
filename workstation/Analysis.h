#pragma once
// The AI second opinion of one exam, as the GUI (and later the pre-reading queue) runs it: the NYU
// pipeline with the models of the chosen bundle (built once and reused across exams), on the compute device
// of the settings, with results cached beside the exam (or in the user's cache folder when that is
// read-only) and read back instantly next time. Plain C++: analyseExam() runs on a worker thread, with
// progress and cancellation through the JobContext; the cache functions are thread-safe.
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "core/Exam.h"
#include "inference/Pipeline.h"
#include "workstation/Settings.h"

namespace mammo::core {
class JobContext;
}

namespace mammo::workstation {

// Keyed by the exam's files, the model and the settings that change the numbers, so another model or
// setting never shows a stale result.
std::filesystem::path analysisCacheFolder(const core::Exam& exam, const AiSettings& settings,
                                          const std::filesystem::path& userCacheDir);
// The cached result for this exam and settings; nullopt when there is none or it is damaged (then it is
// simply computed again).
std::optional<inference::PipelineResult> readCachedAnalysis(const core::Exam& exam, const AiSettings& settings,
                                                            const std::filesystem::path& userCacheDir);

// The networks of one bundle, built on first use and kept. Used by one analysis at a time (the GUI's
// analysis lane runs one job at a time); the lock makes a mistaken second user wait rather than race.
class ModelCache {
 public:
  // The models of `bundle` on `device` ("cpu"/"cuda"), built now when the cache holds another bundle.
  std::shared_ptr<inference::PipelineModels> models(const std::string& bundle, const std::string& device,
                                                    core::JobContext* job);

 private:
  std::mutex m_mutex;
  std::shared_ptr<inference::PipelineModels> m_models;
  std::string m_bundle, m_device;
};

// Called on the worker as results come (progressive display); receivers copy what they keep.
struct AnalysisEvents {
  std::function<void(bool withHeatmaps, const inference::BreastProbabilities&)> preliminary;
  std::function<void(const inference::ViewAnalysis&)> viewHeatmaps;
  std::function<void(const inference::BreastProbabilities&)> imageOnly;
};

// Runs the pipeline (preliminary one-sample results first when `progressive`) and writes the result to the
// cache (a failure to write never loses the result). Throws std::runtime_error naming what is wrong (no
// model chosen, unreadable bundle, incomplete exam), core::Cancelled when cancelled.
inference::PipelineResult analyseExam(const core::Exam& exam, const AiSettings& settings, ModelCache& models,
                                      const std::filesystem::path& userCacheDir, core::JobContext& job,
                                      const AnalysisEvents& events = {}, bool progressive = true);

}  // namespace mammo::workstation
