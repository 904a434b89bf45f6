#include "ui/MainWindow.h"

#include <QAction>
#include <QCloseEvent>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QMimeData>
#include <QUrl>
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
#include "ui/AiPanel.h"
#include "ui/AnalysisController.h"
#include "ui/AnnotationActions.h"
#include "ui/AnnotationController.h"
#include "ui/FourViewPanel.h"
#include "ui/HeatmapFiles.h"
#include "ui/ReadingActions.h"
#include "ui/ShortcutsDialog.h"
#include "ui/TrainingDashboard.h"

namespace mammo::ui {

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
  setWindowTitle(QStringLiteral("Mammolens"));
  m_panel = new FourViewPanel(this);
  setCentralWidget(m_panel);
  setAcceptDrops(true);  // exams dropped from a file manager open like File > Open

  auto* dock = new QDockWidget(tr("Exam"), this);
  dock->setObjectName(QStringLiteral("examDock"));
  m_info = new QTextBrowser(dock);
  dock->setWidget(m_info);
  addDockWidget(Qt::RightDockWidgetArea, dock);

  auto* aiDock = new QDockWidget(tr("AI second opinion"), this);
  aiDock->setObjectName(QStringLiteral("aiDock"));
  m_ai = new AiPanel(aiDock);
  aiDock->setWidget(m_ai);
  addDockWidget(Qt::RightDockWidgetArea, aiDock);
  // Training (issue 6) on its own worker thread; hidden until View > Training dashboard. A checkpoint chosen
  // there becomes the model for reading.
  auto* trainingDock = new QDockWidget(tr("Training"), this);
  trainingDock->setObjectName(QStringLiteral("trainingDock"));
  auto* training = new TrainingDashboard(trainingDock);
  trainingDock->setWidget(training);
  addDockWidget(Qt::BottomDockWidgetArea, trainingDock);
  trainingDock->hide();
  connect(training, &TrainingDashboard::modelBundleChosen, this, &MainWindow::setModelBundle);
  m_analysis = new AnalysisController(this);
  connectAnalysis();
  m_annotation = new AnnotationController(m_panel, this);

  m_pixelLabel = new QLabel(this);
  m_progress = new QProgressBar(this);
  m_progress->setRange(0, 1000);
  m_progress->setMaximumWidth(200);
  m_progress->hide();
  statusBar()->addWidget(m_pixelLabel, 1);
  statusBar()->addPermanentWidget(m_progress);
  connect(m_panel, &FourViewPanel::pixelInfoChanged, m_pixelLabel, &QLabel::setText);
  connect(&m_watcher, &QFutureWatcher<core::LoadResult>::finished, this, &MainWindow::onLoadFinished);

  QSettings settings;
  AnalysisSettings ai = m_analysis->settings();
  ai.modelBundle = settings.value(QStringLiteral("ai/modelBundle")).toString();
  ai.samples = settings.value(QStringLiteral("ai/samples"), 10).toInt();
  ai.fastHeatmaps = settings.value(QStringLiteral("ai/fastHeatmaps"), false).toBool();
  m_analysis->setSettings(ai);
  m_autoAnalyse = settings.value(QStringLiteral("ai/autoAnalyse"), true).toBool();
  m_ai->setModelName(ai.modelBundle.isEmpty() ? tr("none (AI → Choose model...)") : ai.modelBundle);
  restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
  restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
  buildMenus();
}

MainWindow::~MainWindow() {
  delete m_annotation;  // before the panel: its layers live in the panel's renderers
  if (m_job) m_job->cancel();
  m_watcher.waitForFinished();
}

