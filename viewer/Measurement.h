#pragma once
// Distance measurements on one hung image: plain values in the stored image's pixel grid (so they stay on the
// anatomy under zoom, pan and mirroring), their length in millimetres from the pixel spacing (in pixels when
// the spacing is unknown), and the presenter that draws them into a view's renderer (a line with end ticks
// and a label at its end, world coordinates of viewer::ViewScene).
// GUI thread only for MeasurementLayer; the free functions are plain C++.
#include <array>
#include <memory>
#include <string>
#include <vector>

#include "core/Image.h"
#include "viewer/ViewTransform.h"

class vtkProp;
class vtkRenderer;

namespace mammo::viewer {

// Stored-image points as (row, col), continuous: pixel (r, c) is centred at (r, c).
struct Measurement {
  std::array<double, 2> from{0, 0};
  std::array<double, 2> to{0, 0};
};

struct Distance {
  double value = 0;
  bool millimetres = false;  // false: stored pixels (no pixel spacing)
  // Which spacing gave the millimetres when it is not PixelSpacing: "mag 1.08" (ImagerPixelSpacing divided
  // by the Estimated Radiographic Magnification Factor: at the breast), "at detector" (ImagerPixelSpacing
  // without one), "from file name"; empty for PixelSpacing and for pixels.
  std::string basis;
};

// The length of the measurement: rows scaled by the row spacing, columns by the column spacing. An
// ImagerPixelSpacing (the detector's) is divided by the image's magnification factor where it has one.
Distance measureDistance(const core::ImageInfo& info, const Measurement& m);
// "23.4 mm", "21.7 mm (mag 1.08)", "23.4 mm (at detector)" or "84.0 px".
std::string formatDistance(const Distance& d);

class MeasurementLayer {
 public:
  explicit MeasurementLayer(vtkRenderer* renderer);
  ~MeasurementLayer();
  MeasurementLayer(const MeasurementLayer&) = delete;
  MeasurementLayer& operator=(const MeasurementLayer&) = delete;

  // Redraws every measurement of the image `info` describes, placed through the view's transform.
  void update(const std::vector<Measurement>& measurements, const core::ImageInfo& info,
              const ViewTransform& transform);
  void clear();
  // What the loupe shows as well (the lines and the labels).
  std::vector<vtkProp*> props() const;
  // The labels as drawn, in the order of the measurements.
  std::vector<std::string> labels() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

}  // namespace mammo::viewer
