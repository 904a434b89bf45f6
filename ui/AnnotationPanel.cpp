#include "ui/AnnotationPanel.h"

#include <QButtonGroup>
#include <QCheckBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPixmap>
#include <QPushButton>
#include <QRadioButton>
#include <QSpinBox>
#include <QTime>
#include <QVBoxLayout>

#include "ui/AnnotationController.h"

namespace mammo::ui {

namespace {
struct ToolRow {
  AnnotationTool tool;
  const char* text;
  const char* key;
};
constexpr ToolRow kTools[] = {{AnnotationTool::Brush, "Brush", "B"},
                              {AnnotationTool::Eraser, "Eraser", "E"},
                              {AnnotationTool::Polygon, "Polygon (clicks) / lasso (drag)", "P"},
                              {AnnotationTool::FloodFill, "Flood fill (intensity range)", "G"},
                              {AnnotationTool::SmartBrush, "Smart brush (intensity-aware)", "S"},
                              {AnnotationTool::SeedFromAi, "Seed from AI heatmap (click a view)", "A"}};
}  // namespace

AnnotationPanel::AnnotationPanel(AnnotationController* controller, QWidget* parent)
    : QWidget(parent), m_controller(controller) {
  auto* layout = new QVBoxLayout(this);
  m_mode = new QCheckBox(tr("Annotation mode (Ctrl+E)"), this);
  m_mode->setChecked(controller->isEnabled());
  layout->addWidget(m_mode);
  connect(m_mode, &QCheckBox::toggled, controller, &AnnotationController::setEnabled);
  connect(controller, &AnnotationController::enabledChanged, m_mode, &QCheckBox::setChecked);

  buildClasses();
  buildTools();

  auto* form = new QFormLayout;
  m_radius = new QDoubleSpinBox(this);
  m_radius->setRange(0.5, 400);
  m_radius->setDecimals(1);
  m_radius->setSuffix(tr(" px"));
  m_radius->setValue(controller->brushRadius());
  m_radius->setToolTip(tr("Brush radius in image pixels: [ and ], or Ctrl + wheel"));
  form->addRow(tr("Brush radius"), m_radius);
  connect(m_radius, &QDoubleSpinBox::valueChanged, controller, &AnnotationController::setBrushRadius);
  connect(controller, &AnnotationController::brushRadiusChanged, m_radius, [this](double r) {
    const QSignalBlocker block(m_radius);
    m_radius->setValue(r);
  });
  m_tolerance = new QSpinBox(this);
  m_tolerance->setRange(0, 65535);
  m_tolerance->setValue(controller->tolerance());
  m_tolerance->setPrefix(QStringLiteral("± "));
  m_tolerance->setToolTip(
      tr("Stored-value range around the clicked pixel (flood fill) or the stroke's start (smart brush)"));
  form->addRow(tr("Intensity range"), m_tolerance);
  connect(m_tolerance, &QSpinBox::valueChanged, controller, &AnnotationController::setTolerance);
  m_threshold = new QDoubleSpinBox(this);
  m_threshold->setRange(0.0, 1.0);
  m_threshold->setSingleStep(0.05);
  m_threshold->setValue(controller->seedThreshold());
  form->addRow(tr("AI seed threshold"), m_threshold);
  connect(m_threshold, &QDoubleSpinBox::valueChanged, controller, &AnnotationController::setSeedThreshold);
  layout->addLayout(form);

  auto* history = new QHBoxLayout;
  m_undo = new QPushButton(tr("Undo"), this);
  m_redo = new QPushButton(tr("Redo"), this);
  history->addWidget(m_undo);
  history->addWidget(m_redo);
  layout->addLayout(history);
  connect(m_undo, &QPushButton::clicked, controller, &AnnotationController::undo);
  connect(m_redo, &QPushButton::clicked, controller, &AnnotationController::redo);

  m_status = new QLabel(this);
  m_status->setWordWrap(true);
  m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
  layout->addWidget(m_status);
  m_conflict = new QLabel(this);
  m_conflict->setWordWrap(true);
  m_conflict->setStyleSheet(QStringLiteral("color: #ff6060; font-weight: bold"));
  m_conflict->hide();
  layout->addWidget(m_conflict);
  layout->addStretch(1);
  connect(controller, &AnnotationController::editConflict, this, [this](const QString& text) {
    m_conflict->setText(text);
    m_conflict->show();
  });
  connect(controller, &AnnotationController::sessionStarted, m_conflict, [this] {
    // A new session: only its own conflict (reported just before sessionStarted) stays.
    if (!m_conflictFresh) m_conflict->hide();
    m_conflictFresh = false;
  });
  connect(controller, &AnnotationController::editConflict, this, [this] { m_conflictFresh = true; });

  connect(controller, &AnnotationController::historyChanged, this, &AnnotationPanel::updateStatus);
  connect(controller, &AnnotationController::sessionStarted, this, &AnnotationPanel::updateStatus);
  connect(controller, &AnnotationController::masksChanged, this, [this] {
    m_lastSave = tr("unsaved changes");
    updateStatus();
  });
  connect(controller, &AnnotationController::saved, this, [this] {
    m_lastSave = tr("saved %1").arg(QTime::currentTime().toString(QStringLiteral("HH:mm:ss")));
    updateStatus();
  });
  updateStatus();
}

void AnnotationPanel::buildClasses() {
  // Rebuilt in place when the class list changes.
  auto* box = new QGroupBox(tr("Class"), this);
  auto* layout = new QVBoxLayout(box);
  auto* group = new QButtonGroup(box);
  for (const annotation::MaskClass& c : m_controller->configuredClasses().classes()) {
    const QString name = QString::fromStdString(c.displayName());
    auto* button = new QRadioButton(
        c.key.empty() ? name : QStringLiteral("%1  (%2)").arg(name, QString::fromStdString(c.key)), box);
    button->setObjectName(QStringLiteral("class-") + QString::fromStdString(c.name));
    QPixmap swatch(14, 14);
    swatch.fill(QColor(c.rgb[0], c.rgb[1], c.rgb[2]));
    button->setIcon(QIcon(swatch));
    button->setChecked(c.label == m_controller->activeLabel());
    group->addButton(button, c.label);
    layout->addWidget(button);
  }
  connect(group, &QButtonGroup::idClicked, m_controller, &AnnotationController::setActiveLabel);
  auto* outer = static_cast<QVBoxLayout*>(this->layout());
  if (m_classBox) {
    outer->replaceWidget(m_classBox, box);
    delete m_classBox;  // its buttons and group with it
  } else {
    outer->addWidget(box);
    connect(m_controller, &AnnotationController::activeLabelChanged, this, [this](int label) {
      if (QAbstractButton* b = m_classes->button(label)) b->setChecked(true);
    });
    connect(m_controller, &AnnotationController::classesChanged, this, &AnnotationPanel::buildClasses);
  }
  m_classBox = box;
  m_classes = group;
}

void AnnotationPanel::buildTools() {
  auto* box = new QGroupBox(tr("Tool"), this);
  auto* layout = new QVBoxLayout(box);
  m_tools = new QButtonGroup(this);
  for (const ToolRow& t : kTools) {
    auto* button = new QRadioButton(QStringLiteral("%1  (%2)").arg(tr(t.text), QString::fromLatin1(t.key)), box);
    button->setChecked(t.tool == m_controller->tool());
    m_tools->addButton(button, static_cast<int>(t.tool));
    layout->addWidget(button);
  }
  connect(m_tools, &QButtonGroup::idClicked, m_controller,
          [this](int id) { m_controller->setTool(static_cast<AnnotationTool>(id)); });
  connect(m_controller, &AnnotationController::toolChanged, this, [this](AnnotationTool tool) {
    if (QAbstractButton* b = m_tools->button(static_cast<int>(tool))) b->setChecked(true);
  });
  static_cast<QVBoxLayout*>(this->layout())->addWidget(box);
}

void AnnotationPanel::updateStatus() {
  m_undo->setEnabled(m_controller->canUndo());
  m_redo->setEnabled(m_controller->canRedo());
  const workstation::AnnotationSession* session = m_controller->session();
  if (!session) {
    m_status->setText(tr("Annotator: %1\nNo exam open for annotation.").arg(m_controller->annotator()));
    return;
  }
  m_status->setText(tr("Annotator: %1\nMasks: %2\nAutosave: %3")
                        .arg(QString::fromStdString(session->options().annotator),
                             QString::fromStdString(session->folder().string()),
                             m_lastSave.isEmpty() ? tr("nothing to save") : m_lastSave));
}

}  // namespace mammo::ui