void MainWindow::connectAnalysis() {
  connect(m_ai, &AiPanel::analyseRequested, this, &MainWindow::analyse);
  connect(m_ai, &AiPanel::cancelRequested, m_analysis, &AnalysisController::cancel);
  connect(m_ai, &AiPanel::heatmapStyleChanged, m_panel, &FourViewPanel::setHeatmapStyle);
  connect(m_analysis, &AnalysisController::progressChanged, m_ai, &AiPanel::setProgress);
  connect(m_analysis, &AnalysisController::viewHeatmapsReady, this,
          [this](std::shared_ptr<const inference::ViewAnalysis> view) {
            auto benign = std::make_shared<const std::vector<float>>(view->benignOriginal);
            auto malignant = std::make_shared<const std::vector<float>>(view->malignantOriginal);
            m_panel->setViewHeatmaps(view->view, {view->rows, view->columns, benign},
                                     {view->rows, view->columns, malignant});
          });
  connect(m_analysis, &AnalysisController::imageOnlyReady, this,
          [this](inference::BreastProbabilities p) { m_ai->setImageOnly(p); });
  connect(m_analysis, &AnalysisController::preliminaryReady, this,
          [this](bool withHeatmaps, inference::BreastProbabilities p) {
            if (withHeatmaps) m_ai->setImageHeatmaps(p);
            else m_ai->setImageOnly(p);
            m_ai->setMessage(tr("Preliminary (one sample); refining over %1 samples...").arg(m_analysis->settings().samples));
          });
  connect(m_analysis, &AnalysisController::finished, this,
          [this](std::shared_ptr<const inference::PipelineResult> result, bool fromCache) {
            m_ai->setRunning(false);
            if (takePendingAnalysis()) return;  // a stale result of the previous exam
            applyResult(*result);
            const QString mode = result->heatmapMode == inference::HeatmapMode::Fast
                                     ? tr("fast heatmaps (approximation)")
                                     : tr("exact heatmaps");
            m_ai->setMessage((fromCache ? tr("Saved result: model %1, %2.") : tr("Done: model %1, %2."))
                                 .arg(QString::fromStdString(result->modelIdentity), mode));
          });
  connect(m_analysis, &AnalysisController::failed, this, [this](const QString& message) {
    m_ai->setRunning(false);
    if (takePendingAnalysis()) return;
    m_ai->setMessage(tr("AI analysis failed: %1").arg(message));
    statusBar()->showMessage(tr("AI analysis failed: %1").arg(message));
  });
  connect(m_analysis, &AnalysisController::cancelled, this, [this] {
    m_ai->setRunning(false);
    if (takePendingAnalysis()) return;
    // No partial result stays on screen.
    m_ai->clearScores();
    m_panel->clearHeatmaps();
    m_ai->setMessage(tr("Analysis cancelled."));
  });
}

bool MainWindow::takePendingAnalysis() {
  if (!m_pendingAnalysis) return false;
  m_pendingAnalysis = false;
  // Let the finished job's watcher settle before starting the next one.
  QMetaObject::invokeMethod(this, &MainWindow::analyse, Qt::QueuedConnection);
  return true;
}

void MainWindow::applyResult(const inference::PipelineResult& result) {
  m_ai->setImageOnly(result.imageOnly);
  m_ai->setImageHeatmaps(result.imageHeatmaps);
  for (const inference::ViewAnalysis& v : result.views) {
    if (v.benignOriginal.empty()) continue;
    m_panel->setViewHeatmaps(v.view, {v.rows, v.columns, std::make_shared<const std::vector<float>>(v.benignOriginal)},
                             {v.rows, v.columns, std::make_shared<const std::vector<float>>(v.malignantOriginal)});
  }
}

void MainWindow::setModelBundle(const QString& folder) {
  AnalysisSettings ai = m_analysis->settings();
  ai.modelBundle = folder;
  m_analysis->setSettings(ai);
  QSettings().setValue(QStringLiteral("ai/modelBundle"), folder);
  m_ai->setModelName(folder);
}

void MainWindow::setAutoAnalyse(bool on, bool remember) {
  m_autoAnalyse = on;
  if (remember) QSettings().setValue(QStringLiteral("ai/autoAnalyse"), on);
}

void MainWindow::setAnalysisSamples(int samples, bool augment) {
  AnalysisSettings ai = m_analysis->settings();
  ai.samples = samples;
  ai.augment = augment;
  m_analysis->setSettings(ai);
}

void MainWindow::analyse() {
  if (!m_exam) return;
  if (m_analysis->isRunning()) {
    // Start over once the running job has stopped (within one batch); never block the GUI waiting.
    m_pendingAnalysis = true;
    m_analysis->cancel();
    return;
  }
  m_ai->clearScores();
  m_panel->clearHeatmaps();
  m_ai->setMessage(QString());
  m_ai->setRunning(true);
  m_analysis->start(m_exam);
}

