#include "inference/StrideList.h"

#include <stdexcept>
#include <string>

#include "inference/PythonRandom.h"

namespace mammo::inference {

std::vector<int> strideList(int length, PythonRandom& rng, int patchSize, int stride) {
  if (patchSize <= 0 || stride <= 0) {
    throw std::invalid_argument("strideList: patch size and stride must be positive, got " + std::to_string(patchSize) +
                                " and " + std::to_string(stride));
  }
  if (length < patchSize) {
    throw std::invalid_argument("strideList: an axis of " + std::to_string(length) +
                                " pixels is shorter than one patch of " + std::to_string(patchSize));
  }
  const int span = length - patchSize;  // total of all steps
  const int fullSteps = span / stride;
  const int remainder = span % stride;

  std::vector<int> steps;
  if (remainder == 0) {
    steps.assign(static_cast<std::size_t>(fullSteps), stride);
  } else {
    // One patch more than fit at full stride; each of the k steps gives up part of the deficit, and the
    // part that does not divide evenly costs one extra pixel on m randomly chosen steps.
    const int stepCount = fullSteps + 1;
    const int deficit = stride - remainder;
    const int baseStep = stride - deficit / stepCount;
    const int shortened = deficit % stepCount;
    steps.assign(static_cast<std::size_t>(stepCount), baseStep);
    for (const int index : rng.sample(stepCount, shortened)) steps[static_cast<std::size_t>(index)] = baseStep - 1;
  }

  std::vector<int> starts{0};
  starts.reserve(steps.size() + 1);
  for (const int step : steps) starts.push_back(starts.back() + step);
  return starts;
}

}  // namespace mammo::inference
