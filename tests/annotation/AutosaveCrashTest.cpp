// Crash safety: a process autosaving in a tight loop is killed with SIGKILL at random moments; every mask
// file left on disk must be a complete PNG equal to a version the writer produced, and the sidecar must
// parse. Temporaries may be left behind but must never be taken for masks.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <random>
#include <set>
#include <thread>

#include "CrashPattern.h"
#include "TestSupport.h"
#include "annotation/AtomicFile.h"
#include "annotation/MaskFiles.h"
#include "annotation/Sidecar.h"
#include "core/PngIO.h"

using namespace mammo;
namespace fs = std::filesystem;
using namespace std::chrono_literals;

TEST(AutosaveCrash, SigkillAtRandomMomentsLeavesOnlyCompleteVersions) {
  const fs::path root = test::scratchDir();
  const fs::path folder = root / "crash";
  std::mt19937 rng(20261126);
  std::uniform_int_distribution<int> delayMs(5, 60);
  constexpr int kKills = 30;
  int withMasks = 0;
  std::size_t maxTemporaries = 0, filesChecked = 0;
  std::set<std::uint32_t> versions;
  double scale = 1;  // stretches the kill delays for slow (sanitizer) builds
  for (int kill = 0; kill < kKills; ++kill) {
    // Each run counts from its own base, so the versions seen on disk show how many writes survived.
    const std::string firstVersion = std::to_string(1 + 1000000u * static_cast<unsigned>(kill));
    const auto start = std::chrono::steady_clock::now();
    const pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      execl(AUTOSAVE_CRASH_WRITER, AUTOSAVE_CRASH_WRITER, root.c_str(), firstVersion.c_str(),
            static_cast<char*>(nullptr));
      _exit(127);
    }
    if (kill == 0) {
      // Warm-up: wait for the first complete save of both images to learn how fast this build writes, and
      // scale the random 5-60 ms so that later kills land before, during and after writes alike.
      while (annotation::findMaskFiles({folder}).size() < 2 && std::chrono::steady_clock::now() - start < 20s) {
        std::this_thread::sleep_for(1ms);
      }
      const double firstSaveMs =
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
      scale = std::max(1.0, firstSaveMs / 30.0);
      std::printf("first save after %.0f ms: kill delays scaled by %.1f\n", firstSaveMs, scale);
    } else {
      std::this_thread::sleep_for(std::chrono::duration<double, std::milli>(delayMs(rng) * scale));
    }
    ASSERT_EQ(::kill(pid, SIGKILL), 0);
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << "the writer exited by itself: " << status;

    if (!fs::exists(folder)) continue;
    std::size_t temporaries = 0;
    for (const auto& entry : fs::directory_iterator(folder)) {
      if (annotation::isTemporaryName(entry.path())) {
        ++temporaries;
        EXPECT_FALSE(annotation::parseMaskFileName(entry.path())) << entry.path();
      }
    }
    maxTemporaries = std::max(maxTemporaries, temporaries);
    const auto sets = annotation::findMaskFiles({folder});
    if (!sets.empty()) ++withMasks;
    for (const auto& set : sets) {
      for (const auto& [cls, file] : set.files) {
        ASSERT_FALSE(annotation::isTemporaryName(file));
        core::PngPixels png;
        ASSERT_NO_THROW(png = core::readPng(file)) << "kill " << kill << ": " << file;
        ASSERT_EQ(png.bitDepth, 8);
        ASSERT_EQ(png.rows, test::kCrashRows);
        ASSERT_EQ(png.columns, test::kCrashColumns);
        const int label = cls == "benign" ? 1 : 2;
        const std::uint32_t v = test::claimedVersion(png.pixels, label);
        ASSERT_GT(v, 0u) << file;
        const core::LabelMap expected = test::crashPattern(v);
        for (size_t i = 0; i < png.pixels.size(); ++i) {
          ASSERT_EQ(png.pixels[i], expected.labels[i] == label ? 255 : 0)
              << "kill " << kill << ": " << file << " is not version " << v << " at pixel " << i;
        }
        versions.insert(v);
        ++filesChecked;
      }
    }
    const fs::path sidecar = annotation::sidecarPath(folder, "P000001-0001");
    if (fs::exists(sidecar)) {
      ASSERT_NO_THROW(annotation::readSidecar(sidecar)) << "kill " << kill;
    }
  }
  std::printf(
      "%d SIGKILLs (random 5-60 ms x %.1f after start): %d left masks, %zu mask files verified, %zu distinct versions "
      "(max %u), "
      "at most %zu temporaries left at once\n",
      kKills, scale, withMasks, filesChecked, versions.size(), versions.empty() ? 0u : *versions.rbegin(),
      maxTemporaries);
  EXPECT_GE(withMasks, kKills / 2);
  EXPECT_GE(versions.size(), std::size_t(kKills / 3));  // the files really were rewritten between kills
}
