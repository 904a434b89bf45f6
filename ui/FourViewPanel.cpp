#include "ui/FourViewPanel.h"

#include <QMouseEvent>

#include <vtkGenericOpenGLRenderWindow.h>
#include <vtkRenderer.h>

#include "viewer/ViewScene.h"

namespace mammo::ui {

FourViewPanel::FourViewPanel(QWidget* parent) : VtkOpenGLWidget(parent) {
  m_styles[static_cast<int>(viewer::HeatmapKind::Benign)].colours = viewer::ColourMap::Green;
  m_styles[static_cast<int>(viewer::HeatmapKind::Malignant)].colours = viewer::ColourMap::Hot;
  rebuild();
}

void FourViewPanel::setViewHeatmaps(core::StandardView view, viewer::Heatmap benign, viewer::Heatmap malignant) {
  m_heatmaps[static_cast<int>(view)] = {std::move(benign), std::move(malignant)};
  for (size_t i = 0; i < m_viewports.size(); ++i) {
    if (m_viewports[i].view != view || !m_images[i]) continue;
    for (int k = 0; k < 2; ++k) {
      m_scenes[i]->setHeatmapStyle(static_cast<viewer::HeatmapKind>(k), m_styles[k]);
      m_scenes[i]->setHeatmap(static_cast<viewer::HeatmapKind>(k), m_heatmaps[static_cast<int>(view)][k]);
    }
  }
  update();
}

void FourViewPanel::clearHeatmaps() {
  for (core::StandardView v : core::kStandardViews) setViewHeatmaps(v, {}, {});
}

void FourViewPanel::setHeatmapStyle(viewer::HeatmapKind kind, const viewer::HeatmapStyle& style) {
  m_styles[static_cast<int>(kind)] = style;
  for (auto& scene : m_scenes) scene->setHeatmapStyle(kind, style);
  update();
}

bool FourViewPanel::viewHasHeatmap(core::StandardView view, viewer::HeatmapKind kind) const {
  for (size_t i = 0; i < m_viewports.size(); ++i) {
    if (m_viewports[i].view == view) return m_scenes[i]->hasHeatmap(kind);
  }
  return false;
}

FourViewPanel::~FourViewPanel() {
  for (auto& scene : m_scenes) renderWindow()->RemoveRenderer(scene->renderer());
}

void FourViewPanel::setExam(std::shared_ptr<const core::Exam> exam) {
  m_exam = std::move(exam);
  m_heatmaps = {};
  rebuild();
}

void FourViewPanel::setLayout(viewer::Layout layout, core::StandardView single) {
  m_layout = layout;
  m_single = single;
  rebuild();
}

void FourViewPanel::rebuild() {
  for (auto& scene : m_scenes) renderWindow()->RemoveRenderer(scene->renderer());
  m_scenes.clear();
  m_images.clear();
  m_viewports = viewer::hangingViewports(m_layout, m_single);
  for (const viewer::Viewport& vp : m_viewports) {
    auto scene = std::make_unique<viewer::ViewScene>();
    std::shared_ptr<const core::Image> image;
    if (m_exam && !m_exam->view(vp.view).empty()) {
      // Share the exam's image without copying its pixels.
      image = std::shared_ptr<const core::Image>(m_exam, &m_exam->view(vp.view).front());
      scene->setImage(image, viewer::needsMirror(*image, vp.chestWallOnScreen));
      for (int k = 0; k < 2; ++k) {
        scene->setHeatmapStyle(static_cast<viewer::HeatmapKind>(k), m_styles[k]);
        const viewer::Heatmap& h = m_heatmaps[static_cast<int>(vp.view)][k];
        if (h.values && h.rows == image->info.rows && h.columns == image->info.columns) {
          scene->setHeatmap(static_cast<viewer::HeatmapKind>(k), h);
        }
      }
    }
    scene->renderer()->SetViewport(vp.bounds[0], vp.bounds[1], vp.bounds[2], vp.bounds[3]);
    renderWindow()->AddRenderer(scene->renderer());
    m_images.push_back(image);
    m_scenes.push_back(std::move(scene));
  }
  refit();
  update();
}

void FourViewPanel::refit() {
  const qreal dpr = devicePixelRatioF();
  const int w = static_cast<int>(width() * dpr), h = static_cast<int>(height() * dpr);
  for (size_t i = 0; i < m_scenes.size(); ++i) {
    const auto& b = m_viewports[i].bounds;
    m_scenes[i]->fit(m_viewports[i].chestWallOnScreen, static_cast<int>((b[2] - b[0]) * w),
                     static_cast<int>((b[3] - b[1]) * h));
  }
}

void FourViewPanel::resizeGL(int width, int height) {
  VtkOpenGLWidget::resizeGL(width, height);
  refit();
}

int FourViewPanel::viewportAt(QPointF p) const {
  const double x = p.x() / width(), y = 1.0 - p.y() / height();
  for (size_t i = 0; i < m_viewports.size(); ++i) {
    const auto& b = m_viewports[i].bounds;
    if (x >= b[0] && x < b[2] && y >= b[1] && y < b[3]) return static_cast<int>(i);
  }
  return -1;
}

void FourViewPanel::mouseMoveEvent(QMouseEvent* event) {
  const int i = viewportAt(event->position());
  if (i < 0 || !m_images[i]) {
    emit pixelInfoChanged(QString());
    return;
  }
  const auto& b = m_viewports[i].bounds;
  const qreal dpr = devicePixelRatioF();
  const double vw = (b[2] - b[0]) * width() * dpr, vh = (b[3] - b[1]) * height() * dpr;
  const double x = event->position().x() * dpr - b[0] * width() * dpr;
  const double y = (height() - event->position().y()) * dpr - b[1] * height() * dpr;
  const auto pixel = m_scenes[i]->storedPixelAt(x, y, static_cast<int>(vw), static_cast<int>(vh));
  if (!pixel) {
    emit pixelInfoChanged(QString::fromStdString(std::string(core::toString(m_viewports[i].view))));
    return;
  }
  const core::Image& image = *m_images[i];
  QString text = QStringLiteral("%1  row %2 col %3  stored %4")
                     .arg(QString::fromStdString(std::string(core::toString(m_viewports[i].view))))
                     .arg((*pixel)[0])
                     .arg((*pixel)[1])
                     .arg(image.at((*pixel)[0], (*pixel)[1]));
  if (image.info.spacing) {
    text += QStringLiteral("  (%1, %2) mm")
                .arg((*pixel)[0] * image.info.spacing->rowMm, 0, 'f', 1)
                .arg((*pixel)[1] * image.info.spacing->columnMm, 0, 'f', 1);
  }
  emit pixelInfoChanged(text);
}

void FourViewPanel::mouseDoubleClickEvent(QMouseEvent* event) {
  const int i = viewportAt(event->position());
  if (i < 0) return;
  if (m_layout == viewer::Layout::Single) setLayout(viewer::Layout::FourView);
  else setLayout(viewer::Layout::Single, m_viewports[i].view);
}

}  // namespace mammo::ui
