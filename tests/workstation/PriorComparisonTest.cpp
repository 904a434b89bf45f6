// The prior comparison's pure parts and its job on a real store: the chest-wall alignment that starts a
// registration (and replaces a refused one), and comparePrior on phantom studies written as DICOM.
#include <gtest/gtest.h>

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

}  // namespace
}  // namespace mammo::workstation
