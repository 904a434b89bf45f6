#include "ui/MainWindow.h"

#include <QAction>
#include <QCloseEvent>
#include <QDockWidget>
#include <QFileDialog>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressBar>
#include <QSettings>
#include <QStatusBar>
#include <QTextBrowser>
#include <QtConcurrent/QtConcurrentRun>

#include "core/Job.h"
#include "ui/FourViewPanel.h"

namespace mammo::ui {

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
  setWindowTitle(QStringLiteral("Mammolens"));
  m_panel = new FourViewPanel(this);
  setCentralWidget(m_panel);

  auto* dock = new QDockWidget(tr("Exam"), this);
  dock->setObjectName(QStringLiteral("examDock"));
  m_info = new QTextBrowser(dock);
  dock->setWidget(m_info);
  addDockWidget(Qt::RightDockWidgetArea, dock);

  m_pixelLabel = new QLabel(this);
  m_progress = new QProgressBar(this);
  m_progress->setRange(0, 1000);
  m_progress->setMaximumWidth(200);
  m_progress->hide();
  statusBar()->addWidget(m_pixelLabel, 1);
  statusBar()->addPermanentWidget(m_progress);
  connect(m_panel, &FourViewPanel::pixelInfoChanged, m_pixelLabel, &QLabel::setText);
  connect(&m_watcher, &QFutureWatcher<core::LoadResult>::finished, this, &MainWindow::onLoadFinished);
  buildMenus();

  QSettings settings;
  restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
  restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
}

MainWindow::~MainWindow() {
  if (m_job) m_job->cancel();
  m_watcher.waitForFinished();
}

void MainWindow::buildMenus() {
  QMenu* file = menuBar()->addMenu(tr("&File"));
  QAction* openFolder = file->addAction(tr("Open &folder..."));
  openFolder->setShortcut(QKeySequence(QStringLiteral("Ctrl+Shift+O")));
  connect(openFolder, &QAction::triggered, this, [this] {
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Open exam folder"));
    if (!dir.isEmpty()) openPaths({dir});
  });
  QAction* openFiles = file->addAction(tr("&Open files..."));
  openFiles->setShortcut(QKeySequence::Open);
  connect(openFiles, &QAction::triggered, this, [this] {
    const QStringList files = QFileDialog::getOpenFileNames(this, tr("Open images or exam list"), QString(),
                                                            tr("Exams (*.dcm *.png *.json DICOMDIR);;All files (*)"));
    if (!files.isEmpty()) openPaths(files);
  });
  file->addSeparator();
  QAction* quit = file->addAction(tr("&Quit"));
  quit->setShortcut(QKeySequence::Quit);
  connect(quit, &QAction::triggered, this, &QWidget::close);

  QMenu* view = menuBar()->addMenu(tr("&View"));
  const std::pair<const char*, viewer::Layout> layouts[] = {{"Four views (2x2)", viewer::Layout::FourView},
                                                            {"CC pair", viewer::Layout::CcPair},
                                                            {"MLO pair", viewer::Layout::MloPair},
                                                            {"Right breast", viewer::Layout::RightBreast},
                                                            {"Left breast", viewer::Layout::LeftBreast}};
  int key = Qt::Key_1;
  for (const auto& [label, layout] : layouts) {
    QAction* a = view->addAction(tr(label));
    a->setShortcut(QKeySequence(key++));
    connect(a, &QAction::triggered, this, [this, layout = layout] { m_panel->setLayout(layout); });
  }
}

