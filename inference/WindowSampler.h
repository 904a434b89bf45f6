#pragma once
// NYU stage 4 input preparation (../shared/docs/NYU-PIPELINE.md §5.2): the model-sized window around the
// best centre of a face-right cropped image, with the reference's padding, location and size noise,
// OpenCV bicubic resize of all channels jointly and standardisation of the image channel.
#include <array>
#include <vector>

#include "core/Types.h"
#include "inference/NumpyRandom.h"

namespace mammo::inference {

struct WindowBorders {
  int top = 0, bottom = 0, left = 0, right = 0;  // half-open, in padded coordinates
};

struct SampledWindow {
  int channels = 1;
  int rows = 0, columns = 0;  // the model input size of the view
  std::vector<float> data;  // channels x rows x columns
  int paddedRows = 0, paddedColumns = 0;
  WindowBorders afterLocationNoise;
  WindowBorders final;
  bool resized = false;
};

// A face-right image with optional heatmap channels, all rows x columns float32 (image first, then benign,
// then malignant). Heatmaps are not standardised.
struct FaceRightInput {
  int rows = 0, columns = 0;
  std::vector<const float*> channels;
};

// Draws from `rng` exactly as the reference: with augmentation 2 doubles of location noise, then always
// 4 doubles of size noise (multiplied by 0 without augmentation).
SampledWindow sampleWindow(const FaceRightInput& input, core::ViewPosition view, std::array<int, 2> bestCenter,
                           bool augment, NumpyRandom& rng);

// The same sampler for another model input size (rows, columns) and noise amplitudes in pixels (the
// reference: modelInputSize(view), 100 and 100), for training at reduced resolution.
struct WindowGeometry {
  std::array<int, 2> inputSize{};
  int locationNoise = 100;
  int sizeNoise = 100;
};
SampledWindow sampleWindow(const FaceRightInput& input, core::ViewPosition view, std::array<int, 2> bestCenter,
                           bool augment, NumpyRandom& rng, const WindowGeometry& geometry);

// Model input size (rows, columns) of a view: CC 2677 x 1942, MLO 2974 x 1748.
std::array<int, 2> modelInputSize(core::ViewPosition view);

}  // namespace mammo::inference
