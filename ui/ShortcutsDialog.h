#pragma once
// Help -> Keyboard shortcuts: a read-only table of every row of the main window's ActionTable (menu, action,
// shortcut or mouse gesture). Built from the table each time it is shown, so it lists what the menus hold.
// GUI thread only.
#include <QDialog>

class QTableWidget;

namespace mammo::ui {

class ActionTable;

class ShortcutsDialog : public QDialog {
  Q_OBJECT

 public:
  ShortcutsDialog(const ActionTable& actions, QWidget* parent = nullptr);
  void refresh();
  QTableWidget* table() const { return m_table; }

 private:
  const ActionTable& m_actions;
  QTableWidget* m_table = nullptr;
};

}  // namespace mammo::ui
