#pragma once
// Annotation mode on the hanging panel: the active class and tool, mouse gestures turned into annotation
// operations (through an event filter on the panel, so reading gestures stay untouched when the mode is
// off), the label layers and tool graphics in every hung view, undo/redo, and the session's life: saved
// masks are read and the edit lock is taken in the background when an exam opens, autosave runs on the
// Autosaver's thread, and a closed session is finished off the GUI thread. Also the reviewer's view of
// another annotator: their masks as outlines and the agreement with ours.
//
// Frames: brush radius and operations are in the stored image's pixel grid; widget points are the panel's
// logical pixels. GUI thread only.
#include <QFutureWatcher>
#include <QObject>
#include <QPointF>
#include <QPointer>
#include <QString>

#include <array>
#include <map>
#include <memory>
#include <optional>

#include "annotation/Agreement.h"
#include "annotation/Lesions.h"
#include "annotation/Operation.h"
#include "core/Types.h"
#include "ui/AnnotationSession.h"

class QColor;

namespace mammo::viewer {
class LabelLayer;
class ToolOverlay;
}  // namespace mammo::viewer

namespace mammo::ui {

class FourViewPanel;

enum class AnnotationTool { Brush, Eraser, Polygon, FloodFill, SmartBrush, SeedFromAi };

// The class list the user configured: the JSON file (annotation/MaskClasses.h) named by the setting
// annotation/classes, else ClassList::standard(). When the file cannot be used, the standard list and the
// reason in `error`.
annotation::ClassList configuredClassList(QString* error = nullptr);

// Agreement of our masks with another annotator's, all views together.
struct ReviewResult {
  QString other;
  std::map<std::uint8_t, annotation::ClassAgreement> pixels;  // by class id
  std::map<std::uint8_t, annotation::LesionMatch> lesions;
  annotation::ClassList classes;  // ours plus the other annotator's extra classes: names the ids above
  // The same on the maps reduced to their pathology (id 1 benign, 2 malignant; annotation::pathologyMap):
  // agreement on malignancy whatever lesion types each chose. Shown when lesion types are in play.
  std::map<std::uint8_t, annotation::ClassAgreement> pathologyPixels;
  std::map<std::uint8_t, annotation::LesionMatch> pathologyLesions;
  std::array<std::optional<core::LabelMap>, 4> otherMaps;
  QStringList errors;
};

class AnnotationController : public QObject {
  Q_OBJECT

 public:
  explicit AnnotationController(FourViewPanel* panel, QObject* parent = nullptr);
  // Finishes the session's writes (blocks: it is the end of the program or of a test).
  ~AnnotationController() override;

  bool isEnabled() const { return m_enabled; }
  // Vertices of the click-by-click polygon being drawn (empty when none).
  std::size_t polygonVertices() const { return m_polygon ? m_polygon->vertices.size() : 0; }
  AnnotationTool tool() const { return m_tool; }
  std::uint8_t activeLabel() const { return m_label; }
  // The classes one can paint (configured at start-up); the session's list adds classes found in saved
  // masks, which are shown and saved but not offered as brushes.
  const annotation::ClassList& configuredClasses() const { return m_configured; }
  const annotation::ClassList& classes() const;
  // A new class list for painting (the Class list dialog). The open exam's session ends (its changes are
  // written) and starts again with the new list, re-reading the masks: class ids are fixed within a
  // session, so this is how masks keep their classes. The undo history starts again. Emits classesChanged.
  void setConfiguredClasses(annotation::ClassList classes);
  double brushRadius() const { return m_radius; }  // stored-image pixels
  int tolerance() const { return m_tolerance; }    // raw stored units, flood fill and smart brush
  double seedThreshold() const { return m_seedThreshold; }

  // Where masks go: the setting annotation/root, else <exam folder>/annotations when writable, else the
  // user's data folder. The user name: the setting annotation/user, else the login name.
  QString annotator() const;
  std::filesystem::path rootFor(const core::Exam& exam) const;
  void setAutosaveDelay(std::chrono::milliseconds delay) { m_autosaveDelay = delay; }

