#include "workstation/AnnotationSession.h"

#include <algorithm>
#include <cstring>

#include "annotation/Autosaver.h"
#include "annotation/MaskClasses.h"
#include "annotation/MaskFiles.h"
#include "annotation/Operation.h"

namespace mammo::workstation {
namespace fs = std::filesystem;

std::array<std::optional<core::LabelMap>, 4> AnnotationSession::readSavedMasks(const core::Exam& exam,
                                                                               const fs::path& folder,
                                                                               annotation::ClassList& classes,
                                                                               std::vector<std::string>& errors) {
  std::array<std::optional<core::LabelMap>, 4> maps;
  // Every class's file of this exam in the folder, whether or not the class is in today's list: masks are
  // never left out of the session (and so never overwritten by a save that did not know them).
  std::array<std::map<std::string, fs::path>, 4> filesOf;
  std::error_code ec;
  if (!fs::is_directory(folder, ec)) return maps;
  for (annotation::MaskSet& set : annotation::findMaskFiles({folder}, annotation::Recursion::TopFolderOnly)) {
    if (set.examId == exam.id) filesOf[static_cast<int>(set.view)] = std::move(set.files);
  }
  for (core::StandardView view : core::kStandardViews) {
    const core::Image* image = exam.first(view);
    if (!image) continue;
    const std::map<std::string, fs::path>& files = filesOf[static_cast<int>(view)];
    if (files.empty()) continue;
    try {
      core::LabelMap map = annotation::readMasks(files, classes);
      if (map.rows != image->info.rows || map.columns != image->info.columns) {
        errors.push_back(files.begin()->second.string() + ": mask is " + std::to_string(map.rows) + "x" +
                         std::to_string(map.columns) + " but the image is " + std::to_string(image->info.rows) + "x" +
                         std::to_string(image->info.columns) + "; this view starts empty");
        continue;
      }
      maps[static_cast<int>(view)] = std::move(map);
    } catch (const std::exception& e) {
      errors.push_back(std::string(e.what()) + "; this view starts empty");
    }
  }
  return maps;
}

std::vector<std::string> AnnotationSession::listOtherAnnotators(const fs::path& root, const std::string& me,
                                                                const std::string& examId) {
  std::vector<std::string> names;
  std::error_code ec;
  for (const fs::directory_entry& entry : fs::directory_iterator(root, ec)) {
    const std::string name = entry.path().filename().string();
    if (name == me || !entry.is_directory(ec)) continue;
    if (fs::exists(annotation::sidecarPath(entry.path(), examId), ec)) names.push_back(name);
  }
  std::sort(names.begin(), names.end());
  return names;
}

SavedAnnotation AnnotationSession::load(const core::Exam& exam, const AnnotationSessionOptions& options) {
  SavedAnnotation saved;
  const fs::path folder = annotation::annotatorFolder(options.root, options.annotator);
  saved.classes = options.classes;
  saved.maps = readSavedMasks(exam, folder, saved.classes, saved.errors);
  for (const annotation::MaskClass& c : saved.classes.classes()) {
    if (!options.classes.find(c.name)) saved.addedClasses.push_back(c.name);
  }
  const fs::path sidecar = annotation::sidecarPath(folder, exam.id);
  if (fs::exists(sidecar)) {
    try {
      saved.sidecar = annotation::readSidecar(sidecar);
    } catch (const std::exception& e) {
      saved.errors.push_back(std::string(e.what()) + "; the lesion list starts again from the masks");
    }
  }
  saved.otherAnnotators = listOtherAnnotators(options.root, options.annotator, exam.id);
  saved.lock = std::make_shared<annotation::EditLock>();
  try {
    saved.conflict = saved.lock->acquire(folder, exam.id);
  } catch (const std::exception& e) {
    saved.errors.push_back(e.what());
  }
  return saved;
}

AnnotationSession::AnnotationSession(std::shared_ptr<const core::Exam> exam, AnnotationSessionOptions options,
                                     SavedAnnotation saved)
    : m_exam(std::move(exam)), m_options(std::move(options)), m_lock(std::move(saved.lock)) {
  // The configured list plus any classes load() found in the saved masks: the session's ids.
  if (!saved.classes.classes().empty()) m_options.classes = std::move(saved.classes);
  for (core::StandardView view : core::kStandardViews) {
    const core::Image* image = m_exam->first(view);
    if (!image) continue;
    auto& slot = saved.maps[static_cast<int>(view)];
    m_maps[static_cast<int>(view)] = slot ? std::move(*slot) : core::LabelMap(image->info.rows, image->info.columns);
  }
  annotation::AutosaveOptions autosave;
  autosave.root = m_options.root;
  autosave.annotator = m_options.annotator;
  autosave.classes = m_options.classes;
  autosave.delay = m_options.autosaveDelay;
  autosave.onSaved = m_options.onSaved;
  m_saver = std::make_unique<annotation::Autosaver>(std::move(autosave));
  if (saved.sidecar) m_saver->open(m_exam->id, std::move(*saved.sidecar));
}

AnnotationSession::~AnnotationSession() {
  m_saver.reset();  // writes what is pending
  if (m_lock) m_lock->release();
}

fs::path AnnotationSession::folder() const { return m_saver->folder(); }

const core::LabelMap* AnnotationSession::map(core::StandardView view) const {
  const auto& m = m_maps[static_cast<int>(view)];
  return m ? &*m : nullptr;
}

core::LabelMap* AnnotationSession::previewMap(core::StandardView view) {
  auto& m = m_maps[static_cast<int>(view)];
  return m ? &*m : nullptr;
}

void AnnotationSession::submit(core::StandardView view) {
  const core::Image* image = m_exam->first(view);
  m_saver->submit(m_exam->id, view, *m_maps[static_cast<int>(view)], image ? image->info.spacing : std::nullopt);
}

std::size_t AnnotationSession::apply(core::StandardView view, const annotation::Operation& op) {
  auto& m = m_maps[static_cast<int>(view)];
  if (!m) return 0;
  const std::size_t changed = m_history[static_cast<int>(view)].apply(*m, op);
  if (changed > 0) {
    m_undoOrder.push_back(view);
    m_redoOrder.clear();
    submit(view);
  }
  return changed;
}

std::size_t AnnotationSession::commitPreview(core::StandardView view, const core::LabelMap& before,
                                             const annotation::PixelRect& dirty, const annotation::Operation& stroke) {
  auto& m = m_maps[static_cast<int>(view)];
  if (!m || before.rows != m->rows || before.columns != m->columns) return 0;
  const annotation::PixelRect r = dirty.clippedTo(m->rows, m->columns);
  for (int row = r.row0; row < r.row1; ++row) {
    const size_t offset = static_cast<size_t>(row) * m->columns + r.col0;
    std::memcpy(m->labels.data() + offset, before.labels.data() + offset, static_cast<size_t>(r.columns()));
  }
  return apply(view, stroke);
}

std::optional<core::StandardView> AnnotationSession::undo() {
  // Entries the memory cap dropped cannot be undone: skip past them.
  while (!m_undoOrder.empty()) {
    const core::StandardView view = m_undoOrder.back();
    m_undoOrder.pop_back();
    if (m_history[static_cast<int>(view)].undo(*m_maps[static_cast<int>(view)])) {
      m_redoOrder.push_back(view);
      submit(view);
      return view;
    }
  }
  return std::nullopt;
}

std::optional<core::StandardView> AnnotationSession::redo() {
  while (!m_redoOrder.empty()) {
    const core::StandardView view = m_redoOrder.back();
    m_redoOrder.pop_back();
    if (m_history[static_cast<int>(view)].redo(*m_maps[static_cast<int>(view)])) {
      m_undoOrder.push_back(view);
      submit(view);
      return view;
    }
  }
  return std::nullopt;
}

}  // namespace mammo::workstation
