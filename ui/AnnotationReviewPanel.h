#pragma once
// The reviewer's panel: pick another annotator of this exam; their masks show as outlines over ours and
// the table gives the agreement over all views (Dice and IoU per class; lesion matching: our lesions with
// a partner in theirs, and theirs in ours). GUI thread only.
#include <QWidget>

class QComboBox;
class QTableWidget;

namespace mammo::ui {

class AnnotationController;

class AnnotationReviewPanel : public QWidget {
  Q_OBJECT

 public:
  enum Column { Class, Dice, Iou, OursMatched, TheirsMatched, ColumnCount };
  explicit AnnotationReviewPanel(AnnotationController* controller, QWidget* parent = nullptr);
  QComboBox* annotators() const { return m_annotators; }
  QTableWidget* table() const { return m_table; }

 public slots:
  // Fills the list from the controller's last scan (keeps the selection where it still exists).
  void refreshAnnotators();

 private:
  void showResult();

  AnnotationController* m_controller;
  QComboBox* m_annotators;
  QTableWidget* m_table;
};

}  // namespace mammo::ui
