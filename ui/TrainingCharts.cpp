#include "ui/TrainingCharts.h"

#include <QChart>
#include <QChartView>
#include <QLineSeries>
#include <QValueAxis>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace mammo::ui {

namespace {

QLineSeries* addSeries(QChart* chart, const QString& name, QValueAxis* x, QValueAxis* y) {
  auto* series = new QLineSeries(chart);
  series->setName(name);
  series->setPointsVisible(true);
  chart->addSeries(series);
  series->attachAxis(x);
  series->attachAxis(y);
  return series;
}

QChartView* makeView(QChart* chart, QWidget* parent) {
  chart->legend()->setAlignment(Qt::AlignBottom);
  chart->setMargins(QMargins(4, 4, 4, 4));
  auto* view = new QChartView(chart, parent);
  view->setRenderHint(QPainter::Antialiasing);
  view->setMinimumHeight(160);
  return view;
}

QValueAxis* makeAxis(QChart* chart, Qt::Alignment alignment, const QString& title, double min, double max) {
  auto* axis = new QValueAxis(chart);
  axis->setTitleText(title);
  axis->setRange(min, max);
  chart->addAxis(axis, alignment);
  return axis;
}

}  // namespace

TrainingCharts::TrainingCharts(QWidget* parent) : QWidget(parent) {
  auto* loss = new QChart;
  loss->setTitle(tr("Loss"));
  m_lossX = makeAxis(loss, Qt::AlignBottom, tr("epoch"), 1, 2);
  m_lossX->setLabelFormat(QStringLiteral("%d"));
  m_lossY = makeAxis(loss, Qt::AlignLeft, QString(), 0, 1);
  m_trainLoss = addSeries(loss, tr("training"), m_lossX, m_lossY);
  m_validationLoss = addSeries(loss, tr("validation"), m_lossX, m_lossY);

  auto* auc = new QChart;
  auc->setTitle(tr("Validation AUC"));
  m_aucX = makeAxis(auc, Qt::AlignBottom, tr("epoch"), 1, 2);
  m_aucX->setLabelFormat(QStringLiteral("%d"));
  QValueAxis* aucY = makeAxis(auc, Qt::AlignLeft, QString(), 0, 1);
  m_aucMalignant = addSeries(auc, tr("malignant"), m_aucX, aucY);
  m_aucBenign = addSeries(auc, tr("benign"), m_aucX, aucY);

  auto* roc = new QChart;
  roc->setTitle(tr("ROC (malignant), last validation"));
  QValueAxis* fpr = makeAxis(roc, Qt::AlignBottom, tr("false-positive rate"), 0, 1);
  QValueAxis* tpr = makeAxis(roc, Qt::AlignLeft, tr("true-positive rate"), 0, 1);
  QLineSeries* chance = addSeries(roc, tr("chance"), fpr, tpr);
  chance->setPointsVisible(false);
  chance->setPen(QPen(Qt::gray, 1, Qt::DashLine));
  chance->append({{0, 0}, {1, 1}});
  m_roc = addSeries(roc, tr("no validation yet"), fpr, tpr);

  m_lossView = makeView(loss, this);
  m_aucView = makeView(auc, this);
  m_rocView = makeView(roc, this);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(m_lossView);
  layout->addWidget(m_aucView);
  layout->addWidget(m_rocView);
}

void TrainingCharts::reset(const QString& title) {
  for (QLineSeries* s : {m_trainLoss, m_validationLoss, m_aucMalignant, m_aucBenign, m_roc}) s->clear();
  m_roc->setName(tr("no validation yet"));
  m_lossView->chart()->setTitle(tr("Loss: %1").arg(title));
  m_aucView->chart()->setTitle(tr("Validation AUC: %1").arg(title));
  m_lastEpoch = m_firstEpoch = 0;
  m_maxLoss = 0;
  fitAxes();
}

void TrainingCharts::addEpoch(const training::EpochMetrics& m) {
  auto add = [&](QLineSeries* series, double value) {
    if (std::isfinite(value)) series->append(m.epoch, value);
  };
  add(m_trainLoss, m.trainLoss);
  add(m_validationLoss, m.validationLoss);
  add(m_aucMalignant, m.valAucMalignant);
  const auto benign = m.auc.find("benign");
  if (benign != m.auc.end()) add(m_aucBenign, benign->second);
  for (double v : {m.trainLoss, m.validationLoss}) {
    if (std::isfinite(v)) m_maxLoss = std::max(m_maxLoss, v);
  }
  if (m_firstEpoch == 0) m_firstEpoch = m.epoch;
  m_lastEpoch = m.epoch;
  fitAxes();
}

void TrainingCharts::setRoc(const QVector<QPointF>& points, int epoch) {
  m_roc->replace(points);
  m_roc->setName(points.isEmpty() ? tr("epoch %1: none (a class is missing, or no malignancy model)").arg(epoch)
                                  : tr("epoch %1").arg(epoch));
}

void TrainingCharts::fitAxes() {
  const int first = std::max(1, m_firstEpoch);
  const int last = std::max(first + 1, m_lastEpoch);
  m_lossX->setRange(first, last);
  m_aucX->setRange(first, last);
  m_lossX->setTickCount(std::min(last - first + 1, 11));
  m_aucX->setTickCount(std::min(last - first + 1, 11));
  m_lossY->setRange(0, m_maxLoss > 0 ? m_maxLoss * 1.1 : 1.0);
}

}  // namespace mammo::ui
