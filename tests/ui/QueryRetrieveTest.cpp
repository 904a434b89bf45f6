// The workstation against a real PACS in the GUI: Debian's Orthanc started on loopback by the test, holding
// three phantom studies (a patient's current study and her prior, another patient's). The reader searches it
// in Study > Query/Retrieve by patient and date range, retrieves a study by C-GET into the worklist (pixels
// identical to what was sent), opens it and — the store having no prior — gets the prior listed from the
// PACS and compared after it is retrieved; Study > DICOM network checks its fields, starts the receiver off
// the GUI thread and echoes the PACS, and a C-MOVE then arrives through that receiver; an unreachable PACS
// fails with its name, and Cancel stops a retrieval. Skips, naming the package, where Orthanc is absent.
// Waits are QTRY_* / QSignalSpy.
#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableWidget>
#include <QTest>

#include <filesystem>
#include <map>
#include <memory>

#include "LoopbackPort.h"
#include "TestServices.h"
#include "core/DicomIO.h"
#include "pacs/OrthancProcess.h"
#include "pacs/PhantomStudies.h"
#include "registration/PhantomPriors.h"
#include "ui/BackgroundReading.h"
#include "ui/FourViewPanel.h"
#include "ui/MainWindow.h"
#include "ui/NetworkSettingsDialog.h"
#include "ui/PriorController.h"
#include "ui/QueryRetrieveDialog.h"
#include "ui/VtkOpenGLWidget.h"
#include "ui/WorklistPanel.h"

using namespace mammo;
namespace fs = std::filesystem;

namespace {

const std::string kCurrentUid = "1.2.826.0.1.3680043.10.1234.6102";
const std::string kPriorUid = "1.2.826.0.1.3680043.10.1234.6101";
const std::string kOtherUid = "1.2.826.0.1.3680043.10.1234.6201";

}  // namespace

class QueryRetrieveTest : public QObject {
  Q_OBJECT

  test::TestServices m_services;  // before the window: outlives it
  std::unique_ptr<test::OrthancProcess> m_orthanc;
  std::unique_ptr<ui::MainWindow> m_window;
  fs::path m_dir = fs::path(MAMMO_TEST_TMP) / "ui-query-retrieve";
  int m_receiverPort = 0;
  std::map<std::string, std::vector<fs::path>> m_sent;  // study UID -> the files sent to the PACS

  ui::QueryRetrieveDialog* queryDialog() { return m_window->showQueryRetrieve(); }
  void click(QPushButton* button) { QTest::mouseClick(button, Qt::LeftButton); }
  QPushButton* button(QWidget* dialog, const char* name) {
    return dialog->findChild<QPushButton*>(QString::fromLatin1(name));
  }
  // A search with these fields; the number of matches.
  int search(const QString& patient, const QString& date) {
    ui::QueryRetrieveDialog* d = queryDialog();
    d->patientId()->setText(patient);
    d->studyDate()->setText(date);
    d->accession()->clear();
    QSignalSpy searched(d, &ui::QueryRetrieveDialog::searched);
    click(button(d, "search"));
    [&] { QTRY_COMPARE_WITH_TIMEOUT(searched.count(), 1, 30000); }();
    return searched.isEmpty() ? -1 : searched.front().front().toInt();
  }
  void usePacsPort(int port) {
    m_services.settings->setPacs({"127.0.0.1", port, "TESTPACS"});
    queryDialog()->refreshNode();
  }

 private slots:
  void initTestCase() {
    if (!test::OrthancProcess::available())
      QSKIP("Orthanc is not installed (apt-get install orthanc; scripts/packages.txt lists it)");
    m_receiverPort = test::freeLoopbackPort();
    m_orthanc = std::make_unique<test::OrthancProcess>(m_dir / "orthanc",
                                                       test::OrthancOptions{"TESTPACS", "MAMMOLENS", m_receiverPort});
    QTRY_VERIFY_WITH_TIMEOUT(m_orthanc->answers(), 30000);

    core::PhantomOptions options;
    options.size = core::PhantomSize::Small;
    options.seed = 61;
    const core::PhantomExam exam = core::generatePhantomExam(options, 0);
    m_sent[kCurrentUid] =
        test::writePhantomStudy({"PAT-NORA", "NORA^N", "20250310", "ACC-N25", kCurrentUid}, m_dir / "sent/now", 61);
    // Her prior: the same breasts moved a little, so that registration links them.
    m_sent[kPriorUid] = test::writePhantomStudy(
        {"PAT-NORA", "NORA^N", "20230305", "ACC-N23", kPriorUid}, m_dir / "sent/prior", 61,
        [&exam](core::StandardView v, const core::Image& image) {
          return test::makePrior(image, test::similarity(exam.views[static_cast<int>(v)].image, 1.0, 1.0, 2.0, 1.0));
        });
    m_sent[kOtherUid] =
        test::writePhantomStudy({"PAT-OMAR", "OMAR^O", "20250101", "ACC-O25", kOtherUid}, m_dir / "sent/other", 62);
    std::vector<fs::path> files;
    for (const auto& [uid, study] : m_sent) files.insert(files.end(), study.begin(), study.end());
    const pacs::TransferResult sent = pacs::sendFiles(m_orthanc->node(), files);
    QCOMPARE(sent.completed, 12);

    m_services.settings->setPacs({"127.0.0.1", m_orthanc->port(), "TESTPACS"});
    m_window = std::make_unique<ui::MainWindow>(m_services.services());
    m_window->setInteractive(false);
    m_window->setAutoAnalyse(false, false);
    m_window->resize(1400, 1000);
    m_window->show();
    m_window->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
  }
  void cleanupTestCase() {
    m_window.reset();
    m_orthanc.reset();
  }

