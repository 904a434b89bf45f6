#pragma once
// The annotation tools dock: annotation mode, the class list (colour and key), the tools, brush size,
// intensity tolerance (flood fill, smart brush), the AI seed threshold, undo/redo, and who is annotating
// where with the autosave state. A view of AnnotationController's state; every change goes through it.
// GUI thread only.
#include <QWidget>

class QAbstractButton;
class QButtonGroup;
class QCheckBox;
class QDoubleSpinBox;
class QGroupBox;
class QLabel;
class QPushButton;
class QSpinBox;

namespace mammo::ui {

class AnnotationController;

class AnnotationPanel : public QWidget {
  Q_OBJECT

 public:
  explicit AnnotationPanel(AnnotationController* controller, QWidget* parent = nullptr);

  QDoubleSpinBox* brushSize() const { return m_radius; }
  QLabel* statusLabel() const { return m_status; }
  QLabel* conflictLabel() const { return m_conflict; }  // another session edits this exam

 private:
  void buildClasses();
  void buildTools();
  void updateStatus();

  AnnotationController* m_controller;
  QCheckBox* m_mode = nullptr;
  QButtonGroup* m_classes = nullptr;
  QGroupBox* m_classBox = nullptr;
  QButtonGroup* m_tools = nullptr;
  QDoubleSpinBox* m_radius = nullptr;
  QSpinBox* m_tolerance = nullptr;
  QDoubleSpinBox* m_threshold = nullptr;
  QPushButton* m_undo = nullptr;
  QPushButton* m_redo = nullptr;
  QLabel* m_status = nullptr;
  QLabel* m_conflict = nullptr;
  QString m_lastSave;
  bool m_conflictFresh = false;
};

}  // namespace mammo::ui
