// mammolens: the reading workstation.
//   mammolens [EXAM...]
//   mammolens --screenshot OUT.png [--views-only] [--size WxH] [--layout 2x2|cc|mlo|right|left]
//             [--model BUNDLE] [--wait-analysis] EXAM...
// A screenshot shows the pixels only; with --wait-analysis the exam is analysed first (a model is needed,
// from --model or the remembered one), the picture shows its heatmaps and scores, and stdout gets one line
// "analysis: L-malignant P R-malignant P L-benign P R-benign P".
// Exit status: 0, 1 (the study store cannot be opened), 2 (bad options, exam cannot be shown), 3 (the
// picture cannot be written), 4 (the analysis failed: nothing is written).
#include <QApplication>
#include <QCommandLineParser>
#include <QSize>
#include <QFileInfo>
#include <QTimer>

#include <cstdio>
#include <cstdlib>
#include <memory>

#include "mammo/Config.h"
#include "inference/Pipeline.h"
#include "ui/AnalysisController.h"
#include "ui/FourViewPanel.h"
#include "ui/JobRunner.h"
#include "ui/MainWindow.h"
#include "ui/QtSettingsStore.h"
#include "ui/Theme.h"
#include "ui/VtkOpenGLWidget.h"
#include "pacs/StudyStore.h"
#include "workstation/Settings.h"

namespace {

struct ScreenshotRequest {
  QString out;
  bool viewsOnly = false;
  bool waitAnalysis = false;
};

// 0, or 3 when the picture cannot be written.
int savePicture(mammo::ui::MainWindow& window, const ScreenshotRequest& request) {
  const QImage picture = request.viewsOnly ? window.panel()->grabFramebuffer() : window.grab().toImage();
  if (picture.isNull() || !picture.save(request.out)) {
    std::fprintf(stderr, "error: cannot write %s\n", qPrintable(request.out));
    return 3;
  }
  return 0;
}

// The final model's probabilities (image + heatmaps), else the image-only model's; false when neither ran.
bool printProbabilities(const mammo::inference::PipelineResult& result) {
  const auto& p = result.imageHeatmaps ? result.imageHeatmaps : result.imageOnly;
  if (!p) return false;
  std::printf("analysis: L-malignant %.3f R-malignant %.3f L-benign %.3f R-benign %.3f\n", p->leftMalignant,
              p->rightMalignant, p->leftBenign, p->rightBenign);
  std::fflush(stdout);
  return true;
}

// Waits for the open exam's analysis, prints its probabilities and grabs the picture; exits 4 (nothing
// written) when the analysis fails, is cancelled, or cannot start.
void grabAfterAnalysis(mammo::ui::MainWindow& window, const ScreenshotRequest& request, QApplication& app,
                       int& status) {
  const auto fail = [&](const QString& message) {
    std::fprintf(stderr, "error: analysis failed: %s\n", qPrintable(message));
    status = 4;
    app.quit();
  };
  mammo::ui::AnalysisController* analysis = window.analysis();
  QObject::connect(analysis, &mammo::ui::AnalysisController::failed, &app, fail);
  QObject::connect(analysis, &mammo::ui::AnalysisController::cancelled, &app,
                   [fail] { fail(QStringLiteral("cancelled")); });
  QObject::connect(analysis, &mammo::ui::AnalysisController::finished, &app,
                   [&, fail](const std::shared_ptr<const mammo::inference::PipelineResult>& result, bool) {
                     // The window's own slot (connected first, at its construction) has applied the heatmaps
                     // and scores; the queued grab comes after the panel's repaint they asked for.
                     QTimer::singleShot(0, &app, [&, fail, result] {
                       if (!printProbabilities(*result)) {
                         fail(QStringLiteral("no probabilities in the result"));
                         return;
                       }
                       status = savePicture(window, request);
                       app.quit();
                     });
                   });
  // The window analyses complete exams only: an incomplete one would leave this waiting for ever.
  QObject::connect(&window, &mammo::ui::MainWindow::examLoaded, &app, [&window, fail] {
    if (const auto exam = window.exam(); exam && !exam->complete()) {
      fail(QStringLiteral("exam %1 is incomplete (the AI needs all four standard views)")
               .arg(QString::fromStdString(exam->id)));
    }
  });
}

int takeScreenshot(mammo::ui::MainWindow& window, const ScreenshotRequest& request, QApplication& app) {
  int status = 0;
  QObject::connect(&window, &mammo::ui::MainWindow::loadFailed, &app, [&](const QString& message) {
    std::fprintf(stderr, "error: cannot show exam: %s\n", qPrintable(message));
    status = 2;
    app.quit();
  });
  if (request.waitAnalysis) {
    grabAfterAnalysis(window, request, app, status);
  } else {
    QObject::connect(&window, &mammo::ui::MainWindow::examLoaded, &app, [&] {
      // Let the panel paint once, then grab.
      QTimer::singleShot(0, &app, [&] {
        status = savePicture(window, request);
        app.quit();
      });
    });
  }
  app.exec();
  return status;
}

struct GuiOptions {
  QStringList exams;
  QString screenshot;  // empty: interactive
  bool viewsOnly = false;
  QSize size{1600, 1000};
  mammo::viewer::Layout layout = mammo::viewer::Layout::FourView;
  QString model;
  bool noAnalysis = false;
  bool waitAnalysis = false;  // screenshot after the analysis
};

// Exits with a message on a bad option (QCommandLineParser's way).
GuiOptions parseOptions(const QApplication& app) {
  QCommandLineParser parser;
  parser.setApplicationDescription(QStringLiteral("Mammolens breast-screening workstation"));
  parser.addHelpOption();
  parser.addVersionOption();
  QCommandLineOption screenshot(QStringLiteral("screenshot"), QStringLiteral("Render once, write PNG, exit."),
                                QStringLiteral("OUT.png"));
  QCommandLineOption viewsOnly(QStringLiteral("views-only"), QStringLiteral("Screenshot only the hanging panel."));
  QCommandLineOption size(QStringLiteral("size"), QStringLiteral("Window size WxH."), QStringLiteral("WxH"),
                          QStringLiteral("1600x1000"));
  QCommandLineOption layout(QStringLiteral("layout"), QStringLiteral("2x2, cc, mlo, right or left."),
                            QStringLiteral("LAYOUT"), QStringLiteral("2x2"));
  QCommandLineOption model(QStringLiteral("model"), QStringLiteral("AI model bundle folder (remembered)."),
                           QStringLiteral("BUNDLE"));
  QCommandLineOption noAnalysis(QStringLiteral("no-analysis"), QStringLiteral("Do not analyse on opening."));
  QCommandLineOption waitAnalysis(QStringLiteral("wait-analysis"),
                                  QStringLiteral("Screenshot: analyse the exam first, print its probabilities, "
                                                 "show its heatmaps (needs a model)."));
  parser.addOptions({screenshot, viewsOnly, size, layout, model, noAnalysis, waitAnalysis});
  parser.addPositionalArgument(QStringLiteral("exam"),
                               QStringLiteral("DICOM/PNG files, folders, DICOMDIR or exam list"));
  parser.process(app);
  GuiOptions o;
  o.exams = parser.positionalArguments();
  o.screenshot = parser.value(screenshot);
  o.viewsOnly = parser.isSet(viewsOnly);
  const QStringList wh = parser.value(size).split('x');
  if (wh.size() == 2) o.size = QSize(wh[0].toInt(), wh[1].toInt());
  const auto chosenLayout = mammo::viewer::parseLayout(parser.value(layout).toStdString());
  if (!chosenLayout) {
    std::fprintf(stderr, "error: unknown layout %s\n", qPrintable(parser.value(layout)));
    std::exit(2);
  }
  o.layout = *chosenLayout;
  if (parser.isSet(model)) o.model = QFileInfo(parser.value(model)).absoluteFilePath();
  o.noAnalysis = parser.isSet(noAnalysis);
  o.waitAnalysis = parser.isSet(waitAnalysis);
  if (!o.screenshot.isEmpty() && o.exams.isEmpty()) {
    std::fprintf(stderr, "error: --screenshot needs an exam\n");
    std::exit(2);
  }
  if (o.waitAnalysis && (o.screenshot.isEmpty() || o.noAnalysis)) {
    std::fprintf(stderr, "error: --wait-analysis goes with --screenshot, without --no-analysis\n");
    std::exit(2);
  }
  return o;
}

}  // namespace

