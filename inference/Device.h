#pragma once
// Run-time compute settings for LibTorch (thread count, CPU or CUDA), applied once at start-up by the
// composition root. Deliberately free of LibTorch types so that callers (CLI, GUI, tests) do not compile
// against LibTorch headers.
// Thread affinity: call from the main thread before any inference starts; LibTorch's thread pool size is
// process-wide.
#include <string>

namespace mammo::inference {

struct ComputeSettings {
  int threads = 0;  // intra-op CPU threads; 0 = one per hardware thread
  std::string device = "auto";  // "auto" (CUDA when available, else CPU), "cpu" or "cuda"
  // glibc keeps freed large blocks (network activations) in the heap for reuse instead of unmapping them
  // (see applyComputeSettings). Off only to measure what it saves (mammolens-bench --exact-ablation).
  bool reuseLargeAllocations = true;
};

// Numeric precision of the networks. Float32 is the reference's arithmetic (on CUDA with TF32 disabled, so
// that parity holds); the others are explicit, measured approximations (docs/performance.md): TF32 keeps
// float32 storage but lets cuDNN/cuBLAS use tensor-core TF32 products; BFloat16 and Float16 run the whole
// network in that type. Float16 needs CUDA; BFloat16 also runs (slowly) on CPU.
enum class Precision { Float32, TF32, BFloat16, Float16 };
const char* toString(Precision precision);
// "fp32", "tf32", "bf16" or "fp16"; throws std::invalid_argument naming the accepted values.
Precision parsePrecision(const std::string& name);

// What was actually applied, for logs and the about box.
struct ComputeInfo {
  std::string device;  // "cpu" or "cuda"
  int threads = 0;  // intra-op threads LibTorch now uses
  bool cudaAvailable = false;
  std::string torchVersion;  // e.g. "1.13.0"
};

// Applies `settings` to the process-wide LibTorch state. Throws std::invalid_argument for an unknown device
// name or a negative thread count, and std::runtime_error when "cuda" is requested but this LibTorch build
// or machine has no usable CUDA device.
ComputeInfo applyComputeSettings(const ComputeSettings& settings);

}  // namespace mammo::inference
