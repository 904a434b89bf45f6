// Autosave: deferred background writes, coalescing, flush, clean shutdown, sidecar continuity, errors.
// Waits are on the saver's own events (onSaved), never on wall-clock bounds of a shared machine.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <future>
#include <mutex>
#include <thread>

#include "TestSupport.h"
#include "annotation/Autosaver.h"
#include "annotation/Brush.h"
#include "annotation/MaskFiles.h"

using namespace mammo;
namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {
const fs::path kBenign = "E1_L-CC_benign.png";

core::LabelMap blob(int rows, int columns, double radius, std::uint8_t label = 1) {
  core::LabelMap map(rows, columns);
  annotation::BrushStroke({{rows / 2.0, columns / 2.0}}, radius, label).apply(map);
  return map;
}

core::LabelMap readBack(const fs::path& folder, core::StandardView view = core::StandardView::LCC) {
  return annotation::readMasks({{"benign", folder / annotation::maskFileName("E1", view, "benign")},
                                {"malignant", folder / annotation::maskFileName("E1", view, "malignant")}});
}
}  // namespace

TEST(Autosave, WritesInTheBackgroundAfterTheDelayWithoutAFlush) {
  const fs::path root = test::scratchDir();
  // The worker says when it has saved (onSaved): the test waits on that event, not on the clock.
  std::promise<void> saved;
  std::future<void> savedFuture = saved.get_future();
  std::once_flag once;
  annotation::AutosaveOptions options{root, "alice", "", 150ms};
  options.onSaved = [&](const std::string&) { std::call_once(once, [&] { saved.set_value(); }); };
  annotation::Autosaver saver(options);
  const core::LabelMap map = blob(200, 160, 20);
  const auto t0 = std::chrono::steady_clock::now();
  saver.submit("E1", core::StandardView::LCC, map, core::PixelSpacing{0.1, 0.1, "test"});
  EXPECT_FALSE(fs::exists(root / "alice" / kBenign));  // not yet: the write waits for the delay
  ASSERT_EQ(savedFuture.wait_for(60s), std::future_status::ready) << "no save without a flush";
  // Never before the delay (a busy machine only makes it later).
  EXPECT_GE(std::chrono::steady_clock::now() - t0, 150ms);
  EXPECT_TRUE(fs::exists(root / "alice" / kBenign));
  saver.flush();
  EXPECT_EQ(readBack(root / "alice").labels, map.labels);
  const auto sidecar = annotation::readSidecar(annotation::sidecarPath(root / "alice", "E1"));
  EXPECT_EQ(sidecar.annotator, "alice");
  EXPECT_EQ(sidecar.toolVersion.rfind("Mammolens ", 0), 0u);
  ASSERT_EQ(sidecar.lesions.size(), 1u);
  EXPECT_EQ(sidecar.lesions[0].views(), std::vector<std::string>{"L-CC"});
  EXPECT_NEAR(*sidecar.lesions[0].areaMm2(), map.count(1) * 0.01, 1e-9);
  EXPECT_EQ(sidecar.images.at("L-CC").masks.at("benign"), kBenign.string());
}

TEST(Autosave, ManyChangesCoalesceAndFlushWritesTheLatest) {
  const fs::path root = test::scratchDir();
  annotation::Autosaver saver({root, "alice", "", 10s});
  core::LabelMap map(300, 240);
  for (int i = 0; i < 50; ++i) {
    annotation::BrushStroke({{10.0 + i * 5, 20}, {10.0 + i * 5, 200}}, 3, i % 2 ? 1 : 2).apply(map);
    saver.submit("E1", core::StandardView::LCC, map);
  }
  saver.flush();
  EXPECT_EQ(saver.savesCompleted(), 1u);
  EXPECT_EQ(readBack(root / "alice").labels, map.labels);
  saver.flush();  // nothing pending: returns at once
  EXPECT_EQ(saver.savesCompleted(), 1u);
}

TEST(Autosave, ShutdownWritesWhatIsPending) {
  const fs::path root = test::scratchDir();
  const core::LabelMap map = blob(100, 80, 10, 2);
  {
    annotation::Autosaver saver({root, "bob", "", std::chrono::hours(1)});
    saver.submit("E1", core::StandardView::RMLO, map);
  }
  EXPECT_EQ(readBack(root / "bob", core::StandardView::RMLO).labels, map.labels);
}

TEST(Autosave, LinkedViewsAreOneLesionInTheSidecar) {
  const fs::path root = test::scratchDir();
  annotation::Autosaver saver({root, "alice", "", 1s});
  saver.submit("E1", core::StandardView::LCC, blob(200, 160, 10, 2));
  saver.submit("E1", core::StandardView::LMLO, blob(200, 160, 12, 2));
  saver.flush();
  const auto lesions = saver.lesions("E1");
  ASSERT_EQ(lesions.size(), 2u);
  ASSERT_TRUE(saver.linkLesions("E1", lesions[0].id, lesions[1].id));
  saver.flush();
  const auto sidecar = annotation::readSidecar(annotation::sidecarPath(root / "alice", "E1"));
  ASSERT_EQ(sidecar.lesions.size(), 1u);
  EXPECT_EQ(sidecar.lesions[0].className, "malignant");
  EXPECT_EQ(sidecar.lesions[0].views().size(), 2u);
}

