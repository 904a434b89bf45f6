#include "core/Phantom.h"

#include <unsupported/Eigen/FFT>

#include <algorithm>
#include <cmath>
#include <complex>

#include "core/Job.h"
#include "core/Orientation.h"
#include "core/PngIO.h"

namespace mammo::core {
namespace fs = std::filesystem;

namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr int kMaxValue = 4095;  // 12 bits stored

// SplitMix64: small, fast, and the same on every platform (unlike std:: distributions).
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : m_state(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (m_state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  double uniform() { return (next() >> 11) * (1.0 / 9007199254740992.0); }
  double uniform(double a, double b) { return a + (b - a) * uniform(); }
  int integer(int lo, int hi) { return lo + static_cast<int>(uniform() * (hi - lo + 1)); }
  double normal() {
    if (m_hasSpare) {
      m_hasSpare = false;
      return m_spare;
    }
    double u = 0, v = 0;
    while (u <= 1e-300) u = uniform();
    v = uniform();
    const double r = std::sqrt(-2.0 * std::log(u));
    m_spare = r * std::sin(2 * kPi * v);
    m_hasSpare = true;
    return r * std::cos(2 * kPi * v);
  }

 private:
  std::uint64_t m_state;
  bool m_hasSpare = false;
  double m_spare = 0;
};

std::uint64_t mix(std::uint64_t a, std::uint64_t b) {
  return Rng(a * 0x100000001B3ull ^ (b + 0x9E3779B97F4A7C15ull)).next();
}

// A Gaussian random field with power spectrum 1/f^beta on an n x n grid, zero mean, unit variance.
std::vector<float> powerLawTexture(int n, double beta, Rng& rng) {
  std::vector<std::complex<float>> grid(static_cast<size_t>(n) * n);
  for (int y = 0; y < n; ++y) {
    const int fy = y <= n / 2 ? y : y - n;
    for (int x = 0; x < n; ++x) {
      const int fx = x <= n / 2 ? x : x - n;
      const double f = std::sqrt(double(fx) * fx + double(fy) * fy);
      const double amplitude = f < 1 ? 0.0 : std::pow(f, -beta / 2.0);
      const double a = rng.normal(), b = rng.normal();
      grid[static_cast<size_t>(y) * n + x] = {static_cast<float>(a * amplitude), static_cast<float>(b * amplitude)};
    }
  }
  Eigen::FFT<float> fft;
  std::vector<std::complex<float>> in(n), out(n);
  for (int y = 0; y < n; ++y) {
    std::copy_n(grid.begin() + static_cast<size_t>(y) * n, n, in.begin());
    fft.inv(out, in);
    std::copy_n(out.begin(), n, grid.begin() + static_cast<size_t>(y) * n);
  }
  for (int x = 0; x < n; ++x) {
    for (int y = 0; y < n; ++y) in[y] = grid[static_cast<size_t>(y) * n + x];
    fft.inv(out, in);
    for (int y = 0; y < n; ++y) grid[static_cast<size_t>(y) * n + x] = out[y];
  }
  std::vector<float> field(grid.size());
  double sum = 0, sq = 0;
  for (size_t i = 0; i < grid.size(); ++i) {
    field[i] = grid[i].real();
    sum += field[i];
    sq += double(field[i]) * field[i];
  }
  const double mean = sum / field.size();
  const double sd = std::sqrt(std::max(1e-20, sq / field.size() - mean * mean));
  for (auto& v : field) v = static_cast<float>((v - mean) / sd);
  return field;
}

// The FFT-made field is periodic, so sampling wraps around (clamping would smear edge rows into streaks).
float sampleBilinear(const std::vector<float>& field, int n, double y, double x) {
  y = std::fmod(y, double(n));
  x = std::fmod(x, double(n));
  const int y0 = static_cast<int>(y), x0 = static_cast<int>(x);
  const int y1 = (y0 + 1) % n, x1 = (x0 + 1) % n;
  const double fy = y - y0, fx = x - x0;
  const float* r0 = field.data() + static_cast<size_t>(y0) * n;
  const float* r1 = field.data() + static_cast<size_t>(y1) * n;
  return static_cast<float>((1 - fy) * ((1 - fx) * r0[x0] + fx * r0[x1]) + fy * ((1 - fx) * r1[x0] + fx * r1[x1]));
}

double smoothstep(double e0, double e1, double x) {
  const double t = std::clamp((x - e0) / (e1 - e0), 0.0, 1.0);
  return t * t * (3 - 2 * t);
}

struct Geometry {
  int rows = 0, cols = 0;
  double spacing = 0.28;
  bool mlo = false;
  double centreRow = 0, halfHeight = 0, depth = 0;  // ellipse against the chest wall (column 0)
  double pectoralWidth = 0, pectoralHeight = 0;  // MLO wedge in the upper chest-wall corner

  // Normalised radius: < 1 inside the breast outline.
  double rho(double r, double c) const {
    const double dy = (r - centreRow) / halfHeight, dx = c / depth;
    return std::sqrt(dy * dy + dx * dx);
  }
  bool inPectoral(double r, double c) const { return mlo && c / pectoralWidth + r / pectoralHeight < 1.0; }
  // Pixel position of a lesion given in shared breast coordinates.
  std::pair<double, double> place(const Lesion& l) const {
    const double across = (mlo ? l.upDown : l.across) * 0.75;
    const double row = centreRow + across * halfHeight;
    const double col = l.depth * depth * std::sqrt(std::max(0.05, 1.0 - across * across));
    return {row, col};
  }
};

struct Canvas {
  const Geometry& g;
  std::vector<float>& add;  // extra signal
  std::vector<std::uint8_t>& mask;  // lesion mask
  void stamp(double cy, double cx, double radius, double amplitude, double edge, bool markMask, double aspect = 1,
             double angle = 0) {
    const int r0 = std::max(0, static_cast<int>(cy - radius * 1.6 - 2)),
              r1 = std::min(g.rows - 1, static_cast<int>(cy + radius * 1.6 + 2));
    const int c0 = std::max(0, static_cast<int>(cx - radius * 1.6 - 2)),
              c1 = std::min(g.cols - 1, static_cast<int>(cx + radius * 1.6 + 2));
    const double ca = std::cos(angle), sa = std::sin(angle);
    for (int r = r0; r <= r1; ++r) {
      for (int c = c0; c <= c1; ++c) {
        const double dy = r - cy, dx = c - cx;
        const double u = (dx * ca + dy * sa), v = (-dx * sa + dy * ca) / aspect;
        const double d = std::sqrt(u * u + v * v);
        const double w = 1.0 - smoothstep(radius - edge, radius + edge, d);
        if (w <= 0) continue;
        const size_t i = static_cast<size_t>(r) * g.cols + c;
        add[i] = std::max(add[i], static_cast<float>(amplitude * w));
        if (markMask && d <= radius) mask[i] = 1;
      }
    }
  }
  void line(double y0, double x0, double y1, double x1, double width, double amplitude) {
    const double len = std::hypot(y1 - y0, x1 - x0);
    const int steps = std::max(2, static_cast<int>(len * 2));
    for (int s = 0; s <= steps; ++s) {
      const double t = double(s) / steps;
      stamp(y0 + t * (y1 - y0), x0 + t * (x1 - x0), width * (1 - 0.7 * t), amplitude * (1 - 0.5 * t), 0.7, false);
    }
  }
};

// Benign and malignant findings differ the way radiologists tell them apart, strongly enough to survive
// the reduced resolutions that models train at (about 0.5 mm per pixel): benign masses are round, smooth
// and faint, benign calcifications a few large "popcorn" specks; malignant masses are dense, irregular cores
// with long, wide spicules, and malignant calcifications a dense cluster of many fine specks over an
// irregular density.
void drawLesion(const Lesion& lesion, const Geometry& g, Rng& rng, Canvas& canvas) {
  const auto [cy, cx] = g.place(lesion);
  const double px = 1.0 / g.spacing;  // pixels per mm
  const double radius = std::max(2.0, lesion.radiusMm * px);
  switch (lesion.kind) {
    case LesionKind::CircumscribedMass:
      canvas.stamp(cy, cx, radius, rng.uniform(300, 420), std::max(1.0, 1.0 * px), true, rng.uniform(0.85, 1.0),
                   rng.uniform(0, kPi));
      break;
    case LesionKind::SpiculatedMass: {
      // Irregular dense core plus radiating spicules.
      for (int k = 0; k < 8; ++k) {
        const double a = rng.uniform(0, 2 * kPi), off = rng.uniform(0, 0.4) * radius;
        canvas.stamp(cy + off * std::sin(a), cx + off * std::cos(a), radius * rng.uniform(0.5, 0.8),
                     rng.uniform(650, 850), std::max(1.0, 0.6 * px), true);
      }
      const int spikes = rng.integer(10, 16);
      for (int k = 0; k < spikes; ++k) {
        const double a = 2 * kPi * k / spikes + rng.uniform(-0.2, 0.2);
        const double len = radius * rng.uniform(2.0, 3.2);
        canvas.line(cy + 0.6 * radius * std::sin(a), cx + 0.6 * radius * std::cos(a), cy + len * std::sin(a),
                    cx + len * std::cos(a), std::max(1.5, 1.0 * px), rng.uniform(400, 550));
      }
      break;
    }
    case LesionKind::FineCalcificationCluster: {
      for (int k = 0; k < 4; ++k) {
        const double a = rng.uniform(0, 2 * kPi), off = rng.uniform(0, 0.5) * radius;
        canvas.stamp(cy + off * std::sin(a), cx + off * std::cos(a), radius * rng.uniform(0.4, 0.6),
                     rng.uniform(350, 450), std::max(1.0, 0.8 * px), false);
      }
      const int specks = rng.integer(30, 50);
      for (int k = 0; k < specks; ++k) {
        const double a = rng.uniform(0, 2 * kPi), d = radius * std::sqrt(rng.uniform());
        canvas.stamp(cy + d * std::sin(a), cx + d * std::cos(a), std::max(0.8, rng.uniform(0.2, 0.4) * px),
                     rng.uniform(1300, 1800), 0.5, false, rng.uniform(0.4, 1.0), rng.uniform(0, kPi));
      }
      // Radiologists outline the cluster, not each speck.
      for (int r = std::max(0, int(cy - radius)); r <= std::min(g.rows - 1, int(cy + radius)); ++r) {
        for (int c = std::max(0, int(cx - radius)); c <= std::min(g.cols - 1, int(cx + radius)); ++c) {
          if (std::hypot(r - cy, c - cx) <= radius) canvas.mask[static_cast<size_t>(r) * g.cols + c] = 1;
        }
      }
      break;
    }
    case LesionKind::CoarseCalcifications: {
      const int specks = rng.integer(2, 4);
      for (int k = 0; k < specks; ++k) {
        const double a = rng.uniform(0, 2 * kPi), d = radius * std::sqrt(rng.uniform());
        canvas.stamp(cy + d * std::sin(a), cx + d * std::cos(a), std::max(1.5, rng.uniform(1.0, 1.8) * px),
                     rng.uniform(900, 1200), 0.6, true);
      }
      break;
    }
  }
}

PhantomImage renderView(StandardView view, const PhantomOptions& options, const std::vector<Lesion>& lesions,
                        std::uint64_t examSeed, double density, const std::string& examId) {
  Rng rng(mix(examSeed, 1000 + static_cast<int>(view)));
  Geometry g;
  const bool full = options.size == PhantomSize::Full;
  g.rows = full ? 4096 : 1024;
  g.cols = full ? 3328 : 832;
  g.spacing = full ? 0.07 : 0.28;
  g.mlo = viewPositionOf(view) == ViewPosition::MLO;
  if (g.mlo) {
    g.centreRow = g.rows * rng.uniform(0.46, 0.52);
    g.halfHeight = g.rows * rng.uniform(0.47, 0.52);
    g.depth = g.cols * rng.uniform(0.60, 0.72);
    g.pectoralWidth = g.cols * rng.uniform(0.25, 0.35);
    g.pectoralHeight = g.rows * rng.uniform(0.45, 0.6);
  } else {
    g.centreRow = g.rows * rng.uniform(0.47, 0.53);
    g.halfHeight = g.rows * rng.uniform(0.36, 0.44);
    g.depth = g.cols * rng.uniform(0.55, 0.70);
  }
  const int n = full ? 1024 : 256;
  const std::vector<float> texture = powerLawTexture(n, options.betaExponent, rng);
  const std::vector<float> fine = powerLawTexture(n, 2.0, rng);
  const double scale = double(n - 1) / std::max(g.rows, g.cols);

  PhantomImage out;
  const size_t count = static_cast<size_t>(g.rows) * g.cols;
  std::vector<float> lesionSignal(count, 0.0f);
  out.benignMask.assign(count, 0);
  out.malignantMask.assign(count, 0);
  const Laterality side = lateralityOf(view);
  for (const Lesion& l : lesions) {
    if (l.side != side) continue;
    Rng lesionRng(mix(examSeed, static_cast<std::uint64_t>(l.depth * 1e6) + 7 * static_cast<int>(view)));
    Canvas canvas{g, lesionSignal, isMalignant(l.kind) ? out.malignantMask : out.benignMask};
    drawLesion(l, g, lesionRng, canvas);
  }

  std::vector<std::uint16_t>& pixels = out.image.pixels;
  pixels.assign(count, 0);
  const double edgePx = 8.0 / g.spacing, skinPx = 1.5 / g.spacing;
  const double threshold = 0.9 - 1.4 * density;  // denser breasts: more texture above threshold
  for (int r = 0; r < g.rows; ++r) {
    for (int c = 0; c < g.cols; ++c) {
      const double rho = g.rho(r, c);
      const bool pect = g.inPectoral(r, c);
      if (rho >= 1.0 && !pect) continue;
      const double fromSkin = rho < 1.0 ? (1.0 - rho) * std::min(g.depth, g.halfHeight) : edgePx;
      const double thickness = smoothstep(0.0, edgePx, fromSkin);
      const double t = sampleBilinear(texture, n, r * scale, c * scale);
      const double f = sampleBilinear(fine, n, r * scale * 3.0, c * scale * 3.0);
      const double dn = double(c) / g.depth;
      const double centrality = std::exp(-((dn - 0.4) * (dn - 0.4)) / 0.18);
      const double gland = 1.0 / (1.0 + std::exp(-(t - threshold) * 3.0));
      double v = 700 + 600 * thickness + 900 * gland * centrality * thickness + 60 * f;
      if (fromSkin < skinPx) v += 220 * (1.0 - fromSkin / skinPx);
      if (pect) {
        const double edge = smoothstep(0.0, 0.06, 1.0 - (c / g.pectoralWidth + r / g.pectoralHeight));
        v = v * (1 - edge) + (2350 + 80 * t) * edge;
      }
      const size_t i = static_cast<size_t>(r) * g.cols + c;
      v += lesionSignal[i] * std::max(0.3, thickness);
      v += rng.normal() * (10.0 + 0.015 * v);  // detector noise
      pixels[i] = static_cast<std::uint16_t>(std::clamp(std::lround(v), 1l, static_cast<long>(kMaxValue)));
    }
  }
  // Breast pixels against the chest wall are never background.
  if (side == Laterality::Right) {
    mirrorColumns(pixels, g.rows, g.cols);
    mirrorColumns(out.benignMask, g.rows, g.cols);
    mirrorColumns(out.malignantMask, g.rows, g.cols);
  }
  ImageInfo& info = out.image.info;
  info.format = "DICOM";
  info.rows = g.rows;
  info.columns = g.cols;
  info.bitsAllocated = 16;
  info.bitsStored = 12;
  info.laterality = side;
  info.view = viewPositionOf(view);
  info.photometric = Photometric::Monochrome2;
  info.intent = PresentationIntent::ForPresentation;
  info.windows = {{1700, 2600, "PHANTOM DEFAULT"}, {1800, 1400, "PHANTOM CONTRAST"}};
  info.spacing = PixelSpacing{g.spacing, g.spacing, "ImagerPixelSpacing"};
  static const char* kOrientation[] = {"A\\R", "P\\L", "A\\F", "P\\F"};
  info.patientOrientation = kOrientation[static_cast<int>(view)];
  info.modality = "MG";
  info.patientId = examId;
  info.patientName = "PHANTOM^" + examId;
  info.accessionNumber = examId;
  info.studyDate = "20260101";
  info.studyDescription = "Synthetic screening mammogram (phantom)";
  info.manufacturer = "Mammolens phantom generator";
  info.hasPixels = true;
  return out;
}

}  // namespace

bool isMalignant(LesionKind k) { return k == LesionKind::SpiculatedMass || k == LesionKind::FineCalcificationCluster; }

std::string_view toString(LesionKind k) {
  switch (k) {
    case LesionKind::CircumscribedMass:
      return "circumscribed mass";
    case LesionKind::CoarseCalcifications:
      return "coarse calcifications";
    case LesionKind::SpiculatedMass:
      return "spiculated mass";
    case LesionKind::FineCalcificationCluster:
      return "fine pleomorphic calcifications";
  }
  return "?";
}

PhantomExam generatePhantomExam(const PhantomOptions& options, int examIndex) {
  const std::uint64_t examSeed = mix(options.seed, static_cast<std::uint64_t>(examIndex));
  Rng rng(examSeed);
  PhantomExam exam;
  char id[32];
  std::snprintf(id, sizeof id, "P%06llu-%04d", static_cast<unsigned long long>(options.seed % 1000000), examIndex);
  exam.id = id;
  const double density = rng.uniform(0.1, 0.9);
  for (Laterality side : {Laterality::Left, Laterality::Right}) {
    if (rng.uniform() >= options.lesionRate) continue;
    Lesion l;
    l.side = side;
    const bool malignant = rng.uniform() < options.malignantFraction;
    const bool calc = rng.uniform() < 0.4;
    l.kind = malignant ? (calc ? LesionKind::FineCalcificationCluster : LesionKind::SpiculatedMass)
                       : (calc ? LesionKind::CoarseCalcifications : LesionKind::CircumscribedMass);
    l.depth = rng.uniform(0.25, 0.7);
    l.across = rng.uniform(-0.6, 0.6);
    l.upDown = rng.uniform(-0.5, 0.6);
    l.radiusMm = calc ? rng.uniform(4.0, 7.0) : rng.uniform(5.0, 11.0);
    exam.lesions.push_back(l);
  }
  auto label = [&](Laterality side, bool malignant) {
    for (const Lesion& l : exam.lesions) {
      if (l.side == side && isMalignant(l.kind) == malignant) return 1;
    }
    return 0;
  };
  exam.labels.leftBenign = label(Laterality::Left, false);
  exam.labels.rightBenign = label(Laterality::Right, false);
  exam.labels.leftMalignant = label(Laterality::Left, true);
  exam.labels.rightMalignant = label(Laterality::Right, true);
  exam.birads = (*exam.labels.leftMalignant || *exam.labels.rightMalignant) ? 0
                : (*exam.labels.leftBenign || *exam.labels.rightBenign)     ? 2
                                                                            : 1;
  const std::string studyUid =
      "1.2.826.0.1.3680043.10.1105." + std::to_string(options.seed % 1000000000) + "." + std::to_string(examIndex);
  for (StandardView v : kStandardViews) {
    PhantomImage& image = exam.views[static_cast<int>(v)];
    image = renderView(v, options, exam.lesions, examSeed, density, exam.id);
    image.image.info.studyInstanceUid = studyUid;
    image.image.info.seriesInstanceUid = studyUid + ".1";
    image.image.info.sopInstanceUid = studyUid + ".1." + std::to_string(static_cast<int>(v) + 1);
  }
  return exam;
}

std::uint16_t nyuPngValue(std::uint16_t x) {
  return static_cast<std::uint16_t>((static_cast<std::uint32_t>(x) * 65535u * 2u + kMaxValue) / (2u * kMaxValue));
}

std::uint16_t fromNyuPngValue(std::uint16_t v) {
  return static_cast<std::uint16_t>((static_cast<std::uint32_t>(v) * kMaxValue * 2u + 65535u) / (2u * 65535u));
}

ExamEntry writePhantomExam(const PhantomExam& exam, const fs::path& dir, const PhantomWriteOptions& options) {
  const fs::path examDir = dir / exam.id;
  fs::create_directories(examDir / "masks");
  ExamEntry entry;
  entry.id = exam.id;
  entry.patientId = exam.id;
  entry.birads = exam.birads;
  entry.labels = exam.labels;
  for (StandardView v : kStandardViews) {
    const PhantomImage& src = exam.views[static_cast<int>(v)];
    const std::string lat(toString(lateralityOf(v)));
    const std::string pos(toString(viewPositionOf(v)));
    const std::string stem = exam.id + "_" + std::string(lat).append("_").append(pos);
    ExamImageEntry image;
    if (options.dicom) {
      Image out = src.image;
      out.info.intent = options.intent;
      if (options.intent == PresentationIntent::ForProcessing) {
        out.info.sopClassUid = "1.2.840.10008.5.1.4.1.1.1.2.1";
      }
      if (options.photometric == Photometric::Monochrome1) {
        // Explicit, reversible inversion: displayed values are identical to the MONOCHROME2 original.
        out.info.photometric = Photometric::Monochrome1;
        for (auto& p : out.pixels) p = static_cast<std::uint16_t>(kMaxValue - p);
        // DICOM's linear VOI is centred at c - 0.5, so the mirrored centre is (max + 1) - c.
        for (auto& w : out.info.windows) w.center = kMaxValue + 1 - w.center;
      }
      if (maxBitsStored(options.syntax) < 12) {
        // Baseline JPEG holds 8 bits: an explicit 12 -> 8 bit reduction, recorded in the header.
        for (auto& p : out.pixels) p = static_cast<std::uint16_t>(p >> 4);
        out.info.bitsStored = 8;
        out.info.bitsAllocated = 8;
        for (auto& w : out.info.windows) {
          w.center /= 16;
          w.width /= 16;
        }
      }
      image.file = examDir / (stem + ".dcm");
      writeDicom(out, image.file, options.syntax);
    }
    if (options.png) {
      std::vector<std::uint16_t> png(src.image.pixels.size());
      std::transform(src.image.pixels.begin(), src.image.pixels.end(), png.begin(), nyuPngValue);
      image.file = examDir / (stem + ".png");
      writePng(image.file, src.image.info.rows, src.image.info.columns, png.data(), 16, 12);
    }
    const std::string maskStem = exam.id + "_" + std::string(lat).append("-").append(pos);
    for (const auto& [name, mask] :
         {std::pair{"benign", &src.benignMask}, std::pair{"malignant", &src.malignantMask}}) {
      std::vector<std::uint16_t> m(mask->size());
      std::transform(mask->begin(), mask->end(), m.begin(), [](std::uint8_t b) { return b ? 255 : 0; });
      const fs::path file = examDir / "masks" / (maskStem + "_" + name + ".png");
      writePng(file, src.image.info.rows, src.image.info.columns, m.data(), 8);
      image.masks[name] = file;
    }
    entry.view(v).push_back(std::move(image));
  }
  return entry;
}

ExamList synthesiseExams(int count, const PhantomOptions& options, const PhantomWriteOptions& writeOptions,
                         const fs::path& dir, JobContext* context) {
  fs::create_directories(dir);
  ExamList list;
  for (int i = 0; i < count; ++i) {
    if (context) {
      context->throwIfCancelled();
      context->progress(static_cast<double>(i) / count, "Synthesising exam " + std::to_string(i + 1));
    }
    const PhantomExam exam = generatePhantomExam(options, i);
    list.exams.push_back(writePhantomExam(exam, dir, writeOptions));
  }
  writeExamList(list, dir / "exam_list.json");
  if (context) context->progress(1.0, "Done");
  return list;
}

}  // namespace mammo::core
