// The prior comparison's pure parts and its job on a real store: the chest-wall alignment that starts a
// registration (and replaces a refused one), and comparePrior on phantom studies written as DICOM.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <filesystem>

#include "core/Errors.h"
#include "core/Job.h"
#include "core/Phantom.h"
#include "pacs/PhantomStudies.h"
#include "pacs/StudyStore.h"
#include "registration/PhantomPriors.h"
#include "workstation/PriorComparison.h"
#include "workstation/Worklist.h"

namespace mammo::workstation {
namespace {

namespace fs = std::filesystem;

core::Image blank(int rows, int columns, core::ImageEdge chestWall, std::optional<double> spacingMm) {
  core::Image image;
  image.info.rows = rows;
  image.info.columns = columns;
  if (spacingMm) image.info.spacing = core::PixelSpacing{*spacingMm, *spacingMm, "PixelSpacing"};
  image.orientation.chestWall = chestWall;
  image.pixels.assign(static_cast<size_t>(rows) * columns, 0);
  return image;
}

void expectMaps(const core::Affine2D& a, double x, double y, double toX, double toY) {
  const auto p = a.apply(x, y);
  EXPECT_NEAR(p[0], toX, 1e-9) << "x of (" << x << ", " << y << ")";
  EXPECT_NEAR(p[1], toY, 1e-9) << "y of (" << x << ", " << y << ")";
}

TEST(ChestWallAlignment, SameGeometryIsTheIdentity) {
  const core::Image a = blank(100, 80, core::ImageEdge::Left, 0.1);
  expectMaps(chestWallAlignment(a, a), 0, 0, 0, 0);
  expectMaps(chestWallAlignment(a, a), 79, 99, 79, 99);
}

TEST(ChestWallAlignment, ScalesByTheSpacingsAndKeepsTheChestWallAndCentreLevel) {
  const core::Image current = blank(101, 80, core::ImageEdge::Right, 0.1);
  const core::Image prior = blank(61, 50, core::ImageEdge::Right, 0.2);  // half the pixels per mm
  const core::Affine2D a = chestWallAlignment(current, prior);
  expectMaps(a, 79, 50, 49, 30);  // the chest wall at the vertical centre
  expectMaps(a, 59, 50, 39, 30);  // 2 mm from the chest wall: 10 prior pixels
  expectMaps(a, 79, 0, 49, 5);  // 5 mm above the centre
}

TEST(ChestWallAlignment, MirrorsWhenTheChestWallsAreOnOppositeEdgesAndUsesPixelsWithoutSpacing) {
  const core::Image current = blank(50, 40, core::ImageEdge::Left, std::nullopt);
  const core::Image prior = blank(50, 60, core::ImageEdge::Right, 0.1);
  const core::Affine2D a = chestWallAlignment(current, prior);
  expectMaps(a, 0, 10, 59, 10);  // chest wall to chest wall
  expectMaps(a, 10, 10, 49, 10);  // 10 pixels into the breast on both
  EXPECT_LT(a.determinant(), 0);
}

TEST(ComparePrior, RegistersEverySharedViewOfAStoredPrior) {
  const fs::path dir = fs::path(MAMMO_TEST_TMP) / "prior-comparison";
  fs::remove_all(dir);
  pacs::StudyStore store(dir / "store");
  // The current study as written; the prior moved 3 mm right and 2 mm down in every view.
  test::writePhantomStudy({"PAT-C", "C^C", "20250101", "ACC-C1", "1.2.826.0.1.3680043.10.1234.9001"}, dir / "now", 41);
  test::writePhantomStudy({"PAT-C", "C^C", "20230101", "ACC-C0", "1.2.826.0.1.3680043.10.1234.9000"}, dir / "then", 41,
                          [](core::StandardView, const core::Image& image) {
                            return test::makePrior(image, test::similarity(image, 0, 1, 3, 2));
                          });
  const IndexedStudies indexed = indexStudies(store, {dir / "now", dir / "then"});
  ASSERT_EQ(indexed.keys.size(), 2u);
  const std::string current = indexed.keys[0], prior = indexed.keys[1];
  const auto priors = store.priors("PAT-C", "20250101", current);
  ASSERT_EQ(priors.size(), 1u);
  EXPECT_EQ(priors.front().key, prior);

  core::Exam currentExam;
  {
    core::LoadResult loaded = core::loadPaths(store.study(current)->files);
    ASSERT_EQ(loaded.exams.size(), 1u);
    currentExam = std::move(loaded.exams.front());
  }
  double last = -1;
  core::JobContext job([&](double fraction, const std::string&) {
    EXPECT_GE(fraction, last - 1e-9);
    last = fraction;
  });
  const PriorComparison c = comparePrior(store, prior, currentExam, job);
  EXPECT_DOUBLE_EQ(last, 1.0);
  ASSERT_EQ(c.links.size(), 4u);
  for (const PriorViewLink& link : c.links) {
    EXPECT_TRUE(link.registration.ok) << describeLink(link);
    const double mmPerPixel = currentExam.view(link.view).front().info.spacing->columnMm;
    const auto p = link.currentToPrior().apply(100, 120);
    EXPECT_NEAR((p[0] - 100) * mmPerPixel, 3.0, 0.5) << describeLink(link);
    EXPECT_NEAR((p[1] - 120) * mmPerPixel, 2.0, 0.5) << describeLink(link);
    EXPECT_EQ(describeLink(link).rfind(std::string(core::toString(link.view)) + ": registered (MI ", 0), 0u);
  }
  EXPECT_EQ(c.study.key, prior);

  // A study the store does not have, and a cancelled job.
  EXPECT_THROW(
      {
        try {
          comparePrior(store, "no-such-study", currentExam, job);
        } catch (const std::runtime_error& e) {
          EXPECT_NE(std::string(e.what()).find("no-such-study"), std::string::npos);
          throw;
        }
      },
      std::runtime_error);
  core::JobContext cancelled;
  cancelled.cancel();
  EXPECT_THROW(comparePrior(store, prior, currentExam, cancelled), core::Cancelled);
}

// Mean |difference| in brightness (0..1) over the pixels where the current image has tissue.
double meanChange(const core::Image& difference, const core::Image& current) {
  double sum = 0;
  int n = 0;
  for (size_t i = 0; i < current.pixels.size(); ++i) {
    if (current.pixels[i] < 200) continue;
    sum += std::abs(double(difference.pixels[i]) - kDifferenceZero) / (kDifferenceZero - 1);
    ++n;
  }
  return n ? sum / n : 1.0;
}

TEST(PriorDifference, TheRegisteredPriorCancelsOutAndANewFindingStandsOut) {
  core::PhantomOptions options;
  options.size = core::PhantomSize::Small;
  options.seed = 7;
  core::Image current = core::generatePhantomExam(options, 0).views[static_cast<int>(core::StandardView::RCC)].image;
  const core::Affine2D truth = test::similarity(current, 2.0, 1.02, 3.0, -2.0);
  const core::Image prior = test::makePrior(current, truth);
  // Something new in the current study: a bright blob in the breast.
  const int blobRow = current.info.rows / 2, blobCol = current.orientation.chestWall == core::ImageEdge::Left
                                                           ? current.info.columns / 4
                                                           : current.info.columns * 3 / 4;
  for (int r = blobRow - 4; r <= blobRow + 4; ++r) {
    for (int c = blobCol - 4; c <= blobCol + 4; ++c) current.pixels[size_t(r) * current.info.columns + c] = 4000;
  }
  const std::vector<std::uint16_t> original = current.pixels;

  const core::Image registered = priorDifference(current, prior, truth);
  const core::Image unregistered = priorDifference(current, prior, core::Affine2D::identity());
  EXPECT_EQ(current.pixels, original);  // derived, the current image untouched
  EXPECT_EQ(registered.info.rows, current.info.rows);
  EXPECT_EQ(registered.info.columns, current.info.columns);
  EXPECT_EQ(registered.info.bitsStored, 12);
  EXPECT_EQ(registered.info.photometric, core::Photometric::Monochrome2);
  ASSERT_EQ(registered.info.windows.size(), size_t{1});
  EXPECT_EQ(registered.info.windows[0].center, kDifferenceZero);
  EXPECT_TRUE(registered.info.sopInstanceUid.empty());
  // Through the true registration the breast cancels out; without it the edges and structures do not.
  const double withTruth = meanChange(registered, current), without = meanChange(unregistered, current);
  std::printf("mean |change| over the breast: registered %.4f, unregistered %.4f\n", withTruth, without);
  EXPECT_LT(withTruth, 0.02);
  EXPECT_GT(without, 2 * withTruth);
  // The new finding is brighter in the current study: well above "no change".
  EXPECT_GT(registered.at(blobRow, blobCol), kDifferenceZero + 500);
}

TEST(PriorDifference, AnExamOfDifferencesForEveryLinkedView) {
  core::PhantomOptions options;
  options.size = core::PhantomSize::Small;
  options.seed = 8;
  const core::PhantomExam phantom = core::generatePhantomExam(options, 0);
  auto current = std::make_shared<core::Exam>();
  auto prior = std::make_shared<core::Exam>();
  PriorComparison comparison;
  for (core::StandardView v : {core::StandardView::LCC, core::StandardView::RMLO}) {
    current->view(v).push_back(phantom.views[static_cast<int>(v)].image);
    prior->view(v).push_back(phantom.views[static_cast<int>(v)].image);
    PriorViewLink link;
    link.view = v;
    comparison.links.push_back(link);
  }
  comparison.exam = prior;
  const auto difference = differenceExam(*current, comparison);
  EXPECT_EQ(difference->view(core::StandardView::LCC).size(), size_t{1});
  EXPECT_EQ(difference->view(core::StandardView::RMLO).size(), size_t{1});
  EXPECT_TRUE(difference->view(core::StandardView::RCC).empty());
  // The same image: no change anywhere.
  for (std::uint16_t p : difference->view(core::StandardView::LCC).front().pixels) ASSERT_EQ(p, kDifferenceZero);
}

}  // namespace
}  // namespace mammo::workstation