  void theDialogSearchesByPatientAndDateRange() {
    m_window->actions().find(QStringLiteral("Query/Retrieve..."))->trigger();
    ui::QueryRetrieveDialog* d = m_window->findChild<ui::QueryRetrieveDialog*>();
    QVERIFY(d);
    QTRY_VERIFY(d->isVisible());
    QVERIFY(d->findChild<QLabel*>(QStringLiteral("node"))
                ->text()
                .contains(QStringLiteral("TESTPACS at 127.0.0.1:%1").arg(m_orthanc->port())));

    // Searching runs on a worker: the dialog is busy, with progress, and Cancel is offered.
    d->patientId()->setText(QStringLiteral("PAT-NORA"));
    d->studyDate()->clear();
    QSignalSpy searched(d, &ui::QueryRetrieveDialog::searched);
    click(button(d, "search"));
    QVERIFY(d->busy() && d->progress()->isVisible() && button(d, "cancel")->isEnabled());
    QTRY_COMPARE_WITH_TIMEOUT(searched.count(), 1, 30000);
    QCOMPARE(searched.front().front().toInt(), 2);
    QVERIFY(!d->busy() && !d->progress()->isVisible());
    QTableWidget* t = d->results();
    QCOMPARE(t->rowCount(), 2);
    // Newest first, with what the PACS answered.
    QCOMPARE(t->item(0, ui::QueryRetrieveDialog::StudyDate)->text(), QStringLiteral("2025-03-10"));
    QCOMPARE(t->item(1, ui::QueryRetrieveDialog::StudyDate)->text(), QStringLiteral("2023-03-05"));
    QCOMPARE(t->item(0, ui::QueryRetrieveDialog::PatientName)->text(), QStringLiteral("NORA^N"));
    QCOMPARE(t->item(0, ui::QueryRetrieveDialog::Accession)->text(), QStringLiteral("ACC-N25"));
    QCOMPARE(t->item(0, ui::QueryRetrieveDialog::Images)->text(), QStringLiteral("4"));
    QVERIFY(t->item(0, ui::QueryRetrieveDialog::Modalities)->text().contains(QStringLiteral("MG")));
    QCOMPARE(d->status()->text(), QStringLiteral("2 studies found."));

    // A date range, open at its end; a date alone, any patient.
    QCOMPARE(search(QStringLiteral("PAT-NORA"), QStringLiteral("20240101-")), 1);
    QCOMPARE(d->matches().front().studyUid, kCurrentUid);
    QCOMPARE(search(QString(), QStringLiteral("20250101")), 1);
    QCOMPARE(d->matches().front().patientId, std::string("PAT-OMAR"));
    // A date the PACS could not read is refused before asking it.
    d->studyDate()->setText(QStringLiteral("2025-01-01"));
    click(button(d, "search"));
    QVERIFY(!d->busy());
    QVERIFY(d->status()->text().contains(QStringLiteral("YYYYMMDD-YYYYMMDD")));
  }

