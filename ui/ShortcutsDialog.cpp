#include "ui/ShortcutsDialog.h"

#include <QAbstractButton>
#include <QAction>
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QKeySequenceEdit>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>
#include <QToolButton>
#include <QVBoxLayout>

#include "ui/ActionTable.h"

#include <algorithm>

namespace mammo::ui {

namespace {

constexpr int kKeyColumn = 2;
constexpr int kResetColumn = 3;

QString keyText(const QKeySequence& key) {
  return key.isEmpty() ? QStringLiteral("—") : key.toString(QKeySequence::NativeText);
}

}  // namespace

ShortcutsDialog::ShortcutsDialog(ActionTable& actions, QWidget* parent) : QDialog(parent), m_actions(actions) {
  setWindowTitle(tr("Keyboard shortcuts"));
  setObjectName(QStringLiteral("shortcutsDialog"));
  m_table = new QTableWidget(this);
  m_table->setColumnCount(4);
  m_table->setHorizontalHeaderLabels({tr("Menu"), tr("Action"), tr("Shortcut"), QString()});
  m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
  m_table->setSelectionMode(QAbstractItemView::NoSelection);
  m_table->verticalHeader()->hide();
  m_table->horizontalHeader()->setSectionResizeMode(1, QHeaderView::Stretch);
  m_message = new QLabel(this);
  m_message->setObjectName(QStringLiteral("shortcutConflict"));
  m_message->setWordWrap(true);
  m_message->setStyleSheet(QStringLiteral("color: #ff6b6b;"));
  m_message->hide();
  auto* hint = new QLabel(tr("Click a shortcut and press the new key; Apply or OK keeps it."), this);
  m_buttons = new QDialogButtonBox(
      QDialogButtonBox::RestoreDefaults | QDialogButtonBox::Apply | QDialogButtonBox::Ok | QDialogButtonBox::Cancel,
      this);
  connect(m_buttons, &QDialogButtonBox::clicked, this, [this](QAbstractButton* button) {
    switch (m_buttons->standardButton(button)) {
      case QDialogButtonBox::RestoreDefaults:
        resetAll();
        break;
      case QDialogButtonBox::Apply:
        apply();
        break;
      case QDialogButtonBox::Ok:
        if (apply()) accept();
        break;
      default:
        break;
    }
  });
  connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(hint);
  layout->addWidget(m_table);
  layout->addWidget(m_message);
  layout->addWidget(m_buttons);
  resize(640, 680);
  refresh();
}

void ShortcutsDialog::refresh() {
  const auto& rows = m_actions.rows();
  m_pending = m_actions.currentKeys();
  m_table->setRowCount(0);  // drops the previous editors
  m_table->setRowCount(static_cast<int>(rows.size()));
  for (int i = 0; i < static_cast<int>(rows.size()); ++i) {
    const ActionTable::Row& row = rows[i];
    m_table->setItem(i, 0, new QTableWidgetItem(row.group));
    m_table->setItem(i, 1, new QTableWidgetItem(row.text));
    // The item keeps the key as text too (under the editor), for sorting, accessibility and tests.
    m_table->setItem(i, kKeyColumn, new QTableWidgetItem(row.action ? keyText(m_pending[i]) : row.gesture));
    if (!row.action) continue;
    auto* edit = new QKeySequenceEdit(m_table);
    edit->setClearButtonEnabled(true);
    edit->setObjectName(row.action->objectName());
    connect(edit, &QKeySequenceEdit::keySequenceChanged, this, [this, i](const QKeySequence& key) {
      if (!m_updating) setPending(i, key);
    });
    m_table->setCellWidget(i, kKeyColumn, edit);
    auto* reset = new QToolButton(m_table);
    reset->setText(tr("Reset"));
    reset->setToolTip(tr("Back to the default key (%1)").arg(keyText(row.defaultShortcut)));
    connect(reset, &QToolButton::clicked, this, [this, i] { setPending(i, m_actions.rows()[i].defaultShortcut); });
    m_table->setCellWidget(i, kResetColumn, reset);
    showPending(i);
  }
  m_table->resizeColumnToContents(0);
  m_table->setColumnWidth(kKeyColumn, 170);
  m_table->resizeColumnToContents(kResetColumn);
  check();
}

QKeySequenceEdit* ShortcutsDialog::editor(const QAction* action) const {
  const int row = m_actions.rowOf(action);
  return row < 0 ? nullptr : qobject_cast<QKeySequenceEdit*>(m_table->cellWidget(row, kKeyColumn));
}

QToolButton* ShortcutsDialog::resetButton(const QAction* action) const {
  const int row = m_actions.rowOf(action);
  return row < 0 ? nullptr : qobject_cast<QToolButton*>(m_table->cellWidget(row, kResetColumn));
}

QPushButton* ShortcutsDialog::applyButton() const { return m_buttons->button(QDialogButtonBox::Apply); }

QString ShortcutsDialog::conflictMessage() const { return m_message->text(); }

bool ShortcutsDialog::hasPendingChanges() const { return m_pending != m_actions.currentKeys(); }

void ShortcutsDialog::setPending(int row, const QKeySequence& key) {
  m_pending[row] = key;
  showPending(row);
  check();
}

void ShortcutsDialog::showPending(int row) {
  const ActionTable::Row& r = m_actions.rows()[row];
  if (auto* edit = qobject_cast<QKeySequenceEdit*>(m_table->cellWidget(row, kKeyColumn))) {
    // Only when it differs: rewriting the sequence while the user types would end their input.
    if (edit->keySequence() != m_pending[row]) {
      m_updating = true;
      edit->setKeySequence(m_pending[row]);
      m_updating = false;
    }
  }
  m_table->item(row, kKeyColumn)->setText(keyText(m_pending[row]));
  if (auto* reset = qobject_cast<QToolButton*>(m_table->cellWidget(row, kResetColumn))) {
    reset->setEnabled(m_pending[row] != r.defaultShortcut);
  }
}

void ShortcutsDialog::check() {
  const std::vector<QKeySequence> current = m_actions.currentKeys();
  const QColor highlight(140, 40, 40);
  std::vector<std::pair<int, int>> clashes;  // (row, other row), each pair once
  for (int i = 0; i < static_cast<int>(m_pending.size()); ++i) {
    const int other = m_actions.conflictingRow(i, m_pending[i], m_pending);
    for (int c : {0, 1}) m_table->item(i, c)->setBackground(other >= 0 ? QBrush(highlight) : QBrush());
    if (other < 0) continue;
    const std::pair<int, int> pair{std::min(i, other), std::max(i, other)};
    if (std::find(clashes.begin(), clashes.end(), pair) == clashes.end()) clashes.push_back(pair);
  }
  QStringList lines;
  for (const auto& [a, b] : clashes) {
    // Name the action being changed as the newcomer, and the one that holds the key as its owner.
    const bool bChanged = m_pending[b] != current[b];
    const int edited = bChanged ? b : a, owner = bChanged ? a : b;
    lines << tr("%1 is already the shortcut of “%2”; it cannot also be the shortcut of “%3”.")
                 .arg(keyText(m_pending[edited]), m_actions.describe(owner), m_actions.describe(edited));
  }
  if (!lines.isEmpty())
    lines << tr("Choose another key, or change the other action first; nothing is applied until then.");
  m_message->setText(lines.join(QLatin1Char('\n')));
  m_message->setVisible(!lines.isEmpty());
  m_buttons->button(QDialogButtonBox::Apply)->setEnabled(lines.isEmpty() && m_pending != current);
  m_buttons->button(QDialogButtonBox::Ok)->setEnabled(lines.isEmpty());
}

bool ShortcutsDialog::apply() {
  check();
  if (!m_message->text().isEmpty()) return false;
  const std::vector<QKeySequence> current = m_actions.currentKeys();
  for (int i = 0; i < static_cast<int>(m_pending.size()); ++i) {
    if (m_pending[i] != current[i]) m_actions.setShortcut(i, m_pending[i]);
  }
  check();
  return true;
}

void ShortcutsDialog::resetAll() {
  for (int i = 0; i < static_cast<int>(m_pending.size()); ++i) {
    if (m_actions.rows()[i].action) m_pending[i] = m_actions.rows()[i].defaultShortcut;
    showPending(i);
  }
  check();
}

void ShortcutsDialog::reset(const QAction* action) {
  const int row = m_actions.rowOf(action);
  if (row >= 0) setPending(row, m_actions.rows()[row].defaultShortcut);
}

}  // namespace mammo::ui
