#include "ui/PriorController.h"

#include <algorithm>
#include <iterator>

#include "core/Job.h"
#include "ui/FourViewPanel.h"
#include "ui/JobRunner.h"
#include "viewer/ViewAnnotation.h"
#include "workstation/PriorComparison.h"

namespace mammo::ui {

PriorController::PriorController(Services services, FourViewPanel* panel, QObject* parent)
    : QObject(parent), m_services(services), m_panel(panel) {}

PriorController::~PriorController() { cancel(); }

void PriorController::cancel() {
  if (m_job) m_job->cancel();
  m_job.reset();
  ++m_compareGeneration;  // whatever it still reports is dropped
}

void PriorController::studyOpened(const std::string& key) {
  cancel();
  if (m_listJob) m_listJob->cancel();
  ++m_generation;  // results of jobs for an earlier opening are dropped, even for the same study
  m_currentKey = key;
  m_shownKey.clear();
  m_priors.clear();
  m_report.clear();
  if (key.empty()) {
    emit priorsListed(0);
    return;
  }
  JobRunner::Callbacks<std::vector<pacs::StudyRecord>> callbacks;
  callbacks.done = [this, generation = m_generation](std::vector<pacs::StudyRecord> priors) {
    if (generation != m_generation) return;
    m_listJob.reset();
    m_priors = std::move(priors);
    emit priorsListed(static_cast<int>(m_priors.size()));
  };
  callbacks.failed = [this, generation = m_generation](const QString& why) {
    if (generation != m_generation) return;
    m_listJob.reset();
    emit message(tr("The prior studies could not be listed: %1").arg(why));
  };
  m_listJob = m_services.jobs.start<std::vector<pacs::StudyRecord>>(
      JobRunner::Lane::Background, tr("Listing prior studies"), this,
      [key, &store = m_services.store](core::JobContext&) {
        const std::optional<pacs::StudyRecord> current = store.study(key);
        if (!current || current->patientId.empty()) return std::vector<pacs::StudyRecord>{};
        return store.priors(current->patientId, current->studyDate, key);
      },
      std::move(callbacks));
}

void PriorController::compare(const std::string& key) {
  const std::shared_ptr<const core::Exam> current = m_panel->exam();
  if (!current) return;
  cancel();
  JobRunner::Callbacks<workstation::PriorComparison> callbacks;
  const int generation = ++m_compareGeneration;
  callbacks.progress = [this, generation](double fraction, const QString& stage) {
    if (generation == m_compareGeneration && m_job) emit progress(fraction, stage);
  };
  callbacks.done = [this, key, generation, opened = m_generation](workstation::PriorComparison comparison) {
    if (generation != m_compareGeneration) return;
    m_job.reset();
    if (opened != m_generation || m_panel->exam() == nullptr) return;
    std::array<std::optional<viewer::PriorLink>, 4> links;
    m_report.clear();
    int registered = 0;
    const std::string date = viewer::formatStudyDate(comparison.study.studyDate);
    for (const workstation::PriorViewLink& link : comparison.links) {
      viewer::PriorLink l;
      l.currentToPrior = link.currentToPrior();
      l.registered = link.registration.ok;
      l.caption = "PRIOR " + date + (l.registered ? "  registered" : "  chest walls aligned");
      links[static_cast<int>(link.view)] = l;
      registered += l.registered ? 1 : 0;
      m_report << QString::fromStdString(workstation::describeLink(link));
    }
    m_shownKey = key;
    core::StandardView view = m_panel->state().single;
    if (comparison.links.empty()) {
      emit message(tr("The prior of %1 has no view in common with this study.").arg(QString::fromStdString(date)));
      return;
    }
    if (!links[static_cast<int>(view)]) view = comparison.links.front().view;
    m_panel->setPrior(comparison.exam, links);
    m_panel->setLayout(viewer::Layout::Prior, view);
    QString summary = tr("Prior of %1: %2 of %3 views registered")
                          .arg(QString::fromStdString(date))
                          .arg(registered)
                          .arg(comparison.links.size());
    if (registered < static_cast<int>(comparison.links.size()))
      summary += tr("; the others are aligned at the chest wall (see the exam information)");
    emit priorShown(summary);
  };
  callbacks.failed = [this, generation](const QString& why) {
    if (generation != m_compareGeneration) return;
    m_job.reset();
    emit message(tr("The prior could not be compared: %1").arg(why));
  };
  callbacks.cancelled = [this, generation] {
    if (generation == m_compareGeneration) m_job.reset();
  };
  m_job = m_services.jobs.start<workstation::PriorComparison>(
      JobRunner::Lane::Background, tr("Registering the prior"), this,
      [key, current, &store = m_services.store](core::JobContext& job) {
        return workstation::comparePrior(store, key, *current, job);
      },
      std::move(callbacks));
}

void PriorController::compareNext() {
  if (!m_shownKey.empty() && m_panel->prior() && m_panel->layout() == viewer::Layout::Prior) {
    // The next linked view after the one shown.
    const auto& views = core::kStandardViews;
    const size_t n = std::size(views);
    const size_t at =
        static_cast<size_t>(std::find(std::begin(views), std::end(views), m_panel->state().single) - std::begin(views));
    for (size_t step = 1; step <= n; ++step) {
      const core::StandardView v = views[(at + step) % n];
      if (m_panel->priorLink(v)) {
        m_panel->setLayout(viewer::Layout::Prior, v);
        return;
      }
    }
    return;
  }
  if (!m_shownKey.empty() && m_panel->prior()) {
    m_panel->setLayout(viewer::Layout::Prior, m_panel->state().single);
    return;
  }
  if (m_priors.empty()) {
    emit message(m_listJob ? tr("The prior studies are still being looked up.")
                           : tr("The study store has no earlier study of this patient."));
    return;
  }
  compare(m_priors.front().key);
}

}  // namespace mammo::ui
