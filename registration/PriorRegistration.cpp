#include "registration/PriorRegistration.h"

#include "core/Errors.h"
#include "core/Image.h"
#include "core/Job.h"
#include "registration/WorkingImage.h"

#include <itkAffineTransform.h>
#include <itkEuler2DTransform.h>
#include <itkImage.h>
#include <itkImageRegistrationMethodv4.h>
#include <itkMattesMutualInformationImageToImageMetricv4.h>
#include <itkRegistrationParameterScalesFromPhysicalShift.h>
#include <itkRegularStepGradientDescentOptimizerv4.h>
#include <itkSimilarity2DTransform.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <numbers>
#include <string>
#include <vector>

namespace mammo::registration {
namespace {

using FloatImage = itk::Image<float, 2>;
// Mattes mutual information summed in one work unit. Its threaders add the work units' derivatives in
// whatever order they finish, and over a few hundred steps those last bits grow into visibly different
// registrations of the same images; SetMaximumNumberOfWorkUnits limits the threads but not the work units,
// which the global default sets. Callers wanting speed register the views in parallel.
class DeterministicMattes final : public itk::MattesMutualInformationImageToImageMetricv4<FloatImage, FloatImage> {
 public:
  using Self = DeterministicMattes;
  using Superclass = itk::MattesMutualInformationImageToImageMetricv4<FloatImage, FloatImage>;
  using Pointer = itk::SmartPointer<Self>;
  using ConstPointer = itk::SmartPointer<const Self>;
  itkNewMacro(Self);

