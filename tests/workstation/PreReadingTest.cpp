// Background pre-reading (workstation::PreReader) with a real model — the shipped demo model
// (resources/demo-model) on small phantom studies, one sample, fast heatmaps — and a real study store:
// first in, first out; the open study's foreground analysis holds the queue (the running pre-read stops and
// goes back in front); a study still arriving waits until it has settled; an incomplete study fails with
// its reason; a study already done is not queued again; the results are cached and in the store.
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <mutex>

#include "TestSupport.h"
#include "core/Job.h"
#include "pacs/PhantomStudies.h"
#include "workstation/PreReading.h"
#include "workstation/Worklist.h"

namespace mammo {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

// What the pre-reader reported, in order, and a wait for a condition on it.
struct Recorder {
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<std::pair<std::string, pacs::AiStatus>> events;
  std::function<void(const std::string&, pacs::AiStatus)> also;

  workstation::PreReadEvents events_() {
    workstation::PreReadEvents e;
    e.statusChanged = [this](const std::string& key, pacs::AiStatus status) {
      {
        std::lock_guard lock(mutex);
        events.push_back({key, status});
      }
      if (also) also(key, status);
      changed.notify_all();
    };
    return e;
  }
  std::vector<std::string> keysWith(pacs::AiStatus status) {
    std::lock_guard lock(mutex);
    std::vector<std::string> keys;
    for (const auto& [k, s] : events) {
      if (s == status) keys.push_back(k);
    }
    return keys;
  }
  bool waitFor(std::function<bool()> condition, std::chrono::seconds timeout = 120s) {
    std::unique_lock lock(mutex);
    return changed.wait_for(lock, timeout, [&] {
      lock.unlock();
      const bool ok = condition();
      lock.lock();
      return ok;
    });
  }
};

class PreReadingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = test::scratchDir();
    store = std::make_unique<pacs::StudyStore>(dir / "store");
    settings.modelBundle = MAMMO_DEMO_MODEL;
    settings.samples = 1;
    settings.augment = false;
    settings.fastHeatmaps = true;
    settings.threads = 2;
  }
  std::string addStudy(const std::string& accession, std::uint64_t seed, bool complete = true) {
    std::vector<fs::path> files =
        test::writePhantomStudy({"P-" + accession, "TEST^" + accession, "20260105", accession}, dir / accession, seed);
    if (!complete) fs::remove(files.back());
    const workstation::IndexedStudies indexed = workstation::indexStudies(*store, {dir / accession});
    EXPECT_EQ(indexed.keys.size(), 1u);
    return indexed.keys.empty() ? std::string() : indexed.keys.front();
  }
  std::unique_ptr<workstation::PreReader> makeReader() {
    auto reader = std::make_unique<workstation::PreReader>(*store, std::make_shared<workstation::ModelCache>(),
                                                           dir / "cache", recorder.events_());
    reader->setSettings(settings);
    return reader;
  }

  fs::path dir;
  std::unique_ptr<pacs::StudyStore> store;
  workstation::AiSettings settings;
  Recorder recorder;
};

TEST_F(PreReadingTest, AnalysesQueuedStudiesInOrderAndRecordsTheResults) {
  const std::vector<std::string> keys = {addStudy("A", 1), addStudy("B", 2), addStudy("C", 3)};
  auto reader = makeReader();
  reader->enqueue(keys);
  ASSERT_TRUE(reader->waitUntilIdle(300s));
  EXPECT_EQ(recorder.keysWith(pacs::AiStatus::Queued), keys);
  EXPECT_EQ(recorder.keysWith(pacs::AiStatus::Running), keys);  // one at a time, first in first out
  EXPECT_EQ(recorder.keysWith(pacs::AiStatus::Done), keys);
  for (const std::string& key : keys) {
    const auto study = store->study(key);
    ASSERT_TRUE(study);
    EXPECT_EQ(study->aiStatus, pacs::AiStatus::Done);
    ASSERT_TRUE(study->aiMaxMalignant.has_value());
    EXPECT_GE(*study->aiMaxMalignant, 0.0);
    EXPECT_LE(*study->aiMaxMalignant, 1.0);
    EXPECT_FALSE(study->aiModel.empty());
    // Cached for the reader: opening it shows the result at once.
    const core::LoadResult loaded = core::loadPaths(study->files);
    ASSERT_EQ(loaded.exams.size(), 1u);
    const auto cached = workstation::readCachedAnalysis(loaded.exams.front(), settings, dir / "cache");
    ASSERT_TRUE(cached.has_value());
    EXPECT_DOUBLE_EQ(*workstation::highestMalignant(*cached), *study->aiMaxMalignant);
  }
  // Done studies are not queued again.
  reader->enqueue(keys);
  EXPECT_TRUE(reader->queued().empty());
}

