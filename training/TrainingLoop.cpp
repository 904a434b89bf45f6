#include "training/TrainingLoop.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <deque>
#include <future>

#include "inference/Networks.h"
#include "inference/SafeTensors.h"
#include "training/Distributed.h"
#include "training/RunFolder.h"

namespace mammo::training {

namespace {

using Clock = std::chrono::steady_clock;
double secondsSince(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

struct LoopState {
  int epoch = 0;  // 0-based epoch in progress
  int step = 0;  // next step inside it
  std::int64_t steps = 0;
  double lossSum = 0;  // of the epoch in progress
  double trainSeconds = 0;
  double loaderSeconds = 0, modelSeconds = 0, waitSeconds = 0;
  int samples = 0;
  int bestEpoch = 0;
  double bestAuc = -1;
  int sinceBest = 0;
  std::vector<EpochMetrics> history;
};

nlohmann::json metricsToJson(const EpochMetrics& m) {
  nlohmann::json auc = nlohmann::json::object();
  for (const auto& [k, v] : m.auc) auc[k] = std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr);
  auto num = [](double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); };
  return {{"epoch", m.epoch},
          {"train_loss", num(m.trainLoss)},
          {"val_loss", num(m.validationLoss)},
          {"auc", auc},
          {"val_auc_malignant", num(m.valAucMalignant)},
          {"accuracy", m.accuracy},
          {"train_seconds", m.trainSeconds},
          {"val_seconds", m.validationSeconds},
          {"loader_seconds", m.loaderSeconds},
          {"model_seconds", m.modelSeconds},
          {"wait_seconds", m.waitSeconds},
          {"samples", m.samples},
          {"loader_threads", m.loaderThreads}};
}

EpochMetrics metricsFromJson(const nlohmann::json& j) {
  auto num = [](const nlohmann::json& v) { return v.is_null() ? std::nan("") : v.get<double>(); };
  EpochMetrics m;
  m.epoch = j.at("epoch").get<int>();
  m.trainLoss = num(j.at("train_loss"));
  m.validationLoss = num(j.at("val_loss"));
  for (const auto& [k, v] : j.at("auc").items()) m.auc[k] = num(v);
  m.valAucMalignant = num(j.at("val_auc_malignant"));
  m.accuracy = j.at("accuracy").get<double>();
  m.trainSeconds = j.at("train_seconds").get<double>();
  m.validationSeconds = j.at("val_seconds").get<double>();
  m.loaderSeconds = j.value("loader_seconds", 0.0);
  m.modelSeconds = j.value("model_seconds", 0.0);
  m.waitSeconds = j.value("wait_seconds", 0.0);
  m.samples = j.value("samples", 0);
  m.loaderThreads = j.value("loader_threads", 0);
  return m;
}

void saveResume(const std::filesystem::path& dir, torch::nn::Module& model, torch::optim::Optimizer& optimizer,
                const LoopState& s, const std::string& trainerState) {
  std::filesystem::create_directories(dir);
  inference::writeSafeTensors(dir / "weights.safetensors", toTensorMap(model));
  torch::save(optimizer, (dir / "optimizer.pt").string());
  nlohmann::json j;
  j["epoch"] = s.epoch;
  j["step"] = s.step;
  j["steps"] = s.steps;
  j["loss_sum"] = s.lossSum;
  j["train_seconds"] = s.trainSeconds;
  j["timings"] = {s.loaderSeconds, s.modelSeconds, s.waitSeconds, static_cast<double>(s.samples)};
  j["best_epoch"] = s.bestEpoch;
  j["best_auc"] = s.bestAuc;
  j["since_best"] = s.sinceBest;
  j["trainer_state"] = trainerState;
  j["history"] = nlohmann::json::array();
  for (const auto& m : s.history) j["history"].push_back(metricsToJson(m));
  writeTextFile(dir / "state.json", j.dump(1));
}

LoopState loadResume(const std::filesystem::path& dir, torch::nn::Module& model, torch::optim::Optimizer& optimizer,
                     std::string& trainerState) {
  const nlohmann::json j = nlohmann::json::parse(readTextFile(dir / "state.json"));
  const inference::TensorMap weights = inference::readSafeTensors(dir / "weights.safetensors");
  {
    torch::NoGradGuard noGrad;
    inference::nets::loadWeights(model, weights, "", (dir / "weights.safetensors").string());
  }
  torch::load(optimizer, (dir / "optimizer.pt").string());
  LoopState s;
  s.epoch = j.at("epoch").get<int>();
  s.step = j.at("step").get<int>();
  s.steps = j.at("steps").get<std::int64_t>();
  s.lossSum = j.at("loss_sum").get<double>();
  s.trainSeconds = j.at("train_seconds").get<double>();
  if (j.contains("timings")) {
    const auto t = j.at("timings").get<std::vector<double>>();
    s.loaderSeconds = t.at(0);
    s.modelSeconds = t.at(1);
    s.waitSeconds = t.at(2);
    s.samples = static_cast<int>(t.at(3));
  }
  s.bestEpoch = j.at("best_epoch").get<int>();
  s.bestAuc = j.at("best_auc").get<double>();
  s.sinceBest = j.at("since_best").get<int>();
  trainerState = j.at("trainer_state").get<std::string>();
  for (const auto& m : j.at("history")) s.history.push_back(metricsFromJson(m));
  return s;
}

}  // namespace

