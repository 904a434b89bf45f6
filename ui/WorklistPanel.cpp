#include "ui/WorklistPanel.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QTableWidget>
#include <QVBoxLayout>

#include "ui/JobRunner.h"

namespace mammo::ui {

namespace {

constexpr int kKeyRole = Qt::UserRole + 1;

// An item that sorts by `key` (dates as YYYYMMDD, probabilities as numbers) and shows `text`.
class SortableItem : public QTableWidgetItem {
 public:
  SortableItem(const QString& text, const QVariant& key) : QTableWidgetItem(text) { setData(Qt::UserRole, key); }
  bool operator<(const QTableWidgetItem& other) const override {
    const QVariant a = data(Qt::UserRole), b = other.data(Qt::UserRole);
    if (a.typeId() == QMetaType::Double && b.typeId() == QMetaType::Double) return a.toDouble() < b.toDouble();
    return a.toString() < b.toString();
  }
};

QString formatDate(const std::string& d) {
  if (d.size() != 8) return QString::fromStdString(d);
  return QStringLiteral("%1-%2-%3")
      .arg(QString::fromStdString(d.substr(0, 4)), QString::fromStdString(d.substr(4, 2)),
           QString::fromStdString(d.substr(6, 2)));
}

}  // namespace

QString aiStatusText(const pacs::StudyRecord& s) {
  QString text = QString::fromUtf8(pacs::toString(s.aiStatus).data());
  if (s.aiStatus == pacs::AiStatus::Done && s.aiMaxMalignant)
    text += QStringLiteral(" %1").arg(*s.aiMaxMalignant, 0, 'f', 3);
  if (s.aiStatus == pacs::AiStatus::Failed && !s.aiReason.empty())
    text += QStringLiteral(": ") + QString::fromStdString(s.aiReason);
  return text;
}

WorklistPanel::WorklistPanel(Services services, QWidget* parent) : QWidget(parent), m_services(services) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(2, 2, 2, 2);
  auto* filters = new QHBoxLayout;
  m_unread = new QCheckBox(tr("Unread"), this);
  m_aiDone = new QCheckBox(tr("AI done"), this);
  m_from = new QLineEdit(this);
  m_to = new QLineEdit(this);
  m_text = new QLineEdit(this);
  m_from->setPlaceholderText(tr("from YYYYMMDD"));
  m_to->setPlaceholderText(tr("to YYYYMMDD"));
  m_text->setPlaceholderText(tr("search patient, accession, description"));
  m_text->setClearButtonEnabled(true);
  for (QWidget* w : {static_cast<QWidget*>(m_unread), static_cast<QWidget*>(m_aiDone), static_cast<QWidget*>(m_from),
                     static_cast<QWidget*>(m_to)}) {
    filters->addWidget(w);
  }
  filters->addWidget(m_text, 1);
  layout->addLayout(filters);
  m_table = new QTableWidget(0, ColumnCount, this);
  m_table->setHorizontalHeaderLabels({tr("Date"), tr("Patient"), tr("Name"), tr("Accession"), tr("Views"),
                                      tr("AI (max malignant)"), tr("Reading"), tr("Source")});
  m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
  m_table->setSelectionMode(QAbstractItemView::SingleSelection);
  m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
  m_table->verticalHeader()->hide();
  m_table->horizontalHeader()->setStretchLastSection(true);
  m_table->setSortingEnabled(true);
  m_table->sortByColumn(Date, Qt::DescendingOrder);
  layout->addWidget(m_table, 1);
  m_count = new QLabel(this);
  layout->addWidget(m_count);
  connect(m_table, &QTableWidget::itemActivated, this, [this](QTableWidgetItem* item) {
    const QString key = m_table->item(item->row(), Date)->data(kKeyRole).toString();
    if (!key.isEmpty()) emit studyActivated(key);
  });
  connect(m_unread, &QCheckBox::toggled, this, &WorklistPanel::refresh);
  connect(m_aiDone, &QCheckBox::toggled, this, &WorklistPanel::refresh);
  for (QLineEdit* e : {m_from, m_to, m_text}) connect(e, &QLineEdit::textChanged, this, &WorklistPanel::refresh);
}

