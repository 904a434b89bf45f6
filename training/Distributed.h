#pragma once
// Data-parallel training across processes and machines with LibTorch's own distributed engine (c10d):
// a TCPStore rendezvous at the master's address (rank 0 runs the store's server) and a Gloo process group
// (CPU). The training loop broadcasts rank 0's parameters and buffers at the start, averages gradients
// over the ranks after every backward pass (all-reduce) and broadcasts rank 0's buffers after every step,
// as PyTorch's DistributedDataParallel does. Batches are sharded by position (see the trainers), so N
// ranks compute the gradient of the same global batch that one process would.
// BatchNorm: in training mode each rank normalises with the statistics of its own shard (PyTorch's DDP
// without SyncBatchNorm behaves the same), so N ranks equal one process only with frozen BatchNorm
// (TrainOptions::freezeBatchNorm) or one exam per shard and global batch alike.
// A context is used by one training thread at a time.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace torch::nn {
class Module;
}

namespace mammo::training {

struct DistributedOptions {
  int worldSize = 1;
  int rank = 0;
  std::string masterAddress = "127.0.0.1";  // host of rank 0's TCPStore
  int masterPort = 29500;
  int timeoutSeconds = 300;  // rendezvous and collective timeout
  std::string backend = "auto";  // auto (NCCL on CUDA builds, else Gloo) | gloo | nccl
};

// "ADDR:PORT" -> (address, port); throws std::invalid_argument with the expected form.
std::pair<std::string, int> parseMasterAddress(const std::string& text);

class DistributedContext {
 public:
  // Blocks until all `worldSize` ranks have joined (or the timeout passes: std::runtime_error naming the
  // master address). Throws std::invalid_argument for a bad rank/world size or an unavailable backend.
  explicit DistributedContext(const DistributedOptions& options);
  ~DistributedContext();
  DistributedContext(const DistributedContext&) = delete;
  DistributedContext& operator=(const DistributedContext&) = delete;

  int rank() const;
  int worldSize() const;
  std::string backend() const;

  // Rank 0's parameters and buffers to every rank (in place).
  void broadcastModel(torch::nn::Module& module);
  void broadcastBuffers(torch::nn::Module& module);
  // Gradients summed over the ranks (in place, one flattened all-reduce). The trainers scale each rank's
  // loss by 1 / global batch size, so the sum is the global batch's mean gradient.
  void sumGradients(torch::nn::Module& module);
  double sum(double value);
  void barrier();

 private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

}  // namespace mammo::training
