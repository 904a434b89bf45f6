#pragma once
// Mouse gestures on the hanging panel, turned into the panel's reading operations (no VTK interactor
// styles): left drag = window/level of the view under the cursor (right = wider window, down = higher
// centre, both measured from where the drag started), or in measure mode a distance measurement from the
// press to the release; wheel = zoom centred on the cursor, middle or right drag = pan. Holds only the gesture in progress. GUI thread only.
#include <QPointF>

#include <array>

#include "core/Image.h"

class QMouseEvent;
class QWheelEvent;

namespace mammo::ui {

class FourViewPanel;

class ViewInteraction {
 public:
  explicit ViewInteraction(FourViewPanel* panel) : m_panel(panel) {}

  // Each returns true when it consumed the event.
  bool mousePress(QMouseEvent* event);
  bool mouseMove(QMouseEvent* event);
  bool mouseRelease(QMouseEvent* event);
  bool wheel(QWheelEvent* event);
  bool dragging() const { return m_gesture != Gesture::None; }

  // Modality units per logical pixel of drag: the whole stored range over about 1000 pixels.
  static double windowSensitivity(const core::ImageInfo& info);
  // Zoom factor of one wheel notch (120 eighths of a degree).
  static constexpr double kZoomPerNotch = 1.2;

 private:
  enum class Gesture { None, WindowLevel, Pan, Measure };
  void measureTo(QPointF widgetPoint);

  FourViewPanel* m_panel;
  Gesture m_gesture = Gesture::None;
  int m_view = -1;
  QPointF m_start;  // widget point where the drag began
  QPointF m_last;  // widget point of the previous move
  core::VoiWindow m_startWindow;
  double m_sensitivity = 1.0;
  std::array<double, 2> m_measureFrom{0, 0};  // stored (row, col) where a measurement started
  std::array<double, 2> m_measureTo{0, 0};
};

}  // namespace mammo::ui