 private:
  DeterministicMattes() {
    this->m_DenseGetValueAndDerivativeThreader->SetNumberOfWorkUnits(1);
    this->m_SparseGetValueAndDerivativeThreader->SetNumberOfWorkUnits(1);
    this->SetMaximumNumberOfWorkUnits(1);
  }
};
using MetricType = DeterministicMattes;
using OptimizerType = itk::RegularStepGradientDescentOptimizerv4<double>;
using AffineTransformType = itk::AffineTransform<double, 2>;
using Model = RegistrationOptions::Model;

// What the same breast, imaged again a year or two later, may plausibly need on top of the chest-wall
// alignment (a different compression and positioning, never a different breast).
constexpr double kMinScale = 0.8;
constexpr double kMaxScale = 1.25;
constexpr double kMaxRotationDegrees = 15;
constexpr double kMaxShiftMm = 50;
// Mutual information (nats, 50 bins) under which two images are not views of one breast. On the phantoms:
// a noise image 0.006, another woman's breast 0.8, the same breast 1.4 to 1.8 once registered.
constexpr double kMinMutualInformation = 0.1;
// The coarsest level keeps at least this many pixels across, or its histogram means nothing.
constexpr int kMinCoarsestPixels = 16;
// The optimiser's first step at each level, in that level's pixels (the physical-shift scales make the
// step a displacement in mm), and the step under which it stops.
constexpr double kFirstStepPixels = 1.0;
constexpr double kFirstAffineStepPixels = 0.25;  // an affine stage overshoots with more (MI is flat near the optimum)
constexpr double kMinStepPixels = 0.01;
// Progress: preparing the images, then the stages.
constexpr double kPreparedFraction = 0.1;
constexpr double kSimilarityEndForAffine = 0.7;

std::string format(const char* pattern, double value) {
  char text[64];
  std::snprintf(text, sizeof text, pattern, value);
  return text;
}

void checkOptions(const RegistrationOptions& o) {
  auto refuse = [](const std::string& what) { throw detail::Refused("Invalid registration options: " + what + "."); };
  if (o.levels < 1 || o.levels > 6) refuse("levels must be 1 to 6, not " + std::to_string(o.levels));
  if (o.histogramBins < 8 || o.histogramBins > 256) {
    refuse("histogram bins must be 8 to 256, not " + std::to_string(o.histogramBins));
  }
  if (o.iterationsPerLevel < 1 || o.iterationsPerLevel > 10000) {
    refuse("iterations per level must be 1 to 10000, not " + std::to_string(o.iterationsPerLevel));
  }
  if (!(o.workingSpacingMm > 0) || !std::isfinite(o.workingSpacingMm)) refuse("the working spacing must be above 0 mm");
  if (!(o.samplingFraction > 0 && o.samplingFraction <= 1)) refuse("the sampling fraction must be in (0, 1]");
}

// Shrink factors (working pixels) and smoothing sigmas (working pixels) of each level, coarsest first.
struct Schedule {
  std::vector<unsigned> shrink;
  std::vector<double> sigma;
};

Schedule makeSchedule(int levels) {
  Schedule s;
  for (int level = 0; level < levels; ++level) {
    const unsigned shrink = 1u << (levels - 1 - level);
    s.shrink.push_back(shrink);
    s.sigma.push_back(shrink > 1 ? shrink / 2.0 : 0.0);
  }
  return s;
}

void checkSize(const detail::WorkingImage& image, const Schedule& schedule, const std::string& name) {
  const int needed = kMinCoarsestPixels * static_cast<int>(schedule.shrink.front());
  if (std::min(image.columns, image.rows) < needed) {
    const std::string mm = format("%.0f", needed * std::max(image.spacingMm[0], image.spacingMm[1]));
    throw detail::Refused("The " + name + " image is too small to register: it is " +
                          format("%.0f", image.columns * image.spacingMm[0]) + " x " +
                          format("%.0f", image.rows * image.spacingMm[1]) + " mm, and at least " + mm + " x " + mm +
                          " mm is needed.");
  }
}

FloatImage::Pointer toItk(const detail::WorkingImage& w) {
  auto image = FloatImage::New();
  FloatImage::IndexType start;
  start.Fill(0);
  FloatImage::SizeType size;
  size[0] = static_cast<itk::SizeValueType>(w.columns);
  size[1] = static_cast<itk::SizeValueType>(w.rows);
  image->SetRegions(FloatImage::RegionType(start, size));
  FloatImage::SpacingType spacing;
  FloatImage::PointType origin;
  for (unsigned d = 0; d < 2; ++d) {
    spacing[d] = w.spacingMm[d];
    origin[d] = w.originMm[d];
  }
  image->SetSpacing(spacing);
  image->SetOrigin(origin);
  image->Allocate();
  std::copy(w.pixels.begin(), w.pixels.end(), image->GetBufferPointer());
  return image;
}

AffineTransformType::Pointer toItk(const Affine2D& a) {
  auto transform = AffineTransformType::New();
  AffineTransformType::MatrixType matrix;
  AffineTransformType::OutputVectorType offset;
  for (unsigned r = 0; r < 2; ++r) {
    for (unsigned c = 0; c < 2; ++c) matrix(r, c) = a.m[r][c];
    offset[r] = a.t[r];
  }
  transform->SetMatrix(matrix);
  transform->SetOffset(offset);
  return transform;
}

// Euler2D, Similarity2D and Affine transforms all map x -> matrix * x + offset.
template <class TTransform>
Affine2D toAffine(const TTransform& transform) {
  Affine2D a;
  for (unsigned r = 0; r < 2; ++r) {
    for (unsigned c = 0; c < 2; ++c) a.m[r][c] = transform.GetMatrix()(r, c);
    a.t[r] = transform.GetOffset()[r];
  }
  return a;
}

MetricType::Pointer makeMetric(int bins) {
  auto metric = MetricType::New();
  metric->SetNumberOfHistogramBins(static_cast<itk::SizeValueType>(bins));
  // Gradients where the samples fall, not of the whole image: cheaper for a quarter of the pixels.
  metric->SetUseMovingImageGradientFilter(false);
  metric->SetUseFixedImageGradientFilter(false);
  return metric;
}

// Mattes MI of the prior seen through `currentToPriorMm` against the current image, over every pixel.
double metricValue(const FloatImage* current, const FloatImage* prior, const Affine2D& currentToPriorMm, int bins) {
  auto metric = makeMetric(bins);
  metric->SetFixedImage(current);
  metric->SetMovingImage(prior);
  metric->SetMovingTransform(toItk(currentToPriorMm));
  metric->Initialize();
  return metric->GetValue();
}

// The corners of the current image, where the estimator of the parameter scales measures how far a
// parameter moves the image. Left to itself it samples points with a new random seed at every call for the
// rigid and similarity transforms, and the registration would differ from one run to the next.
MetricType::VirtualPointSetType::Pointer cornerPoints(const FloatImage* image) {
  auto points = MetricType::VirtualPointSetType::New();
  const auto size = image->GetLargestPossibleRegion().GetSize();
  unsigned id = 0;
  for (itk::IndexValueType y : {itk::IndexValueType{0}, static_cast<itk::IndexValueType>(size[1]) - 1}) {
    for (itk::IndexValueType x : {itk::IndexValueType{0}, static_cast<itk::IndexValueType>(size[0]) - 1}) {
      FloatImage::IndexType index;
      index[0] = x;
      index[1] = y;
      MetricType::VirtualPointSetType::PointType point;
      image->TransformIndexToPhysicalPoint(index, point);
      points->SetPoint(id++, point);
    }
  }
  return points;
}

// Progress, cancellation and the step count of one registration, across its stages. Runs in the thread
// that called registerPrior (ITK invokes its events there).
class Monitor {
 public:
  explicit Monitor(core::JobContext* job) : m_job(job) {}

