#pragma once
// The workstation's study store: an SQLite index (STORE/index.sqlite) of every study the workstation has —
// opened from files where they are, or received/retrieved into the managed folder STORE/studies/<study>/ —
// with what the worklist shows and the reading workflow updates: patient, date, accession, description,
// views present, source, AI status (and its reason, model, highest per-breast malignant probability),
// reading status and the radiologist's assessment.
//
// Keys: a DICOM study is keyed by its Study Instance UID; an exam without one (NYU-named PNGs) by
// "exam:<absolute folder>#<exam id>". File names in the managed folder come from UIDs made safe
// (safeFileName), never from received text as it is.
// Threads: every method is thread-safe (one connection, serialised); SQLite's WAL journal keeps the index
// consistent through a crash (a study is indexed in one transaction).
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/Exam.h"

struct sqlite3;

namespace mammo::pacs {

enum class StudySource { Files, Received, Retrieved };
enum class AiStatus { None, Queued, Running, Done, Failed };
enum class ReadingStatus { Unread, InProgress, Read };
std::string_view toString(StudySource);
std::string_view toString(AiStatus);
std::string_view toString(ReadingStatus);

struct StudyRecord {
  std::string key;
  std::string patientId, patientName;
  std::string studyDate;  // YYYYMMDD as in DICOM; empty when unknown
  std::string accession, description;
  std::string views;  // the standard views present, e.g. "L-CC R-CC L-MLO R-MLO"
  int images = 0;
  StudySource source = StudySource::Files;
  std::filesystem::path folder;  // the managed folder (received/retrieved); empty for opened files
  AiStatus aiStatus = AiStatus::None;
  std::string aiReason;  // why it failed
  std::string aiModel;  // the model's identity of the result
  std::optional<double> aiMaxMalignant;  // highest per-breast malignant probability of the final result
  ReadingStatus readingStatus = ReadingStatus::Unread;
  std::string assessment;
  std::string added;  // ISO time it was first indexed
  std::vector<std::filesystem::path> files;
  bool operator==(const StudyRecord&) const = default;
};

// The worklist's filter; empty fields do not filter.
struct StudyFilter {
  bool unreadOnly = false;
  bool aiDoneOnly = false;
  std::string dateFrom, dateTo;  // YYYYMMDD, inclusive
  std::string text;  // in patient id or name, accession or description (case-insensitive)
  std::string patientId;  // exactly
};

class StudyStore {
 public:
  // Opens (creating when needed) the store in `dir`. Throws std::runtime_error naming the file and reason.
  explicit StudyStore(std::filesystem::path dir);
  ~StudyStore();
  StudyStore(const StudyStore&) = delete;
  StudyStore& operator=(const StudyStore&) = delete;

  const std::filesystem::path& dir() const { return m_dir; }
  // STORE/studies/<safe key>/ for received and retrieved studies.
  std::filesystem::path studyFolder(const std::string& studyKey) const;
  // STORE/incoming/: where receivers write before the final rename (same file system).
  std::filesystem::path incomingFolder() const;

  // Indexes the exams (their images' files, where they are) as `source`; an exam already indexed gains the
  // new files. Returns the keys, in the exams' order.
  std::vector<std::string> addExams(const std::vector<core::Exam>& exams, StudySource source);
  // One received or retrieved file, already at its final path in the managed folder, with its header.
  std::string addFile(const core::ImageInfo& header, const std::filesystem::path& file, StudySource source);

  std::optional<StudyRecord> study(const std::string& key) const;
  // Newest study date first, then most recently added.
  std::vector<StudyRecord> studies(const StudyFilter& filter = {}) const;
  // The patient's other studies dated before `beforeDate` (all others when it is empty), newest first.
  std::vector<StudyRecord> priors(const std::string& patientId, const std::string& beforeDate,
                                  const std::string& excludeKey) const;

  void setAiStatus(const std::string& key, AiStatus status, const std::string& reason = {},
                   const std::string& model = {}, std::optional<double> maxMalignant = std::nullopt);
  void setReadingStatus(const std::string& key, ReadingStatus status);
  void setAssessment(const std::string& key, const std::string& assessment);

 private:
  void execute(const char* sql) const;
  std::string keyOf(const core::ImageInfo& header, const std::string& examId) const;

  std::filesystem::path m_dir;
  mutable std::mutex m_mutex;
  sqlite3* m_db = nullptr;
};

// A name safe for one path component: [A-Za-z0-9.-] kept, anything else '_', never "." or "..", at most 120
// characters (a hash keeps long names unique).
std::string safeFileName(std::string_view text);

}  // namespace mammo::pacs
