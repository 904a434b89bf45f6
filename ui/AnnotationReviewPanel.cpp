#include "ui/AnnotationReviewPanel.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

#include "annotation/MaskClasses.h"
#include "ui/AnnotationController.h"

namespace mammo::ui {

AnnotationReviewPanel::AnnotationReviewPanel(AnnotationController* controller, QWidget* parent)
    : QWidget(parent),
      m_controller(controller),
      m_annotators(new QComboBox(this)),
      m_table(new QTableWidget(0, ColumnCount, this)) {
  auto* layout = new QVBoxLayout(this);
  auto* row = new QHBoxLayout;
  row->addWidget(m_annotators, 1);
  auto* refresh = new QPushButton(tr("Refresh"), this);
  auto* compare = new QPushButton(tr("Compare"), this);
  row->addWidget(refresh);
  row->addWidget(compare);
  layout->addLayout(row);
  m_table->setHorizontalHeaderLabels(
      {tr("Class"), tr("Dice"), tr("IoU"), tr("Our lesions matched"), tr("Theirs matched")});
  m_table->verticalHeader()->hide();
  m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
  layout->addWidget(m_table);

  connect(refresh, &QPushButton::clicked, controller, &AnnotationController::rescanAnnotators);
  connect(compare, &QPushButton::clicked, this,
          [this] { m_controller->review(m_annotators->currentData().toString()); });
  connect(m_annotators, &QComboBox::activated, this,
          [this] { m_controller->review(m_annotators->currentData().toString()); });
  connect(controller, &AnnotationController::reviewUpdated, this, &AnnotationReviewPanel::showResult);
  connect(controller, &AnnotationController::annotatorsChanged, this, &AnnotationReviewPanel::refreshAnnotators);
  refreshAnnotators();
}

void AnnotationReviewPanel::refreshAnnotators() {
  const QString current = m_annotators->currentData().toString();
  m_annotators->clear();
  m_annotators->addItem(tr("(nobody: no review)"), QString());
  for (const QString& name : m_controller->otherAnnotators()) m_annotators->addItem(name, name);
  const int i = m_annotators->findData(current);
  m_annotators->setCurrentIndex(std::max(0, i));
}

void AnnotationReviewPanel::showResult() {
  const auto& result = m_controller->reviewResult();
  m_table->setRowCount(0);
  if (!result) return;
  const auto addRow = [this](const QString& name, const annotation::ClassAgreement& a,
                             const annotation::LesionMatch& m) {
    const int row = m_table->rowCount();
    m_table->insertRow(row);
    m_table->setItem(row, Class, new QTableWidgetItem(name));
    m_table->setItem(row, Dice, new QTableWidgetItem(QString::number(a.dice(), 'f', 3)));
    m_table->setItem(row, Iou, new QTableWidgetItem(QString::number(a.iou(), 'f', 3)));
    m_table->setItem(row, OursMatched, new QTableWidgetItem(QStringLiteral("%1 / %2").arg(m.matchedA).arg(m.lesionsA)));
    m_table->setItem(row, TheirsMatched,
                     new QTableWidgetItem(QStringLiteral("%1 / %2").arg(m.matchedB).arg(m.lesionsB)));
  };
  bool typed = false;
  const annotation::AgreementSums& byClass = result->agreement.byClass;
  for (const auto& [label, a] : byClass.pixels) {
    const annotation::MaskClass* c = result->classes.find(label);
    typed = typed || (c && !c->lesionType.empty());
    addRow(QString::fromStdString(result->classes.name(label)), a,
           byClass.lesions.count(label) ? byClass.lesions.at(label) : annotation::LesionMatch{});
  }
  if (typed) {
    // Malignancy whatever the lesion types chosen.
    const annotation::AgreementSums& byPathology = result->agreement.byPathology;
    for (const auto& [label, a] : byPathology.pixels) {
      addRow(label == 2 ? tr("any malignant") : tr("any benign"), a,
             byPathology.lesions.count(label) ? byPathology.lesions.at(label) : annotation::LesionMatch{});
    }
  }
  m_table->resizeColumnsToContents();
}

}  // namespace mammo::ui
