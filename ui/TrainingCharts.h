#pragma once
// The dashboard's curves (Qt Charts): training and validation loss per epoch, validation AUCs per epoch
// (pooled malignant, and pooled benign where the model reports it), and the ROC curve of the last
// validation against the chance diagonal. Undefined values (NaN) leave a gap rather than a point.
// GUI thread only.
#include <QPointF>
#include <QVector>
#include <QWidget>

#include "training/TrainOptions.h"

class QChart;
class QChartView;
class QLineSeries;
class QValueAxis;

namespace mammo::ui {

class TrainingCharts : public QWidget {
  Q_OBJECT

 public:
  explicit TrainingCharts(QWidget* parent = nullptr);

  // Empties every curve; `title` names the model whose epochs follow.
  void reset(const QString& title);
  void addEpoch(const training::EpochMetrics& metrics);
  void setRoc(const QVector<QPointF>& points, int epoch);

  QLineSeries* trainLoss() const { return m_trainLoss; }
  QLineSeries* validationLoss() const { return m_validationLoss; }
  QLineSeries* aucMalignant() const { return m_aucMalignant; }
  QLineSeries* aucBenign() const { return m_aucBenign; }
  QLineSeries* roc() const { return m_roc; }
  QChartView* lossView() const { return m_lossView; }
  QChartView* aucView() const { return m_aucView; }
  QChartView* rocView() const { return m_rocView; }
  // The last epoch added (0 before any).
  int lastEpoch() const { return m_lastEpoch; }

 private:
  void fitAxes();

  QChartView* m_lossView = nullptr;
  QChartView* m_aucView = nullptr;
  QChartView* m_rocView = nullptr;
  QLineSeries* m_trainLoss = nullptr;
  QLineSeries* m_validationLoss = nullptr;
  QLineSeries* m_aucMalignant = nullptr;
  QLineSeries* m_aucBenign = nullptr;
  QLineSeries* m_roc = nullptr;
  QValueAxis* m_lossX = nullptr;
  QValueAxis* m_lossY = nullptr;
  QValueAxis* m_aucX = nullptr;
  int m_lastEpoch = 0;
  int m_firstEpoch = 0;
  double m_maxLoss = 0;
};

}  // namespace mammo::ui
