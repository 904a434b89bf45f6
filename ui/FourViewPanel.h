#pragma once
// The hanging panel: one VTK render window with a viewport per hung view (viewer::ViewScene each), laid out
// by the hanging protocol, and the reading operations on it: window/level, presets, invert, zoom, pan, fit,
// 1:1, true size, reset, with synchronisation across views; the loupe (follows the cursor; size and
// magnification remembered in the settings), distance measurements (kept per view across layout changes),
// heatmap contour mode and the heatmap colour bars (an overlay renderer in a strip along the window's right
// edge that the views make room for), and Layout::Prior: a prior study beside the current one, cursor, zoom
// and pan linked through the registration. What the reader set up is a Qt-free view model
// (viewer::ReadingState) from which the scenes are rebuilt. Mouse gestures are turned into these calls by
// ViewInteraction; keyboard shortcuts are QActions of the main window (ReadingActions) calling the slots.
// GUI thread only.
//
// Frames: `view` is an index into viewports() (the current layout). Widget points are Qt logical pixels,
// y down. Viewport points are device pixels inside the view's viewport, y up (viewer::ViewScene's frame).
#include <array>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "core/Exam.h"
#include "core/Voi.h"
#include "ui/VtkOpenGLWidget.h"
#include "viewer/HangingLayout.h"
#include "viewer/HeatmapLayer.h"
#include "viewer/Measurement.h"
#include "viewer/ReadingState.h"
#include "viewer/ViewSync.h"

#include <vtkSmartPointer.h>

class vtkRenderer;

namespace mammo::viewer {
class ColourBar;
class Loupe;
class ViewScene;
}  // namespace mammo::viewer

namespace mammo::ui {

class ViewInteraction;

class FourViewPanel : public VtkOpenGLWidget {
  Q_OBJECT

 public:
  explicit FourViewPanel(QWidget* parent = nullptr);
  ~FourViewPanel() override;

  void setExam(std::shared_ptr<const core::Exam> exam);
  void setLayout(viewer::Layout layout, core::StandardView single = core::StandardView::RCC);
  // The prior study Layout::Prior hangs beside the current one, with the link of each view (registered or
  // chest-wall aligned); it goes with the next exam. A null exam removes it.
  void setPrior(std::shared_ptr<const core::Exam> prior, std::array<std::optional<viewer::PriorLink>, 4> links);
  std::shared_ptr<const core::Exam> prior() const { return m_state.prior; }
  const viewer::PriorLink* priorLink(core::StandardView view) const;  // null when that view is not linked
  viewer::Layout layout() const { return m_state.layout; }
  std::shared_ptr<const core::Exam> exam() const { return m_state.exam; }
  // The reader's set-up of this panel (the view model the scenes are built from).
  const viewer::ReadingState& state() const { return m_state; }
  // AI overlays of one view (stored-image grid); empty heatmaps remove them. Kept across layout changes.
  void setViewHeatmaps(core::StandardView view, viewer::Heatmap benign, viewer::Heatmap malignant);
  void setViewHeatmap(core::StandardView view, viewer::HeatmapKind kind, viewer::Heatmap heatmap);
  void clearHeatmaps();
  void setHeatmapStyle(viewer::HeatmapKind kind, const viewer::HeatmapStyle& style);
  bool viewHasHeatmap(core::StandardView view, viewer::HeatmapKind kind) const;
  // The heatmap set for a view (empty when none), e.g. for annotation's "seed from AI".
  const viewer::Heatmap& viewHeatmap(core::StandardView view, viewer::HeatmapKind kind) const {
    return m_state.heatmap(view, kind);
  }

  // --- Views and points.
  const std::vector<viewer::Viewport>& viewports() const { return m_viewports; }
  const viewer::ViewScene& scene(int view) const { return *m_scenes.at(view); }
  int viewIndex(core::StandardView view) const;  // the current study's; -1 when not hung in this layout
  // Where the cursor over a view points to in its linked partner (the current view and its prior): the
  // partner's index and the stored point (row, col), marked there with a cross; nullopt when none.
  struct LinkedCursor {
    int view = -1;
    std::array<double, 2> stored{0, 0};
  };
  const std::optional<LinkedCursor>& linkedCursor() const { return m_linkedCursor; }
  struct ViewPoint {
    int view = -1;  // -1: outside every viewport
    double x = 0, y = 0;  // viewport point (device pixels, y up)
  };
  ViewPoint viewPointAt(QPointF widgetPoint) const;
  QPointF widgetPointOf(int view, double x, double y) const;
  // The view the keyboard acts on: the one under the cursor, -1 when the cursor is not over a view.
  int activeView() const { return m_activeView; }

  // --- Reading operations on one view; the synchronised views follow.
  void setWindowLevel(int view, const core::VoiWindow& window);
  void zoomAt(int view, double factor, double x, double y);
  void panBy(int view, double dx, double dy);  // viewport pixels, y up

  bool syncWindowLevel() const { return m_state.syncWindowLevel; }
  viewer::SyncScope syncScope() const { return m_state.syncScope; }

  // --- Loupe.
  bool loupeEnabled() const { return m_state.loupeOn; }
  const viewer::Loupe& loupe() const { return *m_loupe; }
  // Size (device pixels) and magnification; values <= 0 keep the loupe's own. Emits no signal.
  void setLoupeGeometry(int sizePx, double magnification);

