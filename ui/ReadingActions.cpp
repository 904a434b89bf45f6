#include "ui/ReadingActions.h"

#include <QAction>
#include <QActionGroup>
#include <QMenu>

#include "ui/ActionTable.h"
#include "ui/AiPanel.h"
#include "ui/FourViewPanel.h"

namespace mammo::ui {

namespace {

void addPresets(QMenu* menu, ActionTable& actions, FourViewPanel* panel) {
  // Fixed keys per slot, so F5 always means "full range" whatever the header holds.
  const Qt::Key keys[] = {Qt::Key_F2, Qt::Key_F3, Qt::Key_F4};
  for (int i = 0; i < 3; ++i) {
    QAction* a = actions.add(menu, QObject::tr("Window preset %1 (DICOM header)").arg(i + 1), QKeySequence(keys[i]));
    QObject::connect(a, &QAction::triggered, panel, [panel, i] { panel->applyHeaderPreset(i); });
  }
  QAction* full = actions.add(menu, QObject::tr("Window: full range"), QKeySequence(Qt::Key_F5));
  QObject::connect(full, &QAction::triggered, panel, &FourViewPanel::applyFullRange);
}

void addSync(QMenu* menu, ActionTable& actions, FourViewPanel* panel) {
  QAction* syncWl = actions.add(menu, QObject::tr("Synchronise window/level"), QKeySequence(QStringLiteral("Shift+W")));
  syncWl->setCheckable(true);
  syncWl->setChecked(panel->syncWindowLevel());
  QObject::connect(syncWl, &QAction::toggled, panel, &FourViewPanel::setSyncWindowLevel);

  auto* group = new QActionGroup(menu);
  const std::pair<const char*, viewer::SyncScope> scopes[] = {
      {"Zoom/pan: each view on its own", viewer::SyncScope::None},
      {"Zoom/pan: synchronise the mirrored pair", viewer::SyncScope::MirroredPair},
      {"Zoom/pan: synchronise all views", viewer::SyncScope::AllViews}};
  // Ctrl + the number of views that move together.
  const char* keys[] = {"Ctrl+1", "Ctrl+2", "Ctrl+4"};
  for (int i = 0; i < 3; ++i) {
    const viewer::SyncScope scope = scopes[i].second;
    QAction* a = actions.add(menu, QObject::tr(scopes[i].first), QKeySequence(QString::fromLatin1(keys[i])));
    a->setCheckable(true);
    a->setChecked(panel->syncScope() == scope);
    group->addAction(a);
    QObject::connect(a, &QAction::triggered, panel, [panel, scope] { panel->setSyncScope(scope); });
  }
}

QAction* addToggle(QMenu* menu, ActionTable& actions, const QString& text, const QKeySequence& key, bool checked) {
  QAction* a = actions.add(menu, text, key);
  a->setCheckable(true);
  a->setChecked(checked);
  return a;
}

void addLoupe(QMenu* menu, ActionTable& actions, FourViewPanel* panel) {
  QAction* loupe = addToggle(menu, actions, QObject::tr("&Loupe"), QKeySequence(Qt::Key_L), panel->loupeEnabled());
  QObject::connect(loupe, &QAction::toggled, panel, &FourViewPanel::setLoupeEnabled);
  QObject::connect(panel, &FourViewPanel::loupeToggled, loupe, &QAction::setChecked);
  const struct {
    const char* text;
    const char* key;
    bool size;
    int steps;
  } steps[] = {{"Larger loupe", "Ctrl+]", true, 1},
               {"Smaller loupe", "Ctrl+[", true, -1},
               {"Loupe: more magnification", "Alt+]", false, 1},
               {"Loupe: less magnification", "Alt+[", false, -1}};
  for (const auto& s : steps) {
    QAction* a = actions.add(menu, QObject::tr(s.text), QKeySequence(QString::fromLatin1(s.key)));
    const bool size = s.size;
    const int n = s.steps;
    QObject::connect(a, &QAction::triggered, panel, [panel, size, n] {
      if (size)
        panel->changeLoupeSize(n);
      else
        panel->changeLoupeMagnification(n);
    });
  }
}

void addMeasure(QMenu* menu, ActionTable& actions, FourViewPanel* panel) {
  QAction* measure =
      addToggle(menu, actions, QObject::tr("&Measure distance"), QKeySequence(Qt::Key_M), panel->measureMode());
  QObject::connect(measure, &QAction::toggled, panel, &FourViewPanel::setMeasureMode);
  QObject::connect(panel, &FourViewPanel::measureModeToggled, measure, &QAction::setChecked);
  QAction* remove =
      actions.add(menu, QObject::tr("Delete measurement (nearest the cursor)"), QKeySequence(Qt::Key_Delete));
  QObject::connect(remove, &QAction::triggered, panel, &FourViewPanel::deleteMeasurement);
  QAction* clear = actions.add(menu, QObject::tr("Clear measurements"), QKeySequence(QStringLiteral("Shift+Del")));
  QObject::connect(clear, &QAction::triggered, panel, &FourViewPanel::clearMeasurements);
}

void addHeatmapPresentation(QMenu* menu, ActionTable& actions, FourViewPanel* panel) {
  QAction* contours =
      addToggle(menu, actions, QObject::tr("Heatmap &contours"), QKeySequence(Qt::Key_C), panel->heatmapContours());
  QObject::connect(contours, &QAction::toggled, panel, &FourViewPanel::setHeatmapContours);
  QAction* bars = addToggle(menu, actions, QObject::tr("Heatmap colour &bars"), QKeySequence(QStringLiteral("Shift+C")),
                            panel->colourBarsEnabled());
  QObject::connect(bars, &QAction::toggled, panel, &FourViewPanel::setColourBarsEnabled);
}

}  // namespace

void addHeatmapToggles(QMenu* menu, ActionTable& actions, AiPanel* ai) {
  const struct {
    const char* text;
    const char* key;
    viewer::HeatmapKind kind;
  } toggles[] = {{"Show &malignant heatmap", "Ctrl+M", viewer::HeatmapKind::Malignant},
                 {"Show &benign heatmap", "Ctrl+B", viewer::HeatmapKind::Benign}};
  for (const auto& t : toggles) {
    const viewer::HeatmapKind kind = t.kind;
    QAction* a = addToggle(menu, actions, QObject::tr(t.text), QKeySequence(QString::fromLatin1(t.key)),
                           ai->heatmapStyle(kind).visible);
    QObject::connect(a, &QAction::toggled, ai, [ai, kind](bool on) { ai->setHeatmapVisible(kind, on); });
    QObject::connect(ai, &AiPanel::heatmapVisibilityChanged, a, [a, kind](viewer::HeatmapKind k, bool on) {
      if (k == kind) a->setChecked(on);
    });
  }
}

void addReadingActions(QMenu* menu, ActionTable& actions, FourViewPanel* panel) {
  const struct {
    const char* text;
    QKeySequence key;
    void (FourViewPanel::*slot)();
  } simple[] = {
      {"&Fit", QKeySequence(Qt::Key_F), &FourViewPanel::fitViews},
      {"1:1 &pixels", QKeySequence(Qt::Key_Equal), &FourViewPanel::showActualPixels},
      {"&True size (mm)", QKeySequence(Qt::Key_T), &FourViewPanel::showTrueSize},
      {"&Invert", QKeySequence(Qt::Key_I), &FourViewPanel::toggleInvert},
      {"&Reset window, zoom and pan", QKeySequence(Qt::Key_R), &FourViewPanel::resetViews},
  };
  for (const auto& s : simple) {
    QAction* a = actions.add(menu, QObject::tr(s.text), s.key);
    QObject::connect(a, &QAction::triggered, panel, s.slot);
  }
  menu->addSeparator();
  addPresets(menu, actions, panel);
  menu->addSeparator();
  addSync(menu, actions, panel);
  menu->addSeparator();
  addLoupe(menu, actions, panel);
  menu->addSeparator();
  addMeasure(menu, actions, panel);
  menu->addSeparator();
  addHeatmapPresentation(menu, actions, panel);

  const QString mouse = QObject::tr("Mouse");
  actions.addGesture(mouse, QObject::tr("Window (drag right: wider) / level (drag down: higher centre)"),
                     QObject::tr("Left drag"));
  actions.addGesture(mouse, QObject::tr("Zoom centred on the cursor"), QObject::tr("Wheel"));
  actions.addGesture(mouse, QObject::tr("Pan"), QObject::tr("Middle or right drag"));
  actions.addGesture(mouse, QObject::tr("Single view / back to the layout"), QObject::tr("Double-click"));
  actions.addGesture(mouse, QObject::tr("Measure a distance (in measure mode)"), QObject::tr("Left drag"));
}

}  // namespace mammo::ui
