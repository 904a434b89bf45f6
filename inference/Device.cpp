#include "inference/Device.h"

#include <ATen/Parallel.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <torch/cuda.h>
#include <torch/version.h>

#include <algorithm>
#include <stdexcept>
#include <string>
#include <thread>

namespace mammo::inference {

ComputeInfo applyComputeSettings(const ComputeSettings& settings) {
  if (settings.device != "auto" && settings.device != "cpu" && settings.device != "cuda") {
    throw std::invalid_argument("Unknown compute device '" + settings.device + "'; use auto, cpu or cuda.");
  }
  if (settings.threads < 0) {
    throw std::invalid_argument("The thread count must be 0 (all cores) or positive, got " +
                                std::to_string(settings.threads) + ".");
  }

  ComputeInfo info;
  info.torchVersion = TORCH_VERSION;
  info.cudaAvailable = torch::cuda::is_available();
  if (settings.device == "cuda" && !info.cudaAvailable) {
    throw std::runtime_error("CUDA was requested but LibTorch " + info.torchVersion +
                             " reports no usable CUDA device (CPU-only build, no GPU, or no driver). "
                             "Use device 'cpu' or 'auto', or install a CUDA-enabled LibTorch and GPU driver.");
  }
  info.device = (settings.device == "cuda" || (settings.device == "auto" && info.cudaAvailable)) ? "cuda" : "cpu";

  // hardware_concurrency() may report 0 when unknown; one thread is then the only safe choice.
  const int threads =
      settings.threads > 0 ? settings.threads : std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  at::set_num_threads(threads);
#if defined(__GLIBC__)
  // Network activations are tens of MB per batch. glibc serves blocks above its mmap threshold with fresh
  // mmap/munmap pairs, so every forward pass page-faults them in again (measured: up to 30 % of patch
  // classification time, half of it system time). Keep freed memory in the heap instead.
  // Off: glibc's initial thresholds (128 KiB each; setting them disables its dynamic adjustment).
  mallopt(M_MMAP_THRESHOLD, settings.reuseLargeAllocations ? 512 * 1024 * 1024 : 128 * 1024);
  mallopt(M_TRIM_THRESHOLD, settings.reuseLargeAllocations ? 1024 * 1024 * 1024 : 128 * 1024);
#endif
  info.threads = at::get_num_threads();
  return info;
}

const char* toString(Precision precision) {
  switch (precision) {
    case Precision::Float32:
      return "fp32";
    case Precision::TF32:
      return "tf32";
    case Precision::BFloat16:
      return "bf16";
    case Precision::Float16:
      return "fp16";
  }
  return "?";
}

Precision parsePrecision(const std::string& name) {
  for (Precision p : {Precision::Float32, Precision::TF32, Precision::BFloat16, Precision::Float16}) {
    if (name == toString(p)) return p;
  }
  throw std::invalid_argument("Unknown precision '" + name + "'; use fp32, tf32, bf16 or fp16.");
}

}  // namespace mammo::inference
