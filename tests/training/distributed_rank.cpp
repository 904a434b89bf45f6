// One rank of the two-process training test (Distributed.TwoProcessesMatchOneProcess), as its own helper
// executable: the test starts two of these with MAMMO_DDP_RANK, MAMMO_DDP_PORT and MAMMO_DDP_DIR in the
// environment. Each trains the shared options on DIR/data with c10d on loopback and writes its final weights
// to DIR/rank-<rank>.safetensors. Exit 0 on success, 2 when started without the environment, 1 on an error
// (printed).
#include <ATen/Parallel.h>

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <memory>
#include <string>

#include "DistributedSetup.h"
#include "inference/SafeTensors.h"
#include "training/Distributed.h"

int main() {
  using namespace mammo;
  const char* rank = std::getenv("MAMMO_DDP_RANK");
  const char* port = std::getenv("MAMMO_DDP_PORT");
  const char* dir = std::getenv("MAMMO_DDP_DIR");
  if (!rank || !port || !dir) {
    std::fprintf(stderr,
                 "distributed_rank: started by the Distributed test, which sets MAMMO_DDP_RANK, "
                 "MAMMO_DDP_PORT and MAMMO_DDP_DIR\n");
    return 2;
  }
  try {
    at::set_num_threads(1);
    training::DistributedOptions d;
    d.worldSize = 2;
    d.rank = std::atoi(rank);
    d.masterAddress = "127.0.0.1";
    d.masterPort = std::atoi(port);
    d.timeoutSeconds = 60;
    const std::filesystem::path folder = dir;
    training::CancerTrainOptions o = test::options(folder / "ddp");
    o.train.distributed = std::make_shared<training::DistributedContext>(d);
    const training::CancerDataset data = test::dataset(folder);
    const training::TrainResult r = training::trainCancerModel(data, data, o);
    if (r.steps != 2) {
      std::fprintf(stderr, "distributed_rank %d: %lld steps, expected 2\n", d.rank, static_cast<long long>(r.steps));
      return 1;
    }
    inference::writeSafeTensors(folder / ("rank-" + std::to_string(d.rank) + ".safetensors"), r.finalWeights);
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "distributed_rank %s: %s\n", rank, e.what());
    return 1;
  }
}