void MainWindow::buildMenus() {
  // Every action goes through m_actions, which Help -> Keyboard shortcuts lists.
  QMenu* file = menuBar()->addMenu(tr("&File"));
  QAction* openFolder = m_actions.add(file, tr("Open &folder..."), QKeySequence(QStringLiteral("Ctrl+Shift+O")));
  connect(openFolder, &QAction::triggered, this, [this] {
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Open exam folder"));
    if (!dir.isEmpty()) openPaths({dir});
  });
  QAction* openFiles = m_actions.add(file, tr("&Open files..."), QKeySequence::Open);
  connect(openFiles, &QAction::triggered, this, [this] {
    const QStringList files = QFileDialog::getOpenFileNames(this, tr("Open images or exam list"), QString(),
                                                            tr("Exams (*.dcm *.png *.json DICOMDIR);;All files (*)"));
    if (!files.isEmpty()) openPaths(files);
  });
  QAction* loadHeatmaps = m_actions.add(file, tr("Load &heatmaps..."), QKeySequence(QStringLiteral("Ctrl+H")));
  connect(loadHeatmaps, &QAction::triggered, this, [this] {
    const QStringList files = QFileDialog::getOpenFileNames(this, tr("Heatmaps for this exam"), QString(),
                                                            tr("Heatmaps (*.mlh *.hdf5 *.h5);;All files (*)"));
    if (!files.isEmpty()) loadHeatmapFiles(files);
  });
  m_recentMenu = file->addMenu(tr("&Recent exams"));
  rebuildRecentMenu();
  file->addSeparator();
  QAction* quit = m_actions.add(file, tr("&Quit"), QKeySequence::Quit);
  connect(quit, &QAction::triggered, this, &QWidget::close);

  buildAiMenu();

  QMenu* view = menuBar()->addMenu(tr("&View"));
  const std::pair<const char*, viewer::Layout> layouts[] = {{"Four views (2x2)", viewer::Layout::FourView},
                                                            {"CC pair", viewer::Layout::CcPair},
                                                            {"MLO pair", viewer::Layout::MloPair},
                                                            {"Right breast", viewer::Layout::RightBreast},
                                                            {"Left breast", viewer::Layout::LeftBreast}};
  int key = Qt::Key_1;
  for (const auto& [label, layout] : layouts) {
    QAction* a = m_actions.add(view, tr(label), QKeySequence(key++));
    connect(a, &QAction::triggered, this, [this, layout = layout] { m_panel->setLayout(layout); });
  }
  view->addSeparator();
  addReadingActions(view, m_actions, m_panel);
  view->addSeparator();
  QAction* trainingAction = m_actions.add(view, tr("&Training dashboard"), QKeySequence(QStringLiteral("Ctrl+Shift+T")));
  connect(trainingAction, &QAction::triggered, this, [this] {
    auto* dock = findChild<QDockWidget*>(QStringLiteral("trainingDock"));
    dock->setVisible(!dock->isVisible());
    if (dock->isVisible()) dock->raise();
  });

  addAnnotationUi(this, menuBar(), m_actions, m_annotation);

  QMenu* help = menuBar()->addMenu(tr("&Help"));
  QAction* shortcuts = m_actions.add(help, tr("&Keyboard shortcuts"), QKeySequence(Qt::Key_F1));
  connect(shortcuts, &QAction::triggered, this, &MainWindow::showShortcuts);
}

void MainWindow::buildAiMenu() {
  QMenu* ai = menuBar()->addMenu(tr("&AI"));
  QAction* analyseAction = m_actions.add(ai, tr("&Analyse exam"), QKeySequence(QStringLiteral("Ctrl+R")));
  connect(analyseAction, &QAction::triggered, this, &MainWindow::analyse);
  QAction* cancelAction = m_actions.add(ai, tr("&Cancel analysis"), QKeySequence(QStringLiteral("Ctrl+.")));
  connect(cancelAction, &QAction::triggered, m_analysis, &AnalysisController::cancel);
  QAction* chooseModel = m_actions.add(ai, tr("Choose &model..."));
  connect(chooseModel, &QAction::triggered, this, [this] {
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Model bundle (folder with bundle.json)"));
    if (!dir.isEmpty()) setModelBundle(dir);
  });
  QAction* autoAction = m_actions.add(ai, tr("Analyse when an exam opens"));
  autoAction->setCheckable(true);
  autoAction->setChecked(m_autoAnalyse);
  connect(autoAction, &QAction::toggled, this, [this](bool on) { setAutoAnalyse(on); });
}

void MainWindow::showShortcuts() {
  // Non-modal: it can stay open beside the images while the reader tries the keys.
  if (!m_shortcuts) {
    m_shortcuts = new ShortcutsDialog(m_actions, this);
    // Actions that come and go (the annotation classes) must not leave the open list pointing at them.
    m_actions.setOnChanged([this] {
      if (m_shortcuts && m_shortcuts->isVisible()) m_shortcuts->refresh();
    });
  }
  m_shortcuts->refresh();
  m_shortcuts->show();
  m_shortcuts->raise();
}

