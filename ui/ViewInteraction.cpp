#include "ui/ViewInteraction.h"

#include <QMouseEvent>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

#include "core/Voi.h"
#include "ui/FourViewPanel.h"
#include "viewer/ViewScene.h"

namespace mammo::ui {

double ViewInteraction::windowSensitivity(const core::ImageInfo& info) {
  return core::defaultWindow(info).width / 1024.0;
}

bool ViewInteraction::mousePress(QMouseEvent* event) {
  if (m_gesture != Gesture::None) return true;  // a second button during a drag changes nothing
  const FourViewPanel::ViewPoint at = m_panel->viewPointAt(event->position());
  if (at.view < 0 || !m_panel->scene(at.view).hasImage()) return false;
  if (event->button() == Qt::LeftButton && m_panel->measureMode()) {
    const auto from = m_panel->scene(at.view).storedPointAt(at.x, at.y);
    if (!from) return true;  // a measurement starts on the image
    m_gesture = Gesture::Measure;
    m_measureFrom = m_measureTo = *from;
    m_panel->setDraftMeasurement(at.view, viewer::Measurement{m_measureFrom, m_measureTo});
  } else if (event->button() == Qt::LeftButton) {
    m_gesture = Gesture::WindowLevel;
    m_startWindow = m_panel->scene(at.view).voiWindow();
    m_sensitivity = windowSensitivity(m_panel->scene(at.view).image()->info);
  } else if (event->button() == Qt::MiddleButton || event->button() == Qt::RightButton) {
    m_gesture = Gesture::Pan;
  } else {
    return false;
  }
  m_view = at.view;
  m_start = m_last = event->position();
  return true;
}

bool ViewInteraction::mouseMove(QMouseEvent* event) {
  if (m_gesture == Gesture::None) return false;
  const QPointF p = event->position();
  if (m_gesture == Gesture::Measure) {
    measureTo(p);
  } else if (m_gesture == Gesture::WindowLevel) {
    const QPointF d = p - m_start;
    core::VoiWindow w = m_startWindow;
    w.width = std::max(1.0, m_startWindow.width + d.x() * m_sensitivity);
    w.center = m_startWindow.center + d.y() * m_sensitivity;
    w.explanation.clear();
    m_panel->setWindowLevel(m_view, w);
  } else {
    const double dpr = m_panel->devicePixelRatioF();
    const QPointF d = p - m_last;
    m_panel->panBy(m_view, d.x() * dpr, -d.y() * dpr);  // the viewport frame has y up
  }
  m_last = p;
  return true;
}

bool ViewInteraction::mouseRelease(QMouseEvent* event) {
  if (m_gesture == Gesture::None) return false;
  // The gesture ends with the button that started it.
  const bool ends =
      ((m_gesture == Gesture::WindowLevel || m_gesture == Gesture::Measure) && event->button() == Qt::LeftButton) ||
      (m_gesture == Gesture::Pan && (event->button() == Qt::MiddleButton || event->button() == Qt::RightButton));
  if (ends) {
    mouseMove(event);
    if (m_gesture == Gesture::Measure) {
      m_panel->setDraftMeasurement(m_view, std::nullopt);
      // A click without a drag measures nothing.
      if (m_measureTo != m_measureFrom) m_panel->addMeasurement(m_view, {m_measureFrom, m_measureTo});
    }
    m_gesture = Gesture::None;
    m_view = -1;
  }
  return true;
}

void ViewInteraction::measureTo(QPointF widgetPoint) {
  // The end stays on the image of the view the measurement began in: outside, the last point on it is kept.
  const double dpr = m_panel->devicePixelRatioF();
  const auto& b = m_panel->viewports()[m_view].bounds;
  const double x = (widgetPoint.x() - b[0] * m_panel->width()) * dpr;
  const double y = (m_panel->height() - widgetPoint.y() - b[1] * m_panel->height()) * dpr;
  if (const auto to = m_panel->scene(m_view).storedPointAt(x, y)) m_measureTo = *to;
  m_panel->setDraftMeasurement(m_view, viewer::Measurement{m_measureFrom, m_measureTo});
}

bool ViewInteraction::wheel(QWheelEvent* event) {
  const FourViewPanel::ViewPoint at = m_panel->viewPointAt(event->position());
  if (at.view < 0) return false;
  const double notches = event->angleDelta().y() / 120.0;
  if (notches == 0) return false;
  m_panel->zoomAt(at.view, std::pow(kZoomPerNotch, notches), at.x, at.y);
  event->accept();
  return true;
}

}  // namespace mammo::ui