pacs::StudyFilter WorklistPanel::filter() const {
  pacs::StudyFilter f;
  f.unreadOnly = m_unread->isChecked();
  f.aiDoneOnly = m_aiDone->isChecked();
  f.dateFrom = m_from->text().trimmed().remove(QLatin1Char('-')).toStdString();
  f.dateTo = m_to->text().trimmed().remove(QLatin1Char('-')).toStdString();
  f.text = m_text->text().trimmed().toStdString();
  return f;
}

void WorklistPanel::refresh() {
  const int request = ++m_requests;
  JobRunner::Callbacks<std::vector<pacs::StudyRecord>> callbacks;
  callbacks.done = [this, request](std::vector<pacs::StudyRecord> studies) { show(std::move(studies), request); };
  m_services.jobs.start<std::vector<pacs::StudyRecord>>(
      JobRunner::Lane::Background, tr("Reading the worklist"), this,
      [&store = m_services.store, filter = filter()](core::JobContext&) { return store.studies(filter); },
      std::move(callbacks));
}

void WorklistPanel::show(std::vector<pacs::StudyRecord> studies, int request) {
  if (request != m_requests) return;  // an older refresh
  if (studies == m_studies && m_table->rowCount() == static_cast<int>(studies.size())) {
    emit refreshed();  // nothing changed: the table (and what the reader is pointing at) stays as it is
    return;
  }
  m_studies = std::move(studies);
  m_table->setSortingEnabled(false);  // fill, then sort once
  m_table->setRowCount(static_cast<int>(m_studies.size()));
  for (int r = 0; r < m_table->rowCount(); ++r) {
    const pacs::StudyRecord& s = m_studies[static_cast<std::size_t>(r)];
    auto* date = new SortableItem(formatDate(s.studyDate), QString::fromStdString(s.studyDate + s.added));
    date->setData(kKeyRole, QString::fromStdString(s.key));
    m_table->setItem(r, Date, date);
    m_table->setItem(r, Patient, new QTableWidgetItem(QString::fromStdString(s.patientId)));
    m_table->setItem(r, Name, new QTableWidgetItem(QString::fromStdString(s.patientName)));
    m_table->setItem(r, Accession, new QTableWidgetItem(QString::fromStdString(s.accession)));
    m_table->setItem(r, Views, new QTableWidgetItem(QString::fromStdString(s.views)));
    m_table->setItem(
        r, Ai, new SortableItem(aiStatusText(s), s.aiMaxMalignant ? QVariant(*s.aiMaxMalignant) : QVariant(-1.0)));
    m_table->setItem(r, Reading, new QTableWidgetItem(QString::fromUtf8(pacs::toString(s.readingStatus).data())));
    m_table->setItem(r, Source, new QTableWidgetItem(QString::fromUtf8(pacs::toString(s.source).data())));
  }
  m_table->setSortingEnabled(true);
  m_count->setText(tr("%n stud(ies)", nullptr, static_cast<int>(m_studies.size())));
  setCurrent(m_current);
  emit refreshed();
}

std::vector<std::string> WorklistPanel::visibleKeys() const {
  std::vector<std::string> keys;
  keys.reserve(static_cast<std::size_t>(m_table->rowCount()));
  for (int r = 0; r < m_table->rowCount(); ++r)
    keys.push_back(m_table->item(r, Date)->data(kKeyRole).toString().toStdString());
  return keys;
}

void WorklistPanel::setCurrent(const std::string& key) {
  m_current = key;
  for (int r = 0; r < m_table->rowCount(); ++r) {
    if (m_table->item(r, Date)->data(kKeyRole).toString().toStdString() == key) {
      m_table->selectRow(r);
      m_table->scrollToItem(m_table->item(r, Date));
      return;
    }
  }
  m_table->clearSelection();
}

}  // namespace mammo::ui
