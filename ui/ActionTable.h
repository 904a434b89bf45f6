#pragma once
// Every action of the main window in one table: the menus are filled from it and Help -> Keyboard shortcuts
// lists it, so a shortcut can never be missing from the help. Mouse gestures of the hanging panel are not
// QActions; they are listed here too, as text. GUI thread only.
//
// Shortcuts are configurable: each action gets a stable objectName() ("<menu>.<text>" in lower case, e.g.
// "view.loupe", "annotate.brush"; made unique with a "-2" suffix) and the user's key for it is kept in the
// settings (workstation::Settings::shortcut; QKeySequence portable text, "" for no key). add() applies that
// key as it registers the action, so every action registered anywhere, at any time, follows the settings.
// Only keys that differ from the default are stored.
#include <QKeySequence>
#include <QString>

#include <functional>
#include <vector>

class QAction;
class QMenu;

namespace mammo::workstation {
class Settings;
}

namespace mammo::ui {

class ActionTable {
 public:
  explicit ActionTable(workstation::Settings& settings) : m_settings(settings) {}

  struct Row {
    QString group;  // the menu's title without '&', or the gesture group
    QString text;  // what it does, without '&'
    QAction* action = nullptr;  // null for a mouse gesture
    QString gesture;  // the mouse gesture, for rows without an action
    QKeySequence defaultShortcut;  // the key the code registered, before the user's settings
    QString shortcutText() const;  // native text of the action's shortcut, or the gesture
  };

  // Creates the action in `menu` (which owns it) with its object name and shortcut (the user's key from the
  // settings where one is stored, else `shortcut`), and records it.
  QAction* add(QMenu* menu, const QString& text, const QKeySequence& shortcut = {});
  // Forgets `action` (the caller deletes it); for actions that come and go, such as the annotation classes.
  void remove(const QAction* action);
  // Called after rows are added or removed once the window is built (e.g. to refresh an open shortcut list).
  void setOnChanged(std::function<void()> onChanged) { m_onChanged = std::move(onChanged); }
  void addGesture(const QString& group, const QString& text, const QString& gesture);
  const std::vector<Row>& rows() const { return m_rows; }
  // The recorded action whose text (without '&') is `text`; null when none.
  QAction* find(const QString& text) const;
  // Index of the row of `action` in rows(); -1 when it is not recorded.
  int rowOf(const QAction* action) const;

  // The row (other than `row`) whose key in `keys` (one per row, as rows()) clashes with `key` in the same
  // shortcut context: the same sequence, or one the prefix of the other. -1 when none or `key` is empty.
  int conflictingRow(int row, const QKeySequence& key, const std::vector<QKeySequence>& keys) const;
  // The same for a key not (yet) given to any row, in `context`; `skip` names a row to leave out.
  int conflictingRow(const QKeySequence& key, Qt::ShortcutContext context, const std::vector<QKeySequence>& keys,
                     int skip = -1) const;
  // The current key of every row (empty for gestures), as conflictingRow() takes them.
  std::vector<QKeySequence> currentKeys() const;
  // Gives the action of `row` the key `key` and stores it in the settings (removes the entry when `key` is
  // the default). Checks nothing: callers check conflicts first.
  void setShortcut(int row, const QKeySequence& key) const;
  // "Menu › Action", the way messages name a row.
  QString describe(int row) const;

 private:
  QString uniqueName(const QString& group, const QString& text) const;

  workstation::Settings& m_settings;
  std::vector<Row> m_rows;
  std::function<void()> m_onChanged;
};

QString withoutMnemonic(QString text);

}  // namespace mammo::ui
