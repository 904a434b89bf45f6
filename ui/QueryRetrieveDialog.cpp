#include "ui/QueryRetrieveDialog.h"

#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QRegularExpression>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <set>

#include "core/Job.h"
#include "ui/BackgroundReading.h"
#include "ui/JobRunner.h"
#include "workstation/PacsAccess.h"

namespace mammo::ui {

namespace {

QString text(const std::string& s) { return QString::fromStdString(s); }

QString studies(int n) { return n == 1 ? QObject::tr("1 study") : QObject::tr("%1 studies").arg(n); }

// "20240131" -> "2024-01-31"; anything else as it is.
QString displayDate(const std::string& d) {
  if (d.size() != 8) return text(d);
  return text(d.substr(0, 4) + "-" + d.substr(4, 2) + "-" + d.substr(6, 2));
}

}  // namespace

QueryRetrieveDialog::QueryRetrieveDialog(Services services, BackgroundReading* background, QWidget* parent)
    : QDialog(parent), m_services(services), m_background(background) {
  setWindowTitle(tr("Query/Retrieve"));
  setObjectName(QStringLiteral("queryRetrieveDialog"));
  auto* layout = new QVBoxLayout(this);
  m_node = new QLabel(this);
  m_node->setObjectName(QStringLiteral("node"));
  layout->addWidget(m_node);

  auto* form = new QFormLayout;
  m_patientId = new QLineEdit(this);
  m_patientId->setObjectName(QStringLiteral("patientId"));
  m_studyDate = new QLineEdit(this);
  m_studyDate->setObjectName(QStringLiteral("studyDate"));
  m_studyDate->setPlaceholderText(tr("YYYYMMDD or YYYYMMDD-YYYYMMDD (either end may be left out)"));
  m_accession = new QLineEdit(this);
  m_accession->setObjectName(QStringLiteral("accession"));
  form->addRow(tr("Patient ID"), m_patientId);
  form->addRow(tr("Study date"), m_studyDate);
  form->addRow(tr("Accession"), m_accession);
  m_method = new QComboBox(this);
  m_method->setObjectName(QStringLiteral("method"));
  m_method->addItem(tr("C-GET into the study store"));
  m_method->addItem(tr("C-MOVE to this workstation's receiver"));
  form->addRow(tr("Retrieve by"), m_method);
  layout->addLayout(form);

  m_results = new QTableWidget(0, ColumnCount, this);
  m_results->setObjectName(QStringLiteral("results"));
  m_results->setHorizontalHeaderLabels(
      {tr("Patient ID"), tr("Name"), tr("Date"), tr("Accession"), tr("Description"), tr("Modalities"), tr("Images")});
  m_results->setSelectionBehavior(QAbstractItemView::SelectRows);
  m_results->setEditTriggers(QAbstractItemView::NoEditTriggers);
  m_results->horizontalHeader()->setStretchLastSection(true);
  m_results->verticalHeader()->hide();
  layout->addWidget(m_results, 1);

  m_progress = new QProgressBar(this);
  m_progress->setObjectName(QStringLiteral("progress"));
  m_progress->setRange(0, 1000);
  m_progress->setVisible(false);
  layout->addWidget(m_progress);
  m_status = new QLabel(this);
  m_status->setObjectName(QStringLiteral("status"));
  m_status->setWordWrap(true);
  layout->addWidget(m_status);

  auto* buttons = new QHBoxLayout;
  m_search = new QPushButton(tr("&Search"), this);
  m_search->setObjectName(QStringLiteral("search"));
  m_search->setDefault(true);
  m_retrieve = new QPushButton(tr("&Retrieve selected"), this);
  m_retrieve->setObjectName(QStringLiteral("retrieve"));
  m_cancel = new QPushButton(tr("&Cancel"), this);
  m_cancel->setObjectName(QStringLiteral("cancel"));
  m_cancel->setEnabled(false);
  auto* close = new QPushButton(tr("C&lose"), this);
  buttons->addWidget(m_search);
  buttons->addWidget(m_retrieve);
  buttons->addWidget(m_cancel);
  buttons->addStretch(1);
  buttons->addWidget(close);
  layout->addLayout(buttons);
  connect(m_search, &QPushButton::clicked, this, &QueryRetrieveDialog::search);
  connect(m_retrieve, &QPushButton::clicked, this, &QueryRetrieveDialog::retrieveSelected);
  connect(m_cancel, &QPushButton::clicked, this, &QueryRetrieveDialog::cancel);
  connect(close, &QPushButton::clicked, this, &QDialog::close);
  connect(m_results, &QTableWidget::cellDoubleClicked, this, [this] { retrieveSelected(); });
  resize(900, 500);
  refreshNode();
}

QueryRetrieveDialog::~QueryRetrieveDialog() { cancel(); }

void QueryRetrieveDialog::refreshNode() {
  const workstation::PacsSettings pacs = m_services.settings.pacs();
  const bool ready = workstation::configured(pacs);
  m_node->setText(ready ? tr("PACS: %1, called as %2")
                              .arg(text(workstation::pacsNode(pacs, m_services.settings.storeSettings()).describe()),
                                   text(m_services.settings.storeSettings().aeTitle))
                        : tr("No PACS is configured: set its host, port and AE title in Study > DICOM network."));
  m_search->setEnabled(ready && !busy());
  m_retrieve->setEnabled(ready && !busy());
}

void QueryRetrieveDialog::setBusy(const std::shared_ptr<core::JobContext>& job) {
  m_job = job;
  m_progress->setVisible(job != nullptr);
  m_progress->setValue(0);
  m_cancel->setEnabled(job != nullptr);
  refreshNode();
}

void QueryRetrieveDialog::failed(const QString& what, const QString& message) {
  setBusy(nullptr);
  m_status->setText(tr("%1 failed: %2").arg(what, message));
}

void QueryRetrieveDialog::search() {
  if (busy()) return;
  static const QRegularExpression dates(QStringLiteral("^(\\d{8})?(-(\\d{8})?)?$"));
  const QString date = m_studyDate->text().trimmed();
  if (!dates.match(date).hasMatch()) {
    m_status->setText(tr("The study date must be YYYYMMDD or a range YYYYMMDD-YYYYMMDD, not \"%1\".").arg(date));
    return;
  }
  pacs::StudyQuery query;
  query.patientId = m_patientId->text().trimmed().toStdString();
  query.studyDate = date.toStdString();
  query.accession = m_accession->text().trimmed().toStdString();
  const pacs::RemoteNode node = workstation::pacsNode(m_services.settings.pacs(), m_services.settings.storeSettings());
  m_status->setText(tr("Searching %1...").arg(text(node.describe())));
  JobRunner::Callbacks<std::vector<pacs::StudyMatch>> callbacks;
  callbacks.progress = [this](double f, const QString&) { m_progress->setValue(int(f * 1000)); };
  callbacks.done = [this](std::vector<pacs::StudyMatch> matches) { showMatches(std::move(matches)); };
  callbacks.failed = [this](const QString& message) { failed(tr("The search"), message); };
  callbacks.cancelled = [this] {
    setBusy(nullptr);
    m_status->setText(tr("Search cancelled."));
  };
  setBusy(m_services.jobs.start<std::vector<pacs::StudyMatch>>(
      JobRunner::Lane::Network, tr("Searching the PACS"), this,
      [node, query](core::JobContext& job) { return pacs::findStudies(node, query, &job); }, std::move(callbacks)));
}

void QueryRetrieveDialog::showMatches(std::vector<pacs::StudyMatch> matches) {
  setBusy(nullptr);
  m_matches = std::move(matches);
  // Newest first, as the worklist (the PACS answers in its own order).
  std::stable_sort(m_matches.begin(), m_matches.end(),
                   [](const pacs::StudyMatch& a, const pacs::StudyMatch& b) { return a.studyDate > b.studyDate; });
  m_results->setRowCount(int(m_matches.size()));
  for (int row = 0; row < int(m_matches.size()); ++row) {
    const pacs::StudyMatch& m = m_matches[row];
    const QString cells[ColumnCount] = {text(m.patientId),           text(m.patientName), displayDate(m.studyDate),
                                        text(m.accession),           text(m.description), text(m.modalities),
                                        QString::number(m.instances)};
    for (int c = 0; c < ColumnCount; ++c) m_results->setItem(row, c, new QTableWidgetItem(cells[c]));
  }
  m_results->resizeColumnsToContents();
  if (!m_matches.empty()) m_results->selectRow(0);
  m_status->setText(tr("%1 found.").arg(studies(int(m_matches.size()))));
  emit searched(int(m_matches.size()));
}

void QueryRetrieveDialog::retrieveSelected() {
  if (busy()) return;
  std::set<int> rows;
  for (const QModelIndex& index : m_results->selectionModel()->selectedRows()) rows.insert(index.row());
  std::vector<std::string> uids;
  for (const int row : rows) {
    if (row < int(m_matches.size())) uids.push_back(m_matches[row].studyUid);
  }
  if (uids.empty()) {
    m_status->setText(tr("Choose the studies to retrieve in the table (search first)."));
    return;
  }
  const auto method =
      m_method->currentIndex() == Move ? workstation::RetrieveMethod::Move : workstation::RetrieveMethod::Get;
  const workstation::StoreSettings ours = m_services.settings.storeSettings();
  // By C-MOVE the PACS sends to our receiver: without it running the images would go nowhere.
  if (method == workstation::RetrieveMethod::Move && !(m_background && m_background->receiving())) {
    m_status->setText(tr("C-MOVE needs this workstation's DICOM receiver running (Study > DICOM network), and the "
                         "PACS must know %1 with its host and port. C-GET needs neither.")
                          .arg(text(ours.aeTitle)));
    return;
  }
  const pacs::RemoteNode node = workstation::pacsNode(m_services.settings.pacs(), ours);
  m_status->setText(tr("Retrieving %1 from %2...").arg(studies(int(uids.size())), text(node.describe())));
  // Each study is announced as it is in, so that a cancelled retrieval still shows what arrived.
  QPointer<QueryRetrieveDialog> self(this);
  auto announce = [self](const workstation::Retrieved& r) {
    QMetaObject::invokeMethod(
        self.data(),
        [self, r] {
          if (!self) return;
          emit self->retrieved(text(r.studyKey), r.imagesInStore);
        },
        Qt::QueuedConnection);
  };
  struct Outcome {
    int studies = 0, completed = 0, failed = 0;
    QStringList problems;
  };
  JobRunner::Callbacks<Outcome> callbacks;
  callbacks.progress = [this](double f, const QString& stage) {
    m_progress->setValue(int(f * 1000));
    m_status->setText(stage);
  };
  callbacks.done = [this](const Outcome& o) {
    setBusy(nullptr);
    QString line = tr("%1 retrieved: %2 images, %3 failed.").arg(studies(o.studies)).arg(o.completed).arg(o.failed);
    if (!o.problems.isEmpty()) line += QLatin1Char(' ') + o.problems.join(QStringLiteral("; "));
    m_status->setText(line);
    emit retrievalFinished();
  };
  callbacks.failed = [this](const QString& message) {
    failed(tr("The retrieval"), message);
    emit retrievalFinished();
  };
  callbacks.cancelled = [this] {
    setBusy(nullptr);
    m_status->setText(tr("Retrieval cancelled; what had arrived is in the worklist."));
    emit retrievalFinished();
  };
  setBusy(m_services.jobs.start<Outcome>(
      JobRunner::Lane::Network, tr("Retrieving from the PACS"), this,
      [node, uids, method, ours, &store = m_services.store, announce](core::JobContext& job) {
        Outcome o;
        for (size_t i = 0; i < uids.size(); ++i) {
          job.throwIfCancelled();
          core::JobContext part =
              job.subRange(double(i) / uids.size(), double(i + 1) / uids.size(),
                           "study " + std::to_string(i + 1) + " of " + std::to_string(uids.size()) + ": ");
          const workstation::Retrieved r = workstation::retrieveStudy(node, uids[i], method, ours, store, &part);
          ++o.studies;
          o.completed += r.transfer.completed;
          o.failed += r.transfer.failed;
          for (const std::string& p : r.transfer.problems) o.problems << text(p);
          if (r.imagesInStore > 0) announce(r);
        }
        return o;
      },
      std::move(callbacks)));
}

void QueryRetrieveDialog::cancel() {
  if (m_job) m_job->cancel();
}

}  // namespace mammo::ui
