#include "training/Distributed.h"

#include <torch/torch.h>
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>

#include <chrono>
#include <stdexcept>

namespace mammo::training {

std::pair<std::string, int> parseMasterAddress(const std::string& text) {
  const auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size()) {
    throw std::invalid_argument("--master must be ADDR:PORT (e.g. 10.0.0.1:29500), got '" + text + "'");
  }
  int port = 0;
  try {
    port = std::stoi(text.substr(colon + 1));
  } catch (const std::exception&) {
    port = -1;
  }
  if (port <= 0 || port > 65535) throw std::invalid_argument("--master: bad port in '" + text + "'");
  return {text.substr(0, colon), port};
}

struct DistributedContext::Impl {
  DistributedOptions options;
  c10::intrusive_ptr<c10d::Store> store;
  c10::intrusive_ptr<c10d::ProcessGroup> group;

  void run(const c10::intrusive_ptr<c10d::Work>& work) {
    if (!work->wait()) throw std::runtime_error("distributed collective failed");
  }
};

namespace {

bool isLoopback(const std::string& address) {
  return address == "localhost" || address.rfind("127.", 0) == 0 || address == "::1";
}

}  // namespace

DistributedContext::DistributedContext(const DistributedOptions& options) : m_impl(std::make_unique<Impl>()) {
  if (options.worldSize < 1 || options.rank < 0 || options.rank >= options.worldSize) {
    throw std::invalid_argument("distributed: rank " + std::to_string(options.rank) + " is outside world size " +
                                std::to_string(options.worldSize));
  }
  if (options.backend == "nccl") {
    // NCCL needs a CUDA build of LibTorch with c10d NCCL; Debian's LibTorch is CPU only.
    throw std::invalid_argument("distributed: this build has no NCCL backend; use --backend gloo");
  }
  if (options.backend != "auto" && options.backend != "gloo") {
    throw std::invalid_argument("distributed: backend must be auto, gloo or nccl");
  }
  m_impl->options = options;
  const auto timeout = std::chrono::milliseconds(1000LL * options.timeoutSeconds);
  c10d::TCPStoreOptions storeOptions;
  storeOptions.port = static_cast<std::uint16_t>(options.masterPort);
  storeOptions.isServer = options.rank == 0;
  storeOptions.numWorkers = options.worldSize;
  storeOptions.waitWorkers = true;
  storeOptions.timeout = timeout;
  try {
    m_impl->store = c10::make_intrusive<c10d::TCPStore>(options.masterAddress, storeOptions);
    auto glooOptions = c10d::ProcessGroupGloo::Options::create();
    glooOptions->timeout = timeout;
    // On one machine the loopback device; across machines the interface the host name resolves to.
    glooOptions->devices.push_back(isLoopback(options.masterAddress)
                                       ? c10d::ProcessGroupGloo::createDeviceForHostname("127.0.0.1")
                                       : c10d::ProcessGroupGloo::createDefaultDevice());
    m_impl->group =
        c10::make_intrusive<c10d::ProcessGroupGloo>(m_impl->store, options.rank, options.worldSize, glooOptions);
  } catch (const std::exception& e) {
    throw std::runtime_error("distributed: rank " + std::to_string(options.rank) + " could not join " +
                             options.masterAddress + ":" + std::to_string(options.masterPort) + ": " + e.what());
  }
}

DistributedContext::~DistributedContext() = default;

int DistributedContext::rank() const { return m_impl->options.rank; }
int DistributedContext::worldSize() const { return m_impl->options.worldSize; }
std::string DistributedContext::backend() const { return "gloo"; }

namespace {

std::vector<torch::Tensor> buffersOf(torch::nn::Module& module) {
  std::vector<torch::Tensor> out;
  for (const auto& b : module.named_buffers()) out.push_back(b.value());
  return out;
}

}  // namespace

void DistributedContext::broadcastModel(torch::nn::Module& module) {
  torch::NoGradGuard noGrad;
  std::vector<torch::Tensor> tensors;
  for (const auto& p : module.parameters()) tensors.push_back(p.detach());
  for (auto& t : tensors) {
    std::vector<torch::Tensor> one{t};
    m_impl->run(m_impl->group->broadcast(one, c10d::BroadcastOptions()));
  }
  broadcastBuffers(module);
}

void DistributedContext::broadcastBuffers(torch::nn::Module& module) {
  torch::NoGradGuard noGrad;
  for (auto& t : buffersOf(module)) {
    std::vector<torch::Tensor> one{t};
    m_impl->run(m_impl->group->broadcast(one, c10d::BroadcastOptions()));
  }
}

void DistributedContext::sumGradients(torch::nn::Module& module) {
  torch::NoGradGuard noGrad;
  std::vector<torch::Tensor> grads;
  for (auto& p : module.parameters()) {
    if (!p.requires_grad()) continue;
    if (!p.grad().defined()) p.mutable_grad() = torch::zeros_like(p);
    grads.push_back(p.grad());
  }
  if (grads.empty()) return;
  std::vector<torch::Tensor> flat;
  for (const auto& g : grads) flat.push_back(g.reshape({-1}));
  std::vector<torch::Tensor> buffer{torch::cat(flat)};
  m_impl->run(m_impl->group->allreduce(buffer, c10d::AllreduceOptions()));
  std::int64_t offset = 0;
  for (auto& g : grads) {
    g.copy_(buffer[0].narrow(0, offset, g.numel()).view_as(g));
    offset += g.numel();
  }
}

double DistributedContext::sum(double value) {
  std::vector<torch::Tensor> t{torch::full({1}, value, torch::kFloat64)};
  m_impl->run(m_impl->group->allreduce(t, c10d::AllreduceOptions()));
  return t[0].item<double>();
}

void DistributedContext::barrier() { m_impl->run(m_impl->group->barrier()); }

}  // namespace mammo::training
