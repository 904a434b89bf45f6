#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "inference/Device.h"

using mammo::inference::applyComputeSettings;
using mammo::inference::ComputeInfo;
using mammo::inference::ComputeSettings;

TEST(Device, CpuWithTwoThreads) {
  ComputeSettings settings;
  settings.threads = 2;
  settings.device = "cpu";
  const ComputeInfo info = applyComputeSettings(settings);
  EXPECT_EQ(info.device, "cpu");
  EXPECT_EQ(info.threads, 2);
  EXPECT_FALSE(info.torchVersion.empty());
}

TEST(Device, ZeroThreadsMeansAllHardwareThreads) {
  const ComputeInfo info = applyComputeSettings({0, "cpu"});
  EXPECT_GE(info.threads, 1);
}

TEST(Device, AutoPicksCudaOnlyWhenAvailable) {
  const ComputeInfo info = applyComputeSettings({1, "auto"});
  EXPECT_EQ(info.device, info.cudaAvailable ? "cuda" : "cpu");
}

TEST(Device, CudaRequestFailsClearlyWithoutCuda) {
  const bool cudaAvailable = applyComputeSettings({1, "cpu"}).cudaAvailable;
  if (cudaAvailable) {
    EXPECT_EQ(applyComputeSettings({1, "cuda"}).device, "cuda");
    return;
  }
  try {
    applyComputeSettings({1, "cuda"});
    FAIL() << "expected std::runtime_error";
  } catch (const std::runtime_error& error) {
    EXPECT_NE(std::string(error.what()).find("CUDA"), std::string::npos) << error.what();
  }
}

TEST(Device, RejectsUnknownDevicesAndNegativeThreads) {
  EXPECT_THROW(applyComputeSettings({1, "tpu"}), std::invalid_argument);
  EXPECT_THROW(applyComputeSettings({-1, "cpu"}), std::invalid_argument);
}
