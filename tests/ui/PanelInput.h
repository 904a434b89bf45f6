#pragma once
// What the GUI tests need to drive the hanging panel deterministically under Xvfb on a busy machine.
#include <QApplication>
#include <QMouseEvent>
#include <QPoint>
#include <QSize>
#include <QWidget>

namespace mammo::test {

// A mouse move without buttons, delivered to `widget` at once. (QTest::mouseMove warps the X pointer for
// that, and the X server's motion event then arrives whenever it arrives: later than the next key on a busy
// machine.)
inline void sendMouseMove(QWidget* widget, QPoint p) {
  QMouseEvent move(QEvent::MouseMove, QPointF(p), QPointF(widget->mapToGlobal(p)), Qt::NoButton, Qt::NoButton,
                   Qt::NoModifier);
  QApplication::sendEvent(widget, &move);
}

// For QTRY_VERIFY: true once the widget's size has been the same for `polls` calls in a row. On a loaded
// machine the main window's docks are laid out late and narrow the panel after its first frame, which would
// move every view under points taken before.
class SizeSettled {
 public:
  bool operator()(const QWidget& widget, int polls = 3) {
    m_held = widget.size() == m_last ? m_held + 1 : 0;
    m_last = widget.size();
    return m_held >= polls;
  }

 private:
  QSize m_last;
  int m_held = 0;
};

}  // namespace mammo::test
