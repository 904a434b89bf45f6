#include "ui/PriorController.h"

#include <algorithm>
#include <iterator>
#include <optional>

#include "core/Job.h"
#include "ui/FourViewPanel.h"
#include "ui/JobRunner.h"
#include "viewer/ViewAnnotation.h"
#include "workstation/PacsAccess.h"
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
  m_comparison.reset();
  m_difference.reset();
  m_differenceShown = false;
  m_priors.clear();
  m_remote.clear();
  m_report.clear();
  if (key.empty()) {
    emit priorsListed(0);
    return;
  }
  struct Listed {
    std::optional<pacs::StudyRecord> current;
    std::vector<pacs::StudyRecord> priors;
  };
  JobRunner::Callbacks<Listed> callbacks;
  callbacks.done = [this, generation = m_generation](Listed listed) {
    if (generation != m_generation) return;
    m_listJob.reset();
    m_priors = std::move(listed.priors);
    // None in the store: the configured PACS may have them.
    if (m_priors.empty() && listed.current && workstation::configured(m_services.settings.pacs())) {
      findOnPacs(*listed.current);
      return;
    }
    emit priorsListed(static_cast<int>(m_priors.size()));
  };
  callbacks.failed = [this, generation = m_generation](const QString& why) {
    if (generation != m_generation) return;
    m_listJob.reset();
    emit message(tr("The prior studies could not be listed: %1").arg(why));
  };
  m_listJob = m_services.jobs.start<Listed>(
      JobRunner::Lane::Background, tr("Listing prior studies"), this,
      [key, &store = m_services.store](core::JobContext&) {
        Listed listed;
        listed.current = store.study(key);
        if (listed.current && !listed.current->patientId.empty())
          listed.priors = store.priors(listed.current->patientId, listed.current->studyDate, key);
        return listed;
      },
      std::move(callbacks));
}

void PriorController::findOnPacs(const pacs::StudyRecord& current) {
  const pacs::RemoteNode node = workstation::pacsNode(m_services.settings.pacs(), m_services.settings.storeSettings());
  JobRunner::Callbacks<std::vector<pacs::StudyMatch>> callbacks;
  callbacks.done = [this, generation = m_generation](std::vector<pacs::StudyMatch> found) {
    if (generation != m_generation) return;
    m_listJob.reset();
    m_remote = std::move(found);
    emit priorsListed(static_cast<int>(m_remote.size()));
  };
  callbacks.failed = [this, generation = m_generation](const QString& why) {
    if (generation != m_generation) return;
    m_listJob.reset();
    emit priorsListed(0);
    emit message(tr("The PACS could not be asked for prior studies: %1").arg(why));
  };
  m_listJob = m_services.jobs.start<std::vector<pacs::StudyMatch>>(
      JobRunner::Lane::Network, tr("Looking for prior studies on the PACS"), this,
      [node, patient = current.patientId, date = current.studyDate, uid = current.key](core::JobContext& job) {
        return workstation::findPriorsOnPacs(node, patient, date, uid, &job);
      },
      std::move(callbacks));
}