TEST_F(PreReadingTest, TheOpenStudysAnalysisGoesFirst) {
  const std::vector<std::string> keys = {addStudy("A", 1), addStudy("B", 2)};
  const std::string open = addStudy("OPEN", 3);
  auto reader = makeReader();
  // The radiologist opens a study while A is being pre-read: the foreground holds the queue.
  std::mutex m;
  std::condition_variable cv;
  bool aRunning = false;
  recorder.also = [&](const std::string& key, pacs::AiStatus status) {
    if (key == keys[0] && status == pacs::AiStatus::Running) {
      std::lock_guard lock(m);
      aRunning = true;
      cv.notify_all();
    }
  };
  reader->enqueue(keys);
  reader->enqueue({open});
  {
    std::unique_lock lock(m);
    ASSERT_TRUE(cv.wait_for(lock, 120s, [&] { return aRunning; }));
  }
  const auto held = std::chrono::steady_clock::now();
  reader->remove(open);  // analysed in the foreground instead
  reader->hold();
  ASSERT_TRUE(reader->waitUntilIdle(60s));  // the running pre-read stops within one patch batch
  const double stopSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - held).count();
  EXPECT_FALSE(reader->running().has_value());
  EXPECT_EQ(reader->queued(), keys);  // A back in front, then B; the open study is not queued
  EXPECT_EQ(store->study(keys[0])->aiStatus, pacs::AiStatus::Queued);
  std::printf("the pre-read stopped %.2f s after the hold\n", stopSeconds);

  // The foreground analysis of the open study, with the pre-reader held.
  const core::LoadResult loaded = core::loadPaths(store->study(open)->files);
  workstation::ModelCache models;
  core::JobContext job;
  const inference::PipelineResult result =
      workstation::analyseExam(loaded.exams.front(), settings, models, dir / "cache", job, {}, false);
  workstation::recordAnalysis(*store, open, result);
  EXPECT_TRUE(reader->queued() == keys) << "nothing pre-read while held";
  reader->release();
  ASSERT_TRUE(reader->waitUntilIdle(300s));
  EXPECT_EQ(recorder.keysWith(pacs::AiStatus::Done), keys);
  const std::vector<std::string> running = recorder.keysWith(pacs::AiStatus::Running);
  EXPECT_EQ(running, (std::vector<std::string>{keys[0], keys[0], keys[1]}));  // A started again, then B
  EXPECT_EQ(store->study(open)->aiStatus, pacs::AiStatus::Done);
}

TEST_F(PreReadingTest, AStudyStillArrivingWaitsUntilItHasSettled) {
  const std::string key = addStudy("ARRIVING", 4);
  auto reader = makeReader();
  const auto queuedAt = std::chrono::steady_clock::now();
  reader->enqueue({key}, 1500ms);
  reader->enqueue({key}, 1500ms);  // another image arrived: the wait starts again
  ASSERT_TRUE(recorder.waitFor([&] { return !recorder.keysWith(pacs::AiStatus::Running).empty(); }));
  const double waited = std::chrono::duration<double>(std::chrono::steady_clock::now() - queuedAt).count();
  EXPECT_GE(waited, 1.4);
  ASSERT_TRUE(reader->waitUntilIdle(300s));
  EXPECT_EQ(store->study(key)->aiStatus, pacs::AiStatus::Done);
}

TEST_F(PreReadingTest, AnIncompleteStudyFailsWithItsReasonAndTheQueueGoesOn) {
  const std::string incomplete = addStudy("THREE", 5, /*complete=*/false);
  const std::string whole = addStudy("FOUR", 6);
  auto reader = makeReader();
  reader->enqueue({incomplete, whole});
  ASSERT_TRUE(reader->waitUntilIdle(300s));
  const auto failed = store->study(incomplete);
  EXPECT_EQ(failed->aiStatus, pacs::AiStatus::Failed);
  EXPECT_NE(failed->aiReason.find("incomplete: no R-MLO"), std::string::npos) << failed->aiReason;
  EXPECT_EQ(store->study(whole)->aiStatus, pacs::AiStatus::Done);
}

TEST_F(PreReadingTest, AWrongModelFailsEachStudyWithTheReason) {
  const std::string key = addStudy("A", 1);
  auto reader = makeReader();
  settings.modelBundle = (dir / "no-such-bundle").string();
  reader->setSettings(settings);
  reader->enqueue({key});
  ASSERT_TRUE(reader->waitUntilIdle(60s));
  const auto study = store->study(key);
  EXPECT_EQ(study->aiStatus, pacs::AiStatus::Failed);
  EXPECT_NE(study->aiReason.find("no-such-bundle"), std::string::npos) << study->aiReason;
}

TEST_F(PreReadingTest, NothingRunsWhileDisabledAndStoppingLeavesTheStudyQueued) {
  const std::string key = addStudy("A", 1);
  auto reader = makeReader();
  reader->setSettings(settings, /*enabled=*/false);
  reader->enqueue({key});
  EXPECT_FALSE(reader->waitUntilIdle(1s));  // queued, not running
  EXPECT_EQ(reader->queued().size(), 1u);
  EXPECT_FALSE(reader->running().has_value());
  EXPECT_EQ(store->study(key)->aiStatus, pacs::AiStatus::Queued);
  // Enabled, then stopped while it runs (the workstation closes): queued again, never left "running".
  reader->setSettings(settings, true);
  ASSERT_TRUE(recorder.waitFor([&] { return !recorder.keysWith(pacs::AiStatus::Running).empty(); }));
  reader->stop();
  EXPECT_FALSE(reader->running().has_value());
  const pacs::AiStatus status = store->study(key)->aiStatus;
  EXPECT_TRUE(status == pacs::AiStatus::Queued || status == pacs::AiStatus::Done) << toString(status);
}

}  // namespace
}  // namespace mammo
