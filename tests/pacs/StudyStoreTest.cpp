// The study store: indexing opened exams, reopening the index, the worklist's filters and order, the next /
// previous study, priors, the AI and reading statuses, and safe file names from received text.
#include <gtest/gtest.h>

#include "PhantomStudies.h"
#include "TestSupport.h"
#include "pacs/StudyStore.h"
#include "workstation/Worklist.h"

namespace mammo {
namespace {

namespace fs = std::filesystem;

// Three studies of two patients: A 2024 and 2025 (the prior and the current one), B 2025.
fs::path threeStudies(const fs::path& dir) {
  test::writePhantomStudy({"PAT-A", "ALPHA^ANNA", "20240115", "ACC-A1"}, dir / "a1", 1);
  test::writePhantomStudy({"PAT-A", "ALPHA^ANNA", "20250120", "ACC-A2"}, dir / "a2", 2);
  test::writePhantomStudy({"PAT-B", "BETA^BERTA", "20250301", "ACC-B1"}, dir / "b1", 3);
  return dir;
}

TEST(StudyStore, IndexesAFolderOfSeveralExamsAndReopens) {
  const fs::path dir = test::scratchDir();
  threeStudies(dir / "in");
  std::vector<std::string> keys;
  {
    pacs::StudyStore store(dir / "store");
    const workstation::IndexedStudies indexed = workstation::indexStudies(store, {dir / "in"});
    EXPECT_TRUE(indexed.issues.empty());
    keys = indexed.keys;
    ASSERT_EQ(keys.size(), 3u);
  }
  pacs::StudyStore reopened(dir / "store");  // the index is on disk
  const std::vector<pacs::StudyRecord> all = reopened.studies();
  ASSERT_EQ(all.size(), 3u);
  // Newest first.
  EXPECT_EQ(all[0].accession, "ACC-B1");
  EXPECT_EQ(all[1].accession, "ACC-A2");
  EXPECT_EQ(all[2].accession, "ACC-A1");
  for (const pacs::StudyRecord& s : all) {
    EXPECT_EQ(s.images, 4);
    EXPECT_EQ(s.views, "L-CC R-CC L-MLO R-MLO");
    EXPECT_EQ(s.source, pacs::StudySource::Files);
    EXPECT_EQ(s.readingStatus, pacs::ReadingStatus::Unread);
    EXPECT_EQ(s.aiStatus, pacs::AiStatus::None);
    for (const fs::path& f : s.files) EXPECT_TRUE(fs::exists(f)) << f;  // files stay where they are
  }
  EXPECT_EQ(all[0].patientName, "BETA^BERTA");
  // Indexing the same folder again adds nothing.
  workstation::indexStudies(reopened, {dir / "in"});
  EXPECT_EQ(reopened.studies().size(), 3u);
}

TEST(StudyStore, FiltersStatusesAndOrder) {
  const fs::path dir = test::scratchDir();
  threeStudies(dir / "in");
  pacs::StudyStore store(dir / "store");
  workstation::indexStudies(store, {dir / "in"});
  const auto key = [&](const std::string& accession) {
    for (const auto& s : store.studies()) {
      if (s.accession == accession) return s.key;
    }
    return std::string();
  };
  store.setReadingStatus(key("ACC-A2"), pacs::ReadingStatus::Read);
  store.setAiStatus(key("ACC-B1"), pacs::AiStatus::Done, "", "demo model", 0.42);
  store.setAiStatus(key("ACC-A1"), pacs::AiStatus::Failed, "R-MLO missing");

  pacs::StudyFilter unread;
  unread.unreadOnly = true;
  EXPECT_EQ(store.studies(unread).size(), 2u);
  pacs::StudyFilter aiDone;
  aiDone.aiDoneOnly = true;
  const auto done = store.studies(aiDone);
  ASSERT_EQ(done.size(), 1u);
  EXPECT_EQ(done[0].accession, "ACC-B1");
  EXPECT_EQ(done[0].aiModel, "demo model");
  ASSERT_TRUE(done[0].aiMaxMalignant);
  EXPECT_DOUBLE_EQ(*done[0].aiMaxMalignant, 0.42);
  EXPECT_EQ(store.study(key("ACC-A1"))->aiReason, "R-MLO missing");
  pacs::StudyFilter dates;
  dates.dateFrom = "20250101";
  dates.dateTo = "20250131";
  ASSERT_EQ(store.studies(dates).size(), 1u);
  EXPECT_EQ(store.studies(dates)[0].accession, "ACC-A2");
  pacs::StudyFilter text;
  text.text = "beta";  // case-insensitive, in the patient's name
  ASSERT_EQ(store.studies(text).size(), 1u);
  EXPECT_EQ(store.studies(text)[0].patientId, "PAT-B");

  // Next / previous in the order shown.
  const auto all = store.studies();
  std::vector<std::string> order;
  for (const auto& s : all) order.push_back(s.key);
  EXPECT_EQ(workstation::stepStudy(order, order[0], 1), order[1]);
  EXPECT_EQ(workstation::stepStudy(order, order[1], 1), order[2]);
  EXPECT_EQ(workstation::stepStudy(order, order[2], 1), std::nullopt);
  EXPECT_EQ(workstation::stepStudy(order, order[1], -1), order[0]);
  EXPECT_EQ(workstation::stepStudy(order, "not listed", 1), order[0]);

  // Priors: the patient's earlier studies only.
  const auto priors = store.priors("PAT-A", "20250120", key("ACC-A2"));
  ASSERT_EQ(priors.size(), 1u);
  EXPECT_EQ(priors[0].accession, "ACC-A1");
  EXPECT_TRUE(store.priors("PAT-B", "20250301", key("ACC-B1")).empty());

  // The worklist as the CLI prints it.
  const std::string json = workstation::worklistJson(all);
  EXPECT_NE(json.find("\"ai_status\": \"done\""), std::string::npos);
  EXPECT_NE(workstation::worklistText(all).find("3 studies"), std::string::npos);
}

TEST(StudyStore, SafeFileNamesNeverLeaveTheFolder) {
  EXPECT_EQ(pacs::safeFileName("../../x"), ".._.._x");
  EXPECT_EQ(pacs::safeFileName(".."), "_..");
  EXPECT_EQ(pacs::safeFileName(""), "_");
  EXPECT_EQ(pacs::safeFileName("1.2.840.10008.5"), "1.2.840.10008.5");
  EXPECT_EQ(pacs::safeFileName("a/b\\c d"), "a_b_c_d");
  const std::string longName(300, '7');
  EXPECT_LE(pacs::safeFileName(longName).size(), 120u);
  EXPECT_NE(pacs::safeFileName(longName), pacs::safeFileName(longName + "8"));
  const fs::path dir = test::scratchDir();
  pacs::StudyStore store(dir);
  EXPECT_EQ(store.studyFolder("../../etc").parent_path(), dir / "studies");
}

TEST(StudyStore, RefusesAnUnusableIndexByName) {
  const fs::path dir = test::scratchDir();
  fs::create_directories(dir / "store" / "index.sqlite");  // a folder where the database file should be
  try {
    pacs::StudyStore store(dir / "store");
    FAIL() << "opened";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("index.sqlite"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace mammo
