// A reading session driven as a radiologist's day goes: the workstation's DICOM receiver is on (settings),
// three studies arrive from a "modality" (DCMTK's storescu on loopback), appear in the worklist, are
// pre-read by the AI in the background (the shipped demo model), and the reader opens the first — its
// result is already there — presses Next twice, and compares a study with the patient's prior. Waits are QTRY_* / QSignalSpy.
#include <QApplication>
#include <QDockWidget>
#include <QLabel>
#include <QProcess>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTest>

#include <filesystem>

#include "LoopbackPort.h"
#include "TestServices.h"
#include "pacs/PhantomStudies.h"
#include "ui/AnalysisController.h"
#include "ui/BackgroundReading.h"
#include "ui/FourViewPanel.h"
#include "ui/MainWindow.h"
#include "ui/PriorController.h"
#include "ui/VtkOpenGLWidget.h"
#include "ui/WorklistPanel.h"
#include "workstation/PreReading.h"

using namespace mammo;
namespace fs = std::filesystem;

class ReadingSessionTest : public QObject {
  Q_OBJECT

  test::TestServices m_services;  // before the window: outlives it
  std::unique_ptr<ui::MainWindow> m_window;
  fs::path m_dir = fs::path(MAMMO_TEST_TMP) / "ui-session";
  int m_port = 0;
  QString m_storescu;
  std::vector<std::vector<fs::path>> m_studies;

  ui::WorklistPanel* worklist() const { return m_window->worklist(); }
  QTableWidget* table() const { return worklist()->table(); }
  bool allDone() const {
    const auto studies = m_services.store.studies({});
    if (studies.size() != 3) return false;
    for (const auto& s : studies) {
      if (s.aiStatus != pacs::AiStatus::Done) return false;
    }
    return true;
  }

  // storescu, as a modality sends: one association, the study's four images.
  void send(const std::vector<fs::path>& files, const QString& callingAe) {
    QStringList args{QStringLiteral("-aet"),      callingAe,
                     QStringLiteral("-aec"),      QStringLiteral("MAMMOLENS"),
                     QStringLiteral("127.0.0.1"), QString::number(m_port)};
    for (const fs::path& f : files) args << QString::fromStdString(f.string());
    QProcess process;
    process.start(m_storescu, args);
    QVERIFY(process.waitForFinished(60000));
    QCOMPARE(process.exitCode(), callingAe == QStringLiteral("MODALITY") ? 0 : 1);
  }

 private slots:
  void initTestCase() {
    m_storescu = QStandardPaths::findExecutable(QStringLiteral("storescu"));
    if (m_storescu.isEmpty()) QSKIP("DCMTK's storescu is not installed (scripts/packages.txt: dcmtk)");
    fs::remove_all(m_dir);
    m_studies.push_back(test::writePhantomStudy({"PAT-S", "SIGMA^SARA", "20230110", "ACC-S1"}, m_dir / "s1", 21));
    m_studies.push_back(test::writePhantomStudy({"PAT-S", "SIGMA^SARA", "20250112", "ACC-S2"}, m_dir / "s2", 22));
    m_studies.push_back(test::writePhantomStudy({"PAT-T", "TAU^TINA", "20250305", "ACC-T1"}, m_dir / "t1", 23));
    m_port = test::freeLoopbackPort();
    workstation::StoreSettings store = m_services.settings->storeSettings();
    store.receive = true;
    store.aeTitle = "MAMMOLENS";
    store.port = m_port;
    store.allowedCallers = {"MODALITY"};
    m_services.settings->setStoreSettings(store);
    workstation::AiSettings ai = m_services.settings->ai();
    ai.modelBundle = MAMMO_DEMO_MODEL;
    ai.samples = 1;
    ai.fastHeatmaps = true;
    ai.threads = 2;
    ai.preRead = true;
    m_services.settings->setAi(ai);
    m_window = std::make_unique<ui::MainWindow>(m_services.services());
    m_window->setInteractive(false);
    m_window->resize(1400, 1000);
    m_window->show();
    m_window->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
  }
  void cleanupTestCase() { m_window.reset(); }

  void theReceiverRunsFromTheSettings() {
    // Started off the GUI thread: the status bar says so first, then that it receives.
    QTRY_VERIFY(m_window->background()->receiving());
    auto* label = m_window->findChild<QLabel*>(QStringLiteral("receiverState"));
    QVERIFY(label);
    QTRY_COMPARE(label->text(), QStringLiteral("Receiving as MAMMOLENS on port %1").arg(m_port));
  }

  void anUnknownCallerIsTurnedAway() {
    send(m_studies[0], QStringLiteral("STRANGER"));
    QCOMPARE(m_services.store.studies({}).size(), std::size_t{0});
  }

