#include "ui/MainWindow.h"

#include <QAction>
#include <QActionGroup>
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
#include <QStatusBar>
#include <QTextBrowser>
#include <QTimer>

#include "core/Job.h"
#include "ui/AiPanel.h"
#include "ui/AnalysisController.h"
#include "ui/AnnotationActions.h"
#include "ui/AnnotationController.h"
#include "ui/BackgroundReading.h"
#include "ui/FourViewPanel.h"
#include "ui/NetworkSettingsDialog.h"
#include "ui/QueryRetrieveDialog.h"
#include "ui/PriorController.h"
#include "viewer/ViewAnnotation.h"
#include "ui/JobRunner.h"
#include "ui/ReadingActions.h"
#include "ui/ShortcutsDialog.h"
#include "ui/TrainingDashboard.h"
#include "ui/WorklistPanel.h"
#include "pacs/StudyStore.h"
#include "workstation/Worklist.h"
#include "workstation/PreReading.h"
#include "workstation/HeatmapFiles.h"
#include "workstation/Settings.h"

namespace mammo::ui {

namespace {

// Every image file of an exam (hung views and the others), to load its pixels.
std::vector<std::filesystem::path> imageFiles(const core::Exam& exam) {
  std::vector<std::filesystem::path> files;
  for (const auto& images : exam.views) {
    for (const core::Image& image : images) files.emplace_back(image.info.sourcePath);
  }
  for (const core::Image& image : exam.otherImages) files.emplace_back(image.info.sourcePath);
  return files;
}

}  // namespace

MainWindow::MainWindow(Services services, QWidget* parent)
    : QMainWindow(parent), m_services(services), m_actions(services.settings) {
  setWindowTitle(QStringLiteral("Mammolens"));
  m_panel = new FourViewPanel(this);
  const workstation::LoupeSettings loupe = m_services.settings.loupe();
  m_panel->setLoupeGeometry(loupe.sizePx, loupe.magnification);
  connect(m_panel, &FourViewPanel::loupeGeometryChanged, this, [this](int size, double magnification) {
    m_services.settings.setLoupe({size, magnification});
  });
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
  auto* training = new TrainingDashboard(m_services, trainingDock);
  trainingDock->setWidget(training);
  addDockWidget(Qt::BottomDockWidgetArea, trainingDock);
  trainingDock->hide();
  // The worklist (the study store): shown when a folder or list of several exams is opened, or by View >
  // Worklist.
  auto* worklistDock = new QDockWidget(tr("Worklist"), this);
  worklistDock->setObjectName(QStringLiteral("worklistDock"));
  m_worklist = new WorklistPanel(m_services, worklistDock);
  worklistDock->setWidget(m_worklist);
  addDockWidget(Qt::BottomDockWidgetArea, worklistDock);
  worklistDock->hide();
  connect(m_worklist, &WorklistPanel::studyActivated, this,
          [this](const QString& key) { openStudy(key.toStdString()); });
  connect(training, &TrainingDashboard::modelBundleChosen, this, &MainWindow::setModelBundle);
  m_analysis = new AnalysisController(m_services, this);
  // Background reading: the worklist's studies pre-read by the AI (the open one first: the foreground
  // analysis holds the pre-reader and shares its models) and, when the settings say so, the DICOM receiver.
  m_background = new BackgroundReading(m_services, this);
  m_analysis->setBackground(m_background->models(), m_background->preReader());
  m_background->setAiSettings(m_analysis->settings());
  // Arrivals and AI results come in bursts (one event per received image): one worklist refresh per burst.
  m_worklistRefresh = new QTimer(this);
  m_worklistRefresh->setSingleShot(true);
  m_worklistRefresh->setInterval(250);
  connect(m_worklistRefresh, &QTimer::timeout, m_worklist, &WorklistPanel::refresh);
  connect(m_background, &BackgroundReading::studyChanged, m_worklistRefresh, qOverload<>(&QTimer::start));
  connect(m_background, &BackgroundReading::receiverProblem, this,
          [this](const QString& line) { statusBar()->showMessage(tr("DICOM receiver: %1").arg(line), 10000); });
  connectAnalysis();
  m_annotation = new AnnotationController(m_panel, m_services, this);
  m_priors = new PriorController(m_services, m_panel, this);

  m_pixelLabel = new QLabel(this);
  m_progress = new QProgressBar(this);
  m_progress->setRange(0, 1000);
  m_progress->setMaximumWidth(200);
  m_progress->hide();
  statusBar()->addWidget(m_pixelLabel, 1);
  statusBar()->addPermanentWidget(m_progress);
  m_receiverLabel = new QLabel(m_background->receiverState(), this);
  m_receiverLabel->setObjectName(QStringLiteral("receiverState"));
  statusBar()->addPermanentWidget(m_receiverLabel);
  connect(m_background, &BackgroundReading::receiverStateChanged, m_receiverLabel, &QLabel::setText);
  connect(m_panel, &FourViewPanel::pixelInfoChanged, m_pixelLabel, &QLabel::setText);
  connectPriors();

  const workstation::AiSettings ai = m_services.settings.ai();  // the analysis controller starts from these
  m_autoAnalyse = ai.autoAnalyse;
  m_ai->setModelName(ai.modelBundle.empty() ? tr("none (AI → Choose model...)")
                                            : QString::fromStdString(ai.modelBundle));
  restoreGeometry(QByteArray::fromStdString(m_services.settings.windowGeometry().data));
  restoreState(QByteArray::fromStdString(m_services.settings.windowState().data));
  buildMenus();
  m_background->enqueueUnfinished();  // what arrived while the workstation was closed, or was left half-read
}

MainWindow::~MainWindow() {
  delete m_annotation;  // before the panel: its layers live in the panel's renderers
  if (m_loadJob) m_loadJob->cancel();  // its result is dropped with this window
}

void MainWindow::connectAnalysis() {
  connect(m_ai, &AiPanel::analyseRequested, this, &MainWindow::analyse);
  connect(m_ai, &AiPanel::cancelRequested, m_analysis, &AnalysisController::cancel);
  connect(m_ai, &AiPanel::heatmapStyleChanged, m_panel, &FourViewPanel::setHeatmapStyle);
  connect(m_analysis, &AnalysisController::progressChanged, m_ai, &AiPanel::setProgress);
  connect(m_analysis, &AnalysisController::viewHeatmapsReady, this,
          [this](const std::shared_ptr<const inference::ViewAnalysis>& view) {
            m_panel->setViewHeatmaps(view->view, view->benignOriginal, view->malignantOriginal);
          });
  connect(m_analysis, &AnalysisController::imageOnlyReady, this,
          [this](inference::BreastProbabilities p) { m_ai->setImageOnly(p); });
  connect(m_analysis, &AnalysisController::preliminaryReady, this,
          [this](bool withHeatmaps, inference::BreastProbabilities p) {
            if (withHeatmaps)
              m_ai->setImageHeatmaps(p);
            else
              m_ai->setImageOnly(p);
            m_ai->setMessage(
                tr("Preliminary (one sample); refining over %1 samples...").arg(m_analysis->settings().samples));
          });
  connect(m_analysis, &AnalysisController::finished, this,
          [this](const std::shared_ptr<const inference::PipelineResult>& result, bool fromCache) {
            m_ai->setRunning(false);
            applyResult(*result);
            recordResult(m_analysedKey, result);
            const QString mode = result->heatmapMode == inference::HeatmapMode::Fast
                                     ? tr("fast heatmaps (approximation)")
                                     : tr("exact heatmaps");
            m_ai->setMessage((fromCache ? tr("Saved result: model %1, %2.") : tr("Done: model %1, %2."))
                                 .arg(QString::fromStdString(result->modelIdentity), mode));
          });
  connect(m_analysis, &AnalysisController::failed, this, [this](const QString& message) {
    m_ai->setRunning(false);
    m_ai->setMessage(tr("AI analysis failed: %1").arg(message));
    statusBar()->showMessage(tr("AI analysis failed: %1").arg(message));
  });
  connect(m_analysis, &AnalysisController::cancelled, this, [this] {
    m_ai->setRunning(false);
    // No partial result stays on screen.
    m_ai->clearScores();
    m_panel->clearHeatmaps();
    m_ai->setMessage(tr("Analysis cancelled."));
  });
}

void MainWindow::applyResult(const inference::PipelineResult& result) {
  m_ai->setImageOnly(result.imageOnly);
  m_ai->setImageHeatmaps(result.imageHeatmaps);
  for (const inference::ViewAnalysis& v : result.views) {
    if (v.benignOriginal.empty()) continue;
    m_panel->setViewHeatmaps(v.view, v.benignOriginal, v.malignantOriginal);
  }
}

void MainWindow::useAiSettings(const workstation::AiSettings& ai) {
  m_analysis->setSettings(ai);
  m_background->setAiSettings(ai);  // pre-read with the same model and settings: their results are the cache's
}

void MainWindow::recordResult(const std::string& key, const std::shared_ptr<const inference::PipelineResult>& result) {
  if (key.empty()) return;
  m_background->preReader()->remove(key);
  JobRunner::Callbacks<void> callbacks;
  callbacks.done = [this] { m_worklistRefresh->start(); };
  m_services.jobs.start<void>(
      JobRunner::Lane::Background, tr("Updating the study store"), this,
      [key, result, &store = m_services.store](core::JobContext&) { workstation::recordAnalysis(store, key, *result); },
      std::move(callbacks));
}

void MainWindow::changeAi(const std::function<void(workstation::AiSettings&)>& change) {
  workstation::AiSettings ai = m_analysis->settings();
  change(ai);
  useAiSettings(ai);
  // Remembered too; the stored settings keep what this session alone changed (samples) as they were.
  workstation::AiSettings stored = m_services.settings.ai();
  change(stored);
  m_services.settings.setAi(stored);
}

void MainWindow::setPreReading(bool on) {
  changeAi([on](workstation::AiSettings& ai) { ai.preRead = on; });
}

void MainWindow::setModelBundle(const QString& folder) {
  changeAi([bundle = folder.toStdString()](workstation::AiSettings& ai) { ai.modelBundle = bundle; });
  m_ai->setModelName(folder);
}

void MainWindow::setAutoAnalyse(bool on, bool remember) {
  m_autoAnalyse = on;
  if (!remember) return;
  workstation::AiSettings stored = m_services.settings.ai();
  stored.autoAnalyse = on;
  m_services.settings.setAi(stored);
}

void MainWindow::setAnalysisSamples(int samples, bool augment) {
  workstation::AiSettings ai = m_analysis->settings();
  ai.samples = samples;
  ai.augment = augment;
  useAiSettings(ai);
}

void MainWindow::analyse() {
  if (!m_exam) return;
  // A running analysis is replaced: it stops within one batch, and this one waits for it in the lane.
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
  buildStudyMenu();

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
  addHeatmapToggles(view, m_actions, m_ai);
  view->addSeparator();
  QAction* trainingAction =
      m_actions.add(view, tr("&Training dashboard"), QKeySequence(QStringLiteral("Ctrl+Shift+T")));
  connect(trainingAction, &QAction::triggered, this, [this] {
    auto* dock = findChild<QDockWidget*>(QStringLiteral("trainingDock"));
    dock->setVisible(!dock->isVisible());
    if (dock->isVisible()) dock->raise();
  });

  addAnnotationUi(this, menuBar(), m_actions, m_annotation, m_services);

  QMenu* help = menuBar()->addMenu(tr("&Help"));
  QAction* shortcuts = m_actions.add(help, tr("&Keyboard shortcuts"), QKeySequence(Qt::Key_F1));
  connect(shortcuts, &QAction::triggered, this, &MainWindow::showShortcuts);
}

void MainWindow::buildStudyMenu() {
  QMenu* study = menuBar()->addMenu(tr("&Study"));
  QAction* next = m_actions.add(study, tr("&Next study"), QKeySequence(Qt::Key_PageDown));
  connect(next, &QAction::triggered, this, [this] { stepStudy(1); });
  QAction* previous = m_actions.add(study, tr("&Previous study"), QKeySequence(Qt::Key_PageUp));
  connect(previous, &QAction::triggered, this, [this] { stepStudy(-1); });
  QAction* read = m_actions.add(study, tr("Mark study &read"), QKeySequence(QStringLiteral("Ctrl+Return")));
  connect(read, &QAction::triggered, this, [this] { setReadingStatus(pacs::ReadingStatus::Read); });
  study->addSeparator();
  QAction* prior =
      m_actions.add(study, tr("Compare with &prior (again: next view)"), QKeySequence(QStringLiteral("Ctrl+Shift+P")));
  connect(prior, &QAction::triggered, m_priors, &PriorController::compareNext);
  QAction* difference = m_actions.add(study, tr("Show &difference with the prior (again: the prior)"),
                                      QKeySequence(QStringLiteral("Ctrl+Shift+D")));
  connect(difference, &QAction::triggered, m_priors, &PriorController::toggleDifference);
  m_priorMenu = study->addMenu(tr("Prior st&udies"));
  m_priorMenu->setEnabled(false);
  study->addSeparator();
  QAction* queryRetrieve = m_actions.add(study, tr("&Query/Retrieve..."), QKeySequence(QStringLiteral("Ctrl+Shift+F")));
  connect(queryRetrieve, &QAction::triggered, this, &MainWindow::showQueryRetrieve);
  QAction* network = m_actions.add(study, tr("DICOM &network..."));
  connect(network, &QAction::triggered, this, &MainWindow::showNetworkSettings);
  QAction* worklist = m_actions.add(study, tr("&Worklist"), QKeySequence(QStringLiteral("Ctrl+L")));
  connect(worklist, &QAction::triggered, this, [this] {
    auto* dock = findChild<QDockWidget*>(QStringLiteral("worklistDock"));
    dock->setVisible(!dock->isVisible());
    if (dock->isVisible()) {
      dock->raise();
      m_worklist->refresh();
    }
  });
}

QueryRetrieveDialog* MainWindow::showQueryRetrieve() {
  if (!m_queryRetrieve) {
    m_queryRetrieve = new QueryRetrieveDialog(m_services, m_background, this);
    // A retrieved study goes in the worklist and the pre-reader's queue like a received one.
    connect(m_queryRetrieve, &QueryRetrieveDialog::retrieved, this, [this](const QString& key) {
      m_background->enqueue({key.toStdString()});
      m_worklistRefresh->start();
    });
  }
  m_queryRetrieve->refreshNode();
  m_queryRetrieve->show();
  m_queryRetrieve->raise();
  return m_queryRetrieve;
}

NetworkSettingsDialog* MainWindow::showNetworkSettings() {
  if (!m_network) {
    m_network = new NetworkSettingsDialog(m_services, m_background, this);
    connect(m_network, &NetworkSettingsDialog::saved, this, [this] {
      if (m_queryRetrieve) m_queryRetrieve->refreshNode();
    });
  }
  m_network->load();
  m_network->show();
  m_network->raise();
  return m_network;
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
  QAction* preReadAction = m_actions.add(ai, tr("&Pre-read the worklist in the background"));
  preReadAction->setCheckable(true);
  preReadAction->setChecked(m_analysis->settings().preRead);
  connect(preReadAction, &QAction::toggled, this, [this](bool on) { setPreReading(on); });
  // The compute device (workstation::AiSettings::device): remembered, used from the next analysis on.
  QMenu* device = ai->addMenu(tr("Compute &device"));
  auto* devices = new QActionGroup(device);
  const std::pair<const char*, const char*> choices[] = {
      {"auto", "Automatic (CUDA when present)"}, {"cpu", "CPU"}, {"cuda", "CUDA"}};
  for (const auto& [value, label] : choices) {
    QAction* a = m_actions.add(device, tr(label));
    a->setCheckable(true);
    a->setChecked(m_analysis->settings().device == value);
    devices->addAction(a);
    connect(a, &QAction::triggered, this, [this, value = std::string(value)] { setComputeDevice(value); });
  }
}

void MainWindow::setComputeDevice(const std::string& device) {
  changeAi([&device](workstation::AiSettings& ai) { ai.device = device; });
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
  JobRunner::Callbacks<workstation::HeatmapFileResult> callbacks;
  callbacks.done = [this](const workstation::HeatmapFileResult& result) { showHeatmapFiles(result); };
  m_services.jobs.start<workstation::HeatmapFileResult>(
      JobRunner::Lane::Loading, tr("Reading heatmap files"), this,
      [paths](core::JobContext&) { return workstation::readHeatmapFiles(paths); }, std::move(callbacks));
}

void MainWindow::showHeatmapFiles(const workstation::HeatmapFileResult& result) {
  QStringList errors;
  for (const auto& e : result.errors) errors << QString::fromStdString(e);
  int shown = 0;
  for (const workstation::NamedHeatmap& h : result.heatmaps) {
    const core::Image* image = m_exam ? m_exam->first(h.view) : nullptr;
    if (!image) {
      errors << QString::fromStdString(h.file + ": the open exam has no " + std::string(core::toString(h.view)));
      continue;
    }
    if (!h.data.covers(image->info.rows, image->info.columns)) {
      errors << QString::fromStdString(h.file + ": heatmap is " + std::to_string(h.data.rows()) + "x" +
                                       std::to_string(h.data.columns()) + " but the image is " +
                                       std::to_string(image->info.rows) + "x" + std::to_string(image->info.columns));
      continue;
    }
    m_panel->setViewHeatmap(h.view, h.kind, h.data.withSpacing(image->info.spacing));
    ++shown;
  }
  if (!errors.isEmpty()) {
    statusBar()->showMessage(errors.front());
    if (m_interactive) QMessageBox::warning(this, tr("Heatmaps"), errors.join('\n'));
  }
  emit heatmapsLoaded(shown, errors);
}

QStringList MainWindow::recentExams() const {
  QStringList out;
  for (const std::string& entry : m_services.settings.recentExams()) out << QString::fromStdString(entry);
  return out;
}

void MainWindow::rememberRecent(const QStringList& paths) {
  const QString entry = paths.join(QLatin1Char('\n'));
  QStringList recent = recentExams();
  recent.removeAll(entry);
  recent.prepend(entry);
  while (recent.size() > 10) recent.removeLast();
  std::vector<std::string> entries;
  for (const QString& r : recent) entries.push_back(r.toStdString());
  m_services.settings.setRecentExams(entries);
  rebuildRecentMenu();
}

void MainWindow::rebuildRecentMenu() {
  if (!m_recentMenu) return;
  m_recentMenu->clear();
  for (const QString& entry : recentExams()) {
    const QStringList paths = entry.split(QLatin1Char('\n'));
    QAction* a = m_recentMenu->addAction(
        paths.size() == 1 ? paths.front() : tr("%1 (+%2 files)").arg(paths.front()).arg(paths.size() - 1));
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
  std::vector<std::filesystem::path> files;
  for (const QString& p : paths) files.emplace_back(p.toStdString());
  // Headers first: every exam found goes into the study store (a folder or list of several fills the
  // worklist); then the pixels of the first.
  startOpening(tr("Opening an exam"),
               [files, &store = m_services.store, reader = m_background->preReader()](core::JobContext& job) {
                 core::LoadOptions headersOnly;
                 headersOnly.readPixels = false;
                 core::JobContext headerPart = job.subRange(0.0, 0.3);
                 core::LoadResult headers = core::loadPaths(files, headersOnly, &headerPart);
                 Opened opened;
                 opened.keys = store.addExams(headers.exams, pacs::StudySource::Files);
                 // The first is opened (and analysed in the foreground); the others are pre-read in the background.
                 if (opened.keys.size() > 1) reader->enqueue({opened.keys.begin() + 1, opened.keys.end()});
                 opened.result.issues = headers.issues;
                 if (headers.exams.empty()) return opened;
                 core::JobContext pixelPart = job.subRange(0.3, 1.0);
                 core::LoadResult first = core::loadPaths(imageFiles(headers.exams.front()), {}, &pixelPart);
                 opened.result.exams = std::move(first.exams);
                 opened.result.issues.insert(opened.result.issues.end(), first.issues.begin(), first.issues.end());
                 return opened;
               });
}

void MainWindow::openStudy(const std::string& key) {
  m_loadingPaths.clear();  // a study of the store is not a recent file
  m_background->preReader()->remove(key);  // analysed in the foreground once open
  startOpening(tr("Opening a study"), [key, &store = m_services.store](core::JobContext& job) {
    const std::optional<pacs::StudyRecord> study = store.study(key);
    if (!study) throw std::runtime_error("the study store has no study " + key);
    Opened opened;
    opened.keys = {key};
    opened.result = core::loadPaths(study->files, {}, &job);
    return opened;
  });
}

void MainWindow::stepStudy(int step) {
  const std::optional<std::string> key = workstation::stepStudy(m_worklist->visibleKeys(), m_studyKey, step);
  if (!key) {
    statusBar()->showMessage(step > 0 ? tr("This is the last study of the worklist.")
                                      : tr("This is the first study of the worklist."));
    return;
  }
  openStudy(*key);
}

void MainWindow::setReadingStatus(pacs::ReadingStatus status) {
  if (m_studyKey.empty()) return;
  JobRunner::Callbacks<void> callbacks;
  callbacks.done = [this] { m_worklist->refresh(); };
  m_services.jobs.start<void>(
      JobRunner::Lane::Background, tr("Updating the study store"), this,
      [key = m_studyKey, status, &store = m_services.store](core::JobContext&) {
        const auto study = store.study(key);
        // Opening marks an unread study in progress; it never takes back "read".
        if (status == pacs::ReadingStatus::InProgress && study && study->readingStatus != pacs::ReadingStatus::Unread) {
          return;
        }
        store.setReadingStatus(key, status);
      },
      std::move(callbacks));
}

void MainWindow::startOpening(const QString& name, std::function<Opened(core::JobContext&)> work) {
  if (m_loadJob) m_loadJob->cancel();  // its result is dropped; the new load waits for it in the lane
  m_progress->setValue(0);
  m_progress->show();
  statusBar()->showMessage(tr("Loading..."));
  const auto current = std::make_shared<std::weak_ptr<core::JobContext>>();
  const auto isCurrent = [this, current] { return m_loadJob && m_loadJob == current->lock(); };
  JobRunner::Callbacks<Opened> callbacks;
  callbacks.progress = [this, isCurrent](double fraction, const QString&) {
    if (isCurrent()) m_progress->setValue(static_cast<int>(fraction * 1000));
  };
  callbacks.done = [this, isCurrent](Opened opened) {
    if (!isCurrent()) return;
    m_loadJob.reset();
    onLoaded(std::move(opened));
  };
  callbacks.failed = [this, isCurrent](const QString& message) {
    if (!isCurrent()) return;
    m_loadJob.reset();
    m_progress->hide();
    statusBar()->clearMessage();
    emit loadFailed(message);
  };
  callbacks.cancelled = [this, isCurrent] {
    if (!isCurrent()) return;
    m_loadJob.reset();
    m_progress->hide();
    statusBar()->clearMessage();
  };
  m_loadJob =
      m_services.jobs.start<Opened>(JobRunner::Lane::Loading, name, this, std::move(work), std::move(callbacks));
  *current = m_loadJob;
}

void MainWindow::onLoaded(Opened opened) {
  m_progress->hide();
  statusBar()->clearMessage();
  core::LoadResult& result = opened.result;
  if (!opened.keys.empty()) {
    m_studyKey = opened.keys.front();
    m_worklist->setCurrent(m_studyKey);
    m_worklist->refresh();
    if (opened.keys.size() > 1) {
      auto* dock = findChild<QDockWidget*>(QStringLiteral("worklistDock"));
      dock->show();
      dock->raise();
      statusBar()->showMessage(tr("%1 studies added to the worklist; showing the first.").arg(opened.keys.size()));
    }
  }
  if (result.exams.empty()) {
    QString message = tr("No mammogram could be loaded.");
    for (const auto& issue : result.issues) {
      message +=
          QStringLiteral("\n%1: %2").arg(QString::fromStdString(issue.file), QString::fromStdString(issue.reason));
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
      if (issue.error)
        message += QString::fromStdString((issue.file.empty() ? "" : issue.file + ": ") + issue.reason) + '\n';
    }
    for (const auto& issue : result.issues) message += QString::fromStdString(issue.file + ": " + issue.reason) + '\n';
    QMessageBox::warning(this, tr("Problems in this exam"), message.trimmed());
  }
  if (!m_loadingPaths.isEmpty()) rememberRecent(m_loadingPaths);
  m_loadingPaths.clear();
  setReadingStatus(pacs::ReadingStatus::InProgress);
  m_priors->studyOpened(m_studyKey);
  emit examLoaded();
  // Pixels first, AI second: a saved result shows at once, otherwise the analysis starts in the background
  // (a running analysis of the previous exam is replaced).
  const bool analyse = m_autoAnalyse && exam->complete();
  if (analyse) m_ai->setRunning(true);
  m_analysedKey = m_studyKey;
  m_analysis->open(exam, analyse);
}

void MainWindow::connectPriors() {
  connect(m_priors, &PriorController::priorsListed, this, [this](int count) {
    m_priorMenu->clear();
    m_priorMenu->setEnabled(count > 0);
    for (const pacs::StudyRecord& prior : m_priors->priors()) {
      const QString label = QStringLiteral("%1  %2  (%3)")
                                .arg(QString::fromStdString(viewer::formatStudyDate(prior.studyDate)),
                                     QString::fromStdString(prior.description), QString::fromStdString(prior.views));
      QAction* a = m_priorMenu->addAction(label);
      connect(a, &QAction::triggered, m_priors, [this, key = prior.key] { m_priors->compare(key); });
    }
    for (const pacs::StudyMatch& prior : m_priors->remotePriors()) {
      const QString label = tr("%1  %2  (on the PACS)")
                                .arg(QString::fromStdString(viewer::formatStudyDate(prior.studyDate)),
                                     QString::fromStdString(prior.description));
      QAction* a = m_priorMenu->addAction(label);
      connect(a, &QAction::triggered, m_priors, [this, uid = prior.studyUid] { m_priors->retrieveAndCompare(uid); });
    }
    const QString where = m_priors->priors().empty() ? tr(" on the PACS") : QString();
    const QString found = count == 1 ? tr("1 prior study") : tr("%1 prior studies").arg(count);
    if (count > 0)
      statusBar()->showMessage(tr("%1 of this patient%2: Study > Compare with prior.").arg(found, where), 5000);
  });
  connect(m_priors, &PriorController::priorRetrieved, m_worklistRefresh, qOverload<>(&QTimer::start));
  connect(m_priors, &PriorController::progress, this, [this](double fraction, const QString& stage) {
    m_progress->show();
    m_progress->setValue(static_cast<int>(fraction * 1000));
    statusBar()->showMessage(stage);
  });
  connect(m_priors, &PriorController::priorShown, this, [this](const QString& summary) {
    m_progress->hide();
    statusBar()->showMessage(summary);
    QString html = tr("<h4>Prior comparison</h4>");
    for (const QString& line : m_priors->registrationReport())
      html += QStringLiteral("<p>%1</p>").arg(line.toHtmlEscaped());
    m_info->append(html);
  });
  connect(m_priors, &PriorController::message, this, [this](const QString& text) {
    m_progress->hide();
    statusBar()->showMessage(text, 10000);
  });
}

void MainWindow::showExamInfo(const core::Exam& exam, const std::vector<core::LoadIssue>& issues) {
  QString html = QStringLiteral("<h3>Exam %1</h3><table>").arg(QString::fromStdString(exam.id).toHtmlEscaped());
  for (core::StandardView v : core::kStandardViews) {
    for (const core::Image& image : exam.view(v)) {
      html += QStringLiteral("<tr><td><b>%1</b></td><td>%2&times;%3, %4 bit, %5, %6, orientation %7%8</td></tr>")
                  .arg(QString::fromStdString(std::string(core::toString(v))))
                  .arg(image.info.rows)
                  .arg(image.info.columns)
                  .arg(image.info.bitsStored)
                  .arg(QString::fromStdString(std::string(core::toString(image.info.photometric))))
                  .arg(QString::fromStdString(image.info.transferSyntaxName).toHtmlEscaped())
                  .arg(QString::fromStdString(image.orientation.verdict()))
                  .arg(image.info.intent == core::PresentationIntent::ForProcessing ? tr(", <b>FOR PROCESSING</b>")
                                                                                    : QString());
    }
  }
  html += QStringLiteral("</table>");
  for (const auto& issue : exam.issues) {
    html +=
        QStringLiteral("<p>%1 %2</p>")
            .arg(issue.error ? QStringLiteral("&#9888; error:") : QStringLiteral("warning:"))
            .arg(QString::fromStdString((issue.file.empty() ? "" : issue.file + ": ") + issue.reason).toHtmlEscaped());
  }
  for (const auto& issue : issues) {
    html += QStringLiteral("<p>&#9888; %1</p>")
                .arg(QString::fromStdString(issue.file + ": " + issue.reason).toHtmlEscaped());
  }
  m_info->setHtml(html);
}

void MainWindow::closeEvent(QCloseEvent* event) {
  m_services.settings.setWindowLayout({saveGeometry().toStdString()}, {saveState().toStdString()});
  QMainWindow::closeEvent(event);
}

}  // namespace mammo::ui