  void aStudyRetrievedByCGetIsInTheWorklistPixelForPixel() {
    QCOMPARE(search(QStringLiteral("PAT-NORA"), QStringLiteral("20240101-")), 1);
    ui::QueryRetrieveDialog* d = queryDialog();
    QCOMPARE(d->method()->currentIndex(), int(ui::QueryRetrieveDialog::Get));
    d->results()->selectRow(0);
    QSignalSpy retrieved(d, &ui::QueryRetrieveDialog::retrieved);
    QSignalSpy finished(d, &ui::QueryRetrieveDialog::retrievalFinished);
    click(button(d, "retrieve"));
    QVERIFY(d->busy());
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
    QCOMPARE(retrieved.count(), 1);
    QCOMPARE(retrieved.front().at(0).toString().toStdString(), kCurrentUid);
    QCOMPARE(retrieved.front().at(1).toInt(), 4);
    QCOMPARE(d->status()->text(), QStringLiteral("1 study retrieved: 4 images, 0 failed."));

    const auto study = m_services.store.study(kCurrentUid);
    QVERIFY(study);
    QVERIFY(study->source == pacs::StudySource::Retrieved);
    QCOMPARE(study->views, std::string("L-CC R-CC L-MLO R-MLO"));
    QCOMPARE(study->files.size(), std::size_t{4});
    // Every pixel as it was sent (matched by SOP instance UID).
    std::map<std::string, core::Image> sent;
    for (const fs::path& f : m_sent[kCurrentUid]) {
      core::Image image = core::readDicom(f);
      sent.emplace(image.info.sopInstanceUid, std::move(image));
    }
    for (const fs::path& f : study->files) {
      QVERIFY(f.string().rfind(m_services.store.dir().string(), 0) == 0);  // in the managed folder
      const core::Image back = core::readDicom(f);
      QVERIFY(sent.count(back.info.sopInstanceUid));
      QVERIFY(back.pixels == sent.at(back.info.sopInstanceUid).pixels);
    }
    // The worklist shows it.
    QTRY_VERIFY(m_window->worklist()->visibleKeys() == std::vector<std::string>{kCurrentUid});
  }

