#include "ui/TrainingDashboard.h"

#include <QComboBox>
#include <QDateTime>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableWidget>
#include <QVBoxLayout>

#include <cmath>
#include <filesystem>
#include <limits>

#include "ui/TrainingCharts.h"
#include "ui/TrainingController.h"
#include "workstation/Settings.h"

namespace mammo::ui {

namespace {

QString number(double v, int decimals = 4) {
  return std::isfinite(v) ? QString::number(v, 'f', decimals) : QStringLiteral("–");
}

// A line edit with a Browse button beside it.
QWidget* withBrowse(QLineEdit* edit, QPushButton* browse) {
  auto* row = new QWidget;
  auto* layout = new QHBoxLayout(row);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(edit, 1);
  layout->addWidget(browse);
  return row;
}

using workstation::TrainingPhase;

// A few file-status checks, cheap enough for the GUI thread.
bool holdsRun(const QString& dir) {
  const training::RunFolder run(dir.toStdString());
  for (training::RunPart part : training::kRunParts) {
    if (run.part(part).hasHistory()) return true;
  }
  return false;
}

QString titleOf(const QString& part) {
  const auto p = training::parseRunPart(part.toStdString());
  return p ? QString::fromUtf8(training::partTitle(*p).data()) : part;
}

}  // namespace

TrainingDashboard::TrainingDashboard(Services services, QWidget* parent) : QWidget(parent), m_services(services) {
  m_controller = new TrainingController(services.jobs, this);
  m_charts = new TrainingCharts(this);
  auto* tabs = new QTabWidget(this);
  tabs->addTab(m_charts, tr("Curves"));
  tabs->addTab(buildCheckpoints(), tr("Checkpoints"));
  auto* splitter = new QSplitter(Qt::Horizontal, this);
  splitter->addWidget(buildForm());
  splitter->addWidget(tabs);
  splitter->setStretchFactor(1, 1);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(2, 2, 2, 2);
  layout->addWidget(splitter);
  connectController();
  const QString base = QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation);
  setOutputFolder(QDir(base).filePath(
      QStringLiteral("training/run-%1").arg(QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss")))));
  updateButtons();
}

TrainingDashboard::~TrainingDashboard() = default;

QWidget* TrainingDashboard::buildForm() {
  auto* form = new QWidget(this);
  auto* column = new QVBoxLayout(form);
  column->addWidget(buildDatasetGroup(form));
  column->addWidget(buildParametersGroup(form));
  column->addLayout(buildButtons(form));
  m_progress = new QProgressBar(form);
  m_progress->setRange(0, 1000);
  column->addWidget(m_progress);
  m_status = new QLabel(form);
  m_status->setWordWrap(true);
  column->addWidget(m_status);
  column->addStretch(1);
  return form;
}

QWidget* TrainingDashboard::buildDatasetGroup(QWidget* form) {
  auto* data = new QGroupBox(tr("Dataset"), form);
  auto* dataLayout = new QVBoxLayout(data);
  m_examList = new QLineEdit(data);
  m_examList->setPlaceholderText(tr("exam list (JSON) with labels and masks"));
  auto* browseList = new QPushButton(tr("Browse..."), data);
  connect(browseList, &QPushButton::clicked, this, [this] {
    const QString file = QFileDialog::getOpenFileName(this, tr("Exam list"), QString(), tr("Exam lists (*.json)"));
    if (!file.isEmpty()) setExamList(file);
  });
  connect(m_examList, &QLineEdit::editingFinished, this, &TrainingDashboard::summarise);
  dataLayout->addWidget(withBrowse(m_examList, browseList));
  m_summary = new QLabel(tr("Choose an exam list to see its split."), data);
  m_summary->setTextFormat(Qt::RichText);
  m_summary->setWordWrap(true);
  dataLayout->addWidget(m_summary);
  return data;
}

QWidget* TrainingDashboard::buildParametersGroup(QWidget* form) {
  auto* params = new QGroupBox(tr("Training"), form);
  auto* f = new QFormLayout(params);
  m_phase = new QComboBox(params);
  m_phase->addItem(tr("Patch classifier (phase 1)"), static_cast<int>(TrainingPhase::Patch));
  m_phase->addItem(tr("BI-RADS pretraining (phase 2 columns)"), static_cast<int>(TrainingPhase::Birads));
  m_phase->addItem(tr("Cancer models (phase 2)"), static_cast<int>(TrainingPhase::Cancer));
  m_phase->addItem(tr("All: patch, BI-RADS, cancer, model bundle"), static_cast<int>(TrainingPhase::All));
  m_phase->setCurrentIndex(m_phase->findData(static_cast<int>(TrainingPhase::Cancer)));
  m_phase->setToolTip(
      tr("Cancer models: the image-only model, then the image+heatmaps model when the run folder "
         "has a patch classifier, starting from the run's BI-RADS columns when it has them."));
  f->addRow(tr("Phase"), m_phase);
  auto spin = [&](int min, int max, int value) {
    auto* s = new QSpinBox(params);
    s->setRange(min, max);
    s->setValue(value);
    return s;
  };
  auto real = [&](double min, double max, double value, int decimals, double step) {
    auto* s = new QDoubleSpinBox(params);
    s->setDecimals(decimals);
    s->setRange(min, max);
    s->setSingleStep(step);
    s->setValue(value);
    return s;
  };
  const workstation::TrainingRequest defaults;
  m_epochs = spin(1, 10000, defaults.train.epochs);
  m_batch = spin(1, 1024, defaults.train.batchSize);
  m_learningRate = real(1e-6, 1.0, defaults.train.learningRate, 6, 1e-5);
  m_seed = spin(0, std::numeric_limits<int>::max(), static_cast<int>(defaults.train.seed));
  m_inputScale = real(0.05, 1.0, defaults.inputScale, 3, 0.05);
  m_inputScale->setToolTip(tr("Of the reference's model input size (1 = 2677 x 1942 / 2974 x 1748)"));
  m_validationFraction = real(0.05, 0.9, defaults.validationFraction, 2, 0.05);
  m_patience = spin(1, 10000, defaults.train.patience);
  m_patches = spin(1, 1000000, defaults.patchesPerEpoch);
  m_validationPatches = spin(1, 10000, defaults.validationPatchesPerClass);
  f->addRow(tr("Epochs"), m_epochs);
  f->addRow(tr("Batch size"), m_batch);
  f->addRow(tr("Learning rate"), m_learningRate);
  f->addRow(tr("Seed"), m_seed);
  f->addRow(tr("Input scale"), m_inputScale);
  f->addRow(tr("Validation fraction"), m_validationFraction);
  f->addRow(tr("Early-stopping patience"), m_patience);
  f->addRow(tr("Patches per epoch"), m_patches);
  f->addRow(tr("Validation patches per class"), m_validationPatches);
  m_outDir = new QLineEdit(params);
  auto* browseOut = new QPushButton(tr("Browse..."), params);
  connect(browseOut, &QPushButton::clicked, this, [this] {
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Run folder"));
    if (!dir.isEmpty()) setOutputFolder(dir);
  });
  f->addRow(tr("Run folder"), withBrowse(m_outDir, browseOut));
  // The split depends on the fraction and the seed.
  connect(m_validationFraction, &QDoubleSpinBox::valueChanged, this, &TrainingDashboard::summarise);
  connect(m_seed, &QSpinBox::valueChanged, this, &TrainingDashboard::summarise);
  return params;
}

QLayout* TrainingDashboard::buildButtons(QWidget* form) {
  auto* buttons = new QHBoxLayout;
  m_start = new QPushButton(tr("Start"), form);
  m_stop = new QPushButton(tr("Stop"), form);
  m_resume = new QPushButton(tr("Resume"), form);
  m_start->setToolTip(tr("Train from scratch into an empty run folder"));
  m_stop->setToolTip(tr("Save the resume state and stop after the current step"));
  m_resume->setToolTip(tr("Continue the run in the run folder where it stopped"));
  buttons->addWidget(m_start);
  buttons->addWidget(m_stop);
  buttons->addWidget(m_resume);
  connect(m_start, &QPushButton::clicked, this, [this] { launch(false); });
  connect(m_resume, &QPushButton::clicked, this, [this] { launch(true); });
  connect(m_stop, &QPushButton::clicked, this, [this] {
    m_controller->stop();
    setStatus(tr("Stopping after the current step..."));
    updateButtons();
  });
  return buttons;
}

QWidget* TrainingDashboard::buildCheckpoints() {
  auto* page = new QWidget(this);
  auto* layout = new QVBoxLayout(page);
  m_table = new QTableWidget(0, 6, page);
  m_table->setHorizontalHeaderLabels(
      {tr("Model"), tr("Epoch"), tr("Train loss"), tr("Val loss"), tr("Val AUC (malignant)"), tr("Best")});
  m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
  m_table->setSelectionMode(QAbstractItemView::SingleSelection);
  m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
  m_table->verticalHeader()->hide();
  m_table->horizontalHeader()->setStretchLastSection(true);
  layout->addWidget(m_table);
  m_useForReading = new QPushButton(tr("Use this checkpoint for reading"), page);
  m_useForReading->setToolTip(
      tr("Make a model bundle with this checkpoint (and the run's best other models, "
         "or those of the model in use) the active model for reading"));
  layout->addWidget(m_useForReading);
  connect(m_table, &QTableWidget::itemSelectionChanged, this, &TrainingDashboard::updateButtons);
  connect(m_useForReading, &QPushButton::clicked, this, [this] {
    const int row = m_table->currentRow();
    if (row < 0 || row >= static_cast<int>(m_checkpoints.size())) return;
    setStatus(tr("Preparing the model bundle..."));
    m_useForReading->setEnabled(false);
    const QString active = QString::fromStdString(m_services.settings.ai().modelBundle);
    m_controller->makeReadingBundle(m_checkpoints[static_cast<std::size_t>(row)], m_runDir, active);
  });
  return page;
}

void TrainingDashboard::connectController() {
  TrainingController* c = m_controller;
  connect(c, &TrainingController::partStarted, this,
          [this](const QString& part, const std::vector<training::EpochMetrics>& history) {
            m_charts->reset(titleOf(part));
            for (const auto& m : history) m_charts->addEpoch(m);
          });
  connect(c, &TrainingController::progressChanged, this, [this](double fraction, const QString& text) {
    m_progress->setValue(static_cast<int>(fraction * 1000));
    setStatus(text);  // "<model>: epoch ... step ... loss ..."
  });
  connect(c, &TrainingController::checkpointsListed, this,
          [this](const QString& runDir, const std::vector<workstation::CheckpointEntry>& entries) {
            if (runDir != m_runDir) return;  // an older request
            showCheckpoints(entries);
          });
  connect(c, &TrainingController::epochDone, this,
          [this](const QString&, const training::EpochMetrics& m, const QVector<QPointF>& roc) {
            m_charts->addEpoch(m);
            m_charts->setRoc(roc, m.epoch);
            refreshCheckpoints();
          });
  connect(c, &TrainingController::logLine, this, [this](const QString& line) { setStatus(line); });
  connect(c, &TrainingController::finished, this, [this](bool stopped) {
    setStatus(stopped ? tr("Stopped at epoch %1; Resume continues from the saved step.").arg(m_charts->lastEpoch() + 1)
                      : tr("Finished."));
    refreshCheckpoints();
    updateButtons();
  });
  connect(c, &TrainingController::failed, this, [this](const QString& message) {
    setStatus(tr("Training failed: %1").arg(message), true);
    refreshCheckpoints();
    updateButtons();
  });
  connect(c, &TrainingController::summaryReady, this, [this](const QString& list, const workstation::SplitSummary& s) {
    if (list != m_examList->text()) return;  // an older request
    showSummary(s);
    emit summaryShown();
  });
  connect(c, &TrainingController::summaryFailed, this, [this](const QString& list, const QString& message) {
    if (list != m_examList->text()) return;
    m_summary->setText(tr("<b>Cannot read the exam list:</b> %1").arg(message.toHtmlEscaped()));
    emit summaryShown();
  });
  connect(c, &TrainingController::bundleReady, this, [this](const QString& folder) {
    setStatus(tr("Reading now uses %1").arg(folder));
    updateButtons();
    emit modelBundleChosen(folder);
  });
  connect(c, &TrainingController::bundleFailed, this, [this](const QString& message) {
    setStatus(message, true);
    updateButtons();
  });
}

void TrainingDashboard::setExamList(const QString& path) {
  m_examList->setText(path);
  summarise();
}

void TrainingDashboard::setOutputFolder(const QString& path) {
  m_outDir->setText(path);
  m_runDir = path;
  refreshCheckpoints();
}

workstation::TrainingRequest TrainingDashboard::request() const {
  workstation::TrainingRequest r;
  r.train.provenance = "trained with the Mammolens training dashboard — not for clinical use";
  r.examList = m_examList->text().toStdString();
  r.outDir = m_outDir->text().toStdString();
  r.phase = static_cast<TrainingPhase>(m_phase->currentData().toInt());
  r.train.epochs = m_epochs->value();
  r.train.batchSize = m_batch->value();
  r.train.learningRate = m_learningRate->value();
  r.train.seed = static_cast<std::uint64_t>(m_seed->value());
  r.inputScale = m_inputScale->value();
  r.validationFraction = m_validationFraction->value();
  r.train.patience = m_patience->value();
  r.patchesPerEpoch = m_patches->value();
  r.validationPatchesPerClass = m_validationPatches->value();
  r.bundleName = "Mammolens training dashboard run (" + r.outDir.filename().string() + ")";
  return r;
}

void TrainingDashboard::launch(bool resume) {
  if (m_controller->isRunning()) return;
  workstation::TrainingRequest r = request();
  const QString out = m_outDir->text();
  if (m_examList->text().isEmpty() || out.isEmpty()) {
    setStatus(tr("Choose an exam list and a run folder first."), true);
    return;
  }
  // Never train over a run by accident, nor resume nothing.
  if (!resume && holdsRun(out)) {
    setStatus(tr("%1 holds a training run: Resume it, or choose an empty run folder.").arg(out), true);
    return;
  }
  if (resume && !holdsRun(out)) {
    setStatus(tr("%1 holds no training run to resume: Start one.").arg(out), true);
    return;
  }
  r.train.resume = resume;
  m_runDir = out;
  m_charts->reset(QString());
  m_progress->setValue(0);
  setStatus(resume ? tr("Resuming...") : tr("Starting..."));
  m_controller->start(r);
  updateButtons();
}

void TrainingDashboard::summarise() {
  if (m_examList->text().isEmpty()) return;
  m_summary->setText(tr("Reading the exam list..."));
  m_controller->summarise(m_examList->text(), m_validationFraction->value(),
                          static_cast<std::uint64_t>(m_seed->value()));
}

void TrainingDashboard::showSummary(const workstation::SplitSummary& s) {
  using workstation::SplitCounts;
  const SplitCounts* splits[] = {&s.train, &s.validation};
  auto row = [&](const QString& name, auto value) {
    QString html = QStringLiteral("<tr><td>%1</td>").arg(name);
    for (const SplitCounts* c : splits) html += QStringLiteral("<td align=right>%1</td>").arg(value(*c));
    return html + QStringLiteral("</tr>");
  };
  QString html = tr("<table cellspacing=4><tr><th></th><th>training</th><th>validation</th></tr>");
  html += row(tr("patients"), [](const SplitCounts& c) { return QString::number(c.statistics.patients); });
  html += row(tr("exams"), [](const SplitCounts& c) { return QString::number(c.statistics.exams); });
  html += row(tr("images"), [](const SplitCounts& c) { return QString::number(c.images); });
  html += row(tr("exams with findings"),
              [](const SplitCounts& c) { return QString::number(c.statistics.examsWithFindings); });
  html += row(tr("exams without findings"),
              [](const SplitCounts& c) { return QString::number(c.statistics.examsWithoutFindings); });
  html +=
      row(tr("exams with masks"), [](const SplitCounts& c) { return QString::number(c.statistics.examsWithMasks); });
  const char* labels[] = {"benign breasts (L / R)", "malignant breasts (L / R)"};
  for (int k = 0; k < 2; ++k) {
    html += row(tr(labels[k]), [k](const SplitCounts& c) {
      return QStringLiteral("%1 / %2").arg(c.statistics.positives[2 * k]).arg(c.statistics.positives[2 * k + 1]);
    });
  }
  html += row(tr("BI-RADS"), [](const SplitCounts& c) {
    QStringList parts;
    for (const auto& [category, exams] : c.statistics.birads)
      parts << QStringLiteral("%1: %2").arg(category).arg(exams);
    return parts.isEmpty() ? QStringLiteral("–") : parts.join(QStringLiteral(", "));
  });
  m_summary->setText(html + QStringLiteral("</table>"));
}

void TrainingDashboard::refreshCheckpoints() {
  if (m_runDir.isEmpty()) {
    showCheckpoints({});
    return;
  }
  m_controller->listCheckpoints(m_runDir);  // read in the background; checkpointsListed follows
}

void TrainingDashboard::showCheckpoints(const std::vector<workstation::CheckpointEntry>& entries) {
  const int selectedRow = m_table->currentRow();
  m_checkpoints = entries;
  m_table->setRowCount(static_cast<int>(m_checkpoints.size()));
  for (int r = 0; r < m_table->rowCount(); ++r) {
    const workstation::CheckpointEntry& e = m_checkpoints[static_cast<std::size_t>(r)];
    const QString cells[] = {QString::fromUtf8(training::partTitle(e.part).data()),
                             QString::number(e.epoch),
                             number(e.trainLoss),
                             number(e.validationLoss),
                             number(e.valAucMalignant, 3),
                             e.best ? QStringLiteral("★") : QString()};
    for (int c = 0; c < 6; ++c) m_table->setItem(r, c, new QTableWidgetItem(cells[c]));
  }
  if (selectedRow >= 0 && selectedRow < m_table->rowCount()) m_table->selectRow(selectedRow);
  updateButtons();
}

void TrainingDashboard::updateButtons() {
  const bool running = m_controller->isRunning();
  m_start->setEnabled(!running);
  m_resume->setEnabled(!running);
  m_stop->setEnabled(running && !m_controller->isStopping());
  m_useForReading->setEnabled(m_table->currentRow() >= 0);
}

void TrainingDashboard::setStatus(const QString& text, bool error) {
  m_status->setStyleSheet(error ? QStringLiteral("color: #d05050") : QString());
  m_status->setText(text);
}

}  // namespace mammo::ui
