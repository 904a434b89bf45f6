#pragma once
// One annotator's editing session on one exam: a label map per view (the stored image's pixel grid), an
// undo/redo history per map with one order across views, background autosave and the edit lock.
// Plain C++ (no Qt); the GUI's annotation controller drives it from the GUI thread.
//
// Files: <root>/<annotator>/ holds the NYU masks, the sidecar and the lock (annotation/MaskFiles.h,
// Sidecar.h, EditLock.h). load() does all reading and locking and may run on any thread; every other
// method is GUI-thread only and never does file I/O itself (the Autosaver's thread writes).
#include <array>
#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "annotation/MaskClasses.h"
#include "annotation/EditHistory.h"
#include "annotation/EditLock.h"
#include "annotation/Sidecar.h"
#include "core/Exam.h"
#include "core/LabelMap.h"

namespace mammo::annotation {
class Autosaver;
class Operation;
struct PixelRect;
}  // namespace mammo::annotation

namespace mammo::workstation {

struct AnnotationSessionOptions {
  std::filesystem::path root;
  std::string annotator;
  std::chrono::milliseconds autosaveDelay{2000};
  // The configured class list; once the session is built, that list plus the classes of saved masks.
  annotation::ClassList classes = annotation::ClassList::standard();
  std::function<void(const std::string& examId)> onSaved;  // the Autosaver's thread
};

// What load() found on disk.
struct SavedAnnotation {
  std::array<std::optional<core::LabelMap>, 4> maps;  // by StandardView; empty where nothing was saved
  std::optional<annotation::LockOwner> conflict;  // another live session holds the exam
  std::shared_ptr<annotation::EditLock> lock;  // ours (held unless there was a conflict)
  std::optional<annotation::AnnotationSidecar> sidecar;  // lesion list, statuses and notes of the last save
  std::vector<std::string> errors;  // unreadable or mis-sized masks (those views start empty)
  std::vector<std::string> otherAnnotators;  // others with a sidecar for this exam (for review)
  annotation::ClassList classes;  // the configured list plus classes found in the saved masks
  std::vector<std::string> addedClasses;  // names of those found classes, for a message
};

class AnnotationSession {
 public:
  // Reads this annotator's saved masks of the exam and takes the edit lock. Any thread.
  static SavedAnnotation load(const core::Exam& exam, const AnnotationSessionOptions& options);
  // Annotators other than `me` under `root` who saved a sidecar for the exam, by name. Any thread.
  static std::vector<std::string> listOtherAnnotators(const std::filesystem::path& root, const std::string& me,
                                                      const std::string& examId);
  // The masks of `exam` in an annotator's folder, per view, in the ids of `classes`; masks of classes the
  // list lacks are read too and their classes added to it. Problems go to `errors`. Any thread.
  static std::array<std::optional<core::LabelMap>, 4> readSavedMasks(const core::Exam& exam,
                                                                     const std::filesystem::path& folder,
                                                                     annotation::ClassList& classes,
                                                                     std::vector<std::string>& errors);

  AnnotationSession(std::shared_ptr<const core::Exam> exam, AnnotationSessionOptions options, SavedAnnotation saved);
  // Writes what is pending and releases the lock: blocks on I/O, so destroy it off the GUI thread.
  ~AnnotationSession();
  AnnotationSession(const AnnotationSession&) = delete;
  AnnotationSession& operator=(const AnnotationSession&) = delete;

  const core::Exam& exam() const { return *m_exam; }
  const std::string& examId() const { return m_exam->id; }
  const AnnotationSessionOptions& options() const { return m_options; }
  std::filesystem::path folder() const;
  const core::Image* image(core::StandardView view) const { return m_exam->first(view); }
  // Null where the exam has no image for the view.
  const core::LabelMap* map(core::StandardView view) const;

  // Applies `op` to the view's map through its history (one undo step) and queues an autosave.
  // Returns the number of pixels that changed.
  std::size_t apply(core::StandardView view, const annotation::Operation& op);
  // For live strokes: the map to paint previews into directly. commitPreview() puts `dirty` back as it
  // was in `before` (a copy taken when the stroke began) and then applies the whole stroke through the
  // history, so the stroke is one undo step and the map ends exactly as apply() would leave it.
  core::LabelMap* previewMap(core::StandardView view);
  std::size_t commitPreview(core::StandardView view, const core::LabelMap& before, const annotation::PixelRect& dirty,
                            const annotation::Operation& stroke);

  // Undo / redo the latest operation in any view; the view that changed, nullopt when nothing to do.
  std::optional<core::StandardView> undo();
  std::optional<core::StandardView> redo();
  bool canUndo() const { return !m_undoOrder.empty(); }
  bool canRedo() const { return !m_redoOrder.empty(); }

  annotation::Autosaver& autosaver() { return *m_saver; }
  const annotation::Autosaver& autosaver() const { return *m_saver; }

 private:
  void submit(core::StandardView view);

  std::shared_ptr<const core::Exam> m_exam;
  AnnotationSessionOptions m_options;
  std::array<std::optional<core::LabelMap>, 4> m_maps;
  std::array<annotation::EditHistory, 4> m_history;
  std::vector<core::StandardView> m_undoOrder;  // back = latest
  std::vector<core::StandardView> m_redoOrder;
  std::shared_ptr<annotation::EditLock> m_lock;
  std::unique_ptr<annotation::Autosaver> m_saver;
};

}  // namespace mammo::workstation
