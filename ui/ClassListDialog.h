#pragma once
// Annotate -> Class list: edits the annotation classes (pathology, optional lesion type, colour, key) as a
// table. Save checks the list (annotation::ClassList), refuses keys another action of the window holds
// (ActionTable::conflictingRow), writes it as JSON (atomically, on a worker) to the file the setting
// annotation/classes names, else to the user's config folder (and sets the setting), then hands it to the
// controller, which applies it at once, and closes. A list that cannot be saved leaves the dialog open with
// the reason.
#include <QDialog>

#include "annotation/MaskClasses.h"
#include "ui/Services.h"

class QLabel;
class QPushButton;
class QTableWidget;

namespace mammo::ui {

class ActionTable;
class AnnotationController;

class ClassListDialog : public QDialog {
  Q_OBJECT

 public:
  enum Column { Pathology, LesionType, Colour, Key, ColumnCount };

  ClassListDialog(AnnotationController* controller, const ActionTable& actions, Services services,
                  QWidget* parent = nullptr);

  QTableWidget* table() const { return m_table; }
  QLabel* problem() const { return m_problem; }  // why the last Save was refused; empty after a good one

  // The table as it stands (tests and Save). Throws std::invalid_argument like annotation::ClassList.
  annotation::ClassList edited() const;
  void addClass(const annotation::MaskClass& c);  // a row at the end
  void setColour(int row, const QColor& colour);

 public slots:
  void load(const annotation::ClassList& classes);  // replaces the rows
  bool save();  // false when refused (problem() says why); else the write has started

 private:
  QString keyConflict(const annotation::ClassList& classes) const;
  void written(const QString& error);  // the worker's write ended; `error` empty when it succeeded

  AnnotationController* m_controller;
  const ActionTable& m_actions;
  QTableWidget* m_table = nullptr;
  QLabel* m_problem = nullptr;
  QPushButton* m_save = nullptr;
  Services m_services;
  annotation::ClassList m_pending;
  QString m_pendingFile;
};

}  // namespace mammo::ui
