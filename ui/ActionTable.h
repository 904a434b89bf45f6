#pragma once
// Every action of the main window in one table: the menus are filled from it and Help -> Keyboard shortcuts
// lists it, so a shortcut can never be missing from the help. Mouse gestures of the hanging panel are not
// QActions; they are listed here too, as text. GUI thread only.
#include <QKeySequence>
#include <QString>

#include <vector>

class QAction;
class QMenu;

namespace mammo::ui {

class ActionTable {
 public:
  struct Row {
    QString group;               // the menu's title without '&', or the gesture group
    QString text;                // what it does, without '&'
    QAction* action = nullptr;   // null for a mouse gesture
    QString gesture;             // the mouse gesture, for rows without an action
    QString shortcutText() const;  // native text of the action's shortcut, or the gesture
  };

  // Creates the action in `menu` (which owns it) with its shortcut, and records it.
  QAction* add(QMenu* menu, const QString& text, const QKeySequence& shortcut = {});
  void addGesture(const QString& group, const QString& text, const QString& gesture);
  const std::vector<Row>& rows() const { return m_rows; }
  // The recorded action whose text (without '&') is `text`; null when none.
  QAction* find(const QString& text) const;

 private:
  std::vector<Row> m_rows;
};

QString withoutMnemonic(QString text);

}  // namespace mammo::ui
