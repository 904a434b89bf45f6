#include "ui/AnnotationSessionHost.h"

#include <QMetaObject>
#include <QPointer>

#include "ui/JobRunner.h"

namespace mammo::ui {

using workstation::AnnotationSession;
using workstation::SavedAnnotation;

AnnotationSessionHost::AnnotationSessionHost(JobRunner& runner, QObject* parent) : QObject(parent), m_runner(runner) {}

AnnotationSessionHost::~AnnotationSessionHost() {
  finish();
  m_runner.drain(JobRunner::Lane::Annotation);
}

void AnnotationSessionHost::start(std::shared_ptr<const core::Exam> exam,
                                  workstation::AnnotationSessionOptions options) {
  finish();
  m_exam = std::move(exam);
  m_options = std::move(options);
  const int generation = m_generation;
  JobRunner::Callbacks<SavedAnnotation> callbacks;
  callbacks.done = [this, generation](SavedAnnotation loaded) { ready(generation, std::move(loaded)); };
  callbacks.failed = [this, generation](const QString& error) {
    if (generation == m_generation) emit message(tr("Annotation is not possible: %1").arg(error));
  };
  m_runner.start<SavedAnnotation>(
      JobRunner::Lane::Annotation, tr("Reading saved masks"), this,
      [exam = m_exam, options = m_options](core::JobContext&) { return AnnotationSession::load(*exam, options); },
      std::move(callbacks));
}

void AnnotationSessionHost::ready(int generation, SavedAnnotation loaded) {
  if (generation != m_generation || !m_exam) {
    // A session nobody waits for any more: its lock goes back, in order with the other annotation I/O.
    if (loaded.lock) {
      m_runner.start<void>(JobRunner::Lane::Annotation, tr("Releasing an edit lock"), this,
                           [lock = loaded.lock](core::JobContext&) { lock->release(); });
    }
    return;
  }
  const std::vector<std::string> others = loaded.otherAnnotators;
  for (const std::string& e : loaded.errors) emit message(QString::fromStdString(e));
  if (loaded.conflict) {
    emit editConflict(
        tr("Exam %1 is being annotated by another session (%2). Changes made in both will "
           "overwrite each other's masks.")
            .arg(QString::fromStdString(m_exam->id), QString::fromStdString(loaded.conflict->describe())));
  }
  if (!loaded.addedClasses.empty()) {
    QStringList names;
    for (const std::string& n : loaded.addedClasses) names << QString::fromStdString(n);
    emit message(tr("Masks of classes outside the class list were found and are shown and kept: %1")
                     .arg(names.join(QStringLiteral(", "))));
  }
  workstation::AnnotationSessionOptions options = m_options;
  QPointer<AnnotationSessionHost> self(this);
  options.onSaved = [self, generation](const std::string&) {
    // The Autosaver's thread: hop to the GUI thread; a save of an earlier session is not news.
    QMetaObject::invokeMethod(
        self.data(),
        [self, generation] {
          if (self && generation == self->m_generation) emit self->saved();
        },
        Qt::QueuedConnection);
  };
  try {
    m_session = std::make_unique<AnnotationSession>(m_exam, std::move(options), std::move(loaded));
  } catch (const std::exception& e) {
    emit message(tr("Annotation is not possible: %1").arg(QString::fromStdString(e.what())));
    return;
  }
  m_otherAnnotators.clear();
  for (const std::string& n : others) m_otherAnnotators << QString::fromStdString(n);
  emit annotatorsChanged();
  emit sessionStarted();
}

void AnnotationSessionHost::finish() {
  ++m_generation;
  m_otherAnnotators.clear();
  m_exam.reset();
  if (!m_session) return;
  // The Autosaver writes what is pending and the lock is released on the Annotation lane, after any
  // earlier session's and before any later session's reads.
  std::shared_ptr<AnnotationSession> session(std::move(m_session));
  m_runner.start<void>(JobRunner::Lane::Annotation, tr("Saving the last annotation changes"), this,
                       [session](core::JobContext&) mutable { session.reset(); });
  emit sessionFinished();
}

void AnnotationSessionHost::rescanAnnotators() {
  if (!m_exam) return;
  const int generation = m_generation;
  JobRunner::Callbacks<QStringList> callbacks;
  callbacks.done = [this, generation](const QStringList& names) {
    if (generation != m_generation) return;
    m_otherAnnotators = names;
    emit annotatorsChanged();
  };
  m_runner.start<QStringList>(
      JobRunner::Lane::Annotation, tr("Listing annotators"), this,
      [root = m_options.root, me = m_options.annotator, id = m_exam->id](core::JobContext&) {
        QStringList names;
        for (const std::string& n : AnnotationSession::listOtherAnnotators(root, me, id)) {
          names << QString::fromStdString(n);
        }
        return names;
      },
      std::move(callbacks));
}

}  // namespace mammo::ui
