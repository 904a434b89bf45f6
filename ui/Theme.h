#pragma once
// The dark reading-room theme (Fusion style, dark palette): bright UI chrome distracts from images.
class QApplication;

namespace mammo::ui {
void applyDarkTheme(QApplication& app);
}
