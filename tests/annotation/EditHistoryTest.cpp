// Undo/redo restores exact masks and stays within its memory cap.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <random>

#include "annotation/Brush.h"
#include "annotation/EditHistory.h"
#include "annotation/FloodFill.h"
#include "annotation/PolygonFill.h"
#include "core/Phantom.h"

using namespace mammo;
using annotation::PixelPoint;

namespace {

// A random brush stroke of `points` mouse events (a random walk) painting class 1 or 2, deterministic for
// the generator.
annotation::BrushStroke randomStroke(std::mt19937& rng, int rows, int columns, int points) {
  std::uniform_real_distribution<double> row(0, rows), col(0, columns), step(-25, 25), radius(5, 40);
  std::uniform_int_distribution<int> label(1, 2);
  std::vector<PixelPoint> walk{{row(rng), col(rng)}};
  for (int i = 1; i < points; ++i) walk.push_back({walk.back().row + step(rng), walk.back().col + step(rng)});
  return {std::move(walk), radius(rng), static_cast<std::uint8_t>(label(rng))};
}

}  // namespace

TEST(EditHistory, UndoRedoSequencesRestoreExactMasks) {
  core::PhantomOptions o;
  o.seed = 4;
  const core::PhantomExam exam = core::generatePhantomExam(o, 0);
  const core::Image& image = exam.views[0].image;
  core::LabelMap map(image.info.rows, image.info.columns);
  annotation::EditHistory history;
  std::vector<core::LabelMap> states{map};
  std::mt19937 rng(5);
  for (int i = 0; i < 6; ++i) {
    history.apply(map, randomStroke(rng, map.rows, map.columns, 12));
    states.push_back(map);
  }
  history.apply(map, annotation::PolygonFill({{100, 100}, {120, 600}, {700, 500}}, 2));
  states.push_back(map);
  // The eraser across the polygon.
  ASSERT_GT(history.apply(map, annotation::BrushStroke::eraser({{0, 0}, {1023, 831}}, 30)), 0u);
  states.push_back(map);
  history.apply(map, annotation::FloodFill(image, 5, 5, 0, 0, 1));  // the background outside the breast
  states.push_back(map);
  EXPECT_GT(map.count(1), size_t(map.rows) * map.columns / 5);
  ASSERT_EQ(history.undoCount(), states.size() - 1);

  for (size_t k = states.size() - 1; k > 0; --k) {
    ASSERT_TRUE(history.undo(map));
    ASSERT_EQ(map.labels, states[k - 1].labels) << "after undoing operation " << k;
  }
  EXPECT_FALSE(history.undo(map));
  for (size_t k = 1; k < states.size(); ++k) {
    ASSERT_TRUE(history.redo(map));
    ASSERT_EQ(map.labels, states[k].labels) << "after redoing operation " << k;
  }
  EXPECT_FALSE(history.redo(map));

  // Undo three, apply something new: the redo branch is gone, undo goes back through the new operation.
  for (int i = 0; i < 3; ++i) history.undo(map);
  const core::LabelMap branchPoint = map;
  history.apply(map, annotation::BrushStroke({{50, 50}, {60, 400}}, 9, 2));
  EXPECT_FALSE(history.canRedo());
  history.undo(map);
  EXPECT_EQ(map.labels, branchPoint.labels);
  history.undo(map);
  EXPECT_EQ(map.labels, states[states.size() - 5].labels);
  EXPECT_EQ(history.undoCount(), states.size() - 5);
  EXPECT_THROW(history.undo(*std::make_unique<core::LabelMap>(3, 3)), std::invalid_argument);
}

TEST(EditHistory, OperationsThatChangeNothingAreNotRecorded) {
  core::LabelMap map(100, 100);
  annotation::EditHistory history;
  EXPECT_EQ(history.apply(map, annotation::BrushStroke::eraser({{50, 50}}, 10)), 0u);
  EXPECT_EQ(history.apply(map, annotation::BrushStroke({{50, 50}}, 1, 1)), 5u);
  EXPECT_EQ(history.apply(map, annotation::BrushStroke({{50, 50}}, 1, 1)), 0u);
  EXPECT_EQ(history.undoCount(), 1u);
}

TEST(EditHistory, MemoryOfTwoHundredStrokesOnAFullSizeMapStaysBounded) {
  core::LabelMap map(4096, 3328);  // a full-field mammogram at 0.07 mm
  annotation::EditHistory history;
  std::mt19937 rng(17);
  size_t changed = 0;
  const auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < 200; ++i) changed += history.apply(map, randomStroke(rng, map.rows, map.columns, 40));
  const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  const size_t mask = map.labels.size();
  std::printf(
      "200 strokes (40 events, radius 5-40 px) on 4096x3328: %zu pixels changed, history %zu bytes "
      "(%.2f%% of one %zu-byte mask), %.1f ms to apply and record\n",
      changed, history.memoryBytes(), 100.0 * history.memoryBytes() / mask, mask, ms);
  EXPECT_EQ(history.undoCount(), 200u);
  EXPECT_EQ(history.droppedCount(), 0u);
  // Far below a single whole-mask copy (13.6 MB): only changed tiles, compressed.
  EXPECT_LT(history.memoryBytes(), 2u << 20);
  while (history.undo(map)) {}
  EXPECT_EQ(map.count(0), mask);
}

TEST(EditHistory, CapDropsTheOldestEntries) {
  core::LabelMap map(2048, 1664);
  const size_t cap = 64 * 1024;
  annotation::EditHistory history(cap);
  std::mt19937 rng(3);
  std::vector<core::LabelMap> states{map};
  for (int i = 0; i < 200; ++i) {
    history.apply(map, randomStroke(rng, map.rows, map.columns, 30));
    states.push_back(map);
    ASSERT_LE(history.memoryBytes(), cap);
  }
  EXPECT_GT(history.droppedCount(), 0u);
  EXPECT_EQ(history.droppedCount() + history.undoCount(), 200u);
  std::printf("cap %zu bytes: %zu of 200 strokes still undoable, %zu bytes held\n", cap, history.undoCount(),
              history.memoryBytes());
  const size_t kept = history.undoCount();
  while (history.undo(map)) {}
  EXPECT_EQ(map.labels, states[200 - kept].labels);  // back to the oldest state still recorded
}
