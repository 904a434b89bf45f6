#pragma once
// The hanging panel: one VTK render window with a viewport per hung view (viewer::ViewScene each),
// laid out by the hanging protocol. GUI thread only.
#include <memory>
#include <vector>

#include "core/Exam.h"
#include "ui/VtkOpenGLWidget.h"
#include "viewer/HangingLayout.h"

namespace mammo::viewer {
class ViewScene;
}

namespace mammo::ui {

class FourViewPanel : public VtkOpenGLWidget {
  Q_OBJECT

 public:
  explicit FourViewPanel(QWidget* parent = nullptr);
  ~FourViewPanel() override;

  void setExam(std::shared_ptr<const core::Exam> exam);
  void setLayout(viewer::Layout layout, core::StandardView single = core::StandardView::RCC);
  viewer::Layout layout() const { return m_layout; }
  std::shared_ptr<const core::Exam> exam() const { return m_exam; }

 signals:
  // Text for the status bar: view, stored pixel (row, col), stored value, position in mm.
  void pixelInfoChanged(const QString& text);

 protected:
  void resizeGL(int width, int height) override;
  void mouseMoveEvent(QMouseEvent* event) override;
  void mouseDoubleClickEvent(QMouseEvent* event) override;

 private:
  void rebuild();
  void refit();
  int viewportAt(QPointF position) const;

  std::shared_ptr<const core::Exam> m_exam;
  viewer::Layout m_layout = viewer::Layout::FourView;
  core::StandardView m_single = core::StandardView::RCC;
  std::vector<viewer::Viewport> m_viewports;
  std::vector<std::unique_ptr<viewer::ViewScene>> m_scenes;
  std::vector<std::shared_ptr<const core::Image>> m_images;
};

}  // namespace mammo::ui
