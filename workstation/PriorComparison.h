#pragma once
// Comparing the open study with one of the patient's prior studies: the priors the store holds, the
// chest-wall alignment of a prior view to the current one (the start of a registration and its fallback),
// and loading a prior with every view it shares with the current exam registered (registration/, ITK).
// Plain C++; comparePrior is a job (run it on a worker), the rest is pure.
//
// Coordinates: core::Affine2D maps stored pixel positions of the current view (x = column, y = row) to those
// of the prior view of the same breast and projection.
#include <memory>
#include <string>
#include <vector>

#include "core/Affine2D.h"
#include "core/Exam.h"
#include "core/ExamLoader.h"
#include "pacs/StudyStore.h"
#include "registration/PriorRegistration.h"

namespace mammo::core {
class JobContext;
}

namespace mammo::workstation {

// The current pixel -> prior pixel map that puts the two chest walls on one line and the two images'
// vertical centres level, at one physical scale (the pixel spacings; 1:1 pixels when either has none),
// mirrored when the chest walls lie on opposite edges of the stored images. The chest wall is the edge found
// in the pixels, else the one the laterality implies, else the left edge.
core::Affine2D chestWallAlignment(const core::Image& current, const core::Image& prior);

// One view of the comparison: how the prior's view maps onto the current one.
struct PriorViewLink {
  core::StandardView view = core::StandardView::RCC;
  // Registered (registration.ok): the ITK result; otherwise the chest-wall alignment, and
  // registration.message says why the registration was not used.
  registration::RegistrationResult registration;
  const core::Affine2D& currentToPrior() const { return registration.currentToPrior; }
};

struct PriorComparison {
  pacs::StudyRecord study;  // the prior, as the store lists it
  std::shared_ptr<const core::Exam> exam;  // its images
  std::vector<PriorViewLink> links;  // the views both exams have, in core::kStandardViews order
  std::vector<core::LoadIssue> issues;  // prior files that could not be read
};

// Loads prior study `priorKey` of `store` and registers each of its views to the same view of `current`
// (from the chest-wall alignment; a refused registration keeps that alignment). Progress: loading, then one
// part per view. Throws core::Cancelled when cancelled and std::runtime_error (naming the study) when the
// store has no such study or none of its images can be read.
PriorComparison comparePrior(const pacs::StudyStore& store, const std::string& priorKey, const core::Exam& current,
                             core::JobContext& job, const registration::RegistrationOptions& options = {});

// One line per view for the reader: "R-CC: registered (MI -0.41 -> -0.63; rotation 0.8 deg, scale 1.02,
// shift 3.1 mm)" or "R-CC: chest walls aligned (registration not used: <reason>)".
std::string describeLink(const PriorViewLink& link);

// The difference view of a current view and its prior, on the current view's pixel grid: both brought to
// displayed brightness (0..1) by their own header window (core::displayValue with default settings, so
// MONOCHROME1 and VOI LUTs are honoured and the two exposures compared as a reader sees them), the prior
// sampled through `currentToPrior` (bilinear; outside the prior counts as no change), and current − prior
// stored as kDifferenceZero + d·kDifferenceZero in a 12-bit MONOCHROME2 image whose header window shows it
// all (brighter: more in the current study). A derived image for display only: the originals are not
// changed, and its info says what it is (no instance UID: it is never written as if acquired).
inline constexpr int kDifferenceZero = 2048;
core::Image priorDifference(const core::Image& current, const core::Image& prior, const core::Affine2D& currentToPrior);
// One difference image per view of `comparison`, as an exam the hanging panel shows in the prior's place
// (linked to the current view by the identity).
std::shared_ptr<const core::Exam> differenceExam(const core::Exam& current, const PriorComparison& comparison);

}  // namespace mammo::workstation
