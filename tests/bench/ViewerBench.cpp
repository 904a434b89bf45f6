// Reading-workstation frame times for a full-size four-view exam (4 x 4096 x 3328, 12 bits) in an offscreen
// 1920 x 1080 vtkRenderWindow (run under Xvfb: Mesa llvmpipe on this machine), without multisampling as the
// GUI runs:
// - exam to first frame: scenes built, pixels copied to the textures' image data, VOI tables built, first
//   Render (texture upload, shader compile) and glFinish;
// - one window/level change on all four views (the default synchronised W/L) + Render;
// - one zoom step at a point on all four views (synchronised zoom) + Render.
// Each frame is timed separately; the counters give the median frame in ms (targets: first frame <= 1.5 s,
// median frame <= 50 ms).
// Run: xvfb-run -a -s "-screen 0 1920x1080x24" build/dev/tests/bench/bench_viewer
#include <benchmark/benchmark.h>

#include <vtkOpenGLRenderWindow.h>
#include <vtkRenderWindow.h>
#include <vtkRenderer.h>
#include <vtkSmartPointer.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <vector>

#include "core/Exam.h"
#include "core/Orientation.h"
#include "core/Phantom.h"
#include "viewer/HangingLayout.h"
#include "viewer/ViewScene.h"

using namespace mammo;

namespace {

constexpr int kWidth = 1920, kHeight = 1080;

const std::shared_ptr<const core::Exam>& fullSizeExam() {
  static const std::shared_ptr<const core::Exam> exam = [] {
    core::PhantomOptions o;
    o.size = core::PhantomSize::Full;
    o.seed = 2026;
    o.lesionRate = 1.0;
    const core::PhantomExam phantom = core::generatePhantomExam(o, 0);
    auto e = std::make_shared<core::Exam>();
    e->id = phantom.id;
    for (core::StandardView v : core::kStandardViews) {
      core::Image image = phantom.views[static_cast<int>(v)].image;
      image.orientation = core::analyseOrientation(image);  // as the loader does
      e->view(v).push_back(std::move(image));
    }
    return e;
  }();
  return exam;
}

// The hanging panel without Qt: one window, a ViewScene per viewport of the 2x2 layout.
struct Workstation {
  vtkSmartPointer<vtkRenderWindow> window = vtkSmartPointer<vtkRenderWindow>::New();
  std::vector<std::unique_ptr<viewer::ViewScene>> scenes;

  Workstation() {
    vtkOpenGLRenderWindow::SetGlobalMaximumNumberOfMultiSamples(0);
    window->SetMultiSamples(0);
    window->SetOffScreenRendering(1);
    window->SetSize(kWidth, kHeight);
  }
  ~Workstation() {
    for (auto& s : scenes) window->RemoveRenderer(s->renderer());
    scenes.clear();
    window->Finalize();
  }
  void open(const std::shared_ptr<const core::Exam>& exam) {
    for (const viewer::Viewport& vp : viewer::hangingViewports(viewer::Layout::FourView)) {
      auto scene = std::make_unique<viewer::ViewScene>();
      std::shared_ptr<const core::Image> image(exam, &exam->view(vp.view).front());
      scene->setImage(image, viewer::needsMirror(*image, vp.chestWallOnScreen));
      scene->renderer()->SetViewport(vp.bounds.data());
      window->AddRenderer(scene->renderer());
      scene->fit(vp.chestWallOnScreen, kWidth / 2, kHeight / 2);
      scenes.push_back(std::move(scene));
    }
  }
  void frame() {
    window->Render();
    window->WaitForCompletion();  // llvmpipe rasterises lazily: count the whole frame
  }
};

using Clock = std::chrono::steady_clock;

// Runs `step` then a frame per iteration, timing each; reports the median as a counter.
template <typename Step>
void timeFrames(benchmark::State& state, Workstation& ws, Step step) {
  std::vector<double> ms;
  int i = 0;
  for (auto _ : state) {
    const auto t0 = Clock::now();
    step(i++);
    ws.frame();
    const double seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    state.SetIterationTime(seconds);
    ms.push_back(seconds * 1e3);
  }
  std::sort(ms.begin(), ms.end());
  if (!ms.empty()) state.counters["median_ms"] = ms[ms.size() / 2];
}

void BM_ExamToFirstFrame(benchmark::State& state) {
  const auto& exam = fullSizeExam();
  std::vector<double> ms;
  for (auto _ : state) {
    Workstation ws;  // the window exists before the exam opens, as in the GUI
    const auto t0 = Clock::now();
    ws.open(exam);
    ws.frame();
    const double seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    state.SetIterationTime(seconds);
    ms.push_back(seconds * 1e3);
  }
  std::sort(ms.begin(), ms.end());
  state.counters["median_ms"] = ms[ms.size() / 2];
}

void BM_WindowLevelFrame(benchmark::State& state) {
  Workstation ws;
  ws.open(fullSizeExam());
  ws.frame();
  const core::VoiWindow start = ws.scenes[0]->voiWindow();
  timeFrames(state, ws, [&](int i) {
    // A drag: the window moves a few grey levels per frame, back and forth.
    const double d = 8.0 * (i % 50 - 25);
    for (auto& s : ws.scenes) s->setVoiWindow({start.center + d, start.width - 2 * d, ""});
  });
}

void BM_ZoomFrame(benchmark::State& state) {
  Workstation ws;
  ws.open(fullSizeExam());
  ws.frame();
  timeFrames(state, ws, [&](int i) {
    // Wheel notches in and out around a point of each view.
    const double factor = (i / 10) % 2 == 0 ? 1.1 : 1.0 / 1.1;
    for (auto& s : ws.scenes) s->zoomAt(factor, kWidth / 6.0, kHeight / 4.0);
  });
}

}  // namespace

BENCHMARK(BM_ExamToFirstFrame)->Unit(benchmark::kMillisecond)->UseManualTime()->Iterations(3);
BENCHMARK(BM_WindowLevelFrame)->Unit(benchmark::kMillisecond)->UseManualTime();
BENCHMARK(BM_ZoomFrame)->Unit(benchmark::kMillisecond)->UseManualTime();
BENCHMARK_MAIN();