void MainWindow::openPaths(const QStringList& paths) {
  if (m_job) m_job->cancel();
  m_watcher.waitForFinished();
  std::vector<std::filesystem::path> files;
  for (const QString& p : paths) files.emplace_back(p.toStdString());
  m_progress->setValue(0);
  m_progress->show();
  statusBar()->showMessage(tr("Loading..."));
  QPointer<QProgressBar> bar = m_progress;
  m_job = std::make_shared<core::JobContext>([bar](double fraction, const std::string&) {
    // Called on the worker thread: hop to the GUI thread.
    QMetaObject::invokeMethod(bar, [bar, fraction] {
      if (bar) bar->setValue(static_cast<int>(fraction * 1000));
    }, Qt::QueuedConnection);
  });
  std::shared_ptr<core::JobContext> job = m_job;
  m_watcher.setFuture(QtConcurrent::run([files, job] { return core::loadPaths(files, {}, job.get()); }));
}

void MainWindow::onLoadFinished() {
  m_progress->hide();
  statusBar()->clearMessage();
  core::LoadResult result;
  try {
    result = m_watcher.result();
  } catch (const std::exception& e) {
    emit loadFailed(QString::fromStdString(e.what()));
    return;
  }
  if (result.exams.empty()) {
    QString message = tr("No mammogram could be loaded.");
    for (const auto& issue : result.issues) {
      message += QStringLiteral("\n%1: %2").arg(QString::fromStdString(issue.file), QString::fromStdString(issue.reason));
    }
    if (m_interactive) QMessageBox::warning(this, tr("Cannot open exam"), message);
    statusBar()->showMessage(message.section('\n', 0, 1));
    emit loadFailed(message);
    return;
  }
  auto exam = std::make_shared<core::Exam>(std::move(result.exams.front()));
  showExamInfo(*exam, result.issues);
  m_panel->setExam(exam);
  setWindowTitle(QStringLiteral("Mammolens - %1").arg(QString::fromStdString(exam->id)));
  if (m_interactive && (exam->hasErrors() || !result.issues.empty())) {
    QString message;
    for (const auto& issue : exam->issues) {
      if (issue.error) message += QString::fromStdString((issue.file.empty() ? "" : issue.file + ": ") + issue.reason) + '\n';
    }
    for (const auto& issue : result.issues) message += QString::fromStdString(issue.file + ": " + issue.reason) + '\n';
    QMessageBox::warning(this, tr("Problems in this exam"), message.trimmed());
  }
  emit examLoaded();
}

void MainWindow::showExamInfo(const core::Exam& exam, const std::vector<core::LoadIssue>& issues) {
  QString html = QStringLiteral("<h3>Exam %1</h3><table>").arg(QString::fromStdString(exam.id).toHtmlEscaped());
  for (core::StandardView v : core::kStandardViews) {
    for (const core::Image& image : exam.view(v)) {
      html += QStringLiteral("<tr><td><b>%1</b></td><td>%2&times;%3, %4 bit, %5, %6, orientation %7</td></tr>")
                  .arg(QString::fromStdString(std::string(core::toString(v))))
                  .arg(image.info.rows)
                  .arg(image.info.columns)
                  .arg(image.info.bitsStored)
                  .arg(QString::fromStdString(std::string(core::toString(image.info.photometric))))
                  .arg(QString::fromStdString(image.info.transferSyntaxName).toHtmlEscaped())
                  .arg(QString::fromStdString(image.orientation.verdict()));
    }
  }
  html += QStringLiteral("</table>");
  for (const auto& issue : exam.issues) {
    html += QStringLiteral("<p>%1 %2</p>")
                .arg(issue.error ? QStringLiteral("&#9888; error:") : QStringLiteral("warning:"))
                .arg(QString::fromStdString((issue.file.empty() ? "" : issue.file + ": ") + issue.reason).toHtmlEscaped());
  }
  for (const auto& issue : issues) {
    html += QStringLiteral("<p>&#9888; %1</p>").arg(QString::fromStdString(issue.file + ": " + issue.reason).toHtmlEscaped());
  }
  m_info->setHtml(html);
}

void MainWindow::closeEvent(QCloseEvent* event) {
  QSettings settings;
  settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
  settings.setValue(QStringLiteral("window/state"), saveState());
  QMainWindow::closeEvent(event);
}

}  // namespace mammo::ui
