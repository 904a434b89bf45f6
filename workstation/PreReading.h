#pragma once
// Background pre-reading: the studies of the store that arrive (received, retrieved, opened from a folder)
// are analysed by the AI one at a time on the pre-reader's own worker thread, with the active model and
// settings, so that their results are waiting (cached as every analysis is, workstation/Analysis) when the
// radiologist opens them. The worklist shows each study's AI status and its highest malignant probability
// (the store's columns, which the pre-reader keeps up to date).
//
// Order: first in, first out, except that the open study always goes first: while the workstation
// analyses the open study in the foreground it holds the pre-reader (hold()/release()); a pre-read running
// at that moment is cancelled within one patch batch and its study goes back to the front of the queue.
// A study that is still arriving (images received within the last settle time) waits until no image has
// come for that long, so that it is analysed once, complete.
//
// Threads: every member is thread-safe; events are called on the pre-reader's worker thread. The
// destructor (or stop()) cancels the running analysis and waits for the worker.
#include <chrono>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "pacs/StudyStore.h"
#include "workstation/Analysis.h"
#include "workstation/Settings.h"

namespace mammo::core {
class JobContext;
}

namespace mammo::workstation {

// The highest per-breast malignant probability of a result (the image-and-heatmaps model's, else the
// image-only model's); nullopt when it has neither.
std::optional<double> highestMalignant(const inference::PipelineResult& result);

// Writes an analysis's outcome into the store: Done with the model and the highest malignant probability.
void recordAnalysis(pacs::StudyStore& store, const std::string& key, const inference::PipelineResult& result);

struct PreReadEvents {
  // A study's AI status changed in the store (queued, running, done, failed).
  std::function<void(const std::string& key, pacs::AiStatus status)> statusChanged;
  std::function<void(const std::string& key, double fraction, const std::string& stage)> progress;
};

class PreReader {
 public:
  using Clock = std::chrono::steady_clock;

  PreReader(pacs::StudyStore& store, std::shared_ptr<ModelCache> models, std::filesystem::path userCacheDir,
            PreReadEvents events = {});
  ~PreReader();
  PreReader(const PreReader&) = delete;
  PreReader& operator=(const PreReader&) = delete;

  // The model and settings studies are analysed with. Pre-reading waits while no model is chosen or
  // `enabled` is false; a change applies from the next study on.
  void setSettings(const AiSettings& settings, bool enabled = true);

  // Queues studies (at the end; a study already queued keeps its place) unless the store has them done
  // with the current model. `settle`: how long no new image of the study must have arrived before it is
  // analysed (received studies arrive image by image); queuing a queued study again restarts its wait.
  void enqueue(const std::vector<std::string>& keys, std::chrono::milliseconds settle = {});
  // Takes a study out of the queue (the open study, analysed in the foreground instead).
  void remove(const std::string& key);

  // The foreground analysis of the open study starts / ends. Holds nest.
  void hold();
  void release();

  void stop();

  std::vector<std::string> queued() const;
  std::optional<std::string> running() const;
  // Waits until nothing is queued or running (or held with an empty queue); false on timeout.
  bool waitUntilIdle(std::chrono::milliseconds timeout) const;

 private:
  struct Entry {
    std::string key;
    Clock::time_point notBefore;
  };
  void work();
  bool readyLocked(Clock::time_point now, Clock::time_point* next) const;
  // Analyses one study (on the worker, the lock not held); false when it was cancelled.
  bool analyse(const std::string& key, const AiSettings& settings, core::JobContext& job);
  void setStatus(const std::string& key, pacs::AiStatus status, const std::string& reason = {});

  pacs::StudyStore& m_store;
  std::shared_ptr<ModelCache> m_models;
  const std::filesystem::path m_cacheDir;
  const PreReadEvents m_events;

  mutable std::mutex m_mutex;
  mutable std::condition_variable m_changed;
  std::deque<Entry> m_queue;
  AiSettings m_settings;
  bool m_enabled = false;
  int m_holds = 0;
  bool m_stop = false;
  std::optional<std::string> m_running;
  std::shared_ptr<core::JobContext> m_job;  // the running analysis
  bool m_requeue = false;  // the running analysis was cancelled by a hold: its study goes back in front
  std::thread m_thread;
};

}  // namespace mammo::workstation