TEST(Autosave, RestartKeepsCreatedTimeStatusAndNote) {
  const fs::path root = test::scratchDir();
  std::string created;
  {
    annotation::Autosaver saver({root, "alice", "", 1s});
    saver.submit("E1", core::StandardView::LCC, blob(200, 160, 10));
    saver.flush();
    const auto lesions = saver.lesions("E1");
    ASSERT_EQ(lesions.size(), 1u);
    EXPECT_TRUE(saver.setLesionState("E1", lesions[0].id, annotation::LesionStatus::Done, "round, benign"));
    EXPECT_FALSE(saver.setLesionState("E1", 99, annotation::LesionStatus::Done, ""));
    saver.flush();
    created = annotation::readSidecar(annotation::sidecarPath(root / "alice", "E1")).created;
  }
  std::this_thread::sleep_for(5ms);  // so "modified" must differ from "created"
  annotation::Autosaver saver({root, "alice", "", 1s});
  saver.submit("E1", core::StandardView::LCC, blob(200, 160, 14));  // the lesion grew
  saver.flush();
  const auto sidecar = annotation::readSidecar(annotation::sidecarPath(root / "alice", "E1"));
  EXPECT_EQ(sidecar.created, created);
  EXPECT_NE(sidecar.modified, created);
  ASSERT_EQ(sidecar.lesions.size(), 1u);
  EXPECT_EQ(sidecar.lesions[0].status, annotation::LesionStatus::Done);
  EXPECT_EQ(sidecar.lesions[0].note, "round, benign");
}

TEST(Autosave, WriteErrorsAreKeptNotThrown) {
  const fs::path root = test::scratchDir();
  annotation::Autosaver saver({root, "alice", "", 1ms});
  fs::remove_all(root / "alice");
  std::ofstream(root / "alice") << "a file where the folder was";
  saver.submit("E1", core::StandardView::LCC, blob(50, 40, 5));
  saver.flush();
  EXPECT_GE(saver.errorCount(), 1u);
  EXPECT_NE(saver.lastError().find("alice"), std::string::npos) << saver.lastError();
  // Once the folder is back the retry succeeds.
  fs::remove(root / "alice");
  fs::create_directories(root / "alice");
  saver.submit("E1", core::StandardView::LCC, blob(50, 40, 6));
  saver.flush();
  EXPECT_EQ(readBack(root / "alice").labels, blob(50, 40, 6).labels);
}

TEST(Autosave, SubmitNeverWaitsForAWriteInProgress) {
  // The worker is held inside its first save (in onSaved, which runs on its thread) while the painter goes
  // on submitting full-field maps: every submit returns (it costs the copy only), and once the worker is let
  // go the latest map is what is on disk. A submit that waited for the write would never return here.
  const fs::path root = test::scratchDir();
  std::promise<void> entered, release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<bool> first{true};
  annotation::AutosaveOptions options{root, "alice", "", 1ms};
  options.onSaved = [&](const std::string&) {
    if (first.exchange(false)) {
      entered.set_value();
      released.wait();
    }
  };
  annotation::Autosaver saver(options);
  core::LabelMap map(4096, 3328);  // full-field size
  saver.submit("E1", core::StandardView::LCC, map);
  ASSERT_EQ(entered.get_future().wait_for(60s), std::future_status::ready);
  auto painting = std::async(std::launch::async, [&] {
    for (int i = 0; i < 10; ++i) {
      annotation::BrushStroke({{200.0 + 300 * i, 300}, {300.0 + 300 * i, 2800}}, 40, 1 + i % 2).apply(map);
      saver.submit("E1", core::StandardView::LCC, map);
    }
  });
  const bool returned = painting.wait_for(60s) == std::future_status::ready;
  release.set_value();  // let the worker go in any case, so that a failure does not hang the test
  ASSERT_TRUE(returned) << "submit waited for the write in progress";
  painting.get();
  saver.flush();
  EXPECT_EQ(readBack(root / "alice").labels, map.labels);
  EXPECT_GE(saver.savesCompleted(), 2u);
}

TEST(Autosave, OpenWithAReadSidecarGivesLesionsBeforeTheFirstSaveAndCallsBackAfterSaves) {
  const fs::path root = test::scratchDir();
  {
    annotation::Autosaver saver({root, "alice", "", 1s});
    saver.submit("E1", core::StandardView::LCC, blob(200, 160, 10), core::PixelSpacing{0.1, 0.1, "test"});
    saver.flush();
    ASSERT_TRUE(saver.setLesionState("E1", saver.lesions("E1").at(0).id, annotation::LesionStatus::Flagged, "check"));
  }
  const auto stored = annotation::readSidecar(annotation::sidecarPath(root / "alice", "E1"));
  std::atomic<int> calls = 0;
  annotation::AutosaveOptions options{root, "alice", "", 1s};
  options.onSaved = [&](const std::string& exam) { calls += exam == "E1"; };
  annotation::Autosaver saver(options);
  EXPECT_TRUE(saver.lesions("E1").empty());
  saver.open("E1", stored);
  ASSERT_EQ(saver.lesions("E1").size(), 1u);  // no save yet, no file read by the Autosaver
  EXPECT_EQ(saver.lesions("E1")[0].note, "check");
  EXPECT_TRUE(saver.linkLesions("E1", 1, 1) == false);
  saver.open("E1", {});  // a second open changes nothing
  EXPECT_EQ(saver.lesions("E1").size(), 1u);
  saver.submit("E1", core::StandardView::LCC, blob(200, 160, 12), core::PixelSpacing{0.1, 0.1, "test"});
  saver.flush();
  EXPECT_EQ(calls.load(), 1);
  const auto sidecar = annotation::readSidecar(annotation::sidecarPath(root / "alice", "E1"));
  EXPECT_EQ(sidecar.created, stored.created);
  ASSERT_EQ(sidecar.lesions.size(), 1u);
  EXPECT_EQ(sidecar.lesions[0].status, annotation::LesionStatus::Flagged);
}
