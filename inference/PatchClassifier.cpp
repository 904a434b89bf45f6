#include "inference/PatchClassifier.h"

#include "inference/Networks.h"

namespace mammo::inference {

struct PatchClassifier::Impl {
  nets::DenseNet121 net{4};
  torch::Device device{torch::kCPU};
};

PatchClassifier::PatchClassifier(const TensorMap& weights, const std::string& source, const std::string& device)
    : m_impl(std::make_unique<Impl>()) {
  nets::loadWeights(*m_impl->net, weights, "", source);
  m_impl->device = torch::Device(device == "cuda" ? torch::kCUDA : torch::kCPU);
  m_impl->net->to(m_impl->device);
  m_impl->net->eval();
}

PatchClassifier::~PatchClassifier() = default;

std::vector<std::array<float, 4>> PatchClassifier::classify(const float* patches, int count) {
  c10::InferenceMode inference;  // thread-local: set here, inside the worker
  const torch::Tensor single =
      torch::from_blob(const_cast<float*>(patches), {count, 1, kPatchSize, kPatchSize}, torch::kFloat32);
  const torch::Tensor input = single.expand({count, 3, kPatchSize, kPatchSize}).contiguous().to(m_impl->device);
  const torch::Tensor probabilities = m_impl->net->forward(input).to(torch::kCPU).contiguous();
  std::vector<std::array<float, 4>> out(count);
  const float* p = probabilities.data_ptr<float>();
  for (int i = 0; i < count; ++i) std::copy_n(p + 4 * i, 4, out[i].begin());
  return out;
}

}  // namespace mammo::inference
