#pragma once
// The reading actions of the hanging panel as QActions with their shortcuts: fit, 1:1 pixels, true size,
// invert, reset, window/level presets (F2-F4: the header's windows then VOI LUTs; F5: full range), the
// synchronisation toggles, the loupe (L; size Ctrl+] / Ctrl+[, magnification Alt+] / Alt+[), measure mode (M;
// Delete removes the measurement nearest the cursor, Shift+Del all) and the heatmap contour mode (C) and
// colour bars (Shift+C); addHeatmapToggles: the malignant (Ctrl+M) and benign (Ctrl+B) heatmaps shown or
// hidden, the AI panel's check boxes following. Registered in the main window's ActionTable under `menu`, together with the panel's
// mouse gestures, so Help -> Keyboard shortcuts lists them. GUI thread only.
class QMenu;

namespace mammo::ui {

class ActionTable;
class AiPanel;
class FourViewPanel;

void addReadingActions(QMenu* menu, ActionTable& actions, FourViewPanel* panel);
void addHeatmapToggles(QMenu* menu, ActionTable& actions, AiPanel* ai);

}  // namespace mammo::ui
