#include "workstation/PriorComparison.h"

#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "core/Errors.h"
#include "core/Job.h"

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

}  // namespace mammo::workstation