int main(int argc, char** argv) {
  mammo::ui::VtkOpenGLWidget::setDefaultSurfaceFormat();
  QApplication app(argc, argv);
  QApplication::setOrganizationName(QStringLiteral("Mammolens"));
  QApplication::setApplicationName(QStringLiteral("Mammolens"));
  QApplication::setApplicationVersion(QStringLiteral(MAMMO_VERSION));
  mammo::ui::applyDarkTheme(app);
  const GuiOptions options = parseOptions(app);

  // The services first: the window is given them, and they outlive it (the runner finishes the window's
  // last background writes as it goes).
  const std::unique_ptr<mammo::workstation::Settings> settings = mammo::ui::makeQtSettings();
  std::unique_ptr<mammo::pacs::StudyStore> store;
  try {
    store = std::make_unique<mammo::pacs::StudyStore>(settings->storeFolder());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
  mammo::ui::JobRunner jobs;
  mammo::ui::MainWindow window({*settings, jobs, *store});
  window.panel()->setLayout(options.layout);
  if (!options.model.isEmpty()) window.setModelBundle(options.model);
  if (options.waitAnalysis) {
    // The session's model: --model's, else the remembered one.
    if (window.analysis()->settings().modelBundle.empty()) {
      std::fprintf(stderr, "error: --wait-analysis needs an AI model (--model BUNDLE)\n");
      return 2;
    }
    window.setAutoAnalyse(true, false);  // this run only: the reader's setting stays as it was
  } else if (options.noAnalysis || !options.screenshot.isEmpty()) {
    window.setAutoAnalyse(false, false);
  }
  window.resize(options.size);
  window.show();
  if (!options.screenshot.isEmpty()) {
    window.setInteractive(false);
    window.openPaths(options.exams);
    return takeScreenshot(window, {options.screenshot, options.viewsOnly, options.waitAnalysis}, app);
  }
  if (!options.exams.isEmpty()) window.openPaths(options.exams);
  return app.exec();
}