  void thePriorIsFoundOnThePacsWhenTheStoreHasNone() {
    QSignalSpy loaded(m_window.get(), &ui::MainWindow::examLoaded);
    QSignalSpy listed(m_window->priors(), &ui::PriorController::priorsListed);
    m_window->openStudy(kCurrentUid);
    QVERIFY(loaded.wait(30000));
    QTRY_COMPARE_WITH_TIMEOUT(listed.count(), 1, 30000);
    QCOMPARE(listed.front().front().toInt(), 1);
    QVERIFY(m_window->priors()->priors().empty());  // none in the store
    QCOMPARE(m_window->priors()->remotePriors().size(), std::size_t{1});
    QCOMPARE(m_window->priors()->remotePriors().front().studyUid, kPriorUid);
    bool offered = false;
    for (QMenu* menu : m_window->findChildren<QMenu*>()) {
      for (QAction* a : menu->actions()) offered |= a->text().contains(QStringLiteral("(on the PACS)"));
    }
    QVERIFY(offered);

    // Compare: retrieved first (C-GET, on a worker), then registered and hung beside the current view.
    QSignalSpy arrived(m_window->priors(), &ui::PriorController::priorRetrieved);
    QSignalSpy shown(m_window->priors(), &ui::PriorController::priorShown);
    m_window->panel()->setFocus();
    QTest::keyClick(m_window->panel(), Qt::Key_P, Qt::ControlModifier | Qt::ShiftModifier);
    QVERIFY(m_window->priors()->busy());
    QTRY_COMPARE_WITH_TIMEOUT(arrived.count(), 1, 60000);
    QCOMPARE(arrived.front().front().toString().toStdString(), kPriorUid);
    QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 1, 120000);
    QVERIFY(m_window->panel()->layout() == viewer::Layout::Prior);
    QVERIFY(m_window->panel()->prior() != nullptr);
    const auto prior = m_services.store.study(kPriorUid);
    QVERIFY(prior && prior->source == pacs::StudySource::Retrieved && prior->images == 4);
    QVERIFY(m_window->priors()->remotePriors().empty());
    QCOMPARE(m_window->priors()->priors().front().key, kPriorUid);
  }

  void theNetworkDialogChecksStartsTheReceiverAndEchoes() {
    ui::NetworkSettingsDialog* d = m_window->showNetworkSettings();
    QTRY_VERIFY(d->isVisible());
    QCOMPARE(d->pacsPort()->value(), m_orthanc->port());
    QCOMPARE(d->pacsAeTitle()->text(), QStringLiteral("TESTPACS"));
    // Refused, with the reason, and nothing saved.
    d->aeTitle()->setText(QStringLiteral("A-TITLE-FAR-TOO-LONG"));
    QVERIFY(!d->save());
    QVERIFY(d->problem()->text().contains(QStringLiteral("16 characters")));
    d->aeTitle()->setText(QStringLiteral("MAMMOLENS"));
    d->receive()->setChecked(true);
    d->allowedCallers()->clear();
    QVERIFY(!d->save());
    QVERIFY(d->problem()->text().contains(QStringLiteral("every caller away")));
    QVERIFY(!m_services.settings->storeSettings().receive);

    // Saved: the receiver starts on a worker; the status bar and the dialog follow.
    d->allowedCallers()->setText(QStringLiteral("TESTPACS, MODALITY"));
    d->port()->setValue(m_receiverPort);
    QVERIFY(d->save());
    const workstation::StoreSettings saved = m_services.settings->storeSettings();
    QVERIFY(saved.receive && saved.port == m_receiverPort);
    QCOMPARE(saved.allowedCallers, (std::vector<std::string>{"TESTPACS", "MODALITY"}));
    QTRY_VERIFY_WITH_TIMEOUT(m_window->background()->receiving(), 10000);
    const QString receiving = QStringLiteral("Receiving as MAMMOLENS on port %1").arg(m_receiverPort);
    QTRY_COMPARE(m_window->findChild<QLabel*>(QStringLiteral("receiverState"))->text(), receiving);
    QTRY_COMPARE(d->receiverState()->text(), receiving);

    // C-ECHO of the PACS in the fields, on a worker.
    QSignalSpy echoed(d, &ui::NetworkSettingsDialog::echoed);
    click(button(d, "echo"));
    QTRY_COMPARE_WITH_TIMEOUT(echoed.count(), 1, 30000);
    QVERIFY2(echoed.front().at(0).toBool(), qPrintable(echoed.front().at(1).toString()));
    QVERIFY(d->problem()->text().contains(QStringLiteral("answers")));
    const int closed = test::freeLoopbackPort();
    d->pacsPort()->setValue(closed);
    click(button(d, "echo"));
    QTRY_COMPARE_WITH_TIMEOUT(echoed.count(), 2, 30000);
    QVERIFY(!echoed.at(1).at(0).toBool());
    QVERIFY2(echoed.at(1).at(1).toString().contains(QString::number(closed)),
             qPrintable(echoed.at(1).at(1).toString()));
    d->close();
  }

  void aCMoveArrivesThroughTheReceiver() {
    QCOMPARE(search(QStringLiteral("PAT-OMAR"), QString()), 1);
    ui::QueryRetrieveDialog* d = queryDialog();
    d->method()->setCurrentIndex(ui::QueryRetrieveDialog::Move);
    d->results()->selectRow(0);
    QSignalSpy retrieved(d, &ui::QueryRetrieveDialog::retrieved);
    QSignalSpy finished(d, &ui::QueryRetrieveDialog::retrievalFinished);
    click(button(d, "retrieve"));
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
    QVERIFY2(d->status()->text() == QStringLiteral("1 study retrieved: 4 images, 0 failed."),
             qPrintable(d->status()->text()));
    QCOMPARE(retrieved.count(), 1);
    QCOMPARE(retrieved.front().at(1).toInt(), 4);
    const auto study = m_services.store.study(kOtherUid);
    QVERIFY(study && study->images == 4);
    QTRY_COMPARE(m_window->worklist()->visibleKeys().size(), std::size_t{3});
    d->method()->setCurrentIndex(ui::QueryRetrieveDialog::Get);
  }

  void cancelStopsARetrievalAndAnUnreachablePacsIsNamed() {
    QCOMPARE(search(QString(), QString()), 3);
    ui::QueryRetrieveDialog* d = queryDialog();
    d->results()->selectAll();
    QSignalSpy finished(d, &ui::QueryRetrieveDialog::retrievalFinished);
    click(button(d, "retrieve"));
    QVERIFY(d->busy());
    click(button(d, "cancel"));
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
    QVERIFY(!d->busy());
    QCOMPARE(d->status()->text(), QStringLiteral("Retrieval cancelled; what had arrived is in the worklist."));

    const int closed = test::freeLoopbackPort();
    usePacsPort(closed);
    QSignalSpy searched(d, &ui::QueryRetrieveDialog::searched);
    click(button(d, "search"));
    QTRY_VERIFY_WITH_TIMEOUT(!d->busy(), 30000);
    QCOMPARE(searched.count(), 0);
    QVERIFY2(d->status()->text().startsWith(QStringLiteral("The search failed:")) &&
                 d->status()->text().contains(QStringLiteral("127.0.0.1:%1").arg(closed)),
             qPrintable(d->status()->text()));
    usePacsPort(m_orthanc->port());
  }
};

int main(int argc, char** argv) {
  ui::VtkOpenGLWidget::setDefaultSurfaceFormat();
  QApplication app(argc, argv);
  // Tests never touch the user's settings.
  QApplication::setOrganizationName(QStringLiteral("MammolensTests"));
  QApplication::setApplicationName(QStringLiteral("test_ui_query_retrieve"));
  QSettings().clear();
  std::filesystem::create_directories(MAMMO_TEST_TMP);
  QueryRetrieveTest test;
  return QTest::qExec(&test, argc, argv);
}

#include "QueryRetrieveTest.moc"
