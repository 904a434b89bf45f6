#include "viewer/ImageLayer.h"

#include <vtkActor.h>
#include <vtkCellArray.h>
#include <vtkFloatArray.h>
#include <vtkImageData.h>
#include <vtkNew.h>
#include <vtkObjectFactory.h>
#include <vtkOpenGLRenderWindow.h>
#include <vtkOpenGLShaderProperty.h>
#include <vtkOpenGLTexture.h>
#include <vtkPointData.h>
#include <vtkPoints.h>
#include <vtkPolyData.h>
#include <vtkPolyDataMapper.h>
#include <vtkProperty.h>
#include <vtkRenderer.h>
#include <vtkTextureObject.h>

#include <algorithm>

#include "viewer/VoiTable.h"

namespace mammo::viewer {

namespace {

// A texture that uploads its single-component image data as it is (GL_R16 for unsigned short, GL_R8 for
// unsigned char). VTK 9.1's vtkOpenGLTexture sends only 3- and 4-component data directly and maps every
// other input through a lookup table to RGBA8 on the CPU, which would both lose the 16-bit values and cost
// the per-change CPU pass this layer exists to avoid. The upload happens in Load(), where VTK has made the
// render window's context current. VTK conventions inside.
class RawTexture : public vtkOpenGLTexture {
 public:
  static RawTexture* New();
  vtkTypeMacro(RawTexture, vtkOpenGLTexture);

  void Load(vtkRenderer* renderer) override {
    vtkImageData* input = this->GetInput();
    if (!input || !input->GetPointData()->GetScalars()) return;
    auto* window = static_cast<vtkOpenGLRenderWindow*>(renderer->GetRenderWindow());
    if (!this->TextureObject) this->TextureObject = vtkTextureObject::New();
    if (this->GetMTime() > this->LoadTime || input->GetMTime() > this->LoadTime || this->RenderWindow != window ||
        window->GetContextCreationTime() > this->LoadTime) {
      this->RenderWindow = window;
      this->TextureObject->SetContext(window);
      int dims[3];
      input->GetDimensions(dims);
      vtkDataArray* scalars = input->GetPointData()->GetScalars();
      this->TextureObject->Create2DFromRaw(dims[0], dims[1], scalars->GetNumberOfComponents(), scalars->GetDataType(),
                                           scalars->GetVoidPointer(0));
      const int filter = this->Interpolate ? vtkTextureObject::Linear : vtkTextureObject::Nearest;
      this->TextureObject->SetMinificationFilter(filter);
      this->TextureObject->SetMagnificationFilter(filter);
      this->TextureObject->SetWrapS(vtkTextureObject::ClampToEdge);
      this->TextureObject->SetWrapT(vtkTextureObject::ClampToEdge);
      this->LoadTime.Modified();
    }
    this->TextureObject->Activate();
  }

  // The actor is forced opaque; a one-channel texture holds values, not alpha.
  int IsTranslucent() override { return 0; }

 protected:
  RawTexture() = default;
  ~RawTexture() override = default;
};

vtkStandardNewMacro(RawTexture);

// The table is a 256 x 256 texture: texture value t sits at (t & 255, t >> 8). texelFetch reads it exactly,
// without filtering. The image texture is GL_R16 (normalised), so sampling returns t / 65535, interpolated
// between neighbouring texels before the lookup; that is interpolation of stored values, not of greys.
constexpr const char* kVoiLookup = R"(
  float textureValue = texture(actortexture, tcoordVCVSOutput).r * 65535.0;
  int t = clamp(int(textureValue + 0.5), 0, 65535);
  float grey = texelFetch(voiTable, ivec2(t & 255, t >> 8), 0).r;
  gl_FragData[0] = vec4(grey, grey, grey, 1.0);
)";

}  // namespace

struct ImageLayer::Impl {
  vtkNew<vtkActor> actor;
  vtkNew<vtkPolyData> quad;
  vtkNew<vtkPolyDataMapper> mapper;
  vtkNew<vtkImageData> pixels;
  vtkNew<RawTexture> pixelTexture;
  vtkNew<vtkImageData> table;
  vtkNew<RawTexture> tableTexture;

