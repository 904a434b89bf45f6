#include "ui/VtkOpenGLWidget.h"

#include <QOpenGLContext>
#include <QOpenGLExtraFunctions>
#include <QSurfaceFormat>

#include <vtkCallbackCommand.h>
#include <vtkGenericOpenGLRenderWindow.h>
#include <vtkOpenGLFramebufferObject.h>
#include <vtkOpenGLState.h>

namespace mammo::ui {

void VtkOpenGLWidget::setDefaultSurfaceFormat() {
  QSurfaceFormat format;
  format.setRenderableType(QSurfaceFormat::OpenGL);
  format.setVersion(3, 2);
  format.setProfile(QSurfaceFormat::CoreProfile);
  format.setRedBufferSize(8);
  format.setGreenBufferSize(8);
  format.setBlueBufferSize(8);
  format.setAlphaBufferSize(8);
  format.setDepthBufferSize(8);
  format.setStencilBufferSize(0);
  format.setSamples(0);
  QSurfaceFormat::setDefaultFormat(format);
  vtkOpenGLRenderWindow::SetGlobalMaximumNumberOfMultiSamples(0);
}

VtkOpenGLWidget::VtkOpenGLWidget(QWidget* parent) : QOpenGLWidget(parent) {
  m_makeCurrent->SetClientData(this);
  m_makeCurrent->SetCallback(&VtkOpenGLWidget::onMakeCurrent);
  m_isCurrent->SetClientData(this);
  m_isCurrent->SetCallback(&VtkOpenGLWidget::onIsCurrent);
  m_window->AddObserver(vtkCommand::WindowMakeCurrentEvent, m_makeCurrent);
  m_window->AddObserver(vtkCommand::WindowIsCurrentEvent, m_isCurrent);
  m_window->SetFrameBlitModeToNoBlit();  // we blit into the widget's framebuffer ourselves
  m_window->SetMultiSamples(0);
  setFocusPolicy(Qt::StrongFocus);
  setMouseTracking(true);
}

VtkOpenGLWidget::~VtkOpenGLWidget() {
  // Release VTK's GL resources while our context still exists.
  makeCurrent();
  m_window->Finalize();
  doneCurrent();
}

vtkGenericOpenGLRenderWindow* VtkOpenGLWidget::renderWindow() const { return m_window; }

void VtkOpenGLWidget::onMakeCurrent(vtkObject*, unsigned long, void* clientData, void*) {
  auto* self = static_cast<VtkOpenGLWidget*>(clientData);
  // The context's makeCurrent, not QOpenGLWidget::makeCurrent(): the latter rebinds the widget's
  // framebuffer and VTK's picture comes out black (../shared/docs/QT6-VTK.md).
  if (QOpenGLContext* ctx = self->context()) ctx->makeCurrent(ctx->surface());
}

void VtkOpenGLWidget::onIsCurrent(vtkObject*, unsigned long, void* clientData, void* callData) {
  auto* self = static_cast<VtkOpenGLWidget*>(clientData);
  *static_cast<bool*>(callData) = self->context() && QOpenGLContext::currentContext() == self->context();
}

void VtkOpenGLWidget::initializeGL() {
  m_window->GetState()->Reset();
  m_window->GetState()->vtkglDepthFunc(GL_LEQUAL);
  m_window->SetForceMaximumHardwareLineWidth(1);
  m_window->SetReadyForRendering(true);
  m_window->SetOwnContext(0);
  m_window->OpenGLInitContext();
}

void VtkOpenGLWidget::resizeGL(int width, int height) {
  const qreal dpr = devicePixelRatioF();
  m_window->SetSize(static_cast<int>(width * dpr), static_cast<int>(height * dpr));
}

void VtkOpenGLWidget::paintGL() {
  vtkOpenGLState* state = m_window->GetState();
  state->Reset();
  state->Push();
  state->vtkglDepthFunc(GL_LEQUAL);  // Qt leaves GL_LESS
  m_window->Render();

  const qreal dpr = devicePixelRatioF();
  const int w = static_cast<int>(width() * dpr), h = static_cast<int>(height() * dpr);
  state->vtkglBindFramebuffer(GL_DRAW_FRAMEBUFFER, defaultFramebufferObject());
  const GLenum buffer = GL_COLOR_ATTACHMENT0;
  context()->extraFunctions()->glDrawBuffers(1, &buffer);
  state->vtkglDisable(GL_SCISSOR_TEST);
  int* size = m_window->GetRenderFramebuffer()->GetLastSize();
  m_window->BlitDisplayFramebuffer(0, 0, 0, size[0], size[1], 0, 0, w, h, GL_COLOR_BUFFER_BIT, GL_LINEAR);
  // Opaque alpha, or Qt composites the widget as transparent black.
  state->vtkglColorMask(GL_FALSE, GL_FALSE, GL_FALSE, GL_TRUE);
  state->vtkglClearColor(0, 0, 0, 1);
  state->vtkglClear(GL_COLOR_BUFFER_BIT);
  state->vtkglColorMask(GL_TRUE, GL_TRUE, GL_TRUE, GL_TRUE);
  state->Pop();
}

}  // namespace mammo::ui
