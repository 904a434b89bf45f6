#include "workstation/PreReading.h"

#include <algorithm>

#include "core/ExamLoader.h"
#include "core/Job.h"

namespace mammo::workstation {

std::optional<double> highestMalignant(const inference::PipelineResult& result) {
  const std::optional<inference::BreastProbabilities>& p =
      result.imageHeatmaps ? result.imageHeatmaps : result.imageOnly;
  if (!p) return std::nullopt;
  return std::max(p->leftMalignant, p->rightMalignant);
}

void recordAnalysis(pacs::StudyStore& store, const std::string& key, const inference::PipelineResult& result) {
  store.setAiStatus(key, pacs::AiStatus::Done, {}, result.modelIdentity, highestMalignant(result));
}

PreReader::PreReader(pacs::StudyStore& store, std::shared_ptr<ModelCache> models, std::filesystem::path userCacheDir,
                     PreReadEvents events)
    : m_store(store), m_models(std::move(models)), m_cacheDir(std::move(userCacheDir)), m_events(std::move(events)) {
  m_thread = std::thread([this] { work(); });
}

PreReader::~PreReader() { stop(); }

void PreReader::stop() {
  {
    std::lock_guard lock(m_mutex);
    m_stop = true;
    if (m_job) m_job->cancel();
  }
  m_changed.notify_all();
  if (m_thread.joinable()) m_thread.join();
}

void PreReader::setSettings(const AiSettings& settings, bool enabled) {
  {
    std::lock_guard lock(m_mutex);
    m_settings = settings;
    m_enabled = enabled;
  }
  m_changed.notify_all();
}

void PreReader::enqueue(const std::vector<std::string>& keys, std::chrono::milliseconds settle) {
  const Clock::time_point notBefore = Clock::now() + settle;
  std::vector<std::string> added;
  {
    std::lock_guard lock(m_mutex);
    for (const std::string& key : keys) {
      const auto queued = std::find_if(m_queue.begin(), m_queue.end(), [&](const Entry& e) { return e.key == key; });
      if (queued != m_queue.end()) {
        queued->notBefore = std::max(queued->notBefore, notBefore);
        continue;
      }
      if (m_running == key) continue;
      const std::optional<pacs::StudyRecord> study = m_store.study(key);
      if (!study || study->aiStatus == pacs::AiStatus::Done) continue;
      m_queue.push_back({key, notBefore});
      added.push_back(key);
    }
  }
  for (const std::string& key : added) setStatus(key, pacs::AiStatus::Queued);
  m_changed.notify_all();
}

void PreReader::remove(const std::string& key) {
  std::lock_guard lock(m_mutex);
  m_queue.erase(std::remove_if(m_queue.begin(), m_queue.end(), [&](const Entry& e) { return e.key == key; }),
                m_queue.end());
}

void PreReader::hold() {
  std::lock_guard lock(m_mutex);
  ++m_holds;
  if (m_job) {
    m_requeue = true;
    m_job->cancel();
  }
}

void PreReader::release() {
  {
    std::lock_guard lock(m_mutex);
    m_holds = std::max(0, m_holds - 1);
  }
  m_changed.notify_all();
}

std::vector<std::string> PreReader::queued() const {
  std::lock_guard lock(m_mutex);
  std::vector<std::string> keys;
  for (const Entry& e : m_queue) keys.push_back(e.key);
  return keys;
}

std::optional<std::string> PreReader::running() const {
  std::lock_guard lock(m_mutex);
  return m_running;
}

bool PreReader::waitUntilIdle(std::chrono::milliseconds timeout) const {
  std::unique_lock lock(m_mutex);
  return m_changed.wait_for(lock, timeout, [this] { return !m_running && (m_queue.empty() || m_holds > 0); });
}

bool PreReader::readyLocked(Clock::time_point now, Clock::time_point* next) const {
  if (m_stop) return true;
  if (m_holds > 0 || !m_enabled || m_settings.modelBundle.empty()) return false;
  for (const Entry& e : m_queue) {
    if (e.notBefore <= now) return true;
    *next = std::min(*next, e.notBefore);
  }
  return false;
}

void PreReader::work() {
  std::unique_lock lock(m_mutex);
  while (true) {
    Clock::time_point next = Clock::time_point::max();
    if (!readyLocked(Clock::now(), &next)) {
      if (next == Clock::time_point::max()) {
        m_changed.wait(lock);
      } else {
        m_changed.wait_until(lock, next);
      }
      continue;
    }
    if (m_stop) return;
    // The first study that has settled, in queue order.
    const Clock::time_point now = Clock::now();
    const auto entry = std::find_if(m_queue.begin(), m_queue.end(), [&](const Entry& e) { return e.notBefore <= now; });
    const std::string key = entry->key;
    m_queue.erase(entry);
    m_running = key;
    m_requeue = false;
    m_job = std::make_shared<core::JobContext>([this, key](double fraction, const std::string& stage) {
      if (m_events.progress) m_events.progress(key, fraction, stage);
    });
    const std::shared_ptr<core::JobContext> job = m_job;
    const AiSettings settings = m_settings;
    lock.unlock();
    const bool finished = analyse(key, settings, *job);
    lock.lock();
    m_running.reset();
    m_job.reset();
    if (!finished) {
      // Held (back in front) or stopped (queued again when the workstation next starts): not running.
      if (m_requeue && !m_stop) m_queue.push_front({key, Clock::now()});
      lock.unlock();
      setStatus(key, pacs::AiStatus::Queued);
      lock.lock();
    }
    m_changed.notify_all();
  }
}

bool PreReader::analyse(const std::string& key, const AiSettings& settings, core::JobContext& job) {
  try {
    const std::optional<pacs::StudyRecord> study = m_store.study(key);
    if (!study) return true;  // no longer in the store
    core::JobContext loading = job.subRange(0.0, 0.02, "loading: ");
    core::LoadResult loaded = core::loadPaths(study->files, {}, &loading);
    if (loaded.exams.size() != 1) {
      setStatus(key, pacs::AiStatus::Failed,
                loaded.exams.empty() ? "no readable images" : "the study holds several exams");
      return true;
    }
    const core::Exam& exam = loaded.exams.front();
    if (!exam.complete()) {
      std::string missing;
      for (core::StandardView v : exam.missingViews())
        missing += (missing.empty() ? "" : ", ") + std::string(toString(v));
      setStatus(key, pacs::AiStatus::Failed, "incomplete: no " + missing);
      return true;
    }
    if (const std::optional<inference::PipelineResult> cached = readCachedAnalysis(exam, settings, m_cacheDir)) {
      recordAnalysis(m_store, key, *cached);
      if (m_events.statusChanged) m_events.statusChanged(key, pacs::AiStatus::Done);
      return true;
    }
    setStatus(key, pacs::AiStatus::Running);
    core::JobContext analysing = job.subRange(0.02, 1.0);
    const inference::PipelineResult result =
        analyseExam(exam, settings, *m_models, m_cacheDir, analysing, {}, /*progressive=*/false);
    recordAnalysis(m_store, key, result);
    if (m_events.statusChanged) m_events.statusChanged(key, pacs::AiStatus::Done);
    return true;
  } catch (const core::Cancelled&) {
    return false;
  } catch (const std::exception& e) {
    setStatus(key, pacs::AiStatus::Failed, e.what());
    return true;
  }
}

void PreReader::setStatus(const std::string& key, pacs::AiStatus status, const std::string& reason) {
  try {
    m_store.setAiStatus(key, status, reason);
  } catch (const std::exception&) {
    // The index is unavailable (disk full, removed): the analysis itself is cached all the same.
  }
  if (m_events.statusChanged) m_events.statusChanged(key, status);
}

}  // namespace mammo::workstation
