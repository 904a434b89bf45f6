#pragma once
// The worklist dock: the study store's studies (pacs::StudyStore) in a sortable table — date, patient,
// accession, views, AI status with the highest per-breast malignant probability, reading status, source —
// filtered by unread, AI done, a date range and text. Double-click or Enter opens a study (studyActivated).
// The store is read on the job runner, never on the GUI thread. GUI thread only.
#include <QWidget>

#include <string>
#include <vector>

#include "pacs/StudyStore.h"
#include "ui/Services.h"

class QCheckBox;
class QLabel;
class QLineEdit;
class QTableWidget;

namespace mammo::ui {

class WorklistPanel : public QWidget {
  Q_OBJECT

 public:
  enum Column { Date, Patient, Name, Accession, Views, Ai, Reading, Source, ColumnCount };

  explicit WorklistPanel(Services services, QWidget* parent = nullptr);

  // Reads the store again (in the background); refreshed follows.
  void refresh();
  pacs::StudyFilter filter() const;
  // The studies' keys in the order the table shows them now (its sorting applied).
  std::vector<std::string> visibleKeys() const;
  // Marks the open study's row (selects it) and remembers it for next/previous.
  void setCurrent(const std::string& key);
  const std::string& current() const { return m_current; }
  const std::vector<pacs::StudyRecord>& studies() const { return m_studies; }

  QTableWidget* table() const { return m_table; }
  QCheckBox* unreadBox() const { return m_unread; }
  QCheckBox* aiDoneBox() const { return m_aiDone; }
  QLineEdit* searchBox() const { return m_text; }
  QLineEdit* fromBox() const { return m_from; }
  QLineEdit* toBox() const { return m_to; }

 signals:
  void studyActivated(const QString& key);
  void refreshed();

 private:
  void show(std::vector<pacs::StudyRecord> studies, int request);

  Services m_services;
  QCheckBox* m_unread = nullptr;
  QCheckBox* m_aiDone = nullptr;
  QLineEdit* m_from = nullptr;
  QLineEdit* m_to = nullptr;
  QLineEdit* m_text = nullptr;
  QTableWidget* m_table = nullptr;
  QLabel* m_count = nullptr;
  std::vector<pacs::StudyRecord> m_studies;
  std::string m_current;
  int m_requests = 0;  // refreshes asked for; only the latest is shown
};

// "done 0.734", "failed: <reason>", "queued", ...
QString aiStatusText(const pacs::StudyRecord& study);

}  // namespace mammo::ui
