#include "ui/AiPanel.h"

#include <QCheckBox>
#include <QGridLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSlider>
#include <QVBoxLayout>

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

  m_styles[static_cast<int>(viewer::HeatmapKind::Benign)].colours = viewer::ColourMap::Green;
  m_styles[static_cast<int>(viewer::HeatmapKind::Malignant)].colours = viewer::ColourMap::Hot;
  const char* names[] = {"Show benign heatmap", "Show malignant heatmap"};
  for (int k = 0; k < 2; ++k) {
    m_show[k] = new QCheckBox(tr(names[k]), this);
    m_show[k]->setChecked(true);
    layout->addWidget(m_show[k]);
    connect(m_show[k], &QCheckBox::toggled, this, [this, k](bool on) {
      m_styles[k].visible = on;
      emitStyle(static_cast<viewer::HeatmapKind>(k));
    });
  }
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
