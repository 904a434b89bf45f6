#pragma once
// The exam's lesion list for the annotator: one row per lesion (connected region of one class; a lesion
// linked across CC and MLO has a region per view) with class, area in mm², views, status and note. Status
// and note are edited in place; "Link" makes the two selected lesions one finding seen in two views.
// The list is AnnotationController's (the Autosaver's, as of the latest save). GUI thread only.
#include <QWidget>

class QPushButton;
class QTableWidget;

namespace mammo::ui {

class AnnotationController;

class LesionPanel : public QWidget {
  Q_OBJECT

 public:
  enum Column { Id, Class, Area, Views, Status, Note, ColumnCount };

  explicit LesionPanel(AnnotationController* controller, QWidget* parent = nullptr);
  QTableWidget* table() const { return m_table; }
  // Links the lesions of the two selected rows (the first selected keeps its id).
  bool linkSelected();

 public slots:
  void refresh();

 private:
  void commitRow(int row);

  AnnotationController* m_controller;
  QTableWidget* m_table;
  QPushButton* m_link;
  bool m_filling = false;
};

}  // namespace mammo::ui
