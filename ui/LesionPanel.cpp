#include "ui/LesionPanel.h"

#include <QComboBox>
#include <QHeaderView>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

#include "ui/AnnotationController.h"

namespace mammo::ui {

namespace {
constexpr annotation::LesionStatus kStatuses[] = {annotation::LesionStatus::InProgress, annotation::LesionStatus::Done,
                                                  annotation::LesionStatus::Flagged};
}

LesionPanel::LesionPanel(AnnotationController* controller, QWidget* parent)
    : QWidget(parent),
      m_controller(controller),
      m_table(new QTableWidget(0, ColumnCount, this)),
      m_link(new QPushButton(tr("Link selected (same finding in CC and MLO)"), this)) {
  auto* layout = new QVBoxLayout(this);
  m_table->setHorizontalHeaderLabels({tr("#"), tr("Class"), tr("Area (mm²)"), tr("Views"), tr("Status"), tr("Note")});
  m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
  m_table->verticalHeader()->hide();
  m_table->horizontalHeader()->setStretchLastSection(true);
  layout->addWidget(m_table);
  layout->addWidget(m_link);
  connect(m_link, &QPushButton::clicked, this, &LesionPanel::linkSelected);
  connect(m_table, &QTableWidget::itemChanged, this, [this](QTableWidgetItem* item) {
    if (!m_filling && item->column() == Note) commitRow(item->row());
  });
  connect(controller, &AnnotationController::lesionsChanged, this, &LesionPanel::refresh);
  refresh();
}

void LesionPanel::refresh() {
  m_filling = true;
  const std::vector<annotation::Lesion> lesions = m_controller->lesions();
  m_table->setRowCount(static_cast<int>(lesions.size()));
  for (int row = 0; row < static_cast<int>(lesions.size()); ++row) {
    const annotation::Lesion& l = lesions[row];
    auto fixed = [&](int column, const QString& text) {
      auto* item = new QTableWidgetItem(text);
      item->setFlags(item->flags() & ~Qt::ItemIsEditable);
      m_table->setItem(row, column, item);
    };
    fixed(Id, QString::number(l.id));
    m_table->item(row, Id)->setData(Qt::UserRole, l.id);
    fixed(Class, QString::fromStdString(l.className));
    const std::optional<double> area = l.areaMm2();
    fixed(Area, area ? QString::number(*area, 'f', 1) : tr("n/a (no pixel spacing)"));
    QStringList views;
    for (const std::string& v : l.views()) views << QString::fromStdString(v);
    fixed(Views, views.join(QStringLiteral(", ")));
    auto* status = new QComboBox(m_table);
    for (annotation::LesionStatus s : kStatuses)
      status->addItem(QString::fromUtf8(toString(s).data(), int(toString(s).size())));
    status->setCurrentIndex(static_cast<int>(l.status));
    connect(status, &QComboBox::currentIndexChanged, this, [this, row] {
      if (!m_filling) commitRow(row);
    });
    m_table->setCellWidget(row, Status, status);
    m_table->setItem(row, Note, new QTableWidgetItem(QString::fromStdString(l.note)));
  }
  m_table->resizeColumnsToContents();
  m_filling = false;
}

void LesionPanel::commitRow(int row) {
  const int id = m_table->item(row, Id)->data(Qt::UserRole).toInt();
  auto* status = qobject_cast<QComboBox*>(m_table->cellWidget(row, Status));
  const QTableWidgetItem* note = m_table->item(row, Note);
  if (!status || !note) return;
  m_controller->setLesionState(id, kStatuses[std::clamp(status->currentIndex(), 0, 2)], note->text());
}

bool LesionPanel::linkSelected() {
  QList<int> rows;
  for (const QModelIndex& index : m_table->selectionModel()->selectedRows()) rows << index.row();
  if (rows.size() != 2) return false;
  const int a = m_table->item(rows[0], Id)->data(Qt::UserRole).toInt();
  const int b = m_table->item(rows[1], Id)->data(Qt::UserRole).toInt();
  return m_controller->linkLesions(std::min(a, b), std::max(a, b));
}

}  // namespace mammo::ui
