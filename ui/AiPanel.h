#pragma once
// The AI results panel: which model, progress per stage with Cancel, the four per-breast probabilities
// (image-only and image+heatmaps) with bars, and the heatmap overlay controls: per heatmap shown or not
// (malignant only at first, viewer::defaultHeatmapStyle), its threshold and its colour map, and one opacity.
// Presentation only: it emits requests and is told what to show. GUI thread only.
#include <QWidget>

#include <array>
#include <optional>

#include "inference/Pipeline.h"
#include "viewer/HeatmapLayer.h"

class QLabel;
class QProgressBar;
class QPushButton;
class QCheckBox;
class QComboBox;
class QSlider;

namespace mammo::ui {

class AiPanel : public QWidget {
  Q_OBJECT

 public:
  explicit AiPanel(QWidget* parent = nullptr);

  void setModelName(const QString& name);
  void setRunning(bool running);
  void setProgress(double fraction, const QString& stage);
  void setMessage(const QString& message);
  // The per-breast score panel API: four probabilities per model, or clear.
  void setImageOnly(const std::optional<inference::BreastProbabilities>& p);
  void setImageHeatmaps(const std::optional<inference::BreastProbabilities>& p);
  void clearScores();
  // Current texts of the score cells (for tests and accessibility): [model][label].
  QString scoreText(int model, int label) const;
  // The overlay controls (View > Show benign / malignant heatmap toggle them too).
  const viewer::HeatmapStyle& heatmapStyle(viewer::HeatmapKind kind) const { return m_styles[static_cast<int>(kind)]; }
  void setHeatmapVisible(viewer::HeatmapKind kind, bool visible);
  void setHeatmapThreshold(viewer::HeatmapKind kind, double threshold);  // 0..0.95, in steps of 0.01
  void setHeatmapColours(viewer::HeatmapKind kind, viewer::ColourMap colours);

 signals:
  void analyseRequested();
  void cancelRequested();
  void heatmapStyleChanged(viewer::HeatmapKind kind, const viewer::HeatmapStyle& style);
  void heatmapVisibilityChanged(viewer::HeatmapKind kind, bool visible);

 private:
  void emitStyle(viewer::HeatmapKind kind);

  QLabel* m_model = nullptr;
  QLabel* m_stage = nullptr;
  QLabel* m_message = nullptr;
  QProgressBar* m_progress = nullptr;
  QPushButton* m_analyse = nullptr;
  QPushButton* m_cancel = nullptr;
  std::array<std::array<QProgressBar*, 4>, 2> m_bars{};
  std::array<QCheckBox*, 2> m_show{};
  std::array<QSlider*, 2> m_threshold{};
  std::array<QLabel*, 2> m_thresholdValue{};
  std::array<QComboBox*, 2> m_colours{};
  QSlider* m_opacity = nullptr;
  std::array<viewer::HeatmapStyle, 2> m_styles;
};

}  // namespace mammo::ui
