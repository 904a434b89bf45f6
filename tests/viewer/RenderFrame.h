#pragma once
// A rendered picture of an offscreen vtkRenderWindow, read back as RGB, addressed like a screen
// (x right, y down from the top), for tests that assert on displayed pixels.
#include <vtkImageData.h>
#include <vtkNew.h>
#include <vtkRenderWindow.h>
#include <vtkSmartPointer.h>
#include <vtkWindowToImageFilter.h>

#include <array>

namespace mammo::test {

class RenderFrame {
 public:
  explicit RenderFrame(vtkRenderWindow* window) {
    window->Render();
    vtkNew<vtkWindowToImageFilter> grab;
    grab->SetInput(window);
    grab->ReadFrontBufferOff();
    grab->Update();
    m_image = grab->GetOutput();
    m_height = window->GetSize()[1];
  }
  std::array<int, 3> rgb(int x, int yFromTop) const {
    auto* p = static_cast<unsigned char*>(m_image->GetScalarPointer(x, m_height - 1 - yFromTop, 0));
    return {p[0], p[1], p[2]};
  }
  int grey(int x, int yFromTop) const { return rgb(x, yFromTop)[1]; }

 private:
  vtkSmartPointer<vtkImageData> m_image;
  int m_height = 0;
};

// An offscreen window without multisampling (as the GUI runs), `width` x `height` device pixels.
inline vtkSmartPointer<vtkRenderWindow> offscreenWindow(int width, int height) {
  auto window = vtkSmartPointer<vtkRenderWindow>::New();
  window->SetMultiSamples(0);
  window->SetOffScreenRendering(1);
  window->SetSize(width, height);
  return window;
}

}  // namespace mammo::test
