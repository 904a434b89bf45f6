#pragma once
// Autosave of label maps: the caller hands over a changed map, the Autosaver copies it (the only work done
// on the caller's thread) and a background std::thread writes the image's masks and the exam's sidecar
// atomically no later than `delay` after the first unsaved change. Several changes to one image inside
// that window are written once, as the latest copy. Files: <root>/<annotator>/ (MaskFiles.h, Sidecar.h).
//
// Thread-safety: every public method may be called from any thread. Write errors never reach the caller's
// thread as exceptions; they are kept (lastError, errorCount) and the write is retried with the next change.
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "annotation/MaskClasses.h"
#include "annotation/Sidecar.h"
#include "core/LabelMap.h"
#include "core/Types.h"

namespace mammo::annotation {

struct AutosaveOptions {
  std::filesystem::path root;  // masks go to root/<annotator>/
  std::string annotator;
  std::string toolVersion;  // recorded in the sidecar; empty = this build's version
  std::chrono::milliseconds delay{2000};
  // Called on the Autosaver's thread after each exam's save has reached the disk (lesions() is then up to
  // date). Must not call back into this Autosaver's flush(); keep it short (e.g. post to the GUI thread).
  std::function<void(const std::string& examId)> onSaved{};
  ClassList classes = ClassList::standard();  // the label maps' ids; decides the mask files and lesion classes
};

class Autosaver {
 public:
  // Creates the annotator folder, removes temporaries a crash left there, and loads the sidecars of exams
  // as they are first touched (so created times, statuses and notes survive restarts).
  explicit Autosaver(AutosaveOptions options);
  // Writes everything still pending, then stops the thread.
  ~Autosaver();
  Autosaver(const Autosaver&) = delete;
  Autosaver& operator=(const Autosaver&) = delete;

  // Snapshot `map` (the labels of image `view` of exam `examId`) for saving. spacing gives lesion areas.
  void submit(const std::string& examId, core::StandardView view, const core::LabelMap& map,
              std::optional<core::PixelSpacing> spacing = std::nullopt);
  // Starts the exam from a sidecar the caller has already read (e.g. on a loading thread, so lesions() is
  // right before the first save and no file is read under the lock). No effect once the exam is loaded.
  void open(const std::string& examId, AnnotationSidecar sidecar);
  // Sets a lesion's status and note (ids from lesions()); saved with the sidecar. False for unknown ids.
  bool setLesionState(const std::string& examId, int lesionId, LesionStatus status, const std::string& note);
  // Links two lesions of the exam as one finding seen in two views (linkLesions in Lesions.h); saved
  // with the sidecar. False when linkLesions refuses.
  bool linkLesions(const std::string& examId, int target, int other);
  // The exam's lesion list as of the latest completed save.
  std::vector<Lesion> lesions(const std::string& examId) const;

  // Writes everything submitted so far now and returns when it is on disk.
  void flush();

  std::filesystem::path folder() const { return m_folder; }
  std::size_t savesCompleted() const;
  std::size_t errorCount() const;
  std::string lastError() const;

 private:
  using Clock = std::chrono::steady_clock;
  using Pending = core::LabelRaster;  // the submitted snapshot, with the image's spacing
  struct ExamState {
    std::map<core::StandardView, Pending> pendingImages;
    bool sidecarDirty = false;
    bool loaded = false;
    AnnotationSidecar sidecar;
  };

  void run();
  void saveExam(const std::string& examId, const std::map<core::StandardView, Pending>& images);
  ExamState& examLocked(const std::string& examId);

  AutosaveOptions m_options;
  std::filesystem::path m_folder;
  mutable std::mutex m_mutex;
  std::condition_variable m_wake;  // the worker: new work, flush or stop
  std::condition_variable m_idle;  // flush(): the worker finished a round
  std::map<std::string, ExamState> m_exams;
  std::optional<Clock::time_point> m_deadline;  // when the oldest unsaved change must be on disk
  bool m_flushRequested = false;
  bool m_stop = false;
  bool m_busy = false;
  std::size_t m_generation = 0;  // submissions so far
  std::size_t m_savedGeneration = 0;
  std::size_t m_saves = 0;
  std::size_t m_errors = 0;
  std::string m_lastError;
  std::thread m_thread;  // last member: starts after everything above is constructed
};

}  // namespace mammo::annotation
