#include "registration/WorkingImage.h"

#include "core/Image.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

namespace mammo::registration::detail {
namespace {

// Used when an image carries no pixel spacing: a typical FFDM detector pitch.
constexpr double kDefaultSpacingMm = 0.1;

// Stored value -> working value: signed read as signed, MONOCHROME1 negated so the breast is bright.
class ValueMap {
 public:
  explicit ValueMap(const core::ImageInfo& info)
      : m_signed(info.pixelSigned), m_invert(info.photometric == core::Photometric::Monochrome1) {
    if (info.pixelPaddingValue) {
      const std::int32_t limit = info.pixelPaddingRangeLimit.value_or(*info.pixelPaddingValue);
      m_paddingFrom = std::min(*info.pixelPaddingValue, limit);
      m_paddingTo = std::max(*info.pixelPaddingValue, limit);
    }
  }

  std::int32_t stored(std::uint16_t raw) const {
    return m_signed ? static_cast<std::int32_t>(static_cast<std::int16_t>(raw)) : static_cast<std::int32_t>(raw);
  }
  float real(std::uint16_t raw) const {
    const auto v = static_cast<float>(stored(raw));
    return m_invert ? -v : v;
  }
  bool isPadding(std::uint16_t raw) const {
    const std::int32_t v = stored(raw);
    return v >= m_paddingFrom && v <= m_paddingTo;
  }
  // Padding reads as the darkest of the real pixels.
  void setAirFrom(const std::vector<std::uint16_t>& pixels) {
    float air = std::numeric_limits<float>::max();
    for (std::uint16_t raw : pixels) {
      if (!isPadding(raw)) air = std::min(air, real(raw));
    }
    m_air = air == std::numeric_limits<float>::max() ? 0.0f : air;
  }
  float value(std::uint16_t raw) const { return isPadding(raw) ? m_air : real(raw); }

 private:
  bool m_signed;
  bool m_invert;
  std::int32_t m_paddingFrom = 1, m_paddingTo = 0;  // inclusive; empty without padding
  float m_air = 0;
};

double validSpacing(double mm) { return std::isfinite(mm) && mm > 0 ? mm : kDefaultSpacingMm; }

}  // namespace

std::array<double, 2> WorkingImage::breastCentreMm() const {
  double mean = 0;
  for (float v : pixels) mean += v;
  mean /= static_cast<double>(pixels.size());
  double sumX = 0, sumY = 0, count = 0;
  for (int y = 0; y < rows; ++y) {
    for (int x = 0; x < columns; ++x) {
      if (pixels[static_cast<size_t>(y) * columns + x] > mean) {
        sumX += x;
        sumY += y;
        ++count;
      }
    }
  }
  const double cx = count > 0 ? sumX / count : (columns - 1) / 2.0;
  const double cy = count > 0 ? sumY / count : (rows - 1) / 2.0;
  return {originMm[0] + cx * spacingMm[0], originMm[1] + cy * spacingMm[1]};
}

WorkingImage makeWorkingImage(const core::Image& image, double workingSpacingMm, const std::string& name) {
  const core::ImageInfo& info = image.info;
  if (info.rows <= 0 || info.columns <= 0 || image.pixels.empty()) {
    throw Refused("The " + name + " image has no pixel data.");
  }
  const size_t expected = static_cast<size_t>(info.rows) * static_cast<size_t>(info.columns);
  if (image.pixels.size() != expected) {
    throw Refused("The " + name + " image is damaged: it holds " + std::to_string(image.pixels.size()) +
                  " pixel values for " + std::to_string(info.columns) + " x " + std::to_string(info.rows) + " pixels.");
  }

  WorkingImage out;
  out.sourceSpacingMm = {validSpacing(info.spacing ? info.spacing->columnMm : 0),
                         validSpacing(info.spacing ? info.spacing->rowMm : 0)};
  const int fx = std::max(1, static_cast<int>(std::lround(workingSpacingMm / out.sourceSpacingMm[0])));
  const int fy = std::max(1, static_cast<int>(std::lround(workingSpacingMm / out.sourceSpacingMm[1])));
  out.columns = std::max(1, info.columns / fx);
  out.rows = std::max(1, info.rows / fy);
  const int boxX = std::min(fx, info.columns);
  const int boxY = std::min(fy, info.rows);
  for (int d = 0; d < 2; ++d) {
    const int f = d == 0 ? boxX : boxY;
    out.spacingMm[d] = f * out.sourceSpacingMm[d];
    out.originMm[d] = (f - 1) / 2.0 * out.sourceSpacingMm[d];
  }

  ValueMap map(info);
  map.setAirFrom(image.pixels);
  out.pixels.assign(static_cast<size_t>(out.rows) * out.columns, 0.0f);
  std::vector<double> rowSums(out.columns);
  const double boxArea = static_cast<double>(boxX) * boxY;
  for (int wy = 0; wy < out.rows; ++wy) {
    std::fill(rowSums.begin(), rowSums.end(), 0.0);
    for (int y = wy * boxY; y < (wy + 1) * boxY; ++y) {
      const std::uint16_t* row = image.pixels.data() + static_cast<size_t>(y) * info.columns;
      for (int wx = 0; wx < out.columns; ++wx) {
        double sum = 0;
        for (int x = wx * boxX; x < (wx + 1) * boxX; ++x) sum += map.value(row[x]);
        rowSums[wx] += sum;
      }
    }
    for (int wx = 0; wx < out.columns; ++wx) {
      out.pixels[static_cast<size_t>(wy) * out.columns + wx] = static_cast<float>(rowSums[wx] / boxArea);
    }
  }

  const auto [lo, hi] = std::minmax_element(out.pixels.begin(), out.pixels.end());
  if (*lo == *hi) throw Refused("The " + name + " image is blank: every pixel has the same value.");
  return out;
}

}  // namespace mammo::registration::detail
