#include "app/BenchBounds.h"

#include <algorithm>
#include <cstdio>

namespace mammo::bench {

void printFidelityBounds(const core::Exam& exam, const std::array<std::vector<std::array<float, 4>>, 4>& exact,
                         inference::PatchClassifier& patch, inference::CancerModel& imageHeatmaps,
                         const inference::BoundsOptions& options) {
  inference::BoundsEvents events;
  events.exam = [&options](const inference::BoundsExam& e) {
    std::printf("exam %s: %d patches, %d with breast tissue; stage 4 = image+heatmaps model, %d sample%s%s\n\n",
                e.examId.c_str(), e.patches, e.foreground, options.samples, options.samples == 1 ? "" : "s",
                options.augment ? " (augmented)" : "");
    std::printf("%-58s %6s %6s %7s %6s %7s %8s %8s   %-31s %7s\n", "patch probabilities", "class.", "1/frac", "corr",
                "max|d|", "mean|d|", "bias mal", "bias ben", "per-breast change LB RB LM RM", "max");
  };
  events.row = [](const inference::BoundsRow& r) {
    char inverse[16] = "     -";
    if (r.classified > 0) std::snprintf(inverse, sizeof inverse, "%6.1f", r.inverseFraction);
    std::printf("%-58s %6d %6s %7.4f %6.3f %7.4f %+8.4f %+8.4f   %+7.4f %+7.4f %+7.4f %+7.4f %7.4f\n", r.name.c_str(),
                r.classified, inverse, r.minCorrelation, r.maxDifference, r.meanDifference, r.biasMalignant,
                r.biasBenign, r.change[0], r.change[1], r.change[2], r.change[3], r.largestChange);
    std::fflush(stdout);
  };
  events.note = [](const std::string& line) {
    std::printf("%s\n", line.c_str());
    std::fflush(stdout);
  };
  inference::fidelityBounds(exam, exact, patch, imageHeatmaps, options, events);
}

void printExactAblation(const core::Exam& exam, inference::PatchClassifier& patch, int patches, int repeats,
                        int threads) {
  bool first = true;
  const inference::AblationResult r = inference::exactAblation(
      exam, patch, patches, repeats, threads,
      [&](const inference::AblationResult& soFar, const inference::AblationRow& row) {
        if (first) {
          std::printf(
              "exact mode's speed-ups taken away one at a time: %d tissue patches of exam %s, %d thread%s, best of "
              "%d\n\n",
              soFar.patches, exam.id.c_str(), threads, threads == 1 ? "" : "s", repeats);
          std::printf("%-60s %11s %9s %12s\n", "variant", "s / patch", "relative", "max |diff|");
          first = false;
        }
        std::printf("%-60s %11.4f %8.2fx %12.3g\n", row.name.c_str(), row.secondsPerPatch, row.relative,
                    row.maxDifference);
        std::fflush(stdout);
      });
  const int saved = std::max(0, r.backgroundPatches - 1);
  std::printf(
      "\nshared background patch: %d of the exam's %d patches hold no breast pixel; classifying one of them "
      "saves %d forwards, %.1f s at the shipped rate\n",
      r.backgroundPatches, r.examPatches, saved, saved * r.shippedSecondsPerPatch);
}

}  // namespace mammo::bench
