#include "ui/ShortcutsDialog.h"

#include <QDialogButtonBox>
#include <QHeaderView>
#include <QTableWidget>
#include <QVBoxLayout>

#include "ui/ActionTable.h"

namespace mammo::ui {

ShortcutsDialog::ShortcutsDialog(const ActionTable& actions, QWidget* parent) : QDialog(parent), m_actions(actions) {
  setWindowTitle(tr("Keyboard shortcuts"));
  setObjectName(QStringLiteral("shortcutsDialog"));
  m_table = new QTableWidget(this);
  m_table->setColumnCount(3);
  m_table->setHorizontalHeaderLabels({tr("Menu"), tr("Action"), tr("Shortcut")});
  m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
  m_table->setSelectionMode(QAbstractItemView::NoSelection);
  m_table->verticalHeader()->hide();
  m_table->horizontalHeader()->setSectionResizeMode(1, QHeaderView::Stretch);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::close);
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(m_table);
  layout->addWidget(buttons);
  resize(560, 640);
  refresh();
}

void ShortcutsDialog::refresh() {
  const auto& rows = m_actions.rows();
  m_table->setRowCount(static_cast<int>(rows.size()));
  for (int i = 0; i < static_cast<int>(rows.size()); ++i) {
    const ActionTable::Row& row = rows[i];
    const QString keys = row.shortcutText();
    m_table->setItem(i, 0, new QTableWidgetItem(row.group));
    m_table->setItem(i, 1, new QTableWidgetItem(row.text));
    m_table->setItem(i, 2, new QTableWidgetItem(keys.isEmpty() ? QStringLiteral("—") : keys));
  }
  m_table->resizeColumnToContents(0);
  m_table->resizeColumnToContents(2);
}

}  // namespace mammo::ui