  void setQuad(int rows, int cols) {
    vtkNew<vtkPoints> points;
    points->InsertNextPoint(-0.5, -0.5, 0);
    points->InsertNextPoint(cols - 0.5, -0.5, 0);
    points->InsertNextPoint(cols - 0.5, rows - 0.5, 0);
    points->InsertNextPoint(-0.5, rows - 0.5, 0);
    vtkNew<vtkFloatArray> tcoords;
    tcoords->SetNumberOfComponents(2);
    const float uv[4][2] = {{0, 0}, {1, 0}, {1, 1}, {0, 1}};
    for (const auto& p : uv) tcoords->InsertNextTuple(p);
    vtkNew<vtkCellArray> cells;
    const vtkIdType ids[4] = {0, 1, 2, 3};
    cells->InsertNextCell(4, ids);
    quad->SetPoints(points);
    quad->SetPolys(cells);
    quad->GetPointData()->SetTCoords(tcoords);
  }
};

ImageLayer::ImageLayer() : m_impl(std::make_unique<Impl>()) {
  Impl& d = *m_impl;
  d.mapper->SetInputData(d.quad);
  d.mapper->ScalarVisibilityOff();
  d.actor->SetMapper(d.mapper);
  d.pixelTexture->SetInputData(d.pixels);
  d.pixelTexture->InterpolateOn();
  d.table->SetDimensions(256, 256, 1);
  d.table->AllocateScalars(VTK_UNSIGNED_CHAR, 1);
  d.tableTexture->SetInputData(d.table);
  d.tableTexture->InterpolateOff();
  d.actor->SetTexture(d.pixelTexture);
  d.actor->GetProperty()->SetTexture("voiTable", d.tableTexture);
  d.actor->GetProperty()->LightingOff();
  // Drawn in the opaque pass, before the translucent heatmap overlays, never blended.
  d.actor->ForceOpaqueOn();
  auto* shader = vtkOpenGLShaderProperty::SafeDownCast(d.actor->GetShaderProperty());
  shader->AddFragmentShaderReplacement("//VTK::TCoord::Impl", true, kVoiLookup, false);
  d.actor->VisibilityOff();
}

ImageLayer::~ImageLayer() = default;

vtkActor* ImageLayer::actor() const { return m_impl->actor; }

vtkImageData* ImageLayer::textureData() const { return m_impl->pixels; }

void ImageLayer::setImage(const core::Image& image, const ViewTransform& transform) {
  Impl& d = *m_impl;
  const int rows = image.info.rows, cols = image.info.columns;
  d.pixels->SetDimensions(cols, rows, 1);
  d.pixels->AllocateScalars(VTK_UNSIGNED_SHORT, 1);
  auto* dst = static_cast<std::uint16_t*>(d.pixels->GetScalarPointer());
  const bool offset = image.info.pixelSigned;
  for (int r = 0; r < rows; ++r) {
    const std::uint16_t* src = image.pixels.data() + static_cast<size_t>(r) * cols;
    std::uint16_t* row = dst + static_cast<size_t>(rows - 1 - r) * cols;  // VTK rows run bottom-up
    transform.copyRowToWorld(src, row, cols);
    if (offset) {
      for (int c = 0; c < cols; ++c) row[c] = textureValue(image.info, row[c]);
    }
  }
  d.pixels->Modified();
  d.setQuad(rows, cols);
  d.actor->VisibilityOn();
}

void ImageLayer::clear() {
  m_impl->actor->VisibilityOff();
  m_impl->pixels->Initialize();
}

void ImageLayer::setTable(const std::vector<std::uint8_t>& table) {
  auto* dst = static_cast<std::uint8_t*>(m_impl->table->GetScalarPointer());
  std::copy_n(table.begin(), std::min<size_t>(table.size(), kVoiTableSize), dst);
  m_impl->table->Modified();
}

}  // namespace mammo::viewer
