#pragma once
// Hosts the annotation session (workstation::AnnotationSession) of the exam on the panel: reads its saved
// masks and takes the edit lock in the background when the exam opens, finishes a closed session's last
// writes in the background, lists the other annotators for review. Every file access runs on the job
// runner's Annotation lane, in order, so a session's last writes always precede the next session's reads
// (it may be the same exam again). GUI thread only.
#include <QObject>
#include <QString>
#include <QStringList>

#include <chrono>
#include <filesystem>
#include <memory>

#include "annotation/MaskClasses.h"
#include "core/Exam.h"
#include "workstation/AnnotationSession.h"

namespace mammo::ui {

class JobRunner;

class AnnotationSessionHost : public QObject {
  Q_OBJECT

 public:
  explicit AnnotationSessionHost(JobRunner& runner, QObject* parent = nullptr);
  // Finishes the session and waits for its last writes (the end of the window: nothing may be lost).
  ~AnnotationSessionHost() override;

  // Starts reading `exam`'s saved masks into a new session with these options (classes: the configured
  // list); sessionStarted follows. A session of another exam is finished first.
  void start(std::shared_ptr<const core::Exam> exam, workstation::AnnotationSessionOptions options);
  // Ends the current session (its writes finish in the background) and drops any session being read.
  void finish();

  // The ready session; null before its saved masks are read.
  workstation::AnnotationSession* session() const { return m_session.get(); }
  const std::shared_ptr<const core::Exam>& exam() const { return m_exam; }
  const workstation::AnnotationSessionOptions& options() const { return m_options; }
  // Increases with every session started or finished: background results of an older one are stale.
  int generation() const { return m_generation; }

  QStringList otherAnnotators() const { return m_otherAnnotators; }  // as of the last scan
  void rescanAnnotators();  // annotatorsChanged follows

 signals:
  // The session is ready (saved masks read); editConflict may have come first.
  void sessionStarted();
  void sessionFinished();
  void editConflict(const QString& message);
  // An autosave reached the disk.
  void saved();
  void annotatorsChanged();
  void message(const QString& text);

 private:
  void ready(int generation, workstation::SavedAnnotation loaded);

  JobRunner& m_runner;
  std::shared_ptr<const core::Exam> m_exam;
  workstation::AnnotationSessionOptions m_options;
  std::unique_ptr<workstation::AnnotationSession> m_session;
  QStringList m_otherAnnotators;
  int m_generation = 0;
};

}  // namespace mammo::ui
