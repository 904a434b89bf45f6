#pragma once
// Private to mammo_registration (ITK-free): the images as the registration sees them.
#include <array>
#include <stdexcept>
#include <string>
#include <vector>

#include "registration/PriorRegistration.h"

namespace mammo::core {
struct Image;
}

namespace mammo::registration::detail {

// Why an image pair cannot be registered; registerPrior turns it into ok = false with this message.
class Refused : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// One stored image box-averaged to about the working spacing, with the breast bright (MONOCHROME1
// inverted) and DICOM pixel padding at the level of the darkest real pixel. Millimetres are the stored
// image's: stored pixel (x, y) lies at (x * sourceSpacingMm[0], y * sourceSpacingMm[1]). Index 0 is x
// (column), 1 is y (row), as in ITK.
struct WorkingImage {
  int columns = 0;
  int rows = 0;
  std::vector<float> pixels;  // rows * columns, row-major
  std::array<double, 2> sourceSpacingMm{};  // of the stored pixels
  std::array<double, 2> spacingMm{};  // of the working pixels
  std::array<double, 2> originMm{};  // where the centre of working pixel (0, 0) lies

  // Stored pixel -> mm.
  Affine2D pixelToMm() const { return Affine2D::scaling(sourceSpacingMm[0], sourceSpacingMm[1]); }
  // The centre of the bright (breast) part, mm; the image centre when nothing stands out.
  std::array<double, 2> breastCentreMm() const;
};

// `name` ("current", "prior") names the image in messages. Throws Refused when the image has no pixels, is
// damaged (fewer values than rows x columns) or is blank.
WorkingImage makeWorkingImage(const core::Image& image, double workingSpacingMm, const std::string& name);

}  // namespace mammo::registration::detail
