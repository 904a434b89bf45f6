// Autosave: deferred background writes, coalescing, flush, clean shutdown, sidecar continuity, errors.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <fstream>
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

TEST(Autosave, WritesInTheBackgroundWithinTheDelay) {
  const fs::path root = test::scratchDir();
  annotation::Autosaver saver({root, "alice", "", 150ms});
  const core::LabelMap map = blob(200, 160, 20);
  const auto t0 = std::chrono::steady_clock::now();
  saver.submit("E1", core::StandardView::LCC, map, core::PixelSpacing{0.1, 0.1, "test"});
  EXPECT_FALSE(fs::exists(root / "alice" / kBenign));  // not yet: the write waits for the delay
  while (!fs::exists(root / "alice" / kBenign) && std::chrono::steady_clock::now() - t0 < 5s) {
    std::this_thread::sleep_for(5ms);
  }
  const auto waited = std::chrono::steady_clock::now() - t0;
  EXPECT_GE(waited, 140ms);
  EXPECT_LT(waited, 3s);
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

TEST(Autosave, SubmitCostsOnlyTheCopyWhileWritesRunBehindIt) {
  const fs::path root = test::scratchDir();
  annotation::Autosaver saver({root, "alice", "", 1ms});
  core::LabelMap map(4096, 3328);  // full-field size
  double slowestSubmitMs = 0;
  const auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < 10; ++i) {
    annotation::BrushStroke({{200.0 + 300 * i, 300}, {300.0 + 300 * i, 2800}}, 40, 1 + i % 2).apply(map);
    const auto s0 = std::chrono::steady_clock::now();
    saver.submit("E1", core::StandardView::LCC, map);
    slowestSubmitMs = std::max(
        slowestSubmitMs, std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - s0).count());
    std::this_thread::sleep_for(20ms);  // painting; meanwhile the worker writes
  }
  saver.flush();
  const double totalMs = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  std::printf("4096x3328: slowest submit %.1f ms; %zu saves written in the background within %.0f ms\n",
              slowestSubmitMs, saver.savesCompleted(), totalMs);
  EXPECT_EQ(readBack(root / "alice").labels, map.labels);
  EXPECT_LT(slowestSubmitMs, 250.0);  // a 13.6 MB copy, never a PNG encode or an fsync
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
