#pragma once
// Annotation on the main window: the Annotate menu (mode, classes, tools, brush size, undo/redo, masks
// visibility, review) registered in the window's ActionTable so Help -> Keyboard shortcuts lists it, and
// the docks: tools (AnnotationPanel), lesion list (LesionPanel) and review (AnnotationReviewPanel).
// Class, tool and brush-size keys are enabled only in annotation mode, so reading keys stay free outside
// it. GUI thread only.
class QMainWindow;
class QMenuBar;

#include "ui/Services.h"

namespace mammo::ui {

class ActionTable;
class AnnotationController;

// Adds the menu to `menuBar` (at its end) and the docks to `window` (object names annotationToolsDock,
// lesionDock, annotationReviewDock; hidden until annotation mode is turned on).
void addAnnotationUi(QMainWindow* window, QMenuBar* menuBar, ActionTable& actions, AnnotationController* controller,
                     Services services);

}  // namespace mammo::ui