  // --- Measurements (stored-image points of the view's image), kept per standard view until the exam changes.
  bool measureMode() const { return m_state.measureMode; }
  std::vector<viewer::Measurement> measurements(core::StandardView view) const;
  void addMeasurement(int view, const viewer::Measurement& m);
  // The measurement being drawn (shown with the others, not kept); nullopt ends it.
  void setDraftMeasurement(int view, const std::optional<viewer::Measurement>& m);

  // --- Heatmap presentation.
  bool heatmapContours() const { return m_state.contours; }
  bool colourBarsEnabled() const { return m_state.colourBarsOn; }
  const viewer::ColourBar& colourBar(viewer::HeatmapKind kind) const { return *m_colourBars[static_cast<int>(kind)]; }

 public slots:
  // Keyboard actions. They act on the view under the cursor (all views when it is over none) and on the
  // views synchronised with it; fit and reset act on every view.
  void fitViews();
  void showActualPixels();
  void showTrueSize();
  void toggleInvert();
  void resetViews();
  void applyHeaderPreset(int index);  // the header's windows, then its VOI LUTs
  void applyFullRange();
  void setSyncWindowLevel(bool on);
  void setSyncScope(viewer::SyncScope scope);
  void setLoupeEnabled(bool on);
  // One step is 50 device pixels of size, or 0.5x of magnification; loupeGeometryChanged follows (the main
  // window remembers them in the settings).
  void changeLoupeSize(int steps);
  void changeLoupeMagnification(int steps);
  void setMeasureMode(bool on);
  // Deletes the measurement nearest the cursor in the view under it, else the last one made.
  void deleteMeasurement();
  void clearMeasurements();
  void setHeatmapContours(bool on);
  void setColourBarsEnabled(bool on);

 signals:
  // Text for the status bar: the view, then pixelInfoText() of the pixel under the cursor.
  void pixelInfoChanged(const QString& text);
  // Window/level, invert, zoom or pan changed (a repaint is scheduled).
  void viewStateChanged();
  // The loupe was turned on or off, or measure mode (so checkable actions follow keys and code alike).
  void loupeToggled(bool on);
  void measureModeToggled(bool on);
  void loupeGeometryChanged(int sizePx, double magnification);
  // The scenes were recreated (new exam or layout): layers added to their renderers by others must be re-added.
  void scenesRebuilt();

 protected:
  void resizeGL(int width, int height) override;
  void mousePressEvent(QMouseEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;
  void mouseReleaseEvent(QMouseEvent* event) override;
  void mouseDoubleClickEvent(QMouseEvent* event) override;
  void wheelEvent(QWheelEvent* event) override;
  void leaveEvent(QEvent* event) override;

 private:
  void rebuild();
  void applyViewportSizes(bool refit);
  std::array<int, 2> viewportSizePx(int view) const;
  void showPixelInfo(const ViewPoint& point);
  std::vector<int> windowTargets(int view) const;
  std::vector<int> cameraTargets(int view) const;
  void followCamera(int view);
  // The stored-pixel map from viewport `from` to viewport `to` when they are a linked current/prior pair.
  std::optional<core::Affine2D> linkBetween(int from, int to) const;
  void updateLinkedCursor(const ViewPoint& point);
  void setDisplay(int view, const core::DisplaySettings& settings);
  void setPixelScale(const std::function<std::optional<double>(int view)>& scaleOf);
  void changed();
  void updateLoupe();
  void updateColourBars();
  // The layout's viewports, narrowed by the colour bars' strip; zoom and pan kept.
  void placeViewports();
  void applyMeasurements(int view);

  viewer::ReadingState m_state;
  std::vector<viewer::Viewport> m_viewports;
  std::vector<std::unique_ptr<viewer::ViewScene>> m_scenes;
  std::vector<std::shared_ptr<const core::Image>> m_images;
  int m_activeView = -1;
  ViewPoint m_lastPoint;  // where the cursor was last seen over the panel
  std::unique_ptr<viewer::Loupe> m_loupe;
  ViewPoint m_loupePoint;  // the cursor, also during drags
  std::optional<LinkedCursor> m_linkedCursor;
  struct Draft {
    int view = -1;
    viewer::Measurement measurement;
  };
  std::optional<Draft> m_draft;
  vtkSmartPointer<vtkRenderer> m_overlay;  // colour bars, above the views
  double m_colourBarStrip = 0;  // the fraction of the width at the right kept for the colour bars
  std::array<std::unique_ptr<viewer::ColourBar>, 2> m_colourBars;
  std::unique_ptr<ViewInteraction> m_interaction;
};

// The status-bar text of stored pixel (row, col) of a scene's image: "row R col C  (Y, X) mm  stored S
// [modality M]  displayed G [(padding)]  [malignant V  benign V]". The mm position is the pixel centre's distance
// from the first pixel's centre along rows and columns (only with a pixel spacing); modality is shown when the
// rescale changes the value; displayed is the grey on screen (0-255) after VOI, MONOCHROME1 and invert.
QString pixelInfoText(const viewer::ViewScene& scene, int row, int col);

}  // namespace mammo::ui
