#include "annotation/Autosaver.h"

#include <algorithm>

#include "annotation/AtomicFile.h"
#include "annotation/MaskFiles.h"
#include "mammo/Config.h"

namespace mammo::annotation {
namespace fs = std::filesystem;

Autosaver::Autosaver(AutosaveOptions options)
    : m_options(std::move(options)), m_folder(annotatorFolder(m_options.root, m_options.annotator)) {
  if (m_options.toolVersion.empty()) m_options.toolVersion = "Mammolens " MAMMO_VERSION;
  fs::create_directories(m_folder);
  removeStaleTemporaries(m_folder);
  m_thread = std::thread([this] { run(); });
}

Autosaver::~Autosaver() {
  {
    std::lock_guard lock(m_mutex);
    m_stop = true;
  }
  m_wake.notify_all();
  m_thread.join();
}

void Autosaver::submit(const std::string& examId, core::StandardView view, const core::LabelMap& map,
                       std::optional<core::PixelSpacing> spacing) {
  // The snapshot is made before taking the lock, so the worker never waits on it and vice versa.
  core::LabelRaster snapshot = map.snapshot(std::move(spacing));
  {
    std::lock_guard lock(m_mutex);
    m_exams[examId].pendingImages.insert_or_assign(view, std::move(snapshot));
    ++m_generation;
    if (!m_deadline) m_deadline = Clock::now() + m_options.delay;
  }
  m_wake.notify_all();
}

void Autosaver::open(const std::string& examId, AnnotationSidecar sidecar) {
  std::lock_guard lock(m_mutex);
  ExamState& state = m_exams[examId];
  if (state.loaded) return;
  if (sidecar.examId.empty()) sidecar.examId = examId;
  if (sidecar.annotator.empty()) sidecar.annotator = m_options.annotator;
  if (sidecar.created.empty()) sidecar.created = isoTimestampNow();
  state.sidecar = std::move(sidecar);
  state.loaded = true;
}

bool Autosaver::setLesionState(const std::string& examId, int lesionId, LesionStatus status, const std::string& note) {
  {
    std::lock_guard lock(m_mutex);
    auto exam = m_exams.find(examId);
    if (exam == m_exams.end()) return false;
    auto& lesions = exam->second.sidecar.lesions;
    auto lesion = std::find_if(lesions.begin(), lesions.end(), [&](const Lesion& l) { return l.id == lesionId; });
    if (lesion == lesions.end()) return false;
    lesion->status = status;
    lesion->note = note;
    exam->second.sidecarDirty = true;
    ++m_generation;
    if (!m_deadline) m_deadline = Clock::now() + m_options.delay;
  }
  m_wake.notify_all();
  return true;
}

bool Autosaver::linkLesions(const std::string& examId, int target, int other) {
  {
    std::lock_guard lock(m_mutex);
    auto exam = m_exams.find(examId);
    if (exam == m_exams.end() || !annotation::linkLesions(exam->second.sidecar.lesions, target, other)) return false;
    exam->second.sidecarDirty = true;
    ++m_generation;
    if (!m_deadline) m_deadline = Clock::now() + m_options.delay;
  }
  m_wake.notify_all();
  return true;
}

std::vector<Lesion> Autosaver::lesions(const std::string& examId) const {
  std::lock_guard lock(m_mutex);
  auto exam = m_exams.find(examId);
  return exam == m_exams.end() ? std::vector<Lesion>{} : exam->second.sidecar.lesions;
}

void Autosaver::flush() {
  std::unique_lock lock(m_mutex);
  const std::size_t target = m_generation;
  if (m_savedGeneration >= target) return;
  m_flushRequested = true;
  m_wake.notify_all();
  m_idle.wait(lock, [&] { return m_savedGeneration >= target; });
}

std::size_t Autosaver::savesCompleted() const {
  std::lock_guard lock(m_mutex);
  return m_saves;
}

std::size_t Autosaver::errorCount() const {
  std::lock_guard lock(m_mutex);
  return m_errors;
}

std::string Autosaver::lastError() const {
  std::lock_guard lock(m_mutex);
  return m_lastError;
}

void Autosaver::run() {
  std::unique_lock lock(m_mutex);
  for (;;) {
    while (!m_stop && !(m_deadline && (m_flushRequested || Clock::now() >= *m_deadline))) {
      if (m_deadline) {
        m_wake.wait_until(lock, *m_deadline);
      } else {
        m_wake.wait(lock);
      }
    }
    if (!m_deadline) {
      if (m_stop) return;
      continue;
    }
    // Take everything pending; new submissions during the writes start the next round.
    std::map<std::string, std::map<core::StandardView, Pending>> work;
    for (auto& [examId, exam] : m_exams) {
      if (exam.pendingImages.empty() && !exam.sidecarDirty) continue;
      work[examId] = std::move(exam.pendingImages);
      exam.pendingImages.clear();
      exam.sidecarDirty = false;
    }
    const std::size_t generation = m_generation;
    m_deadline.reset();
    m_flushRequested = false;
    lock.unlock();
    for (auto& [examId, images] : work) saveExam(examId, images);
    lock.lock();
    m_savedGeneration = generation;
    m_idle.notify_all();
  }
}

void Autosaver::saveExam(const std::string& examId, const std::map<core::StandardView, Pending>& images) {
  try {
    bool loaded;
    {
      std::lock_guard lock(m_mutex);
      loaded = m_exams[examId].loaded;
    }
    if (!loaded) {
      // First touch of this exam: continue an earlier session's sidecar (created time, statuses, notes).
      AnnotationSidecar sidecar;
      const fs::path existing = sidecarPath(m_folder, examId);
      if (fs::exists(existing)) {
        sidecar = readSidecar(existing);
      } else {
        sidecar.annotator = m_options.annotator;
        sidecar.examId = examId;
        sidecar.created = isoTimestampNow();
      }
      std::lock_guard lock(m_mutex);
      ExamState& state = m_exams[examId];
      state.sidecar = std::move(sidecar);
      state.loaded = true;
    }
    // Masks and components outside the lock: they are the slow part.
    std::map<core::StandardView, std::vector<Component>> components;
    std::map<core::StandardView, std::map<std::string, fs::path>> files;
    for (const auto& [view, pending] : images) {
      const core::LabelMap map(pending);  // the saver thread's own copy to write from
      files[view] = writeMasks(m_folder, examId, view, map, m_options.classes);
      components[view] = connectedComponents(map).components;
    }
    AnnotationSidecar sidecar;
    {
      std::lock_guard lock(m_mutex);
      AnnotationSidecar& s = m_exams[examId].sidecar;
      for (const auto& [view, pending] : images) {
        const std::string name(core::toString(view));
        updateLesions(s.lesions, name, components[view], pending.spacing(), m_options.classes);
        ImageAnnotationRecord& record = s.images[name];
        record.rows = pending.rows();
        record.columns = pending.columns();
        record.spacing = pending.spacing();
        record.masks.clear();
        for (const auto& [cls, file] : files[view]) record.masks[cls] = file.filename().string();
      }
      s.annotator = m_options.annotator;
      s.modified = isoTimestampNow();
      s.toolVersion = m_options.toolVersion;
      sidecar = s;
    }
    writeSidecar(sidecarPath(m_folder, examId), sidecar);
    {
      std::lock_guard lock(m_mutex);
      ++m_saves;
    }
    if (m_options.onSaved) m_options.onSaved(examId);
  } catch (const std::exception& e) {
    std::lock_guard lock(m_mutex);
    ++m_errors;
    m_lastError = e.what();
    // Retry later with whatever is newest: put back images no newer submission has replaced.
    ExamState& state = m_exams[examId];
    for (auto& [view, pending] : images) state.pendingImages.try_emplace(view, pending);
    state.sidecarDirty = true;
    if (!m_deadline) m_deadline = Clock::now() + std::max(m_options.delay, std::chrono::milliseconds(500));
  }
}

}  // namespace mammo::annotation
