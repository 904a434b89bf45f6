#pragma once
// Run-time compute settings for LibTorch (thread count, CPU or CUDA), applied once at start-up by the
// composition root. Deliberately free of LibTorch types so that callers (CLI, GUI, tests) do not compile
// against LibTorch headers.
// Thread affinity: call from the main thread before any inference starts; LibTorch's thread pool size is
// process-wide.
#include <string>

namespace mammo::inference {

struct ComputeSettings {
  int threads = 0;              // intra-op CPU threads; 0 = one per hardware thread
  std::string device = "auto";  // "auto" (CUDA when available, else CPU), "cpu" or "cuda"
};

// What was actually applied, for logs and the about box.
struct ComputeInfo {
  std::string device;  // "cpu" or "cuda"
  int threads = 0;     // intra-op threads LibTorch now uses
  bool cudaAvailable = false;
  std::string torchVersion;  // e.g. "1.13.0"
};

// Applies `settings` to the process-wide LibTorch state. Throws std::invalid_argument for an unknown device
// name or a negative thread count, and std::runtime_error when "cuda" is requested but this LibTorch build
// or machine has no usable CUDA device.
ComputeInfo applyComputeSettings(const ComputeSettings& settings);

}  // namespace mammo::inference
