#pragma once
// The reading workstation's main window: menu, hanging panel, exam-info dock, status bar with the
// pixel under the cursor, and background exam loading with progress. It is given its services (settings,
// job runner: ui/Services.h) and builds only its own widgets and controllers. GUI thread only.
#include <QMainWindow>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/ExamLoader.h"
#include "inference/Pipeline.h"
#include "ui/ActionTable.h"
#include "pacs/StudyStore.h"
#include "ui/Services.h"
#include "workstation/Settings.h"

class QLabel;
class QMenu;
class QProgressBar;
class QTextBrowser;
class QTimer;

namespace mammo::core {
class JobContext;
}
namespace mammo::workstation {
struct HeatmapFileResult;
}

namespace mammo::ui {

class AiPanel;
class AnnotationController;
class AnalysisController;
class FourViewPanel;
class ShortcutsDialog;
class WorklistPanel;
class BackgroundReading;
class PriorController;
class QueryRetrieveDialog;
class NetworkSettingsDialog;

class MainWindow : public QMainWindow {
  Q_OBJECT

 public:
  explicit MainWindow(Services services, QWidget* parent = nullptr);
  ~MainWindow() override;

  // Starts loading in the background (a load still running is cancelled); examLoaded or loadFailed follows.
  void openPaths(const QStringList& paths);
  // A study of the store (the worklist's double-click, next/previous); examLoaded or loadFailed follows.
  void openStudy(const std::string& key);
  // The study `step` rows after the open one in the worklist's order (PgDown / PgUp).
  void stepStudy(int step);
  const std::string& studyKey() const { return m_studyKey; }
  WorklistPanel* worklist() const { return m_worklist; }
  // Heatmap files as overlays on the open exam, read in the background; heatmapsLoaded follows.
  void loadHeatmapFiles(const QStringList& files);
  // Most recent first, at most 10; remembered in the settings.
  QStringList recentExams() const;
  FourViewPanel* panel() const { return m_panel; }
  // When false, problems go to the status bar and the exam-info dock only (screenshots, tests).
  void setInteractive(bool interactive) { m_interactive = interactive; }
  bool isLoading() const { return m_loadJob != nullptr; }
  AiPanel* aiPanel() const { return m_ai; }
  // Annotation mode (issue 5): tools, label layers, autosave, lesion list and review.
  AnnotationController* annotation() const { return m_annotation; }
  AnalysisController* analysis() const { return m_analysis; }
  std::shared_ptr<const core::Exam> exam() const { return m_exam; }
  // The AI model bundle folder (also remembered in the settings) and whether opening an exam analyses it.
  void setModelBundle(const QString& folder);
  void setAutoAnalyse(bool on, bool remember = true);
  void setAnalysisSamples(int samples, bool augment);
  // "auto", "cpu" or "cuda" (AI > Compute device): this session's analyses and the stored setting.
  void setComputeDevice(const std::string& device);
  // AI > Pre-read the worklist in the background (remembered).
  void setPreReading(bool on);
  BackgroundReading* background() const { return m_background; }
  // The open study's priors and the current-vs-prior comparison (Study > Compare with prior).
  PriorController* priors() const { return m_priors; }
  // Study > Query/Retrieve and Study > DICOM network (made on first use, kept while the window lives).
  QueryRetrieveDialog* showQueryRetrieve();
  NetworkSettingsDialog* showNetworkSettings();
  void analyse();
  // Every action with its shortcut (menus and Help -> Keyboard shortcuts are built from it).
  const ActionTable& actions() const { return m_actions; }
  void showShortcuts();
  ShortcutsDialog* shortcutsDialog() const { return m_shortcuts; }

 signals:
  void examLoaded();
  void loadFailed(const QString& message);
  void heatmapsLoaded(int shown, const QStringList& errors);

 protected:
  void closeEvent(QCloseEvent* event) override;
  void dragEnterEvent(QDragEnterEvent* event) override;
  void dropEvent(QDropEvent* event) override;

 private:
  void buildMenus();
  void buildAiMenu();
  // What opening found: the first exam's pixels and the study keys of every exam (the first is shown).
  struct Opened {
    core::LoadResult result;
    std::vector<std::string> keys;
  };
  void startOpening(const QString& name, std::function<Opened(core::JobContext&)> work);
  void onLoaded(Opened opened);
  void buildStudyMenu();
  void setReadingStatus(pacs::ReadingStatus status);
  void showHeatmapFiles(const workstation::HeatmapFileResult& result);
  void showExamInfo(const core::Exam& exam, const std::vector<core::LoadIssue>& issues);
  void connectAnalysis();
  void connectPriors();
  void applyResult(const inference::PipelineResult& result);
  // This session's AI settings, for the open exam's analysis and the pre-reader alike.
  void useAiSettings(const workstation::AiSettings& ai);
  // One change to this session's AI settings that is also remembered in the stored settings.
  void changeAi(const std::function<void(workstation::AiSettings&)>& change);
  // The open study's result into the store (AI status, highest malignant probability), off the GUI thread.
  void recordResult(const std::string& key, const std::shared_ptr<const inference::PipelineResult>& result);
  void rememberRecent(const QStringList& paths);
  void rebuildRecentMenu();

  Services m_services;
  FourViewPanel* m_panel = nullptr;
  QTextBrowser* m_info = nullptr;
  QLabel* m_pixelLabel = nullptr;
  QProgressBar* m_progress = nullptr;
  std::shared_ptr<core::JobContext> m_loadJob;  // the load in progress, null when none
  WorklistPanel* m_worklist = nullptr;
  std::string m_studyKey;  // the open study in the store
  bool m_interactive = true;
  bool m_autoAnalyse = true;
  QStringList m_loadingPaths;
  QMenu* m_recentMenu = nullptr;
  AiPanel* m_ai = nullptr;
  AnnotationController* m_annotation = nullptr;
  AnalysisController* m_analysis = nullptr;
  BackgroundReading* m_background = nullptr;
  PriorController* m_priors = nullptr;
  QMenu* m_priorMenu = nullptr;
  QueryRetrieveDialog* m_queryRetrieve = nullptr;
  NetworkSettingsDialog* m_network = nullptr;
  QTimer* m_worklistRefresh = nullptr;
  QLabel* m_receiverLabel = nullptr;
  std::string m_analysedKey;  // the study the current analysis belongs to
  std::shared_ptr<const core::Exam> m_exam;
  ActionTable m_actions;
  ShortcutsDialog* m_shortcuts = nullptr;
};

}  // namespace mammo::ui