inference::TensorMap toTensorMap(torch::nn::Module& module) {
  inference::TensorMap out;
  auto add = [&](const std::string& name, const torch::Tensor& t) {
    if (name.size() >= 19 && name.compare(name.size() - 19, 19, "num_batches_tracked") == 0) return;
    const torch::Tensor c = t.detach().to(torch::kCPU).to(torch::kFloat32).contiguous();
    inference::NamedTensor n;
    n.shape.assign(c.sizes().begin(), c.sizes().end());
    n.values.assign(c.data_ptr<float>(), c.data_ptr<float>() + c.numel());
    out[name] = std::move(n);
  };
  for (const auto& p : module.named_parameters()) add(p.key(), p.value());
  for (const auto& b : module.named_buffers()) add(b.key(), b.value());
  return out;
}

std::uint64_t stepSeed(std::uint64_t seed, int epoch, int step) {
  std::uint64_t z =
      seed * 0x9E3779B97F4A7C15ull + (static_cast<std::uint64_t>(epoch) << 32) + static_cast<std::uint64_t>(step);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

int rankOf(const TrainOptions& options) { return options.distributed ? options.distributed->rank() : 0; }
int worldSizeOf(const TrainOptions& options) { return options.distributed ? options.distributed->worldSize() : 1; }

namespace {

void freezeBatchNorm(torch::nn::Module& model) {
  for (const auto& m : model.modules(/*include_self=*/false)) {
    if (dynamic_cast<torch::nn::BatchNorm2dImpl*>(m.get())) m->eval();
  }
}

// Prepares batches ahead on background threads (one std::async task per batch, at most `depth` in flight),
// in step order; with depth 0 the training thread prepares each batch itself.
class Prefetcher {
 public:
  Prefetcher(LoopHooks& hooks, int epoch, int firstStep, int steps, int depth)
      : m_hooks(hooks), m_epoch(epoch), m_next(firstStep), m_steps(steps), m_depth(depth) {}
  ~Prefetcher() {
    for (auto& f : m_pending) f.wait();
  }
  // The batch of the next step and the time the caller waited for it.
  LoopBatch next(double& loaderSeconds, double& waitSeconds) {
    const auto started = Clock::now();
    if (m_depth == 0) {
      LoopBatch b = m_hooks.prepareBatch(m_epoch, m_next++);
      loaderSeconds += secondsSince(started);
      return b;
    }
    fill();
    auto [batch, seconds] = m_pending.front().get();
    m_pending.pop_front();
    fill();
    waitSeconds += secondsSince(started);
    loaderSeconds += seconds;
    return std::move(batch);
  }

 private:
  void fill() {
    while (static_cast<int>(m_pending.size()) < m_depth && m_next < m_steps) {
      const int step = m_next++;
      m_pending.push_back(std::async(std::launch::async, [this, step] {
        const auto started = Clock::now();
        LoopBatch b = m_hooks.prepareBatch(m_epoch, step);
        return std::pair<LoopBatch, double>(std::move(b), secondsSince(started));
      }));
    }
  }
  LoopHooks& m_hooks;
  int m_epoch, m_next, m_steps, m_depth;
  std::deque<std::future<std::pair<LoopBatch, double>>> m_pending;
};

}  // namespace

TrainResult runTrainingLoop(torch::nn::Module& model, torch::optim::Optimizer& optimizer, const TrainOptions& options,
                            CheckpointInfo info, LoopHooks& hooks, core::JobContext* job,
                            const EpochObserver& onEpoch) {
  DistributedContext* dist = options.distributed.get();
  const std::filesystem::path outDir =
      dist && dist->rank() > 0 ? options.outDir / ("rank-" + std::to_string(dist->rank())) : options.outDir;
  const PartFolder files(outDir);
  const std::filesystem::path resumeDir = files.resume();
  std::filesystem::create_directories(outDir);
  LoopState s;
  if (options.resume && std::filesystem::exists(resumeDir / "state.json")) {
    std::string trainerState;
    s = loadResume(resumeDir, model, optimizer, trainerState);
    if (hooks.restoreState) hooks.restoreState(trainerState);
  }
  if (dist) dist->broadcastModel(model);  // identical initial weights: rank 0's
  auto saveState = [&] { return hooks.saveState ? hooks.saveState() : std::string(); };
  const int depth = std::max(0, options.loaderThreads);
  TrainResult result;
  bool stop = s.sinceBest >= options.patience && !s.history.empty();
  for (; s.epoch < options.epochs && !stop; ++s.epoch) {
    const int steps = hooks.stepsPerEpoch(s.epoch);
    model.train();
    if (options.freezeBatchNorm) freezeBatchNorm(model);
    Prefetcher loader(hooks, s.epoch, s.step, steps, depth);
    for (; s.step < steps; ++s.step) {
      if ((options.stopAfterSteps > 0 && s.steps >= options.stopAfterSteps) || (job && job->cancelled())) {
        saveResume(resumeDir, model, optimizer, s, saveState());
        result.interrupted = true;
        result.steps = s.steps;
        result.epochs = s.history;
        result.finalWeights = toTensorMap(model);
        return result;
      }
      const auto started = Clock::now();
      LoopBatch batch = loader.next(s.loaderSeconds, s.waitSeconds);
      const auto modelStarted = Clock::now();
      optimizer.zero_grad();
      double loss = hooks.trainStep(s.epoch, s.step, batch);
      if (dist) {
        dist->sumGradients(model);
        loss = dist->sum(loss);
      }
      optimizer.step();
      if (dist) dist->broadcastBuffers(model);
      s.modelSeconds += secondsSince(modelStarted);
      s.samples += batch.samples;
      s.lossSum += loss;
      ++s.steps;
      s.trainSeconds += secondsSince(started);
      if (job) {
        const double fraction = (s.epoch + (s.step + 1.0) / steps) / options.epochs;
        job->progress(fraction, "epoch " + std::to_string(s.epoch + 1) + "/" + std::to_string(options.epochs) +
                                    " step " + std::to_string(s.step + 1) + "/" + std::to_string(steps) + " loss " +
                                    std::to_string(s.lossSum / (s.step + 1)));
      }
    }
    EpochMetrics m;
    m.epoch = s.epoch + 1;
    m.trainLoss = s.lossSum / std::max(steps, 1);
    m.trainSeconds = s.trainSeconds;
    m.loaderSeconds = s.loaderSeconds;
    m.modelSeconds = s.modelSeconds;
    m.waitSeconds = s.waitSeconds;
    m.samples = s.samples;
    m.loaderThreads = depth;
    const auto started = Clock::now();
    model.eval();
    hooks.validate(m);
    m.validationSeconds = secondsSince(started);
    s.history.push_back(m);
    info.epoch = m.epoch;
    const inference::TensorMap weights = toTensorMap(model);
    writeCheckpoint(files.checkpointStem(m.epoch), weights, info, &m);
    if (std::isfinite(m.valAucMalignant) && m.valAucMalignant > s.bestAuc) {
      s.bestAuc = m.valAucMalignant;
      s.bestEpoch = m.epoch;
      s.sinceBest = 0;
      writeCheckpoint(files.bestStem(), weights, info, &m);
    } else if (s.bestEpoch == 0 && s.epoch == 0) {
      s.bestEpoch = m.epoch;  // no AUC defined yet: the first epoch stands in
      writeCheckpoint(files.bestStem(), weights, info, &m);
    } else {
      ++s.sinceBest;
    }
    writeTextFile(files.metrics(), metricsJson(s.history));
    if (onEpoch) onEpoch(m);
    stop = s.sinceBest >= options.patience;
    result.stoppedEarly = stop && s.epoch + 1 < options.epochs;
    s.step = 0;
    s.lossSum = 0;
    s.trainSeconds = s.loaderSeconds = s.modelSeconds = s.waitSeconds = 0;
    s.samples = 0;
    LoopState next = s;
    ++next.epoch;
    saveResume(resumeDir, model, optimizer, next, saveState());
  }
  result.epochs = s.history;
  result.steps = s.steps;
  result.bestEpoch = s.bestEpoch;
  result.bestValAucMalignant = s.bestAuc;
  result.finalWeights = toTensorMap(model);
  if (std::filesystem::exists(files.bestWeights())) {
    result.bestWeights = inference::readSafeTensors(files.bestWeights());
  }
  return result;
}

}  // namespace mammo::training