  // The session of the exam on the panel; null before its saved masks are read.
  const AnnotationSession* session() const { return m_session.get(); }
  const core::LabelMap* labelMap(core::StandardView view) const;
  std::vector<annotation::Lesion> lesions() const;
  bool setLesionState(int lesionId, annotation::LesionStatus status, const QString& note);
  bool linkLesions(int target, int other);
  const viewer::LabelLayer* labelLayer(core::StandardView view) const;
  const viewer::LabelLayer* reviewLayer(core::StandardView view) const;  // the other annotator, outlined
  bool canUndo() const;
  bool canRedo() const;

  // Review: annotators with a sidecar for this exam other than us, and the comparison with one of them.
  QStringList otherAnnotators() const { return m_otherAnnotators; }  // as of the last scan
  void rescanAnnotators();                                           // in the background; annotatorsChanged
  void review(const QString& other);                                 // empty: stop reviewing; reviewUpdated follows
  const std::optional<ReviewResult>& reviewResult() const { return m_review; }

  // Image (row, col) under a widget point of viewport `view`, continuous (pixel centres at integers).
  std::optional<annotation::PixelPoint> imagePoint(int view, QPointF widgetPoint) const;

 public slots:
  void setEnabled(bool on);
  void setTool(mammo::ui::AnnotationTool tool);
  void setActiveLabel(int label);
  void setBrushRadius(double radius);
  void growBrush();
  void shrinkBrush();
  void setTolerance(int tolerance);
  void setSeedThreshold(double threshold);
  void setMasksVisible(bool visible);
  void undo();
  void redo();

 signals:
  void enabledChanged(bool on);
  void toolChanged(mammo::ui::AnnotationTool tool);
  void activeLabelChanged(int label);
  void classesChanged();
  void brushRadiusChanged(double radius);
  // The session is ready (saved masks shown); editConflict may have come first.
  void sessionStarted();
  void editConflict(const QString& message);
  void masksChanged(mammo::core::StandardView view);
  void historyChanged();
  // An autosave reached the disk; the lesion list is up to date.
  void saved();
  void lesionsChanged();
  void reviewUpdated();
  void annotatorsChanged();
  void message(const QString& text);

 protected:
  bool eventFilter(QObject* watched, QEvent* event) override;

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
  void closePolygon();
  void showPolygon(std::optional<annotation::PixelPoint> cursor);
  void onScenesRebuilt();
  void startSession(std::shared_ptr<const core::Exam> exam);
  void finishSession();
  void attachLayers();
  void applyClassColours(const annotation::ClassList& classes);
  void refreshView(core::StandardView view, const annotation::PixelRect* rect = nullptr);
  bool press(QPointF point);
  void move(QPointF point);
  void release(QPointF point);
  void hover(QPointF point);
  void applyClick(int view, annotation::PixelPoint p);
  void showCursor(int view, annotation::PixelPoint p);
  void hideCursor();
  void afterEdit(core::StandardView view);
  void abortGesture();
  bool usesBrushCursor() const;

  QPointer<FourViewPanel> m_panel;
  bool m_enabled = false;
  AnnotationTool m_tool = AnnotationTool::Brush;
  std::uint8_t m_label = 2;
  annotation::ClassList m_configured;
  double m_radius = 10.0;
  int m_tolerance = 200;
  double m_seedThreshold = 0.5;
  bool m_masksVisible = true;
  std::chrono::milliseconds m_autosaveDelay{2000};

  std::shared_ptr<const core::Exam> m_exam;  // the exam on the panel
  std::unique_ptr<AnnotationSession> m_session;
  QFutureWatcher<SavedAnnotation> m_loading;
  QFuture<void> m_retiring;  // the previous session writing its last changes
  std::array<std::unique_ptr<viewer::LabelLayer>, 4> m_layers;
  std::array<std::unique_ptr<viewer::LabelLayer>, 4> m_reviewLayers;
  std::unique_ptr<viewer::ToolOverlay> m_overlay;
  std::unique_ptr<Gesture> m_gesture;
  std::optional<ClickPolygon> m_polygon;
  std::optional<ReviewResult> m_review;
  QFutureWatcher<ReviewResult> m_reviewing;
  QFutureWatcher<QStringList> m_scanning;
  QStringList m_otherAnnotators;
  int m_generation = 0;  // sessions started; stale background results are dropped
};

}  // namespace mammo::ui
