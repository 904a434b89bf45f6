#include "ui/ActionTable.h"

#include <QAction>
#include <QMenu>

namespace mammo::ui {

QString withoutMnemonic(QString text) {
  text.replace(QStringLiteral("&&"), QStringLiteral("\x01"));
  text.remove(QLatin1Char('&'));
  text.replace(QStringLiteral("\x01"), QStringLiteral("&"));
  return text;
}

QString ActionTable::Row::shortcutText() const {
  if (!action) return gesture;
  return action->shortcut().toString(QKeySequence::NativeText);
}

QAction* ActionTable::add(QMenu* menu, const QString& text, const QKeySequence& shortcut) {
  QAction* action = menu->addAction(text);
  action->setShortcut(shortcut);
  m_rows.push_back({withoutMnemonic(menu->title()), withoutMnemonic(text), action, {}});
  return action;
}

void ActionTable::addGesture(const QString& group, const QString& text, const QString& gesture) {
  m_rows.push_back({group, text, nullptr, gesture});
}

QAction* ActionTable::find(const QString& text) const {
  for (const Row& row : m_rows) {
    if (row.action && row.text == text) return row.action;
  }
  return nullptr;
}

}  // namespace mammo::ui
