#include "inference/CancerModel.h"

#include "inference/Networks.h"

namespace mammo::inference {

namespace {

struct HeadPair : torch::nn::Module {
  HeadPair(int in, int hidden) {
    fc1 = register_module("fc1", torch::nn::Linear(in, hidden));
    output = register_module("output", nets::OutputLayer(hidden, 4));
  }
  torch::Tensor forward(const torch::Tensor& x) { return output->forward(torch::relu(fc1(x))); }
  torch::nn::Linear fc1{nullptr};
  nets::OutputLayer output{nullptr};
};

const char* kViewKeys[] = {"lcc", "rcc", "lmlo", "rmlo"};

}  // namespace

struct CancerModel::Impl {
  CancerHeads kind;
  int channels;
  nets::ResNet22 cc{nullptr}, mlo{nullptr};
  std::vector<std::shared_ptr<HeadPair>> heads;  // view-wise: CC, MLO; image-wise: per view
  nets::Placement where;
};

CancerModel::CancerModel(const TensorMap& weights, CancerHeads heads, int channels, const std::string& source,
                         const std::string& device, Precision precision)
    : m_impl(std::make_unique<Impl>()) {
  m_impl->kind = heads;
  m_impl->channels = channels;
  m_impl->cc = nets::ResNet22(channels);
  m_impl->mlo = nets::ResNet22(channels);
  // The reference registers each column under several names (cc, l_cc, r_cc, ...); cc/mlo are canonical.
  nets::loadWeights(*m_impl->cc, weights, "four_view_resnet.cc.", source);
  nets::loadWeights(*m_impl->mlo, weights, "four_view_resnet.mlo.", source);
  auto loadHead = [&](const std::string& suffix, int in) {
    auto head = std::make_shared<HeadPair>(in, in);
    nets::loadWeights(*head->fc1, weights, "fc1_" + suffix + ".", source);
    nets::loadWeights(*head->output, weights, "output_layer_" + suffix + ".", source);
    m_impl->heads.push_back(head);
  };
  if (heads == CancerHeads::ViewWise) {
    loadHead("cc", 512);
    loadHead("mlo", 512);
  } else {
    for (const char* key : kViewKeys) loadHead(key, 256);
  }
  m_impl->where = nets::placement(device, precision);
  for (auto* m : std::initializer_list<torch::nn::Module*>{m_impl->cc.get(), m_impl->mlo.get()}) {
    nets::moveModule(*m, m_impl->where);
    m->eval();
  }
  for (auto& h : m_impl->heads) {
    nets::moveModule(*h, m_impl->where);
    h->eval();
  }
}

CancerModel::~CancerModel() = default;

int CancerModel::channels() const { return m_impl->channels; }
CancerHeads CancerModel::heads() const { return m_impl->kind; }

CancerOutput CancerModel::forward(const std::array<ViewInput, 4>& views) {
  c10::InferenceMode inference;
  std::array<torch::Tensor, 4> features;
  CancerOutput out;
  for (int v = 0; v < 4; ++v) {
    const ViewInput& in = views[v];
    const torch::Tensor x =
        torch::from_blob(const_cast<float*>(in.data), {1, m_impl->channels, in.rows, in.columns}, torch::kFloat32);
    const torch::Tensor input = nets::toPlacement(x, m_impl->where);
    const bool cc = core::viewPositionOf(static_cast<core::StandardView>(v)) == core::ViewPosition::CC;
    features[v] = (cc ? m_impl->cc : m_impl->mlo)->forward(input);
    const torch::Tensor f = features[v].to(torch::kFloat32).to(torch::kCPU).contiguous();
    out.pooled[v].assign(f.data_ptr<float>(), f.data_ptr<float>() + f.numel());
  }
  auto keep = [&](const torch::Tensor& t) {
    const torch::Tensor c = t.to(torch::kFloat32).to(torch::kCPU).contiguous();
    std::array<float, 8> values{};
    std::copy_n(c.data_ptr<float>(), 8, values.begin());
    out.heads.push_back(values);
  };
  using core::StandardView;
  auto at = [&](StandardView v) { return features[static_cast<int>(v)]; };
  if (m_impl->kind == CancerHeads::ViewWise) {
    keep(m_impl->heads[0]->forward(torch::cat({at(StandardView::LCC), at(StandardView::RCC)}, 1)));
    keep(m_impl->heads[1]->forward(torch::cat({at(StandardView::LMLO), at(StandardView::RMLO)}, 1)));
  } else {
    for (int v = 0; v < 4; ++v) keep(m_impl->heads[v]->forward(features[v]));
  }
  return out;
}

std::array<float, 4> CancerModel::forwardSingle(core::StandardView view, const ViewInput& in) {
  if (m_impl->kind != CancerHeads::ImageWise) {
    throw std::logic_error("the single-image model needs image-wise weights");
  }
  c10::InferenceMode inference;
  const torch::Tensor x = nets::toPlacement(
      torch::from_blob(const_cast<float*>(in.data), {1, m_impl->channels, in.rows, in.columns}, torch::kFloat32),
      m_impl->where);
  const bool cc = core::viewPositionOf(view) == core::ViewPosition::CC;
  const torch::Tensor features = (cc ? m_impl->cc : m_impl->mlo)->forward(x);
  const torch::Tensor head =
      m_impl->heads[static_cast<int>(view)]->forward(features).to(torch::kFloat32).to(torch::kCPU).contiguous();
  std::array<float, 4> out{};
  std::copy_n(head.data_ptr<float>(), 4, out.begin());
  return out;
}

}  // namespace mammo::inference