  void beginStage(const char* name, double begin, double end, int levels, int iterationsPerLevel) {
    m_name = name;
    m_begin = begin;
    m_end = end;
    m_levels = levels;
    m_iterationsPerLevel = iterationsPerLevel;
  }
  void beginLevel(OptimizerType& optimizer, int level, double levelSpacingMm, double firstStepPixels) {
    m_level = level;
    optimizer.SetLearningRate(firstStepPixels * levelSpacingMm);
    optimizer.SetMinimumStepLength(kMinStepPixels * levelSpacingMm);
    checkCancel(optimizer);
    // A cancelled registration still passes through its remaining levels: with no steps they cost nothing.
    if (m_cancelled) {
      optimizer.SetNumberOfIterations(0);
      return;
    }
    report(0);
  }
  void afterStep(OptimizerType& optimizer) {
    ++m_iterations;
    report(static_cast<int>(optimizer.GetCurrentIteration()) + 1);
    checkCancel(optimizer);
  }
  bool cancelled() const { return m_cancelled; }
  int iterations() const { return m_iterations; }

 private:
  void checkCancel(OptimizerType& optimizer) {
    if (m_job && m_job->cancelled()) {
      m_cancelled = true;
      optimizer.StopOptimization();
    }
  }
  void report(int step) {
    if (!m_job) return;
    const double withinLevel = std::min(1.0, static_cast<double>(step) / m_iterationsPerLevel);
    const double fraction = m_begin + (m_end - m_begin) * (m_level + withinLevel) / m_levels;
    m_job->progress(fraction, std::string(m_name) + " (level " + std::to_string(m_level + 1) + " of " +
                                  std::to_string(m_levels) + ")");
  }

