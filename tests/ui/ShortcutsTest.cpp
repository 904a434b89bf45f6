// Configurable shortcuts under Xvfb with real widgets and real key events: Help -> Keyboard shortcuts edits
// an action's key (typed into its QKeySequenceEdit), Apply gives the action the new key and frees the old
// one, the key survives into a new main window through QSettings, a key that another action holds is refused
// with a message naming both until the clash is resolved, Cancel drops edits, and Reset / Restore Defaults
// bring the default keys back (also for annotation-mode actions). Waits use QTRY_* / QSignalSpy, never sleeps.
#include <QAction>
#include <QApplication>
#include <QDialogButtonBox>
#include <QKeySequenceEdit>
#include <QPushButton>
#include <QSet>
#include <QSettings>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTest>
#include <QToolButton>

#include <memory>

#include "ui/ActionTable.h"
#include "ui/FourViewPanel.h"
#include "ui/MainWindow.h"
#include "TestServices.h"
#include "ui/ShortcutsDialog.h"
#include "ui/VtkOpenGLWidget.h"

using namespace mammo;

class ShortcutsTest : public QObject {
  Q_OBJECT

  test::TestServices m_services;  // before the windows: outlives them

  std::unique_ptr<ui::MainWindow> m_window;

  QAction* action(const char* text) const { return m_window->actions().find(QString::fromLatin1(text)); }
  ui::ShortcutsDialog* dialog() const { return m_window->shortcutsDialog(); }
  QPushButton* button(QDialogButtonBox::StandardButton which) const { return dialog()->buttons()->button(which); }

