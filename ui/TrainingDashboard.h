#pragma once
// The training dashboard (issue 6, "From the GUI"): an exam list with its split summary, the phase and
// hyperparameters, Start / Stop / Resume, live curves (ui/TrainingCharts), the run's checkpoints with their
// metrics and "Use for reading", which turns a checkpoint into a model bundle and emits modelBundleChosen
// (MainWindow makes it the active model). Training runs on TrainingController's worker thread; this widget
// only presents. GUI thread only.
#include <QWidget>

#include <vector>

#include "ui/Services.h"
#include "workstation/TrainingCheckpoints.h"
#include "workstation/TrainingRun.h"

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLayout;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTableWidget;

namespace mammo::ui {

class TrainingCharts;
class TrainingController;

class TrainingDashboard : public QWidget {
  Q_OBJECT

 public:
  explicit TrainingDashboard(Services services, QWidget* parent = nullptr);
  ~TrainingDashboard() override;

  // The exam list (summarised in the background) and the run folder.
  void setExamList(const QString& path);
  void setOutputFolder(const QString& path);
  // The form as a request (resume false).
  workstation::TrainingRequest request() const;

  TrainingController* controller() const { return m_controller; }
  TrainingCharts* charts() const { return m_charts; }
  // The form's widgets, for tests and accessibility.
  QComboBox* phaseBox() const { return m_phase; }
  QSpinBox* epochsBox() const { return m_epochs; }
  QSpinBox* batchBox() const { return m_batch; }
  QDoubleSpinBox* learningRateBox() const { return m_learningRate; }
  QSpinBox* seedBox() const { return m_seed; }
  QDoubleSpinBox* inputScaleBox() const { return m_inputScale; }
  QDoubleSpinBox* validationFractionBox() const { return m_validationFraction; }
  QSpinBox* patienceBox() const { return m_patience; }
  QSpinBox* patchesBox() const { return m_patches; }
  QSpinBox* validationPatchesBox() const { return m_validationPatches; }
  QPushButton* startButton() const { return m_start; }
  QPushButton* stopButton() const { return m_stop; }
  QPushButton* resumeButton() const { return m_resume; }
  QPushButton* useForReadingButton() const { return m_useForReading; }
  QTableWidget* checkpointTable() const { return m_table; }
  QLabel* summaryLabel() const { return m_summary; }
  QLabel* statusLabel() const { return m_status; }
  const std::vector<workstation::CheckpointEntry>& checkpoints() const { return m_checkpoints; }

 signals:
  // A bundle made from the chosen checkpoint, for reading.
  void modelBundleChosen(const QString& folder);
  // The dataset summary was shown (or failed: the label says why).
  void summaryShown();

 private:
  QWidget* buildForm();
  QWidget* buildDatasetGroup(QWidget* form);
  QWidget* buildParametersGroup(QWidget* form);
  QLayout* buildButtons(QWidget* form);
  QWidget* buildCheckpoints();
  void connectController();
  void launch(bool resume);
  void summarise();
  void showSummary(const workstation::SplitSummary& summary);
  void refreshCheckpoints();
  void showCheckpoints(const std::vector<workstation::CheckpointEntry>& entries);
  void updateButtons();
  void setStatus(const QString& text, bool error = false);

  Services m_services;
  TrainingController* m_controller = nullptr;
  TrainingCharts* m_charts = nullptr;
  QLineEdit* m_examList = nullptr;
  QLineEdit* m_outDir = nullptr;
  QLabel* m_summary = nullptr;
  QComboBox* m_phase = nullptr;
  QSpinBox* m_epochs = nullptr;
  QSpinBox* m_batch = nullptr;
  QDoubleSpinBox* m_learningRate = nullptr;
  QSpinBox* m_seed = nullptr;
  QDoubleSpinBox* m_inputScale = nullptr;
  QDoubleSpinBox* m_validationFraction = nullptr;
  QSpinBox* m_patience = nullptr;
  QSpinBox* m_patches = nullptr;
  QSpinBox* m_validationPatches = nullptr;
  QPushButton* m_start = nullptr;
  QPushButton* m_stop = nullptr;
  QPushButton* m_resume = nullptr;
  QPushButton* m_useForReading = nullptr;
  QProgressBar* m_progress = nullptr;
  QLabel* m_status = nullptr;
  QTableWidget* m_table = nullptr;
  std::vector<workstation::CheckpointEntry> m_checkpoints;
  QString m_runDir;  // of the session started last
};

}  // namespace mammo::ui
