#pragma once
// Annotation mode on the hanging panel: the active class and tool, the label layers in every hung view,
// undo/redo, and the three parts it is made of —
// - AnnotationGestures: the panel's mouse and key events turned into annotation operations (an event filter
//   on the panel, so reading gestures stay untouched when the mode is off);
// - AnnotationSessionHost: the exam's session (saved masks read and the edit lock taken in the background,
//   autosave, a closed session finished off the GUI thread);
// - AnnotationReviewModel: another annotator's masks as outlines and their agreement with ours.
//
// Frames: brush radius and operations are in the stored image's pixel grid; widget points are the panel's
// logical pixels. GUI thread only.
#include <QObject>
#include <QPointF>
#include <QPointer>
#include <QString>

#include <array>
#include <chrono>
#include <memory>
#include <optional>

#include "annotation/Lesions.h"
#include "annotation/Operation.h"
#include "core/Types.h"
#include "ui/AnnotationGestures.h"
#include "workstation/AnnotationSession.h"
#include "workstation/ExamReview.h"

namespace mammo::viewer {
class LabelLayer;
}
namespace mammo::workstation {
class Settings;
}

namespace mammo::ui {

class AnnotationReviewModel;
class AnnotationSessionHost;
class FourViewPanel;
class JobRunner;
struct Services;

// The class list the user configured: the JSON file (annotation/MaskClasses.h) the settings name, else
// ClassList::standard(). When the file cannot be used, the standard list and the reason in `error`.
annotation::ClassList configuredClassList(const workstation::Settings& settings, QString* error = nullptr);

// Agreement of our masks with another annotator's, all views together.
using ReviewResult = workstation::ExamReview;

class AnnotationController : public QObject {
  Q_OBJECT

 public:
  AnnotationController(FourViewPanel* panel, Services services, QObject* parent = nullptr);
  // Finishes the session's writes (blocks: it is the end of the program or of a test).
  ~AnnotationController() override;

  bool isEnabled() const { return m_enabled; }
  // Vertices of the click-by-click polygon being drawn (empty when none).
  std::size_t polygonVertices() const;
  AnnotationTool tool() const { return m_tool.tool; }
  std::uint8_t activeLabel() const { return m_tool.label; }
  // The classes one can paint (configured at start-up); the session's list adds classes found in saved
  // masks, which are shown and saved but not offered as brushes.
  const annotation::ClassList& configuredClasses() const { return m_configured; }
  const annotation::ClassList& classes() const;
  // A new class list for painting (the Class list dialog). The open exam's session ends (its changes are
  // written) and starts again with the new list, re-reading the masks: class ids are fixed within a
  // session, so this is how masks keep their classes. The undo history starts again. Emits classesChanged.
  void setConfiguredClasses(annotation::ClassList classes);
  double brushRadius() const { return m_tool.radius; }  // stored-image pixels
  int tolerance() const { return m_tool.tolerance; }  // raw stored units, flood fill and smart brush
  double seedThreshold() const { return m_tool.seedThreshold; }

  // Where masks go (workstation::annotationRoot with the settings) and the annotator's name
  // (workstation::annotatorName).
  QString annotator() const;
  std::filesystem::path rootFor(const core::Exam& exam) const;
  void setAutosaveDelay(std::chrono::milliseconds delay) { m_autosaveDelay = delay; }

  // The session of the exam on the panel; null before its saved masks are read.
  const workstation::AnnotationSession* session() const;
  const core::LabelMap* labelMap(core::StandardView view) const;
  std::vector<annotation::Lesion> lesions() const;
  bool setLesionState(int lesionId, annotation::LesionStatus status, const QString& note);
  bool linkLesions(int target, int other);
  const viewer::LabelLayer* labelLayer(core::StandardView view) const;
  const viewer::LabelLayer* reviewLayer(core::StandardView view) const;  // the other annotator, outlined
  bool canUndo() const;
  bool canRedo() const;

  // Review: annotators with a sidecar for this exam other than us, and the comparison with one of them.
  QStringList otherAnnotators() const;  // as of the last scan
  void rescanAnnotators();  // in the background; annotatorsChanged
  void review(const QString& other);  // empty: stop reviewing; reviewUpdated follows
  const std::optional<ReviewResult>& reviewResult() const;

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
  void onScenesRebuilt();
  void startSession(std::shared_ptr<const core::Exam> exam);
  void finishSession();
  void sessionReady();
  void attachLayers();
  void applyClassColours(const annotation::ClassList& classes);
  void refreshView(core::StandardView view, const annotation::PixelRect* rect = nullptr);
  void afterEdit(core::StandardView view);
  workstation::AnnotationSession* editableSession() const;

  QPointer<FourViewPanel> m_panel;
  workstation::Settings& m_settings;
  bool m_enabled = false;
  ToolState m_tool;
  annotation::ClassList m_configured;
  bool m_masksVisible = true;
  std::chrono::milliseconds m_autosaveDelay{2000};

  std::shared_ptr<const core::Exam> m_exam;  // the exam on the panel
  AnnotationSessionHost* m_host = nullptr;
  AnnotationReviewModel* m_review = nullptr;
  std::unique_ptr<AnnotationGestures> m_gestures;
  std::array<std::unique_ptr<viewer::LabelLayer>, 4> m_layers;
  std::array<std::unique_ptr<viewer::LabelLayer>, 4> m_reviewLayers;
};

}  // namespace mammo::ui