void PriorController::retrieveAndCompare(const std::string& studyUid) {
  if (!m_panel->exam()) return;
  cancel();
  const int generation = ++m_compareGeneration;
  const pacs::RemoteNode node = workstation::pacsNode(m_services.settings.pacs(), m_services.settings.storeSettings());
  JobRunner::Callbacks<workstation::Retrieved> callbacks;
  callbacks.progress = [this, generation](double fraction, const QString& stage) {
    if (generation == m_compareGeneration && m_job) emit progress(fraction, tr("Retrieving the prior: %1").arg(stage));
  };
  callbacks.done = [this, generation, opened = m_generation](workstation::Retrieved r) {
    if (generation != m_compareGeneration) return;
    m_job.reset();
    if (opened != m_generation) return;
    emit priorRetrieved(QString::fromStdString(r.studyKey));
    if (r.imagesInStore == 0) {
      emit message(tr("The PACS sent none of the prior's images (%1 failed).").arg(r.transfer.failed));
      return;
    }
    // In the store now: listed there from here on, and compared as any stored prior.
    std::erase_if(m_remote, [&](const pacs::StudyMatch& m) { return m.studyUid == r.studyKey; });
    if (r.study) m_priors.insert(m_priors.begin(), *r.study);  // read by the job: no store query here
    compare(r.studyKey);
  };
  callbacks.failed = [this, generation](const QString& why) {
    if (generation != m_compareGeneration) return;
    m_job.reset();
    emit message(tr("The prior could not be retrieved: %1").arg(why));
  };
  callbacks.cancelled = [this, generation] {
    if (generation == m_compareGeneration) m_job.reset();
  };
  m_job = m_services.jobs.start<workstation::Retrieved>(
      JobRunner::Lane::Network, tr("Retrieving the prior"), this,
      [node, studyUid, ours = m_services.settings.storeSettings(), &store = m_services.store](core::JobContext& job) {
        return workstation::retrieveStudy(node, studyUid, workstation::RetrieveMethod::Get, ours, store, &job);
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
    m_shownLinks = links;
    m_shownDate = date;
    m_comparison = std::make_shared<const workstation::PriorComparison>(comparison);
    m_difference.reset();
    m_differenceShown = false;
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
  if (!m_priors.empty()) {
    compare(m_priors.front().key);
  } else if (!m_remote.empty()) {
    retrieveAndCompare(m_remote.front().studyUid);
  } else {
    emit message(m_listJob ? tr("The prior studies are still being looked up.")
                           : tr("Neither the study store nor the PACS has an earlier study of this patient."));
  }
}

void PriorController::toggleDifference() {
  if (!m_comparison || !m_panel->prior() || !m_panel->exam()) {
    emit message(tr("Compare with a prior first (Study > Compare with prior)."));
    return;
  }
  if (m_differenceShown) {
    m_differenceShown = false;
    m_panel->setPrior(m_comparison->exam, m_shownLinks);
    m_panel->setLayout(viewer::Layout::Prior, m_panel->state().single);
    emit differenceShown(false);
    return;
  }
  if (m_difference) {
    showDifference();
    return;
  }
  if (m_differenceJob) return;  // being made
  JobRunner::Callbacks<std::shared_ptr<const core::Exam>> callbacks;
  callbacks.done = [this, comparison = m_comparison](std::shared_ptr<const core::Exam> difference) {
    m_differenceJob.reset();
    if (comparison != m_comparison) return;  // another prior (or study) since
    m_difference = std::move(difference);
    showDifference();
  };
  callbacks.failed = [this](const QString& why) {
    m_differenceJob.reset();
    emit message(tr("The difference view could not be made: %1").arg(why));
  };
  callbacks.cancelled = [this] { m_differenceJob.reset(); };
  m_differenceJob = m_services.jobs.start<std::shared_ptr<const core::Exam>>(
      JobRunner::Lane::Background, tr("Difference with the prior"), this,
      [current = m_panel->exam(), comparison = m_comparison](core::JobContext&) {
        return workstation::differenceExam(*current, *comparison);
      },
      std::move(callbacks));
}

void PriorController::showDifference() {
  // The difference lies on the current view's pixels: linked by the identity, captioned as what it is.
  std::array<std::optional<viewer::PriorLink>, 4> links;
  for (core::StandardView v : core::kStandardViews) {
    const auto& shown = m_shownLinks[static_cast<int>(v)];
    if (!shown || m_difference->view(v).empty()) continue;
    viewer::PriorLink l;
    l.currentToPrior = core::Affine2D::identity();
    l.registered = shown->registered;
    l.caption = "DIFFERENCE now - " + m_shownDate + (l.registered ? "  registered" : "  chest walls aligned");
    links[static_cast<int>(v)] = l;
  }
  m_differenceShown = true;
  m_panel->setPrior(m_difference, links);
  m_panel->setLayout(viewer::Layout::Prior, m_panel->state().single);
  emit differenceShown(true);
}

}  // namespace mammo::ui
