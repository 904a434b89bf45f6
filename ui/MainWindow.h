#pragma once
// The reading workstation's main window: menu, hanging panel, exam-info dock, status bar with the
// pixel under the cursor, and background exam loading with progress. GUI thread only.
#include <QFutureWatcher>
#include <QMainWindow>

#include <memory>

#include "core/ExamLoader.h"

class QLabel;
class QProgressBar;
class QTextBrowser;

namespace mammo::core {
class JobContext;
}

namespace mammo::ui {

class FourViewPanel;

class MainWindow : public QMainWindow {
  Q_OBJECT

 public:
  explicit MainWindow(QWidget* parent = nullptr);
  ~MainWindow() override;

  // Starts loading in the background; examLoaded or loadFailed follows.
  void openPaths(const QStringList& paths);
  FourViewPanel* panel() const { return m_panel; }
  // When false, problems go to the status bar and the exam-info dock only (screenshots, tests).
  void setInteractive(bool interactive) { m_interactive = interactive; }
  bool isLoading() const { return m_watcher.isRunning(); }

 signals:
  void examLoaded();
  void loadFailed(const QString& message);

 protected:
  void closeEvent(QCloseEvent* event) override;

 private:
  void buildMenus();
  void onLoadFinished();
  void showExamInfo(const core::Exam& exam, const std::vector<core::LoadIssue>& issues);

  FourViewPanel* m_panel = nullptr;
  QTextBrowser* m_info = nullptr;
  QLabel* m_pixelLabel = nullptr;
  QProgressBar* m_progress = nullptr;
  QFutureWatcher<core::LoadResult> m_watcher;
  std::shared_ptr<core::JobContext> m_job;
  bool m_interactive = true;
};

}  // namespace mammo::ui
