#pragma once
// Registration of a PRIOR mammogram to the CURRENT view of the same breast (same laterality and view), so
// that a prior can be hung, zoomed and panned in step with the current image.
//
// Coordinates: every transform here maps pixel positions, x = column and y = row of the stored image (never
// flipped or rotated for display), pixel centres at integers. Inside, the work is done in millimetres (the
// pixel spacing; 0.1 mm for an image without one) on copies box-averaged to about
// RegistrationOptions::workingSpacingMm, so full-size and reduced images cost the same.
//
// Threads: registerPrior is a job: call it on a worker thread. It shares nothing between calls, so several
// may run at once (each uses ITK's thread pool). The public header names no ITK type; ITK stays in the .cpp.
#include <array>
#include <string>

#include "core/Affine2D.h"

namespace mammo::core {
struct Image;
class JobContext;
}  // namespace mammo::core

namespace mammo::registration {

// The pixel map type (core/Affine2D.h), named here as before.
using core::Affine2D;

struct RegistrationOptions {
  // Rigid: rotation and shift. Similarity: also one scale (a different compression or magnification).
  // Affine: a similarity, then a general affine refinement at the two finest levels.
  enum class Model { Rigid, Similarity, Affine };
  Model model = Model::Similarity;
  int levels = 3;  // resolution levels, each half the resolution of the next; 1..6
  int histogramBins = 50;  // Mattes mutual information; 8..256
  int iterationsPerLevel = 200;  // the most optimiser steps per level; 1..10000
  double workingSpacingMm = 0.5;  // images are box-averaged to about this spacing before registering; > 0
  double samplingFraction = 0.25;  // fraction of the current image's working pixels the metric samples; (0, 1]
  unsigned seed = 1;  // of the random sampling: the same inputs and seed give the same result
};

struct RegistrationResult {
  // False when the registration could not run or its result is not to be trusted; `message` then says why
  // in words for the site's IT staff, and the caller keeps its chest-wall alignment.
  bool ok = false;
  std::string message;
  // Pixel of the current image -> pixel of the prior image. The initial alignment when !ok.
  Affine2D currentToPrior;
  // Mattes mutual information on the working images, all pixels, with ITK's sign (more negative is better),
  // at the initial alignment and at the registered one; 0 where the registration did not get that far.
  double metricBefore = 0;
  double metricAfter = 0;
  // The refinement the optimiser found on top of the initial alignment, in the current image's millimetres,
  // also when it was rejected: its rotation (degrees; positive turns +x towards +y, clockwise on screen),
  // its scale (the geometric mean of the two for an affine model) and how far it moves the centre of the
  // current breast (mm, x then y).
  double rotationDegrees = 0;
  double scale = 1;
  double translationMm[2] = {0, 0};
  int iterations = 0;  // optimiser steps, all levels and stages
  double seconds = 0;  // wall time of the call
};

// Registers `prior` to `current`, starting from `initialCurrentToPrior` (the caller's chest-wall alignment,
// flips included) and refining it with the options' model. MONOCHROME1 images are inverted and DICOM pixel
// padding is treated as air, so only the anatomy is matched. Reports progress to `job` per level and
// optimiser step and stops within one step when it is cancelled.
//
// Throws core::Cancelled when `job` is cancelled, and nothing else: every other failure (an empty, blank or
// too small image, invalid options, a singular initial transform, an ITK error, no improvement over the
// initial alignment, an implausible result: scale outside 0.8-1.25, rotation over 15 degrees, shift over
// 50 mm) gives ok = false with a message.
RegistrationResult registerPrior(const core::Image& current, const core::Image& prior,
                                 const Affine2D& initialCurrentToPrior, const RegistrationOptions& options = {},
                                 core::JobContext* job = nullptr);

}  // namespace mammo::registration