  core::JobContext* m_job;
  const char* m_name = "";
  double m_begin = 0, m_end = 1;
  int m_levels = 1, m_iterationsPerLevel = 1, m_level = 0, m_iterations = 0;
  bool m_cancelled = false;
};

struct Stage {
  const char* name;
  int firstLevel;  // of the schedule: a refining stage runs only the finest levels
  double firstStepPixels;
  double progressBegin, progressEnd;
};

// One multi-resolution optimisation of `transform` (current mm -> current mm, applied before `initial`).
template <class TTransform>
void runStage(const FloatImage* current, const FloatImage* prior, const AffineTransformType* initial,
              TTransform* transform, const RegistrationOptions& options, const Schedule& schedule, const Stage& stage,
              Monitor& monitor) {
  using RegistrationType = itk::ImageRegistrationMethodv4<FloatImage, FloatImage, TTransform>;
  auto metric = makeMetric(options.histogramBins);
  auto scales = itk::RegistrationParameterScalesFromPhysicalShift<MetricType>::New();
  scales->SetMetric(metric);
  scales->SetVirtualDomainPointSet(cornerPoints(current));
  auto optimizer = OptimizerType::New();
  optimizer->SetNumberOfIterations(static_cast<itk::SizeValueType>(options.iterationsPerLevel));
  optimizer->SetRelaxationFactor(0.5);
  optimizer->SetGradientMagnitudeTolerance(1e-8);
  optimizer->SetScalesEstimator(scales);
  // The optimiser hands its work-unit count to the metric when it starts (see makeMetric).
  optimizer->SetNumberOfWorkUnits(1);
  // ITK 5.2 records its "best" parameters one step late (ITK issue 2570): take the last ones instead.
  optimizer->SetReturnBestParametersAndValue(false);

  auto registration = RegistrationType::New();
  registration->SetFixedImage(current);
  registration->SetMovingImage(prior);
  registration->SetMetric(metric);
  registration->SetOptimizer(optimizer);
  registration->SetMovingInitialTransform(initial);
  registration->SetInitialTransform(transform);
  registration->InPlaceOn();

  const auto levels = static_cast<unsigned>(schedule.shrink.size()) - static_cast<unsigned>(stage.firstLevel);
  typename RegistrationType::ShrinkFactorsArrayType shrink(levels);
  typename RegistrationType::SmoothingSigmasArrayType sigma(levels);
  for (unsigned level = 0; level < levels; ++level) {
    shrink[level] = schedule.shrink[stage.firstLevel + level];
    sigma[level] = schedule.sigma[stage.firstLevel + level];
  }
  registration->SetNumberOfLevels(levels);
  registration->SetShrinkFactorsPerLevel(shrink);
  registration->SetSmoothingSigmasPerLevel(sigma);
  registration->SmoothingSigmasAreSpecifiedInPhysicalUnitsOff();
  if (options.samplingFraction < 1) {
    registration->SetMetricSamplingStrategy(RegistrationType::MetricSamplingStrategyEnum::RANDOM);
    registration->SetMetricSamplingPercentage(options.samplingFraction);
    registration->MetricSamplingReinitializeSeed(static_cast<int>(options.seed));
  }

  // Raw pointers: an observer holding a smart pointer to its own subject would keep both alive forever.
  OptimizerType* opt = optimizer.GetPointer();
  RegistrationType* reg = registration.GetPointer();
  const double spacing = std::max(current->GetSpacing()[0], current->GetSpacing()[1]);
  monitor.beginStage(stage.name, stage.progressBegin, stage.progressEnd, static_cast<int>(levels),
                     options.iterationsPerLevel);
  registration->AddObserver(
      itk::MultiResolutionIterationEvent(), [&monitor, opt, reg, &shrink, spacing, &stage](const itk::EventObject&) {
        const auto level = static_cast<unsigned>(reg->GetCurrentLevel());
        monitor.beginLevel(*opt, static_cast<int>(level), spacing * shrink[level], stage.firstStepPixels);
      });
  optimizer->AddObserver(itk::IterationEvent(), [&monitor, opt](const itk::EventObject&) { monitor.afterStep(*opt); });
  registration->Update();
}

// The refinement (current mm -> current mm) that, followed by `initialMm`, best maps the current image onto
// the prior.
Affine2D optimise(const FloatImage* current, const FloatImage* prior, const Affine2D& initialMm,
                  const std::array<double, 2>& centreMm, const RegistrationOptions& options, const Schedule& schedule,
                  Monitor& monitor) {
  const auto initial = toItk(initialMm);
  itk::Point<double, 2> centre;
  centre[0] = centreMm[0];
  centre[1] = centreMm[1];
  if (options.model == Model::Rigid) {
    auto rigid = itk::Euler2DTransform<double>::New();
    rigid->SetCenter(centre);
    runStage(current, prior, initial.GetPointer(), rigid.GetPointer(), options, schedule,
             {"Aligning the prior", 0, kFirstStepPixels, kPreparedFraction, 1.0}, monitor);
    return toAffine(*rigid);
  }
  const bool affine = options.model == Model::Affine;
  auto similarity = itk::Similarity2DTransform<double>::New();
  similarity->SetCenter(centre);
  runStage(current, prior, initial.GetPointer(), similarity.GetPointer(), options, schedule,
           {"Aligning the prior", 0, kFirstStepPixels, kPreparedFraction, affine ? kSimilarityEndForAffine : 1.0},
           monitor);
  if (!affine || monitor.cancelled()) return toAffine(*similarity);

  auto general = AffineTransformType::New();
  general->SetCenter(centre);
  general->SetMatrix(similarity->GetMatrix());
  general->SetOffset(similarity->GetOffset());
  runStage(
      current, prior, initial.GetPointer(), general.GetPointer(), options, schedule,
      {"Refining the alignment", std::max(0, options.levels - 2), kFirstAffineStepPixels, kSimilarityEndForAffine, 1.0},
      monitor);
  return toAffine(*general);
}

// Rotation, scale and shift of the refinement; the reason to reject it, or "" when it is plausible.
std::string describe(const Affine2D& refinement, const std::array<double, 2>& centreMm, RegistrationResult& result) {
  const auto& m = refinement.m;
  result.rotationDegrees = std::atan2(m[1][0] - m[0][1], m[0][0] + m[1][1]) * 180.0 / std::numbers::pi;
  result.scale = std::sqrt(std::abs(refinement.determinant()));
  const auto moved = refinement.apply(centreMm[0], centreMm[1]);
  result.translationMm[0] = moved[0] - centreMm[0];
  result.translationMm[1] = moved[1] - centreMm[1];
  // The singular values of the matrix: the most it stretches and squeezes in any direction.
  const double e = (m[0][0] + m[1][1]) / 2, f = (m[0][0] - m[1][1]) / 2;
  const double g = (m[1][0] + m[0][1]) / 2, h = (m[1][0] - m[0][1]) / 2;
  const double q = std::hypot(e, h), r = std::hypot(f, g);
  const double stretch = q + r, squeeze = std::abs(q - r);

  const std::string rejected = "The automatic alignment was rejected: it would ";
  const std::string advice = ". Check that the prior shows the same breast and view; the chest-wall alignment is used.";
  if (refinement.determinant() <= 0 || squeeze < kMinScale || stretch > kMaxScale) {
    const double worst = squeeze < kMinScale ? squeeze : stretch;
    return rejected + "scale the prior by " + format("%.2f", worst) + " (0.80 to 1.25 expected)" + advice;
  }
  if (std::abs(result.rotationDegrees) > kMaxRotationDegrees) {
    return rejected + "turn the prior by " + format("%.1f", std::abs(result.rotationDegrees)) +
           " degrees (at most 15 expected)" + advice;
  }
  const double shift = std::hypot(result.translationMm[0], result.translationMm[1]);
  if (shift > kMaxShiftMm) {
    return rejected + "shift the prior by " + format("%.0f", shift) + " mm (at most 50 expected)" + advice;
  }
  return "";
}

// registerPrior without its error handling: throws detail::Refused, itk::ExceptionObject, core::Cancelled.
void registerImages(const core::Image& currentImage, const core::Image& priorImage,
                    const Affine2D& initialCurrentToPrior, const RegistrationOptions& options, core::JobContext* job,
                    RegistrationResult& result) {
  if (job) job->throwIfCancelled();
  checkOptions(options);
  if (job) job->progress(0, "Preparing the images for alignment");
  const detail::WorkingImage current = detail::makeWorkingImage(currentImage, options.workingSpacingMm, "current");
  const detail::WorkingImage prior = detail::makeWorkingImage(priorImage, options.workingSpacingMm, "prior");
  const Schedule schedule = makeSchedule(options.levels);
  checkSize(current, schedule, "current");
  checkSize(prior, schedule, "prior");
  const Affine2D& init = initialCurrentToPrior;
  const double det = init.determinant();
  if (!std::isfinite(det) || !std::isfinite(init.t[0]) || !std::isfinite(init.t[1]) || std::abs(det) < 1e-6) {
    throw detail::Refused(
        "The initial alignment is degenerate (it squeezes the image onto a line or is not a number).");
  }
  const Affine2D initialMm = current.pixelToMm().inverse().then(init).then(prior.pixelToMm());
  const auto fixed = toItk(current);
  const auto moving = toItk(prior);
  result.metricBefore = metricValue(fixed, moving, initialMm, options.histogramBins);
  if (job) job->throwIfCancelled();

  const std::array<double, 2> centreMm = current.breastCentreMm();
  Monitor monitor(job);
  const Affine2D refinement = optimise(fixed, moving, initialMm, centreMm, options, schedule, monitor);
  result.iterations = monitor.iterations();
  if (monitor.cancelled()) throw core::Cancelled();

  const Affine2D currentToPriorMm = refinement.then(initialMm);
  result.metricAfter = metricValue(fixed, moving, currentToPriorMm, options.histogramBins);
  result.currentToPrior = current.pixelToMm().then(currentToPriorMm).then(prior.pixelToMm().inverse());
  result.message = describe(refinement, centreMm, result);
  if (result.message.empty() && !(result.metricAfter < result.metricBefore)) {
    result.message =
        "The automatic alignment found nothing better than the chest-wall alignment (the images did not become "
        "more alike), so the chest-wall alignment is used.";
  }
  if (result.message.empty() && result.metricAfter > -kMinMutualInformation) {
    result.message =
        "The prior and the current image have too little in common to be aligned (is the prior blank, noise or "
        "another kind of image?); the chest-wall alignment is used.";
  }
  result.ok = result.message.empty();
  if (job) job->progress(1, result.ok ? "Prior aligned" : "Prior not aligned");
}

}  // namespace

RegistrationResult registerPrior(const core::Image& current, const core::Image& prior,
                                 const Affine2D& initialCurrentToPrior, const RegistrationOptions& options,
                                 core::JobContext* job) {
  const auto start = std::chrono::steady_clock::now();
  RegistrationResult result;
  try {
    registerImages(current, prior, initialCurrentToPrior, options, job, result);
  } catch (const core::Cancelled&) {
    throw;
  } catch (const detail::Refused& e) {
    result.message = e.what();
  } catch (const itk::ExceptionObject& e) {
    result.message = std::string("The image registration library (ITK) stopped with an error: ") + e.GetDescription() +
                     " The chest-wall alignment is used.";
  } catch (const std::exception& e) {
    result.message = std::string("The automatic alignment failed: ") + e.what() + ". The chest-wall alignment is used.";
  }
  if (!result.ok) result.currentToPrior = initialCurrentToPrior;
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

}  // namespace mammo::registration