  // A main window built from the settings as they are now (the test organisation's, never the user's).
  void start() {
    m_window = std::make_unique<ui::MainWindow>(m_services.services());
    m_window->setInteractive(false);
    m_window->setAutoAnalyse(false, false);
    m_window->resize(1000, 700);
    m_window->show();
    focusMainWindow();
  }
  void focusMainWindow() {
    m_window->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
    m_window->panel()->setFocus();
  }
  void openDialog() {
    m_window->showShortcuts();
    QVERIFY(dialog());
    dialog()->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(dialog()));
  }
  // Types `key` into the shortcut editor of `a` the way a user does; the editor ends the sequence after a pause.
  void typeShortcut(QAction* a, Qt::Key key, Qt::KeyboardModifiers mods = Qt::NoModifier) {
    QKeySequenceEdit* edit = dialog()->editor(a);
    QVERIFY(edit);
    dialog()->table()->scrollToItem(dialog()->table()->item(m_window->actions().rowOf(a), 2));
    edit->setFocus();
    QSignalSpy finished(edit, &QKeySequenceEdit::editingFinished);
    QTest::keyClick(edit, key, mods);
    QVERIFY(finished.wait());
    QCOMPARE(edit->keySequence(), QKeySequence(key | mods));
  }
  void press(Qt::Key key) { QTest::keyClick(m_window->panel(), key); }

 private slots:
  void init() { QSettings().clear(); }
  void cleanup() { m_window.reset(); }

  void everyActionHasAStableUniqueName() {
    start();
    QSet<QString> names;
    for (const ui::ActionTable::Row& row : m_window->actions().rows()) {
      if (!row.action) continue;
      QVERIFY2(!row.action->objectName().isEmpty(), qPrintable(row.text));
      QVERIFY2(!names.contains(row.action->objectName()), qPrintable(row.action->objectName()));
      names.insert(row.action->objectName());
    }
    QVERIFY(names.size() >= 40);
    QCOMPARE(action("Loupe")->objectName(), QStringLiteral("view.loupe"));
    QCOMPARE(action("Invert")->objectName(), QStringLiteral("view.invert"));
    QCOMPARE(action("Brush")->objectName(), QStringLiteral("annotate.brush"));
    QCOMPARE(action("Zoom/pan: synchronise all views")->objectName(),
             QStringLiteral("view.zoom-pan-synchronise-all-views"));
  }

  void changedKeyTriggersTheActionAndIsKept() {
    start();
    QAction* loupe = action("Loupe");
    QCOMPARE(loupe->shortcut(), QKeySequence(Qt::Key_L));
    openDialog();
    typeShortcut(loupe, Qt::Key_O);
    // Pending only: the action keeps L until Apply.
    QCOMPARE(loupe->shortcut(), QKeySequence(Qt::Key_L));
    QVERIFY(dialog()->conflictMessage().isEmpty());
    QVERIFY(button(QDialogButtonBox::Apply)->isEnabled());
    QTest::mouseClick(button(QDialogButtonBox::Apply), Qt::LeftButton);
    QCOMPARE(loupe->shortcut(), QKeySequence(Qt::Key_O));
    QCOMPARE(QSettings().value(QStringLiteral("shortcuts/view.loupe")).toString(), QStringLiteral("O"));
    QVERIFY(!button(QDialogButtonBox::Apply)->isEnabled());  // nothing pending any more
    QTest::mouseClick(button(QDialogButtonBox::Ok), Qt::LeftButton);
    QTRY_VERIFY(!dialog()->isVisible());

    focusMainWindow();
    QSignalSpy triggered(loupe, &QAction::triggered);
    QVERIFY(!m_window->panel()->loupeEnabled());
    press(Qt::Key_O);
    QTRY_COMPARE(triggered.count(), 1);
    QVERIFY(m_window->panel()->loupeEnabled());
    press(Qt::Key_L);  // the old key is free now
    QCOMPARE(triggered.count(), 1);
    QVERIFY(m_window->panel()->loupeEnabled());
    press(Qt::Key_O);
    QTRY_COMPARE(triggered.count(), 2);
    QVERIFY(!m_window->panel()->loupeEnabled());

    // A new window reads the key from the same settings, and its dialog shows it.
    m_window.reset();
    start();
    QCOMPARE(action("Loupe")->shortcut(), QKeySequence(Qt::Key_O));
    QCOMPARE(action("Invert")->shortcut(), QKeySequence(Qt::Key_I));
    openDialog();
    QCOMPARE(dialog()->editor(action("Loupe"))->keySequence(), QKeySequence(Qt::Key_O));
    focusMainWindow();
    QSignalSpy again(action("Loupe"), &QAction::triggered);
    press(Qt::Key_O);
    QTRY_COMPARE(again.count(), 1);
  }

  void cancelDropsEdits() {
    start();
    QAction* invert = action("Invert");
    openDialog();
    typeShortcut(invert, Qt::Key_J, Qt::ShiftModifier);
    QTest::mouseClick(button(QDialogButtonBox::Cancel), Qt::LeftButton);
    QTRY_VERIFY(!dialog()->isVisible());
    QCOMPARE(invert->shortcut(), QKeySequence(Qt::Key_I));
    QVERIFY(!QSettings().contains(QStringLiteral("shortcuts/view.invert")));
    openDialog();
    QCOMPARE(dialog()->editor(invert)->keySequence(), QKeySequence(Qt::Key_I));
    QVERIFY(!dialog()->hasPendingChanges());
  }

  void keyOfAnotherActionIsRefusedUntilResolved() {
    start();
    QAction* loupe = action("Loupe");
    QAction* invert = action("Invert");
    openDialog();
    typeShortcut(loupe, Qt::Key_I);
    const QString message = dialog()->conflictMessage();
    QVERIFY2(message.contains(QStringLiteral("Invert")) && message.contains(QStringLiteral("Loupe")),
             qPrintable(message));
    QVERIFY(dialog()->findChild<QWidget*>(QStringLiteral("shortcutConflict"))->isVisible());
    QVERIFY(!button(QDialogButtonBox::Apply)->isEnabled());
    QVERIFY(!button(QDialogButtonBox::Ok)->isEnabled());
    QTest::mouseClick(button(QDialogButtonBox::Apply), Qt::LeftButton);  // disabled: no effect
    QVERIFY(!dialog()->apply());
    QCOMPARE(loupe->shortcut(), QKeySequence(Qt::Key_L));
    QCOMPARE(invert->shortcut(), QKeySequence(Qt::Key_I));
    QVERIFY(!QSettings().contains(QStringLiteral("shortcuts/view.loupe")));

    // Resolved by giving Invert the loupe's old key: the swap applies.
    typeShortcut(invert, Qt::Key_L);
    QVERIFY2(dialog()->conflictMessage().isEmpty(), qPrintable(dialog()->conflictMessage()));
    QVERIFY(button(QDialogButtonBox::Apply)->isEnabled());
    QTest::mouseClick(button(QDialogButtonBox::Apply), Qt::LeftButton);
    QCOMPARE(loupe->shortcut(), QKeySequence(Qt::Key_I));
    QCOMPARE(invert->shortcut(), QKeySequence(Qt::Key_L));

    // A clash with an annotation-mode key counts too (those keys share the window while annotating).
    typeShortcut(loupe, Qt::Key_B);
    QVERIFY2(dialog()->conflictMessage().contains(QStringLiteral("Brush")), qPrintable(dialog()->conflictMessage()));
    // Reset gives the loupe its default L, which Invert holds now: a new clash, resolved by resetting Invert.
    QTest::mouseClick(dialog()->resetButton(loupe), Qt::LeftButton);
    QCOMPARE(dialog()->editor(loupe)->keySequence(), QKeySequence(Qt::Key_L));
    QVERIFY(dialog()->conflictMessage().contains(QStringLiteral("Invert")));
    QTest::mouseClick(dialog()->resetButton(invert), Qt::LeftButton);
    QVERIFY(dialog()->conflictMessage().isEmpty());
    QVERIFY(dialog()->apply());
    QCOMPARE(loupe->shortcut(), QKeySequence(Qt::Key_L));
    QCOMPARE(invert->shortcut(), QKeySequence(Qt::Key_I));
    QVERIFY(!QSettings().contains(QStringLiteral("shortcuts/view.loupe")));
    QVERIFY(!QSettings().contains(QStringLiteral("shortcuts/view.invert")));
  }

  void resetRestoresDefaults() {
    // Keys saved earlier, one of them an annotation-mode action's, apply at start-up.
    QSettings().setValue(QStringLiteral("shortcuts/view.invert"), QStringLiteral("Shift+I"));
    QSettings().setValue(QStringLiteral("shortcuts/annotate.brush"), QStringLiteral("Shift+B"));
    start();
    QAction* invert = action("Invert");
    QAction* brush = action("Brush");
    QCOMPARE(invert->shortcut(), QKeySequence(QStringLiteral("Shift+I")));
    QCOMPARE(brush->shortcut(), QKeySequence(QStringLiteral("Shift+B")));

    openDialog();
    QVERIFY(dialog()->resetButton(invert)->isEnabled());
    QVERIFY(!dialog()->resetButton(action("Loupe"))->isEnabled());  // already the default
    QTest::mouseClick(dialog()->resetButton(invert), Qt::LeftButton);
    QCOMPARE(dialog()->editor(invert)->keySequence(), QKeySequence(Qt::Key_I));
    QTest::mouseClick(button(QDialogButtonBox::Apply), Qt::LeftButton);
    QCOMPARE(invert->shortcut(), QKeySequence(Qt::Key_I));
    QCOMPARE(brush->shortcut(), QKeySequence(QStringLiteral("Shift+B")));
    QVERIFY(!QSettings().contains(QStringLiteral("shortcuts/view.invert")));
    QVERIFY(QSettings().contains(QStringLiteral("shortcuts/annotate.brush")));

    typeShortcut(action("Fit"), Qt::Key_F, Qt::ShiftModifier);
    QTest::mouseClick(button(QDialogButtonBox::RestoreDefaults), Qt::LeftButton);
    QCOMPARE(dialog()->editor(brush)->keySequence(), QKeySequence(Qt::Key_B));
    QCOMPARE(dialog()->editor(action("Fit"))->keySequence(), QKeySequence(Qt::Key_F));
    QCOMPARE(brush->shortcut(), QKeySequence(QStringLiteral("Shift+B")));  // pending until OK
    QTest::mouseClick(button(QDialogButtonBox::Ok), Qt::LeftButton);
    QTRY_VERIFY(!dialog()->isVisible());
    for (const ui::ActionTable::Row& row : m_window->actions().rows()) {
      if (row.action) QCOMPARE(row.action->shortcut(), row.defaultShortcut);
    }
    QSettings settings;
    settings.beginGroup(QStringLiteral("shortcuts"));
    QVERIFY(settings.childKeys().isEmpty());

    focusMainWindow();
    QSignalSpy triggered(invert, &QAction::triggered);
    press(Qt::Key_I);
    QTRY_COMPARE(triggered.count(), 1);
  }
};

int main(int argc, char** argv) {
  ui::VtkOpenGLWidget::setDefaultSurfaceFormat();
  QApplication app(argc, argv);
  // Tests never touch the user's settings.
  QApplication::setOrganizationName(QStringLiteral("MammolensTests"));
  QApplication::setApplicationName(QStringLiteral("test_ui_shortcuts"));
  QSettings().clear();
  ShortcutsTest test;
  return QTest::qExec(&test, argc, argv);
}

#include "ShortcutsTest.moc"
