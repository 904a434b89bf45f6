#include "ui/ActionTable.h"

#include <QAction>
#include <QMenu>

#include "workstation/Settings.h"

namespace mammo::ui {

namespace {

// "Zoom/pan: synchronise all views" -> "zoom-pan-synchronise-all-views": no '/' (a settings group) or spaces.
QString slug(const QString& text) {
  QString out;
  for (const QChar c : text.toLower()) {
    if (c.isLetterOrNumber())
      out += c;
    else if (!out.isEmpty() && !out.endsWith(QLatin1Char('-')))
      out += QLatin1Char('-');
  }
  while (out.endsWith(QLatin1Char('-'))) out.chop(1);
  return out;
}

// Shortcuts with these contexts can fire in the same window at the same time.
bool sameContext(Qt::ShortcutContext ca, Qt::ShortcutContext cb) {
  return ca == cb || ca == Qt::ApplicationShortcut || cb == Qt::ApplicationShortcut;
}

}  // namespace

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

QString ActionTable::uniqueName(const QString& group, const QString& text) const {
  const QString base = slug(group) + QLatin1Char('.') + slug(text);
  QString name = base;
  for (int n = 2;; ++n) {
    bool taken = false;
    for (const Row& row : m_rows) taken = taken || (row.action && row.action->objectName() == name);
    if (!taken) return name;
    name = base + QLatin1Char('-') + QString::number(n);
  }
}

QAction* ActionTable::add(QMenu* menu, const QString& text, const QKeySequence& shortcut) {
  QAction* action = menu->addAction(text);
  const QString group = withoutMnemonic(menu->title()), plain = withoutMnemonic(text);
  action->setObjectName(uniqueName(group, plain));
  const std::optional<std::string> saved = m_settings.shortcut(action->objectName().toStdString());
  action->setShortcut(saved ? QKeySequence::fromString(QString::fromStdString(*saved), QKeySequence::PortableText)
                            : shortcut);
  m_rows.push_back({group, plain, action, {}, shortcut});
  if (m_onChanged) m_onChanged();
  return action;
}

void ActionTable::remove(const QAction* action) {
  std::erase_if(m_rows, [action](const Row& row) { return row.action == action; });
  if (m_onChanged) m_onChanged();
}

void ActionTable::addGesture(const QString& group, const QString& text, const QString& gesture) {
  m_rows.push_back({group, text, nullptr, gesture, {}});
}

QAction* ActionTable::find(const QString& text) const {
  for (const Row& row : m_rows) {
    if (row.action && row.text == text) return row.action;
  }
  return nullptr;
}

int ActionTable::rowOf(const QAction* action) const {
  for (int i = 0; i < static_cast<int>(m_rows.size()); ++i) {
    if (action && m_rows[i].action == action) return i;
  }
  return -1;
}

int ActionTable::conflictingRow(int row, const QKeySequence& key, const std::vector<QKeySequence>& keys) const {
  if (!m_rows[row].action) return -1;
  return conflictingRow(key, m_rows[row].action->shortcutContext(), keys, row);
}

int ActionTable::conflictingRow(const QKeySequence& key, Qt::ShortcutContext context,
                                const std::vector<QKeySequence>& keys, int skip) const {
  if (key.isEmpty()) return -1;
  for (int i = 0; i < static_cast<int>(m_rows.size()); ++i) {
    const QAction* other = m_rows[i].action;
    if (i == skip || !other || keys[i].isEmpty() || !sameContext(context, other->shortcutContext())) continue;
    // Qt waits after a prefix for the rest of the longer sequence, so a prefix clashes too.
    if (key.matches(keys[i]) != QKeySequence::NoMatch || keys[i].matches(key) != QKeySequence::NoMatch) return i;
  }
  return -1;
}

std::vector<QKeySequence> ActionTable::currentKeys() const {
  std::vector<QKeySequence> keys;
  for (const Row& row : m_rows) keys.push_back(row.action ? row.action->shortcut() : QKeySequence());
  return keys;
}

void ActionTable::setShortcut(int row, const QKeySequence& key) const {
  const Row& r = m_rows[row];
  if (!r.action) return;
  r.action->setShortcut(key);
  const std::string name = r.action->objectName().toStdString();
  if (key == r.defaultShortcut)
    m_settings.setShortcut(name, std::nullopt);
  else
    m_settings.setShortcut(name, key.toString(QKeySequence::PortableText).toStdString());
}

QString ActionTable::describe(int row) const {
  return QStringLiteral("%1 \u203a %2").arg(m_rows[row].group, m_rows[row].text);
}

}  // namespace mammo::ui
