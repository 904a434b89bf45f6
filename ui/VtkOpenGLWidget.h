#pragma once
// The Qt 6 <-> VTK bridge: a QOpenGLWidget hosting a vtkGenericOpenGLRenderWindow (VTK's own Qt module is
// built against Qt 5 on Debian and must not be linked; see ../shared/docs/QT6-VTK.md). VTK renders into its
// own framebuffer inside paintGL(), which is then blitted into the widget's framebuffer.
// GUI thread only. Repaint with update(); never call Render() from outside paintGL().
#include <QOpenGLWidget>

#include <vtkNew.h>

class vtkGenericOpenGLRenderWindow;
class vtkCallbackCommand;
class vtkObject;

namespace mammo::ui {

class VtkOpenGLWidget : public QOpenGLWidget {
  Q_OBJECT

 public:
  explicit VtkOpenGLWidget(QWidget* parent = nullptr);
  ~VtkOpenGLWidget() override;

  vtkGenericOpenGLRenderWindow* renderWindow() const;
  // Must run before QApplication is constructed: GL 3.2 core, RGBA8, depth 8, no stencil, no multisampling.
  static void setDefaultSurfaceFormat();

 protected:
  void initializeGL() override;
  void resizeGL(int width, int height) override;
  void paintGL() override;

 private:
  static void onMakeCurrent(vtkObject*, unsigned long, void* clientData, void*);
  static void onIsCurrent(vtkObject*, unsigned long, void* clientData, void* callData);

  vtkNew<vtkGenericOpenGLRenderWindow> m_window;
  vtkNew<vtkCallbackCommand> m_makeCurrent;
  vtkNew<vtkCallbackCommand> m_isCurrent;
};

}  // namespace mammo::ui
