#pragma once
// The hanging panel: one VTK render window with a viewport per hung view (viewer::ViewScene each),
// laid out by the hanging protocol. GUI thread only.
#include <array>
#include <memory>
#include <vector>

#include "core/Exam.h"
#include "ui/VtkOpenGLWidget.h"
#include "viewer/HangingLayout.h"
#include "viewer/HeatmapLayer.h"

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
  // AI overlays of one view (stored-image grid); empty heatmaps remove them. Kept across layout changes.
  void setViewHeatmaps(core::StandardView view, viewer::Heatmap benign, viewer::Heatmap malignant);
  void clearHeatmaps();
  void setHeatmapStyle(viewer::HeatmapKind kind, const viewer::HeatmapStyle& style);
  bool viewHasHeatmap(core::StandardView view, viewer::HeatmapKind kind) const;

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
  std::array<std::array<viewer::Heatmap, 2>, 4> m_heatmaps;  // [view][kind]
  std::array<viewer::HeatmapStyle, 2> m_styles;
};

}  // namespace mammo::ui
