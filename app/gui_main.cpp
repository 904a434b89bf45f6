// mammolens: the reading workstation.
//   mammolens [EXAM...]
//   mammolens --screenshot OUT.png [--views-only] [--size WxH] [--layout 2x2|cc|mlo|right|left] EXAM...
#include <QApplication>
#include <QCommandLineParser>
#include <QSize>
#include <QFileInfo>
#include <QTimer>

#include <cstdio>
#include <cstdlib>
#include <memory>

#include "mammo/Config.h"
#include "ui/FourViewPanel.h"
#include "ui/JobRunner.h"
#include "ui/MainWindow.h"
#include "ui/QtSettingsStore.h"
#include "ui/Theme.h"
#include "ui/VtkOpenGLWidget.h"
#include "pacs/StudyStore.h"
#include "workstation/Settings.h"

namespace {

int takeScreenshot(mammo::ui::MainWindow& window, const QString& out, bool viewsOnly, QApplication& app) {
  int status = 0;
  QObject::connect(&window, &mammo::ui::MainWindow::loadFailed, &app, [&](const QString& message) {
    std::fprintf(stderr, "error: cannot show exam: %s\n", qPrintable(message));
    status = 2;
    app.quit();
  });
  QObject::connect(&window, &mammo::ui::MainWindow::examLoaded, &app, [&] {
    // Let the panel paint once, then grab.
    QTimer::singleShot(0, &app, [&] {
      const QImage picture = viewsOnly ? window.panel()->grabFramebuffer() : window.grab().toImage();
      if (picture.isNull() || !picture.save(out)) {
        std::fprintf(stderr, "error: cannot write %s\n", qPrintable(out));
        status = 3;
      }
      app.quit();
    });
  });
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
  parser.addOptions({screenshot, viewsOnly, size, layout, model, noAnalysis});
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
  if (!o.screenshot.isEmpty() && o.exams.isEmpty()) {
    std::fprintf(stderr, "error: --screenshot needs an exam\n");
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
  if (options.noAnalysis || !options.screenshot.isEmpty()) window.setAutoAnalyse(false, false);
  window.resize(options.size);
  window.show();
  if (!options.screenshot.isEmpty()) {
    window.setInteractive(false);
    window.openPaths(options.exams);
    return takeScreenshot(window, options.screenshot, options.viewsOnly, app);
  }
  if (!options.exams.isEmpty()) window.openPaths(options.exams);
  return app.exec();
}
