#pragma once
// The annotation tools' mouse and key gestures on the hanging panel: brush, eraser and smart-brush strokes
// (previewed segment by segment into the map, committed as one undo step), the drag lasso and the click-by-
// click polygon, flood fill and seed-from-AI clicks, the brush outline under the cursor. Points are mapped
// from the panel's widget pixels to stored-image pixels through the view's transform (viewer::
// ViewTransform). AnnotationController owns it and feeds it the panel's events while annotation mode is
// on. GUI thread only.
#include <QPointF>
#include <QString>

#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "annotation/MaskClasses.h"
#include "annotation/Operation.h"
#include "core/LabelMap.h"
#include "core/Types.h"

class QEvent;

namespace mammo::viewer {
class ToolOverlay;
}
namespace mammo::workstation {
class AnnotationSession;
}

namespace mammo::ui {

class FourViewPanel;

enum class AnnotationTool { Brush, Eraser, Polygon, FloodFill, SmartBrush, SeedFromAi };

// What a gesture paints with: the controller's current settings.
struct ToolState {
  AnnotationTool tool = AnnotationTool::Brush;
  std::uint8_t label = 2;
  double radius = 10.0;  // stored-image pixels
  int tolerance = 200;  // raw stored units, flood fill and smart brush
  double seedThreshold = 0.5;
};

class AnnotationGestures {
 public:
  // What the gestures need from their owner; all called on the GUI thread.
  struct Host {
    std::function<workstation::AnnotationSession*()> session;  // null while the masks are being read
    std::function<const ToolState&()> tool;
    std::function<const annotation::ClassList&()> classes;
    std::function<void(core::StandardView view, const annotation::PixelRect* rect)> refresh;  // redraw the mask
    std::function<void(core::StandardView view)> edited;  // an undo step was made
    std::function<void(const QString& text)> message;
  };

  AnnotationGestures(FourViewPanel* panel, Host host);
  ~AnnotationGestures();

  // A panel event while annotation mode is on; true when the gesture took it.
  bool handle(QEvent* event);
  // Drops the gesture in progress (a stroke cut short leaves no half-painted preview) and the polygon.
  void abort();
  // The tool graphics leave the panel's scenes (they are being rebuilt) or the mode ends.
  void detach();
  void clearPath();
  // The brush outline follows the cursor with the current radius and class colour.
  void refreshCursor();
  void hideCursor();
  bool gestureActive() const { return m_gesture != nullptr; }
  std::size_t polygonVertices() const { return m_polygon ? m_polygon->vertices.size() : 0; }
  // The click polygon fills with the class chosen while drawing it.
  void setPolygonLabel(std::uint8_t label);

  // Image (row, col) under a widget point of viewport `view`, continuous (pixel centres at integers).
  std::optional<annotation::PixelPoint> imagePoint(int view, QPointF widgetPoint) const;

 private:
  struct Gesture;
  // The polygon tool, click by click: a click (press and release in place) starts it, each click adds a
  // vertex, Enter, a double click or a click on the first vertex fills it, Backspace takes back the last
  // vertex, Esc drops it. (A drag with the tool is a lasso, filled on release.)
  struct ClickPolygon {
    int viewport = -1;
    core::StandardView view = core::StandardView::LCC;
    std::uint8_t label = 0;
    std::vector<annotation::PixelPoint> vertices;
    QPointF first;  // widget point of the first vertex
  };

  bool key(int key);
  bool press(QPointF point);
  void move(QPointF point);
  void release(QPointF point);
  void hover(QPointF point);
  void releaseStroke(std::unique_ptr<Gesture> g);
  void applyClick(int viewport, annotation::PixelPoint p);
  void fill(core::StandardView view, const std::vector<annotation::PixelPoint>& vertices, std::uint8_t label);
  void closePolygon();
  void showPolygon(std::optional<annotation::PixelPoint> cursor);
  void showCursor(int viewport, annotation::PixelPoint p);
  bool usesBrushCursor() const;
  workstation::AnnotationSession* session() const { return m_host.session(); }
  const ToolState& state() const { return m_host.tool(); }

  FourViewPanel* m_panel;
  Host m_host;
  std::unique_ptr<viewer::ToolOverlay> m_overlay;
  std::unique_ptr<Gesture> m_gesture;
  std::optional<ClickPolygon> m_polygon;
};

}  // namespace mammo::ui
