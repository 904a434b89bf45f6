#include "ui/AnnotationActions.h"

#include <QAction>
#include <QActionGroup>
#include <QDockWidget>
#include <QMainWindow>
#include <QMenu>
#include <QMenuBar>
#include <QStatusBar>

#include <memory>
#include <vector>

#include "ui/ActionTable.h"
#include "ui/AnnotationController.h"
#include "ui/AnnotationPanel.h"
#include "ui/AnnotationReviewPanel.h"
#include "ui/ClassListDialog.h"
#include "ui/LesionPanel.h"

namespace mammo::ui {

namespace {

QDockWidget* addDock(QMainWindow* window, const QString& title, const char* name, QWidget* content) {
  auto* dock = new QDockWidget(title, window);
  dock->setObjectName(QString::fromLatin1(name));
  content->setParent(dock);
  dock->setWidget(content);
  window->addDockWidget(Qt::LeftDockWidgetArea, dock);
  dock->hide();
  return dock;
}

}  // namespace

void addAnnotationUi(QMainWindow* window, QMenuBar* menuBar, ActionTable& actions, AnnotationController* controller,
                     Services services) {
  QDockWidget* tools =
      addDock(window, QObject::tr("Annotation tools"), "annotationToolsDock", new AnnotationPanel(controller));
  QDockWidget* lesions = addDock(window, QObject::tr("Lesions"), "lesionDock", new LesionPanel(controller));
  QDockWidget* review =
      addDock(window, QObject::tr("Review"), "annotationReviewDock", new AnnotationReviewPanel(controller));

  QMenu* menu = menuBar->addMenu(QObject::tr("A&nnotate"));
  QAction* mode = actions.add(menu, QObject::tr("&Annotation mode"), QKeySequence(QStringLiteral("Ctrl+E")));
  mode->setCheckable(true);
  QObject::connect(mode, &QAction::toggled, controller, &AnnotationController::setEnabled);
  QObject::connect(controller, &AnnotationController::enabledChanged, mode, &QAction::setChecked);
  QObject::connect(controller, &AnnotationController::enabledChanged, tools, [tools, lesions](bool on) {
    if (!on) return;
    tools->show();
    lesions->show();
  });

  // Keys that only mean something while annotating.
  std::vector<QAction*> modal;
  menu->addSeparator();
  // The class actions, made again whenever the class list changes (before the separator after them).
  QAction* classesEnd = menu->addSeparator();
  QAction* editClasses = actions.add(menu, QObject::tr("Class &list..."));
  QObject::connect(editClasses, &QAction::triggered, window, [window, controller, &actions, services] {
    auto* dialog = window->findChild<ClassListDialog*>();
    if (!dialog) dialog = new ClassListDialog(controller, actions, services, window);
    dialog->load(controller->configuredClasses());
    dialog->open();  // window-modal, without blocking the event loop
  });
  auto classActions = std::make_shared<std::vector<QAction*>>();
  auto classGroup = std::make_shared<QActionGroup*>(nullptr);
  const auto buildClassActions = [menu, classesEnd, controller, &actions, classActions, classGroup] {
    for (QAction* a : *classActions) actions.remove(a);
    classActions->clear();
    delete *classGroup;  // and the previous list's actions, its children
    auto* group = new QActionGroup(menu);
    *classGroup = group;
    for (const annotation::MaskClass& c : controller->configuredClasses().classes()) {
      QAction* a = actions.add(menu, QObject::tr("Class: %1").arg(QString::fromStdString(c.displayName())),
                               QKeySequence::fromString(QString::fromStdString(c.key), QKeySequence::PortableText));
      menu->removeAction(a);
      menu->insertAction(classesEnd, a);
      a->setParent(group);  // deleted with the next list's rebuild (or the menu)
      a->setCheckable(true);
      a->setChecked(controller->activeLabel() == c.label);
      a->setEnabled(controller->isEnabled());
      group->addAction(a);
      const int label = c.label;
      QObject::connect(a, &QAction::triggered, controller, [controller, label] { controller->setActiveLabel(label); });
      QObject::connect(controller, &AnnotationController::activeLabelChanged, a,
                       [a, label](int l) { a->setChecked(l == label); });
      QObject::connect(controller, &AnnotationController::enabledChanged, a, &QAction::setEnabled);
      classActions->push_back(a);
    }
  };
  buildClassActions();
  QObject::connect(controller, &AnnotationController::classesChanged, menu, buildClassActions);
  menu->addSeparator();
  const struct {
    AnnotationTool tool;
    const char* text;
    const char* key;
  } toolRows[] = {{AnnotationTool::Brush, "&Brush", "B"},
                  {AnnotationTool::Eraser, "&Eraser", "E"},
                  {AnnotationTool::Polygon, "&Polygon / lasso", "P"},
                  {AnnotationTool::FloodFill, "Flood &fill (intensity range)", "G"},
                  {AnnotationTool::SmartBrush, "&Smart brush", "S"},
                  {AnnotationTool::SeedFromAi, "Seed from A&I heatmap", "A"}};
  auto* toolGroup = new QActionGroup(menu);
  for (const auto& row : toolRows) {
    QAction* a = actions.add(menu, QObject::tr(row.text), QKeySequence(QString::fromLatin1(row.key)));
    a->setCheckable(true);
    a->setChecked(controller->tool() == row.tool);
    toolGroup->addAction(a);
    const AnnotationTool tool = row.tool;
    QObject::connect(a, &QAction::triggered, controller, [controller, tool] { controller->setTool(tool); });
    QObject::connect(controller, &AnnotationController::toolChanged, a,
                     [a, tool](AnnotationTool t) { a->setChecked(t == tool); });
    modal.push_back(a);
  }
  QAction* smaller = actions.add(menu, QObject::tr("Smaller brush"), QKeySequence(Qt::Key_BracketLeft));
  QObject::connect(smaller, &QAction::triggered, controller, &AnnotationController::shrinkBrush);
  QAction* larger = actions.add(menu, QObject::tr("Larger brush"), QKeySequence(Qt::Key_BracketRight));
  QObject::connect(larger, &QAction::triggered, controller, &AnnotationController::growBrush);
  modal.push_back(smaller);
  modal.push_back(larger);
  for (QAction* a : modal) a->setEnabled(false);
  QObject::connect(controller, &AnnotationController::enabledChanged, menu, [modal](bool on) {
    for (QAction* a : modal) a->setEnabled(on);
  });

  menu->addSeparator();
  QAction* undo = actions.add(menu, QObject::tr("&Undo annotation"), QKeySequence(QStringLiteral("Ctrl+Z")));
  QAction* redo = actions.add(menu, QObject::tr("&Redo annotation"), QKeySequence(QStringLiteral("Ctrl+Shift+Z")));
  QObject::connect(undo, &QAction::triggered, controller, &AnnotationController::undo);
  QObject::connect(redo, &QAction::triggered, controller, &AnnotationController::redo);
  auto updateHistory = [controller, undo, redo] {
    undo->setEnabled(controller->canUndo());
    redo->setEnabled(controller->canRedo());
  };
  updateHistory();
  QObject::connect(controller, &AnnotationController::historyChanged, menu, updateHistory);

  menu->addSeparator();
  QAction* visible = actions.add(menu, QObject::tr("Show &masks"));
  visible->setCheckable(true);
  visible->setChecked(true);
  QObject::connect(visible, &QAction::toggled, controller, &AnnotationController::setMasksVisible);
  QAction* showLesions = actions.add(menu, QObject::tr("&Lesion list"));
  QObject::connect(showLesions, &QAction::triggered, lesions, [lesions] {
    lesions->show();
    lesions->raise();
  });
  QAction* showReview = actions.add(menu, QObject::tr("Re&view another annotator"));
  QObject::connect(showReview, &QAction::triggered, review, [review] {
    review->show();
    review->raise();
  });

  const QString mouse = QObject::tr("Annotation mouse");
  actions.addGesture(mouse, QObject::tr("Paint / erase / lasso with the active tool"), QObject::tr("Left drag"));
  actions.addGesture(mouse, QObject::tr("Flood fill or AI seed at the point"), QObject::tr("Left click"));
  actions.addGesture(mouse,
                     QObject::tr("Polygon: a vertex per click; fill with Enter, a double click or the first "
                                 "vertex; Backspace takes one back, Esc drops it"),
                     QObject::tr("Left click (polygon tool)"));
  actions.addGesture(mouse, QObject::tr("Brush size"), QObject::tr("Ctrl + wheel"));

  // Two sessions on one exam overwrite each other's masks: say so where the annotator looks, at once.
  QObject::connect(controller, &AnnotationController::editConflict, window, [window, tools](const QString& text) {
    tools->show();
    tools->raise();
    window->statusBar()->showMessage(text);
  });
  QObject::connect(controller, &AnnotationController::message, window,
                   [window](const QString& text) { window->statusBar()->showMessage(text, 8000); });
}

}  // namespace mammo::ui
