// mammolens-cli bench-preread: background pre-reading (workstation::PreReader) measured as a reading
// session lives it. Phantom studies (full size by default: four 4096 x 3328 views at 0.07 mm) go into a
// fresh study store; then
//   1. the open study is analysed alone (the queue idle): its analysis time;
//   2. N studies are queued for pre-reading; while the first is being analysed the radiologist opens the
//      open study: the queue is held (the running pre-read stops and goes back in front), the open study is
//      analysed in the foreground, the queue is released and finishes;
// and it prints the pre-reading rate (studies per hour of pre-reader time, the work lost to the hold
// included), how long the hold took to stop the running pre-read, and the open study's analysis time with
// the queue busy against idle.
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <thread>

#include "app/CliCommands.h"
#include "core/ExamLoader.h"
#include "core/Job.h"
#include "core/Phantom.h"
#include "workstation/PreReading.h"
#include "workstation/Worklist.h"

namespace mammo::app {

namespace {

using Clock = std::chrono::steady_clock;
double secondsSince(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

double analyseInForeground(const pacs::StudyStore& store, const std::string& key,
                           const workstation::AiSettings& settings, workstation::ModelCache& models,
                           const std::filesystem::path& cache) {
  const core::LoadResult loaded = core::loadPaths(store.study(key)->files);
  if (loaded.exams.size() != 1) throw std::runtime_error("the open study did not load as one exam");
  core::JobContext job;
  const Clock::time_point start = Clock::now();
  workstation::analyseExam(loaded.exams.front(), settings, models, cache, job, {}, false);
  return secondsSince(start);
}

}  // namespace

int runPreReadBench(const PreReadBenchOptions& o) {
  namespace fs = std::filesystem;
  const fs::path work = o.work;
  fs::remove_all(work);
  core::PhantomOptions phantom;
  phantom.size = o.size == "small" ? core::PhantomSize::Small : core::PhantomSize::Full;
  phantom.seed = 2026;
  core::PhantomWriteOptions write;
  write.png = false;
  std::printf("synthesising %d %s phantom studies...\n", o.studies + 1, o.size.c_str());
  std::fflush(stdout);
  core::synthesiseExams(o.studies + 1, phantom, write, work / "exams");
  pacs::StudyStore store(work / "store");
  const std::vector<std::string> keys = workstation::indexStudies(store, {work / "exams"}).keys;
  if (static_cast<int>(keys.size()) != o.studies + 1) throw std::runtime_error("the phantom studies did not index");
  const std::string open = keys.back();
  const std::vector<std::string> queued(keys.begin(), keys.end() - 1);

  workstation::AiSettings settings;
  settings.modelBundle = o.model;
  settings.samples = o.epochs;
  settings.fastHeatmaps = o.heatmaps == "fast";
  settings.threads = o.threads;
  auto models = std::make_shared<workstation::ModelCache>();

  // 1. The open study with the queue idle; first a small exam, untimed, so that the models are built and
  // LibTorch's first-use costs are paid outside the timings.
  {
    core::PhantomOptions small = phantom;
    small.size = core::PhantomSize::Small;
    core::synthesiseExams(1, small, write, work / "warm-up");
    const core::LoadResult warmUp = core::loadPaths({work / "warm-up"});
    core::JobContext job;
    workstation::analyseExam(warmUp.exams.at(0), settings, *models, work / "cache-warm-up", job, {}, false);
  }
  const double alone = analyseInForeground(store, open, settings, *models, work / "cache-alone");
  std::printf("open study, queue idle: %.1f s\n", alone);
  std::fflush(stdout);

  // 2. The queue busy.
  std::mutex mutex;
  std::condition_variable changed;
  int running = 0;
  workstation::PreReadEvents events;
  events.statusChanged = [&](const std::string& key, pacs::AiStatus status) {
    std::lock_guard lock(mutex);
    if (status == pacs::AiStatus::Running) ++running;
    std::printf("  %s: %s\n", key.c_str(), std::string(pacs::toString(status)).c_str());
    std::fflush(stdout);
    changed.notify_all();
  };
  workstation::PreReader reader(store, models, work / "cache", events);
  reader.setSettings(settings);
  const Clock::time_point start = Clock::now();
  reader.enqueue(queued);
  {
    std::unique_lock lock(mutex);
    changed.wait(lock, [&] { return running > 0; });
  }
  std::this_thread::sleep_for(std::chrono::duration<double>(o.openAfter));  // the reader opens it mid-analysis
  const Clock::time_point held = Clock::now();
  reader.hold();
  reader.waitUntilIdle(std::chrono::hours(1));
  const double stopping = secondsSince(held);
  const double busy = analyseInForeground(store, open, settings, *models, work / "cache-busy");
  const double heldFor = secondsSince(held);
  reader.release();
  reader.waitUntilIdle(std::chrono::hours(24));
  const double preReading = secondsSince(start) - heldFor;
  int done = 0;
  for (const std::string& key : queued) done += store.study(key)->aiStatus == pacs::AiStatus::Done;

  std::printf("\npre-reading %d %s studies (%s heatmaps, %d samples, %d threads):\n", o.studies, o.size.c_str(),
              o.heatmaps.c_str(), o.epochs, o.threads);
  std::printf("  pre-reader time          %8.1f s (%d done; the study interrupted by the hold restarted)\n", preReading,
              done);
  std::printf("  studies per hour         %8.1f\n", done / preReading * 3600.0);
  std::printf("  hold -> pre-read stopped %8.2f s\n", stopping);
  std::printf("  open study, queue idle   %8.1f s\n", alone);
  std::printf("  open study, queue busy   %8.1f s (%.2fx; waited %.2f s for the pre-read to stop)\n", busy + stopping,
              (busy + stopping) / alone, stopping);
  return done == o.studies ? 0 : 1;
}

}  // namespace mammo::app
