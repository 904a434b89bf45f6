#pragma once
// Study > Query/Retrieve: the configured PACS (workstation::PacsSettings) searched at study level (C-FIND) by
// patient id, study date or range and accession — the fields of `mammolens-cli pacs query` — and the chosen
// studies retrieved into the study store (C-GET, or C-MOVE to the workstation's running receiver), with
// progress and Cancel. Searches and retrievals run on the job runner's Network lane, one at a time; the
// dialog stays usable and the reading goes on meanwhile. A retrieved study is announced (retrieved) so that
// the worklist shows it and the pre-reader queues it. Lines never name patients except the table of answers.
#include <QDialog>
#include <QString>
#include <QStringList>

#include <memory>
#include <vector>

#include "pacs/DicomClient.h"
#include "ui/Services.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QTableWidget;

namespace mammo::core {
class JobContext;
}

namespace mammo::ui {

class BackgroundReading;

class QueryRetrieveDialog : public QDialog {
  Q_OBJECT

 public:
  enum Column { PatientId, PatientName, StudyDate, Accession, Description, Modalities, Images, ColumnCount };
  enum Method { Get = 0, Move = 1 };

  QueryRetrieveDialog(Services services, BackgroundReading* background, QWidget* parent = nullptr);
  ~QueryRetrieveDialog() override;

  QLineEdit* patientId() const { return m_patientId; }
  QLineEdit* studyDate() const { return m_studyDate; }  // YYYYMMDD or a range YYYYMMDD-YYYYMMDD
  QLineEdit* accession() const { return m_accession; }
  QComboBox* method() const { return m_method; }
  QTableWidget* results() const { return m_results; }
  QProgressBar* progress() const { return m_progress; }
  QLabel* status() const { return m_status; }  // what the last search or retrieval came to, or why it failed
  const std::vector<pacs::StudyMatch>& matches() const { return m_matches; }
  bool busy() const { return m_job != nullptr; }

 public slots:
  void search();
  // The selected rows' studies, one after another.
  void retrieveSelected();
  void cancel();
  // The PACS and our node as the settings say now (after the network settings changed).
  void refreshNode();

 signals:
  void searched(int matches);
  // One study is in the store (`images` of it there now); failed transfers are in status().
  void retrieved(const QString& key, int images);
  // Every chosen study was handled, or the retrieval was cancelled or failed.
  void retrievalFinished();

 private:
  void showMatches(std::vector<pacs::StudyMatch> matches);
  void setBusy(const std::shared_ptr<core::JobContext>& job);
  void failed(const QString& what, const QString& message);

  Services m_services;
  BackgroundReading* m_background;
  QLabel* m_node = nullptr;
  QLineEdit* m_patientId = nullptr;
  QLineEdit* m_studyDate = nullptr;
  QLineEdit* m_accession = nullptr;
  QComboBox* m_method = nullptr;
  QTableWidget* m_results = nullptr;
  QProgressBar* m_progress = nullptr;
  QLabel* m_status = nullptr;
  QPushButton* m_search = nullptr;
  QPushButton* m_retrieve = nullptr;
  QPushButton* m_cancel = nullptr;
  std::vector<pacs::StudyMatch> m_matches;
  std::shared_ptr<core::JobContext> m_job;  // the search or retrieval in progress
};

}  // namespace mammo::ui
