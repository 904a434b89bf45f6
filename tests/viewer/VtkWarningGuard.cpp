// Emits one VTK warning, as a VTK object would on a misuse. Registered with the same output check as the
// viewer and GUI tests (MAMMO_VTK_WARNINGS) and WILL_FAIL: it passes only when that check catches the
// warning, so the guard on the real tests is known to work.
#include <vtkNew.h>
#include <vtkObject.h>
#include <vtkRenderer.h>

int main() {
  vtkNew<vtkRenderer> renderer;
  vtkWarningWithObjectMacro(renderer, << "a deliberate warning: the guard must catch this");
  return 0;
}
