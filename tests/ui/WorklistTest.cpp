// The reading worklist in the GUI: a folder of several studies fills the worklist (not just the first exam
// shown), next/previous keys walk it in the order shown, double-click opens a study, the filters narrow it,
// and opening marks a study "in progress" in the study store. Waits are QTRY_* / QSignalSpy.
#include <QApplication>
#include <QCheckBox>
#include <QDockWidget>
#include <QLineEdit>
#include <QSettings>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTest>

#include <filesystem>

#include "TestServices.h"
#include "pacs/PhantomStudies.h"
#include "ui/FourViewPanel.h"
#include "ui/MainWindow.h"
#include "ui/VtkOpenGLWidget.h"
#include "ui/WorklistPanel.h"

using namespace mammo;
namespace fs = std::filesystem;

class WorklistTest : public QObject {
  Q_OBJECT

  test::TestServices m_services;  // before the windows: outlives them
  std::unique_ptr<ui::MainWindow> m_window;
  fs::path m_folder = fs::path(MAMMO_TEST_TMP) / "ui-worklist" / "studies";

  ui::WorklistPanel* worklist() const { return m_window->worklist(); }
  QTableWidget* table() const { return worklist()->table(); }
  std::string accessionOf(const std::string& key) const {
    const auto study = m_services.store.study(key);
    return study ? study->accession : std::string();
  }

 private slots:
  void initTestCase() {
    fs::remove_all(m_folder.parent_path());
    test::writePhantomStudy({"PAT-A", "ALPHA^ANNA", "20240115", "ACC-A1"}, m_folder / "a1", 11);
    test::writePhantomStudy({"PAT-A", "ALPHA^ANNA", "20250120", "ACC-A2"}, m_folder / "a2", 12);
    test::writePhantomStudy({"PAT-B", "BETA^BERTA", "20250301", "ACC-B1"}, m_folder / "b1", 13);
    m_window = std::make_unique<ui::MainWindow>(m_services.services());
    m_window->setInteractive(false);
    m_window->setAutoAnalyse(false, false);
    m_window->resize(1400, 1000);
    m_window->show();
    m_window->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
  }
  void cleanupTestCase() { m_window.reset(); }

  void aFolderOfThreeStudiesFillsTheWorklist() {
    QSignalSpy loaded(m_window.get(), &ui::MainWindow::examLoaded);
    m_window->openPaths({QString::fromStdString(m_folder.string())});
    QVERIFY(loaded.wait(60000));
    auto* dock = m_window->findChild<QDockWidget*>(QStringLiteral("worklistDock"));
    QVERIFY(dock && dock->isVisible());
    QTRY_COMPARE(table()->rowCount(), 3);
    // Newest first; the first of the folder's studies is open, and its row is the current one.
    const std::vector<std::string> keys = worklist()->visibleKeys();
    QCOMPARE(accessionOf(keys[0]), std::string("ACC-B1"));
    QCOMPARE(accessionOf(keys[2]), std::string("ACC-A1"));
    QVERIFY(!m_window->studyKey().empty());
    QVERIFY(m_window->exam() && m_window->exam()->complete());
    QCOMPARE(m_window->exam()->studyInstanceUid, m_window->studyKey());
    QTRY_VERIFY(m_services.store.study(m_window->studyKey())->readingStatus == pacs::ReadingStatus::InProgress);
  }

  void nextAndPreviousWalkTheWorklistInItsOrder() {
    const std::vector<std::string> keys = worklist()->visibleKeys();
    QSignalSpy loaded(m_window.get(), &ui::MainWindow::examLoaded);
    worklist()->setCurrent(keys[0]);
    m_window->openStudy(keys[0]);
    QVERIFY(loaded.wait(30000));
    QCOMPARE(m_window->studyKey(), keys[0]);
    m_window->panel()->setFocus();
    for (int step = 1; step <= 2; ++step) {
      QTest::keyClick(m_window->panel(), Qt::Key_PageDown);
      QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), step + 1, 30000);
      QCOMPARE(m_window->studyKey(), keys[static_cast<std::size_t>(step)]);
      QCOMPARE(m_window->exam()->studyInstanceUid, keys[static_cast<std::size_t>(step)]);
    }
    // Past the end: nothing opens, the status bar says so.
    QTest::keyClick(m_window->panel(), Qt::Key_PageDown);
    QTest::keyClick(m_window->panel(), Qt::Key_PageUp);
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 4, 30000);
    QCOMPARE(m_window->studyKey(), keys[1]);
    // Every study opened is in progress, none read.
    for (const std::string& k : keys) {
      QTRY_VERIFY(m_services.store.study(k)->readingStatus == pacs::ReadingStatus::InProgress);
    }
  }

  void enterOpensTheSelectedStudyAndFiltersNarrow() {
    QSignalSpy loaded(m_window.get(), &ui::MainWindow::examLoaded);
    QTRY_VERIFY(m_services.jobs.jobs().empty());  // no refresh of the table under the clicks
    const int row = 2;
    const std::string key = worklist()->visibleKeys()[row];
    // Enter on a selected row activates it, as a double-click does.
    table()->setFocus();
    table()->setCurrentCell(row, ui::WorklistPanel::Accession);
    QTest::keyClick(table(), Qt::Key_Return);
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 30000);
    QCOMPARE(m_window->studyKey(), key);
    // Ctrl+Return marks the open study read.
    QTest::keyClick(m_window->panel(), Qt::Key_Return, Qt::ControlModifier);
    QTRY_VERIFY(m_services.store.study(key)->readingStatus == pacs::ReadingStatus::Read);
    worklist()->searchBox()->setText(QStringLiteral("beta"));
    QTRY_COMPARE(table()->rowCount(), 1);
    QCOMPARE(table()->item(0, ui::WorklistPanel::Patient)->text(), QStringLiteral("PAT-B"));
    worklist()->searchBox()->clear();
    worklist()->fromBox()->setText(QStringLiteral("20250101"));
    QTRY_COMPARE(table()->rowCount(), 2);
    worklist()->fromBox()->clear();
    QTRY_COMPARE(table()->rowCount(), 3);
    QTRY_VERIFY(table()->item(2, ui::WorklistPanel::Reading)->text() == QStringLiteral("read") ||
                table()->item(0, ui::WorklistPanel::Reading)->text() == QStringLiteral("read") ||
                table()->item(1, ui::WorklistPanel::Reading)->text() == QStringLiteral("read"));
  }
};

int main(int argc, char** argv) {
  ui::VtkOpenGLWidget::setDefaultSurfaceFormat();
  QApplication app(argc, argv);
  // Tests never touch the user's settings.
  QApplication::setOrganizationName(QStringLiteral("MammolensTests"));
  QApplication::setApplicationName(QStringLiteral("test_ui_worklist"));
  QSettings().clear();
  std::filesystem::create_directories(MAMMO_TEST_TMP);
  WorklistTest test;
  return QTest::qExec(&test, argc, argv);
}

#include "WorklistTest.moc"
