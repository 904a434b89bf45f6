#pragma once
// Shared helpers for the test executables: data locations and scratch folders.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

namespace mammo::test {

inline std::filesystem::path sharedDir() { return MAMMO_SHARED_DIR; }
inline std::filesystem::path realDataDir() { return sharedDir() / "data" / "real"; }
inline std::filesystem::path parityDir() { return sharedDir() / "parity" / "nyu-exam-a"; }

// A fresh, empty folder per test (removed at the start of the next run, kept for inspection).
inline std::filesystem::path scratchDir() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::filesystem::path dir = std::filesystem::path(MAMMO_TEST_TMP) / info->test_suite_name() / info->name();
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

}  // namespace mammo::test
