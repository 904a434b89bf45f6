#pragma once
// The hung greyscale image on the GPU. The raw values sit in a 16-bit texture (a VTK_UNSIGNED_SHORT
// vtkImageData in world order: rows bottom-up, mirrored when hung mirrored) on a quad covering each stored
// pixel at its world position (ViewTransform). The fragment shader
// looks every sample up in a 65536-entry VOI table (see VoiTable.h), so a window/level change uploads 64 KB
// and the image texture is uploaded once per image.
//
// Why not vtkImageActor with a vtkLookupTable: VTK 9.1's vtkOpenGLImageSliceMapper maps the whole slice
// through the table on the CPU and re-uploads an RGBA texture whenever the table changes (measured here:
// about 150 ms per change for four 4096 x 3328 images at 1920 x 1080 under Xvfb, against about 15 ms for a
// whole frame with this layer; tests/bench/ViewerBench.cpp).
// GUI thread only (VTK objects are not thread-safe).
#include <cstdint>
#include <memory>
#include <vector>

#include "core/Image.h"
#include "viewer/ViewTransform.h"

class vtkActor;
class vtkImageData;

namespace mammo::viewer {

class ImageLayer {
 public:
  ImageLayer();
  ~ImageLayer();
  ImageLayer(const ImageLayer&) = delete;
  ImageLayer& operator=(const ImageLayer&) = delete;

  vtkActor* actor() const;
  // Copies the pixels into the texture's image data (texture values, see VoiTable.h). Hidden until set.
  void setImage(const core::Image& image, const ViewTransform& transform);
  void clear();
  // kVoiTableSize entries, 0 = black.
  void setTable(const std::vector<std::uint8_t>& table);
  // The texture's image data (for tests: texture values, VTK row order).
  vtkImageData* textureData() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

}  // namespace mammo::viewer