  void threeArrivingStudiesArePreReadInTheBackground() {
    auto* dock = m_window->findChild<QDockWidget*>(QStringLiteral("worklistDock"));
    dock->show();
    for (const auto& study : m_studies) send(study, QStringLiteral("MODALITY"));
    QTRY_COMPARE_WITH_TIMEOUT(table()->rowCount(), 3, 30000);
    // Each settles (no image for 3 s), then is analysed; nothing is open, so nothing holds the pre-reader.
    QTRY_VERIFY_WITH_TIMEOUT(allDone(), 240000);
    for (const auto& s : m_services.store.studies({})) {
      QVERIFY(s.aiMaxMalignant.has_value());
      QVERIFY(s.source == pacs::StudySource::Received);
      QVERIFY(s.readingStatus == pacs::ReadingStatus::Unread);
    }
    // The worklist shows the status and the highest malignant probability.
    QTRY_VERIFY(table()->item(0, ui::WorklistPanel::Ai)->text().startsWith(QStringLiteral("done 0.")));
  }

  void theReaderOpensTheFirstAndItsResultIsWaiting() {
    const std::vector<std::string> keys = worklist()->visibleKeys();
    QCOMPARE(keys.size(), std::size_t{3});
    QSignalSpy loaded(m_window.get(), &ui::MainWindow::examLoaded);
    QSignalSpy analysed(m_window->analysis(), &ui::AnalysisController::finished);
    worklist()->setCurrent(keys[0]);
    m_window->openStudy(keys[0]);
    QVERIFY(loaded.wait(30000));
    QCOMPARE(m_window->studyKey(), keys[0]);
    QTRY_COMPARE_WITH_TIMEOUT(analysed.count(), 1, 30000);
    QCOMPARE(analysed.at(0).at(1).toBool(), true);  // from the pre-read's cache: no waiting
    const auto expected = m_services.store.study(keys[0])->aiMaxMalignant;
    const auto result = analysed.at(0).at(0).value<std::shared_ptr<const inference::PipelineResult>>();
    QVERIFY(result && expected);
    QCOMPARE(workstation::highestMalignant(*result).value_or(-1), *expected);
  }

  void nextTwiceWalksTheWorklist() {
    const std::vector<std::string> keys = worklist()->visibleKeys();
    m_window->panel()->setFocus();
    for (int step = 1; step <= 2; ++step) {
      QSignalSpy loaded(m_window.get(), &ui::MainWindow::examLoaded);
      QTest::keyClick(m_window->panel(), Qt::Key_PageDown);
      QVERIFY(loaded.wait(30000));
      QCOMPARE(m_window->studyKey(), keys[static_cast<std::size_t>(step)]);
      QTRY_VERIFY(m_services.store.study(keys[static_cast<std::size_t>(step)])->readingStatus ==
                  pacs::ReadingStatus::InProgress);
    }
  }

  void theReaderComparesWithThePatientsPrior() {
    // Sara's 2025 study has her 2023 one as prior (both received).
    std::string current, prior;
    for (const auto& s : m_services.store.studies({})) {
      if (s.accession == "ACC-S2") current = s.key;
      if (s.accession == "ACC-S1") prior = s.key;
    }
    QVERIFY(!current.empty() && !prior.empty());
    QSignalSpy loaded(m_window.get(), &ui::MainWindow::examLoaded);
    m_window->openStudy(current);
    QVERIFY(loaded.wait(30000));
    QSignalSpy listed(m_window->priors(), &ui::PriorController::priorsListed);  // this opening's list
    QTRY_COMPARE_WITH_TIMEOUT(listed.count(), 1, 30000);
    QCOMPARE(m_window->priors()->priors().size(), std::size_t{1});
    QCOMPARE(m_window->priors()->priors().front().key, prior);
    QSignalSpy shown(m_window->priors(), &ui::PriorController::priorShown);
    m_window->panel()->setFocus();
    QTest::keyClick(m_window->panel(), Qt::Key_P, Qt::ControlModifier | Qt::ShiftModifier);
    QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 1, 120000);
    QVERIFY(m_window->panel()->layout() == viewer::Layout::Prior);
    QVERIFY(m_window->panel()->prior());
    // Every view is linked (registered, or aligned at the chest wall with the reason in the report).
    QCOMPARE(m_window->priors()->registrationReport().size(), 4);
    for (core::StandardView v : core::kStandardViews) QVERIFY(m_window->panel()->priorLink(v));
  }
};

int main(int argc, char** argv) {
  ui::VtkOpenGLWidget::setDefaultSurfaceFormat();
  QApplication app(argc, argv);
  // Tests never touch the user's settings.
  QApplication::setOrganizationName(QStringLiteral("MammolensTests"));
  QApplication::setApplicationName(QStringLiteral("test_ui_session"));
  QSettings().clear();
  std::filesystem::create_directories(MAMMO_TEST_TMP);
  ReadingSessionTest test;
  return QTest::qExec(&test, argc, argv);
}

#include "ReadingSessionTest.moc"
