#pragma once
// Prior-exam comparison in the GUI: the open study's priors listed from the study store, one of them loaded
// and each shared view registered to the current one (workstation::comparePrior, on a worker; ITK), then hung
// beside the current study (viewer::Layout::Prior) with cursor, zoom and pan linked through the registration.
// A view whose registration is refused is linked by chest-wall alignment, and the reader is told which.
// GUI thread only; the store is read and the registration runs on the job runner's Background lane.
#include <QObject>
#include <QString>

#include <array>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/Exam.h"
#include "viewer/ReadingState.h"
#include "pacs/DicomClient.h"
#include "pacs/StudyStore.h"
#include "ui/Services.h"

namespace mammo::core {
class JobContext;
}
namespace mammo::workstation {
struct PriorComparison;
}

namespace mammo::ui {

class FourViewPanel;

class PriorController : public QObject {
  Q_OBJECT

 public:
  PriorController(Services services, FourViewPanel* panel, QObject* parent = nullptr);
  ~PriorController() override;

  // A study was opened: its priors are looked up, in the store, else on the PACS (priorsListed follows) and any comparison in progress stops.
  void studyOpened(const std::string& key);
  // The open study's priors in the store, newest first (empty until priorsListed).
  const std::vector<pacs::StudyRecord>& priors() const { return m_priors; }
  // When the store has none and a PACS is configured: the patient's earlier studies there (C-FIND on the
  // Network lane), newest first. Comparing with one retrieves it into the store first (C-GET).
  const std::vector<pacs::StudyMatch>& remotePriors() const { return m_remote; }
  void retrieveAndCompare(const std::string& studyUid);
  // Loads prior `key` and registers it (progress, then priorShown or failed). Cancels one in progress.
  void compare(const std::string& key);
  // The newest prior (from the PACS when the store has none); once one is shown, its next linked view (L-CC, R-CC, L-MLO, R-MLO in turn). Says so when the
  // study has no prior.
  void compareNext();
  bool busy() const { return m_job != nullptr; }
  // In place of the prior shown: the difference of each linked view (workstation::priorDifference, made on
  // a worker the first time), current minus the registered prior; again: the prior. differenceShown follows.
  void toggleDifference();
  bool showingDifference() const { return m_differenceShown; }
  void cancel();
  // One line per view of the last comparison shown (workstation::describeLink).
  const QStringList& registrationReport() const { return m_report; }

 signals:
  // The store's priors, else the PACS's (count of the list that has them).
  void priorsListed(int count);
  // A prior came from the PACS into the store (the worklist shows it).
  void priorRetrieved(const QString& key);
  void progress(double fraction, const QString& stage);
  // The prior is hung; `summary` is one line for the status bar.
  void priorShown(const QString& summary);
  void message(const QString& text);
  void differenceShown(bool shown);

 private:
  Services m_services;
  FourViewPanel* m_panel;
  std::string m_currentKey;
  std::string m_shownKey;  // the prior on the panel
  std::shared_ptr<const workstation::PriorComparison> m_comparison;  // of the prior shown
  std::array<std::optional<viewer::PriorLink>, 4> m_shownLinks;
  std::string m_shownDate;
  std::shared_ptr<const core::Exam> m_difference;  // made from m_comparison, once
  std::shared_ptr<core::JobContext> m_differenceJob;
  bool m_differenceShown = false;
  void findOnPacs(const pacs::StudyRecord& current);
  void showDifference();

  std::vector<pacs::StudyRecord> m_priors;
  std::vector<pacs::StudyMatch> m_remote;
  std::shared_ptr<core::JobContext> m_job;  // the comparison in progress
  std::shared_ptr<core::JobContext> m_listJob;
  QStringList m_report;
  int m_generation = 0;  // of studyOpened
  int m_compareGeneration = 0;  // of compare
};

}  // namespace mammo::ui
