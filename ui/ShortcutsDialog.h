#pragma once
// Help -> Keyboard shortcuts: every row of the main window's ActionTable (menu, action, shortcut or mouse
// gesture), with each action's key editable in place. Edits are pending until Apply or OK; "Reset" restores
// one action's default key, "Restore Defaults" all of them; Cancel drops the edits. A key that clashes with
// another action's key (in the same shortcut context) is reported under the table naming both actions, and
// Apply and OK stay disabled until the clash is resolved. Applied keys go to the actions and the settings
// (ActionTable::setShortcut). Built from the table each time it is shown (refresh), so it lists what the
// menus hold. GUI thread only.
#include <QDialog>
#include <QKeySequence>

#include <vector>

class QAction;
class QDialogButtonBox;
class QKeySequenceEdit;
class QLabel;
class QPushButton;
class QTableWidget;
class QToolButton;

namespace mammo::ui {

class ActionTable;

class ShortcutsDialog : public QDialog {
  Q_OBJECT

 public:
  ShortcutsDialog(ActionTable& actions, QWidget* parent = nullptr);
  // Drops pending edits and shows the actions' current keys.
  void refresh();
  // Gives the actions their pending keys and stores them; false (nothing changed) while a clash remains.
  bool apply();
  // Pending: every action's default key.
  void resetAll();
  // Pending: the default key of `action`'s row.
  void reset(const QAction* action);

  QTableWidget* table() const { return m_table; }
  // The key editor of `action`'s row; null for actions not in the table.
  QKeySequenceEdit* editor(const QAction* action) const;
  QToolButton* resetButton(const QAction* action) const;
  QDialogButtonBox* buttons() const { return m_buttons; }
  QPushButton* applyButton() const;
  // The clash message; empty when there is none.
  QString conflictMessage() const;
  bool hasPendingChanges() const;

 private:
  void setPending(int row, const QKeySequence& key);
  void showPending(int row);
  void check();

  ActionTable& m_actions;
  QTableWidget* m_table = nullptr;
  QLabel* m_message = nullptr;
  QDialogButtonBox* m_buttons = nullptr;
  std::vector<QKeySequence> m_pending;  // one per ActionTable row; empty for gestures
  bool m_updating = false;  // set while the dialog itself writes into the editors
};

}  // namespace mammo::ui
