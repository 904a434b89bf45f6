#include "ui/AiPanel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QGridLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSlider>
#include <QVBoxLayout>

#include <cmath>

namespace mammo::ui {

namespace {
const char* kLabels[] = {"Left benign", "Right benign", "Left malignant", "Right malignant"};
}

AiPanel::AiPanel(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  m_model = new QLabel(tr("Model: none"), this);
  m_model->setWordWrap(true);
  layout->addWidget(m_model);

  auto* buttons = new QHBoxLayout;
  m_analyse = new QPushButton(tr("Analyse"), this);
  m_cancel = new QPushButton(tr("Cancel"), this);
  m_cancel->setEnabled(false);
  buttons->addWidget(m_analyse);
  buttons->addWidget(m_cancel);
  layout->addLayout(buttons);
  connect(m_analyse, &QPushButton::clicked, this, &AiPanel::analyseRequested);
  connect(m_cancel, &QPushButton::clicked, this, &AiPanel::cancelRequested);

  m_progress = new QProgressBar(this);
  m_progress->setRange(0, 1000);
  m_progress->setTextVisible(false);
  m_stage = new QLabel(this);
  layout->addWidget(m_progress);
  layout->addWidget(m_stage);

  auto* grid = new QGridLayout;
  grid->addWidget(new QLabel(tr("<b>Image only</b>"), this), 0, 1);
  grid->addWidget(new QLabel(tr("<b>Image + heatmaps</b>"), this), 0, 2);
  for (int label = 0; label < 4; ++label) {
    grid->addWidget(new QLabel(tr(kLabels[label]), this), label + 1, 0);
    for (int model = 0; model < 2; ++model) {
      auto* bar = new QProgressBar(this);
      bar->setRange(0, 1000);
      bar->setValue(0);
      bar->setFormat(QStringLiteral("–"));
      bar->setTextVisible(true);
      // Malignancy rows in red, benign in green: the same colours as the overlays.
      bar->setStyleSheet(label >= 2 ? QStringLiteral("QProgressBar::chunk { background: #c0392b; }")
                                    : QStringLiteral("QProgressBar::chunk { background: #27ae60; }"));
      m_bars[model][label] = bar;
      grid->addWidget(bar, label + 1, model + 1);
    }
  }
  layout->addLayout(grid);

  // Per heatmap, malignant first: shown, threshold (values at or below are transparent), colour map.
  const char* names[] = {"Benign heatmap", "Malignant heatmap"};
  const viewer::ColourMap maps[] = {viewer::ColourMap::Hot, viewer::ColourMap::Green, viewer::ColourMap::Jet};
  auto* overlays = new QGridLayout;
  for (int k : {1, 0}) {
    const auto kind = static_cast<viewer::HeatmapKind>(k);
    m_styles[k] = viewer::defaultHeatmapStyle(kind);
    const int row = k == 1 ? 0 : 2;
    m_show[k] = new QCheckBox(tr(names[k]), this);
    m_show[k]->setObjectName(k == 1 ? QStringLiteral("showMalignant") : QStringLiteral("showBenign"));
    m_show[k]->setChecked(m_styles[k].visible);
    overlays->addWidget(m_show[k], row, 0);
    m_colours[k] = new QComboBox(this);
    for (viewer::ColourMap m : maps) {
      m_colours[k]->addItem(QString::fromStdString(std::string(viewer::toString(m))), static_cast<int>(m));
    }
    m_colours[k]->setCurrentIndex(m_colours[k]->findData(static_cast<int>(m_styles[k].colours)));
    m_colours[k]->setToolTip(tr("Colour map"));
    overlays->addWidget(m_colours[k], row, 1, 1, 2);
    m_threshold[k] = new QSlider(Qt::Horizontal, this);
    m_threshold[k]->setRange(0, 95);
    m_threshold[k]->setValue(static_cast<int>(std::lround(m_styles[k].threshold * 100)));
    m_threshold[k]->setToolTip(tr("Threshold: values at or below it are not coloured"));
    m_thresholdValue[k] = new QLabel(this);
    overlays->addWidget(new QLabel(tr("threshold"), this), row + 1, 0);
    overlays->addWidget(m_threshold[k], row + 1, 1);
    overlays->addWidget(m_thresholdValue[k], row + 1, 2);
    m_thresholdValue[k]->setText(QString::number(m_styles[k].threshold, 'f', 2));
    connect(m_show[k], &QCheckBox::toggled, this, [this, kind](bool on) {
      m_styles[static_cast<int>(kind)].visible = on;
      emitStyle(kind);
      emit heatmapVisibilityChanged(kind, on);
    });
    connect(m_threshold[k], &QSlider::valueChanged, this, [this, kind](int v) {
      m_styles[static_cast<int>(kind)].threshold = v / 100.0;
      m_thresholdValue[static_cast<int>(kind)]->setText(QString::number(v / 100.0, 'f', 2));
      emitStyle(kind);
    });
    connect(m_colours[k], &QComboBox::currentIndexChanged, this, [this, kind](int index) {
      m_styles[static_cast<int>(kind)].colours =
          static_cast<viewer::ColourMap>(m_colours[static_cast<int>(kind)]->itemData(index).toInt());
      emitStyle(kind);
    });
  }
  layout->addLayout(overlays);
  layout->addWidget(new QLabel(tr("Overlay opacity"), this));
  m_opacity = new QSlider(Qt::Horizontal, this);
  m_opacity->setRange(0, 100);
  m_opacity->setValue(45);
  layout->addWidget(m_opacity);
  connect(m_opacity, &QSlider::valueChanged, this, [this](int v) {
    for (int k = 0; k < 2; ++k) {
      m_styles[k].opacity = v / 100.0;
      emitStyle(static_cast<viewer::HeatmapKind>(k));
    }
  });
  m_message = new QLabel(this);
  m_message->setWordWrap(true);
  layout->addWidget(m_message);
  auto* disclaimer = new QLabel(tr("<i>Second opinion only. Not for clinical use.</i>"), this);
  layout->addWidget(disclaimer);
  layout->addStretch(1);
}

void AiPanel::setHeatmapVisible(viewer::HeatmapKind kind, bool visible) {
  m_show[static_cast<int>(kind)]->setChecked(visible);
}

void AiPanel::setHeatmapThreshold(viewer::HeatmapKind kind, double threshold) {
  m_threshold[static_cast<int>(kind)]->setValue(static_cast<int>(std::lround(threshold * 100)));
}

void AiPanel::setHeatmapColours(viewer::HeatmapKind kind, viewer::ColourMap colours) {
  QComboBox* box = m_colours[static_cast<int>(kind)];
  box->setCurrentIndex(box->findData(static_cast<int>(colours)));
}

void AiPanel::emitStyle(viewer::HeatmapKind kind) { emit heatmapStyleChanged(kind, m_styles[static_cast<int>(kind)]); }

void AiPanel::setModelName(const QString& name) { m_model->setText(tr("Model: %1").arg(name)); }

void AiPanel::setRunning(bool running) {
  m_analyse->setEnabled(!running);
  m_cancel->setEnabled(running);
  if (!running) m_progress->setValue(0);
}

void AiPanel::setProgress(double fraction, const QString& stage) {
  m_progress->setValue(static_cast<int>(fraction * 1000));
  m_stage->setText(stage);
}

void AiPanel::setMessage(const QString& message) { m_message->setText(message); }

void AiPanel::setImageOnly(const std::optional<inference::BreastProbabilities>& p) {
  for (int label = 0; label < 4; ++label) {
    QProgressBar* bar = m_bars[0][label];
    bar->setValue(p ? static_cast<int>(p->asArray()[label] * 1000) : 0);
    bar->setFormat(p ? QString::number(p->asArray()[label], 'f', 3) : QStringLiteral("–"));
  }
}

void AiPanel::setImageHeatmaps(const std::optional<inference::BreastProbabilities>& p) {
  for (int label = 0; label < 4; ++label) {
    QProgressBar* bar = m_bars[1][label];
    bar->setValue(p ? static_cast<int>(p->asArray()[label] * 1000) : 0);
    bar->setFormat(p ? QString::number(p->asArray()[label], 'f', 3) : QStringLiteral("–"));
  }
}

void AiPanel::clearScores() {
  setImageOnly(std::nullopt);
  setImageHeatmaps(std::nullopt);
}

QString AiPanel::scoreText(int model, int label) const { return m_bars[model][label]->format(); }

}  // namespace mammo::ui
