#include <gtest/gtest.h>

#include <ATen/Parallel.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <thread>

#include "DistributedSetup.h"
#include "PhantomData.h"
#include "LoopbackPort.h"
#include "TestSupport.h"
#include "inference/SafeTensors.h"
#include "training/CancerTrainer.h"
#include "training/Distributed.h"

extern char** environ;

using namespace mammo;
using namespace mammo::training;

// Data-parallel training over c10d (TCPStore + Gloo on loopback) with two real processes: each is the helper
// executable distributed_rank with its rank in the environment.
//
// What is compared: the view-wise image-only cancer model (every parameter and buffer) after 2 optimiser
// steps (one epoch of 4 exams, global batch 2: one exam per rank per step, with augmentation and input
// noise). BatchNorm is frozen (TrainOptions::freezeBatchNorm: running statistics in training), because in
// training mode each rank would normalise with its own shard's statistics and no single-process run of
// the global batch computes those. With that, the two ranks must end bit-identical (same averaged
// gradients, same Adam arithmetic, rank 0's initial weights), and equal to one process training on the
// same global batches within float tolerance (the gradient sum is split across ranks, so rounding
// differs).
namespace {

int freePort() { return test::freeLoopbackPort(); }

pid_t spawnRank(int rank, int port, const std::filesystem::path& dir) {
  std::vector<std::string> env;
  for (char** e = environ; *e; ++e) env.emplace_back(*e);
  env.push_back("MAMMO_DDP_RANK=" + std::to_string(rank));
  env.push_back("MAMMO_DDP_PORT=" + std::to_string(port));
  env.push_back("MAMMO_DDP_DIR=" + dir.string());
  std::vector<char*> envp;
  for (auto& s : env) envp.push_back(s.data());
  envp.push_back(nullptr);
  std::string exe = MAMMO_DISTRIBUTED_RANK;  // the helper executable (distributed_rank.cpp)
  char* argv[] = {exe.data(), nullptr};
  pid_t pid = 0;
  if (posix_spawn(&pid, exe.c_str(), nullptr, nullptr, argv, envp.data()) != 0) return -1;
  return pid;
}

// Waits up to `seconds` for the child; kills it after that. Returns its exit status or -1.
int waitFor(pid_t pid, int seconds) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (::waitpid(pid, &status, WNOHANG) == pid) return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ::kill(pid, SIGKILL);
  ::waitpid(pid, nullptr, 0);
  return -1;
}

}  // namespace

TEST(Distributed, TwoProcessesMatchOneProcess) {
  at::set_num_threads(1);
  const auto dir = test::scratchDir();
  test::phantomDataset(dir / "data", 4, 61, 0.8);
  const int port = freePort();
  const pid_t rank0 = spawnRank(0, port, dir), rank1 = spawnRank(1, port, dir);
  ASSERT_GT(rank0, 0);
  ASSERT_GT(rank1, 0);

  const CancerDataset data = test::dataset(dir);
  CancerTrainOptions single = test::options(dir / "single");
  single.train.seed = 14;  // a different seed: the ranks must take rank 0's weights, not their own
  const TrainResult differentStart = trainCancerModel(data, data, single);
  single.train.seed = 13;
  single.train.outDir = dir / "single-13";
  const TrainResult one = trainCancerModel(data, data, single);
  ASSERT_EQ(one.steps, 2);

  EXPECT_EQ(waitFor(rank0, 300), 0);
  EXPECT_EQ(waitFor(rank1, 300), 0);
  ASSERT_TRUE(std::filesystem::exists(dir / "rank-0.safetensors"));
  ASSERT_TRUE(std::filesystem::exists(dir / "rank-1.safetensors"));
  const inference::TensorMap w0 = inference::readSafeTensors(dir / "rank-0.safetensors");
  const inference::TensorMap w1 = inference::readSafeTensors(dir / "rank-1.safetensors");
  ASSERT_EQ(w0.size(), one.finalWeights.size());
  // Adam divides by sqrt(v) + 1e-8, so an element whose gradient is near zero and rounds differently in the
  // split sum may move by up to ~lr differently: the comparison is on the whole update (relative L2 norm)
  // and on the share of elements that differ by more than 1e-6, not on the single worst element.
  const inference::TensorMap start = initialCancerWeights(test::options(dir / "unused"));
  double difference2 = 0, change2 = 0, seedDifference2 = 0, maxDifference = 0;
  std::size_t elements = 0, differing = 0;
  for (const auto& [name, t] : one.finalWeights) {
    ASSERT_TRUE(w0.count(name) && w1.count(name)) << name;
    EXPECT_EQ(w0.at(name).values, w1.at(name).values) << name << " differs between the ranks";
    for (std::size_t i = 0; i < t.values.size(); ++i) {
      const double d = double(t.values[i]) - w0.at(name).values[i];
      const double c = double(t.values[i]) - start.at(name).values[i];
      const double e = double(differentStart.finalWeights.at(name).values[i]) - w0.at(name).values[i];
      difference2 += d * d;
      change2 += c * c;
      seedDifference2 += e * e;
      maxDifference = std::max(maxDifference, std::abs(d));
      differing += std::abs(d) > 1e-6 ? 1 : 0;
      ++elements;
    }
  }
  const double relative = std::sqrt(difference2 / change2);
  std::printf(
      "|one process - two ranks| / |update| = %.3g (L2); %zu of %zu elements differ by > 1e-6 (largest "
      "%.3g); |update| %.3g; other seed ends %.3g away\n",
      relative, differing, elements, maxDifference, std::sqrt(change2), std::sqrt(seedDifference2));
  EXPECT_LE(relative, 1e-3);
  EXPECT_LE(static_cast<double>(differing), 1e-3 * static_cast<double>(elements));
  EXPECT_GT(std::sqrt(change2), 0.1);  // training moved the weights
  EXPECT_GT(std::sqrt(seedDifference2), std::sqrt(change2));  // and rank 0's initialisation was used
}