void MainWindow::loadHeatmapFiles(const QStringList& files) {
  std::vector<std::string> paths;
  for (const QString& f : files) paths.push_back(f.toStdString());
  auto* watcher = new QFutureWatcher<HeatmapFileResult>(this);
  connect(watcher, &QFutureWatcher<HeatmapFileResult>::finished, this, [this, watcher] {
    watcher->deleteLater();
    const HeatmapFileResult result = watcher->result();
    QStringList errors;
    for (const auto& e : result.errors) errors << QString::fromStdString(e);
    int shown = 0;
    for (const NamedHeatmap& h : result.heatmaps) {
      const core::Image* image = m_exam ? m_exam->first(h.view) : nullptr;
      if (!image) {
        errors << QString::fromStdString(h.file + ": the open exam has no " + std::string(core::toString(h.view)));
        continue;
      }
      if (image->info.rows != h.data.rows || image->info.columns != h.data.columns) {
        errors << QString::fromStdString(h.file + ": heatmap is " + std::to_string(h.data.rows) + "x" +
                                         std::to_string(h.data.columns) + " but the image is " +
                                         std::to_string(image->info.rows) + "x" + std::to_string(image->info.columns));
        continue;
      }
      m_panel->setViewHeatmap(h.view, h.kind,
                              {h.data.rows, h.data.columns, std::make_shared<const std::vector<float>>(h.data.values)});
      ++shown;
    }
    if (!errors.isEmpty()) {
      statusBar()->showMessage(errors.front());
      if (m_interactive) QMessageBox::warning(this, tr("Heatmaps"), errors.join('\n'));
    }
    emit heatmapsLoaded(shown, errors);
  });
  watcher->setFuture(QtConcurrent::run([paths] { return readHeatmapFiles(paths); }));
}

QStringList MainWindow::recentExams() const { return QSettings().value(QStringLiteral("recentExams")).toStringList(); }

void MainWindow::rememberRecent(const QStringList& paths) {
  const QString entry = paths.join(QLatin1Char('\n'));
  QStringList recent = recentExams();
  recent.removeAll(entry);
  recent.prepend(entry);
  while (recent.size() > 10) recent.removeLast();
  QSettings().setValue(QStringLiteral("recentExams"), recent);
  rebuildRecentMenu();
}

void MainWindow::rebuildRecentMenu() {
  if (!m_recentMenu) return;
  m_recentMenu->clear();
  for (const QString& entry : recentExams()) {
    const QStringList paths = entry.split(QLatin1Char('\n'));
    QAction* a = m_recentMenu->addAction(paths.size() == 1 ? paths.front() : tr("%1 (+%2 files)").arg(paths.front()).arg(paths.size() - 1));
    connect(a, &QAction::triggered, this, [this, paths] { openPaths(paths); });
  }
  m_recentMenu->setEnabled(!m_recentMenu->isEmpty());
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
  if (event->mimeData()->hasUrls()) event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event) {
  QStringList paths;
  for (const QUrl& url : event->mimeData()->urls()) {
    if (url.isLocalFile()) paths << url.toLocalFile();
  }
  if (paths.isEmpty()) return;
  event->acceptProposedAction();
  openPaths(paths);
}

void MainWindow::openPaths(const QStringList& paths) {
  m_loadingPaths = paths;
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
  m_exam = exam;
  m_ai->clearScores();
  m_ai->setMessage(QString());
  setWindowTitle(QStringLiteral("Mammolens - %1").arg(QString::fromStdString(exam->id)));
  if (m_interactive && (exam->hasErrors() || !result.issues.empty())) {
    QString message;
    for (const auto& issue : exam->issues) {
      if (issue.error) message += QString::fromStdString((issue.file.empty() ? "" : issue.file + ": ") + issue.reason) + '\n';
    }
    for (const auto& issue : result.issues) message += QString::fromStdString(issue.file + ": " + issue.reason) + '\n';
    QMessageBox::warning(this, tr("Problems in this exam"), message.trimmed());
  }
  rememberRecent(m_loadingPaths);
  emit examLoaded();
  // Pixels first, AI second: a saved result shows at once, otherwise the analysis starts in the background.
  if (m_analysis->isRunning()) {
    m_pendingAnalysis = m_autoAnalyse && exam->complete();
    m_analysis->cancel();
  } else if (!m_analysis->loadCached(exam) && m_autoAnalyse && exam->complete()) {
    analyse();
  }
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
