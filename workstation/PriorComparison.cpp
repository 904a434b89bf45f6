#include "workstation/PriorComparison.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "core/Errors.h"
#include "core/Job.h"
#include "core/Voi.h"

namespace mammo::workstation {
namespace {

core::ImageEdge chestWallOf(const core::Image& image) {
  if (image.orientation.chestWall != core::ImageEdge::Unknown) return image.orientation.chestWall;
  if (image.orientation.expected != core::ImageEdge::Unknown) return image.orientation.expected;
  return core::ImageEdge::Left;
}

}  // namespace

core::Affine2D chestWallAlignment(const core::Image& current, const core::Image& prior) {
  // Prior pixels per current pixel.
  double k = 1;
  if (current.info.spacing && prior.info.spacing && current.info.spacing->columnMm > 0 &&
      prior.info.spacing->columnMm > 0) {
    k = current.info.spacing->columnMm / prior.info.spacing->columnMm;
  }
  const int wc = current.info.columns, hc = current.info.rows, wp = prior.info.columns, hp = prior.info.rows;
  // x: the distance from the chest wall, scaled; y: the distance from the vertical centre, scaled.
  const bool currentLeft = chestWallOf(current) == core::ImageEdge::Left;
  const bool priorLeft = chestWallOf(prior) == core::ImageEdge::Left;
  core::Affine2D a;
  const double sx = currentLeft == priorLeft ? k : -k;
  a.m[0][0] = sx;
  a.m[1][1] = k;
  // xp = (priorLeft ? d : wp-1-d) with d = k * (currentLeft ? x : wc-1-x).
  const double d0 = currentLeft ? 0.0 : k * (wc - 1);  // d at x = 0
  a.t[0] = priorLeft ? d0 : (wp - 1) - d0;
  a.t[1] = (hp - 1) / 2.0 - k * (hc - 1) / 2.0;
  return a;
}

PriorComparison comparePrior(const pacs::StudyStore& store, const std::string& priorKey, const core::Exam& current,
                             core::JobContext& job, const registration::RegistrationOptions& options) {
  const std::optional<pacs::StudyRecord> study = store.study(priorKey);
  if (!study) throw std::runtime_error("the study store has no study " + priorKey);
  PriorComparison out;
  out.study = *study;
  core::JobContext loading = job.subRange(0, 0.2, "prior: ");
  core::LoadResult loaded = core::loadPaths(study->files, {}, &loading);
  out.issues = std::move(loaded.issues);
  if (loaded.exams.empty()) {
    std::string why = "none of the prior study's images could be read (study " + priorKey + ")";
    if (!out.issues.empty()) why += ": " + out.issues.front().file + ": " + out.issues.front().reason;
    throw std::runtime_error(why);
  }
  auto exam = std::make_shared<core::Exam>(std::move(loaded.exams.front()));
  out.exam = exam;
  std::vector<core::StandardView> shared;
  for (core::StandardView v : core::kStandardViews) {
    if (!current.view(v).empty() && !exam->view(v).empty()) shared.push_back(v);
  }
  for (size_t i = 0; i < shared.size(); ++i) {
    job.throwIfCancelled();
    const core::Image& c = current.view(shared[i]).front();
    const core::Image& p = exam->view(shared[i]).front();
    const double begin = 0.2 + 0.8 * static_cast<double>(i) / shared.size();
    core::JobContext part = job.subRange(begin, begin + 0.8 / shared.size(),
                                         "registering " + std::string(core::toString(shared[i])) + ": ");
    PriorViewLink link;
    link.view = shared[i];
    link.registration = registration::registerPrior(c, p, chestWallAlignment(c, p), options, &part);
    out.links.push_back(std::move(link));
  }
  job.progress(1, "prior registered");
  return out;
}

std::string describeLink(const PriorViewLink& link) {
  const registration::RegistrationResult& r = link.registration;
  const std::string view(core::toString(link.view));
  char buf[256];
  if (r.ok) {
    std::snprintf(buf, sizeof buf, "%s: registered (MI %.3f -> %.3f; rotation %.1f deg, scale %.3f, shift %.1f mm)",
                  view.c_str(), r.metricBefore, r.metricAfter, r.rotationDegrees, r.scale,
                  std::hypot(r.translationMm[0], r.translationMm[1]));
    return buf;
  }
  return view + ": chest walls aligned (registration not used: " + r.message + ")";
}

namespace {

// Displayed brightness of every stored value of `info` (a table: stored values have at most 16 bits).
std::vector<float> brightnessTable(const core::ImageInfo& info) {
  const int levels = 1 << std::clamp(info.bitsStored, 1, 16);
  std::vector<float> table(static_cast<size_t>(levels));
  const core::DisplaySettings header;
  for (int v = 0; v < levels; ++v)
    table[v] = static_cast<float>(core::displayValue(info, static_cast<std::uint16_t>(v), header));
  return table;
}

float brightness(const std::vector<float>& table, std::uint16_t stored) {
  return table[std::min<size_t>(stored, table.size() - 1)];
}

}  // namespace

core::Image priorDifference(const core::Image& current, const core::Image& prior,
                            const core::Affine2D& currentToPrior) {
  core::Image out;
  out.info = current.info;
  out.info.bitsAllocated = 16;
  out.info.bitsStored = 12;
  out.info.pixelSigned = false;
  out.info.photometric = core::Photometric::Monochrome2;
  out.info.rescaleSlope = 1.0;
  out.info.rescaleIntercept = 0.0;
  out.info.pixelPaddingValue.reset();
  out.info.pixelPaddingRangeLimit.reset();
  out.info.voiLuts.clear();
  out.info.voiFunction = core::VoiFunction::Linear;
  out.info.windows = {core::VoiWindow{double(kDifferenceZero), 2.0 * kDifferenceZero, "current - prior"}};
  out.info.sopInstanceUid.clear();
  out.info.intent = core::PresentationIntent::Unknown;
  out.info.studyDescription = "difference with the prior (derived, for display)";
  out.orientation = current.orientation;
  const std::vector<float> nowTable = brightnessTable(current.info), thenTable = brightnessTable(prior.info);
  const int rows = current.info.rows, cols = current.info.columns;
  const int priorRows = prior.info.rows, priorCols = prior.info.columns;
  out.pixels.resize(static_cast<size_t>(rows) * cols);
  for (int r = 0; r < rows; ++r) {
    for (int c = 0; c < cols; ++c) {
      const float now = brightness(nowTable, current.at(r, c));
      const auto [x, y] = currentToPrior.apply(c, r);
      float d = 0;  // outside the prior: nothing to compare
      if (x >= 0 && y >= 0 && x <= priorCols - 1 && y <= priorRows - 1) {
        const int x0 = std::min(static_cast<int>(x), std::max(priorCols - 2, 0));
        const int y0 = std::min(static_cast<int>(y), std::max(priorRows - 2, 0));
        const int x1 = std::min(x0 + 1, priorCols - 1), y1 = std::min(y0 + 1, priorRows - 1);
        const float fx = static_cast<float>(x - x0), fy = static_cast<float>(y - y0);
        const float top =
            (1 - fx) * brightness(thenTable, prior.at(y0, x0)) + fx * brightness(thenTable, prior.at(y0, x1));
        const float bottom =
            (1 - fx) * brightness(thenTable, prior.at(y1, x0)) + fx * brightness(thenTable, prior.at(y1, x1));
        d = now - ((1 - fy) * top + fy * bottom);
      }
      const float value = std::round(kDifferenceZero + d * (kDifferenceZero - 1));
      out.pixels[static_cast<size_t>(r) * cols + c] = static_cast<std::uint16_t>(std::clamp(value, 0.0F, 4095.0F));
    }
  }
  out.info.hasPixels = true;
  return out;
}

std::shared_ptr<const core::Exam> differenceExam(const core::Exam& current, const PriorComparison& comparison) {
  auto exam = std::make_shared<core::Exam>();
  exam->id = current.id + " difference";
  exam->patientId = current.patientId;
  exam->studyInstanceUid = current.studyInstanceUid;
  for (const PriorViewLink& link : comparison.links) {
    const core::Image* now = current.first(link.view);
    const core::Image* then = comparison.exam ? comparison.exam->first(link.view) : nullptr;
    if (now && then) exam->view(link.view).push_back(priorDifference(*now, *then, link.currentToPrior()));
  }
  return exam;
}

}  // namespace mammo::workstation
