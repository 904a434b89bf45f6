#include "pacs/StudyStore.h"

#include <sqlite3.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <set>
#include <stdexcept>

namespace mammo::pacs {

namespace fs = std::filesystem;

namespace {

constexpr const char* kSchema = R"(
PRAGMA journal_mode = WAL;
PRAGMA synchronous = FULL;
CREATE TABLE IF NOT EXISTS studies (
  key TEXT PRIMARY KEY,
  patient_id TEXT NOT NULL DEFAULT '',
  patient_name TEXT NOT NULL DEFAULT '',
  study_date TEXT NOT NULL DEFAULT '',
  accession TEXT NOT NULL DEFAULT '',
  description TEXT NOT NULL DEFAULT '',
  source TEXT NOT NULL DEFAULT 'files',
  folder TEXT NOT NULL DEFAULT '',
  ai_status TEXT NOT NULL DEFAULT 'none',
  ai_reason TEXT NOT NULL DEFAULT '',
  ai_model TEXT NOT NULL DEFAULT '',
  ai_max_malignant REAL,
  reading_status TEXT NOT NULL DEFAULT 'unread',
  assessment TEXT NOT NULL DEFAULT '',
  added TEXT NOT NULL DEFAULT '');
CREATE TABLE IF NOT EXISTS files (
  path TEXT PRIMARY KEY,
  study_key TEXT NOT NULL,
  sop_uid TEXT NOT NULL DEFAULT '',
  view TEXT NOT NULL DEFAULT '');
CREATE INDEX IF NOT EXISTS files_by_study ON files (study_key);
CREATE INDEX IF NOT EXISTS studies_by_patient ON studies (patient_id);
)";

// One prepared statement, finalised on destruction; bind() counts parameters from 1.
class Statement {
 public:
  Statement(sqlite3* db, const char* sql) : m_db(db) {
    if (sqlite3_prepare_v2(db, sql, -1, &m_stmt, nullptr) != SQLITE_OK) {
      throw std::runtime_error(std::string("study store: cannot prepare a query: ") + sqlite3_errmsg(db));
    }
  }
  ~Statement() { sqlite3_finalize(m_stmt); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& bind(const std::string& text) {
    sqlite3_bind_text(m_stmt, ++m_bound, text.c_str(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Statement& bind(std::optional<double> value) {
    ++m_bound;
    if (value)
      sqlite3_bind_double(m_stmt, m_bound, *value);
    else
      sqlite3_bind_null(m_stmt, m_bound);
    return *this;
  }
  // true while a row is there; throws on an error.
  bool step() {
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    throw std::runtime_error(std::string("study store: ") + sqlite3_errmsg(m_db));
  }
  std::string text(int column) const {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(m_stmt, column));
    return p ? std::string(p) : std::string();
  }
  std::optional<double> real(int column) const {
    if (sqlite3_column_type(m_stmt, column) == SQLITE_NULL) return std::nullopt;
    return sqlite3_column_double(m_stmt, column);
  }

 private:
  sqlite3* m_db;
  sqlite3_stmt* m_stmt = nullptr;
  int m_bound = 0;
};

std::string now() {
  const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  gmtime_r(&t, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

template <class Enum, std::size_t N>
Enum parse(const std::string& text, const std::array<Enum, N>& values, Enum fallback) {
  for (Enum v : values) {
    if (toString(v) == text) return v;
  }
  return fallback;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

constexpr const char* kColumns =
    "key, patient_id, patient_name, study_date, accession, description, source, folder, ai_status, ai_reason, "
    "ai_model, ai_max_malignant, reading_status, assessment, added";

}  // namespace

std::string_view toString(StudySource s) {
  switch (s) {
    case StudySource::Files:
      return "files";
    case StudySource::Received:
      return "received";
    case StudySource::Retrieved:
      return "retrieved";
  }
  return "files";
}

std::string_view toString(AiStatus s) {
  switch (s) {
    case AiStatus::None:
      return "none";
    case AiStatus::Queued:
      return "queued";
    case AiStatus::Running:
      return "running";
    case AiStatus::Done:
      return "done";
    case AiStatus::Failed:
      return "failed";
  }
  return "none";
}

std::string_view toString(ReadingStatus s) {
  switch (s) {
    case ReadingStatus::Unread:
      return "unread";
    case ReadingStatus::InProgress:
      return "in progress";
    case ReadingStatus::Read:
      return "read";
  }
  return "unread";
}

std::string safeFileName(std::string_view text) {
  std::string out;
  for (char c : text) {
    const bool ok = std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-';
    out += ok ? c : '_';
  }
  if (out.empty() || out.find_first_not_of('.') == std::string::npos) out = "_" + out;
  if (out.size() > 120) {
    std::uint64_t hash = 14695981039346656037ull;
    for (char c : text) hash = (hash ^ static_cast<unsigned char>(c)) * 1099511628211ull;
    char suffix[20];
    std::snprintf(suffix, sizeof suffix, "-%016llx", static_cast<unsigned long long>(hash));
    out = out.substr(0, 100) + suffix;
  }
  return out;
}

StudyStore::StudyStore(fs::path dir) : m_dir(std::move(dir)) {
  std::error_code ec;
  fs::create_directories(m_dir, ec);
  const fs::path file = m_dir / "index.sqlite";
  if (sqlite3_open_v2(file.c_str(), &m_db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                      nullptr) != SQLITE_OK) {
    const std::string reason = m_db ? sqlite3_errmsg(m_db) : "out of memory";
    sqlite3_close(m_db);
    m_db = nullptr;
    throw std::runtime_error(file.string() + ": cannot open the study index: " + reason);
  }
  sqlite3_busy_timeout(m_db, 5000);
  try {
    execute(kSchema);
  } catch (const std::exception& e) {
    sqlite3_close(m_db);
    m_db = nullptr;
    throw std::runtime_error(file.string() + ": " + e.what());
  }
}

StudyStore::~StudyStore() { sqlite3_close(m_db); }

void StudyStore::execute(const char* sql) const {
  char* error = nullptr;
  if (sqlite3_exec(m_db, sql, nullptr, nullptr, &error) != SQLITE_OK) {
    const std::string reason = error ? error : "unknown error";
    sqlite3_free(error);
    throw std::runtime_error("study store: " + reason);
  }
}

fs::path StudyStore::studyFolder(const std::string& studyKey) const {
  return m_dir / "studies" / safeFileName(studyKey);
}

fs::path StudyStore::incomingFolder() const { return m_dir / "incoming"; }

std::string StudyStore::keyOf(const core::ImageInfo& header, const std::string& examId) const {
  if (!header.studyInstanceUid.empty()) return header.studyInstanceUid;
  const fs::path folder = fs::absolute(fs::path(header.sourcePath)).parent_path();
  return "exam:" + folder.string() + "#" + examId;
}

std::vector<std::string> StudyStore::addExams(const std::vector<core::Exam>& exams, StudySource source) {
  std::lock_guard lock(m_mutex);
  std::vector<std::string> keys;
  execute("BEGIN IMMEDIATE");
  try {
    for (const core::Exam& exam : exams) {
      const core::Image* first = nullptr;
      for (const auto& images : exam.views) {
        if (!first && !images.empty()) first = &images.front();
      }
      if (!first) continue;
      const core::ImageInfo& h = first->info;
      const std::string key = keyOf(h, exam.id);
      Statement insert(m_db,
                       "INSERT INTO studies (key, patient_id, patient_name, study_date, accession, description, "
                       "source, added) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(key) DO NOTHING");
      insert.bind(key)
          .bind(h.patientId.empty() ? exam.patientId : h.patientId)
          .bind(h.patientName)
          .bind(h.studyDate)
          .bind(h.accessionNumber)
          .bind(h.studyDescription)
          .bind(std::string(toString(source)))
          .bind(now());
      insert.step();
      for (core::StandardView view : core::kStandardViews) {
        for (const core::Image& image : exam.view(view)) {
          Statement file(m_db, "INSERT OR REPLACE INTO files (path, study_key, sop_uid, view) VALUES (?, ?, ?, ?)");
          file.bind(fs::absolute(image.info.sourcePath).string())
              .bind(key)
              .bind(image.info.sopInstanceUid)
              .bind(std::string(core::toString(view)));
          file.step();
        }
      }
      keys.push_back(key);
    }
    execute("COMMIT");
  } catch (...) {
    execute("ROLLBACK");
    throw;
  }
  return keys;
}

std::string StudyStore::addFile(const core::ImageInfo& header, const fs::path& file, StudySource source) {
  std::lock_guard lock(m_mutex);
  const std::string key = keyOf(header, header.sopInstanceUid);
  const std::optional<core::StandardView> view = core::standardView(header.laterality, header.view);
  execute("BEGIN IMMEDIATE");
  try {
    Statement insert(m_db,
                     "INSERT INTO studies (key, patient_id, patient_name, study_date, accession, description, "
                     "source, folder, added) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(key) DO NOTHING");
    insert.bind(key)
        .bind(header.patientId)
        .bind(header.patientName)
        .bind(header.studyDate)
        .bind(header.accessionNumber)
        .bind(header.studyDescription)
        .bind(std::string(toString(source)))
        .bind(studyFolder(key).string())
        .bind(now());
    insert.step();
    Statement row(m_db, "INSERT OR REPLACE INTO files (path, study_key, sop_uid, view) VALUES (?, ?, ?, ?)");
    row.bind(fs::absolute(file).string())
        .bind(key)
        .bind(header.sopInstanceUid)
        .bind(view ? std::string(core::toString(*view)) : std::string());
    row.step();
    execute("COMMIT");
  } catch (...) {
    execute("ROLLBACK");
    throw;
  }
  return key;
}

namespace {

StudyRecord recordOf(const Statement& s) {
  StudyRecord r;
  r.key = s.text(0);
  r.patientId = s.text(1);
  r.patientName = s.text(2);
  r.studyDate = s.text(3);
  r.accession = s.text(4);
  r.description = s.text(5);
  r.source = parse(s.text(6), std::array{StudySource::Files, StudySource::Received, StudySource::Retrieved},
                   StudySource::Files);
  r.folder = s.text(7);
  r.aiStatus = parse(s.text(8),
                     std::array{AiStatus::None, AiStatus::Queued, AiStatus::Running, AiStatus::Done, AiStatus::Failed},
                     AiStatus::None);
  r.aiReason = s.text(9);
  r.aiModel = s.text(10);
  r.aiMaxMalignant = s.real(11);
  r.readingStatus = parse(s.text(12), std::array{ReadingStatus::Unread, ReadingStatus::InProgress, ReadingStatus::Read},
                          ReadingStatus::Unread);
  r.assessment = s.text(13);
  r.added = s.text(14);
  return r;
}

}  // namespace

std::vector<StudyRecord> StudyStore::studies(const StudyFilter& filter) const {
  std::lock_guard lock(m_mutex);
  std::string sql = std::string("SELECT ") + kColumns + " FROM studies WHERE 1";
  if (filter.unreadOnly) sql += " AND reading_status = 'unread'";
  if (filter.aiDoneOnly) sql += " AND ai_status = 'done'";
  if (!filter.dateFrom.empty()) sql += " AND study_date >= ?";
  if (!filter.dateTo.empty()) sql += " AND study_date <= ?";
  if (!filter.patientId.empty()) sql += " AND patient_id = ?";
  if (!filter.text.empty()) {
    sql +=
        " AND (lower(patient_id) LIKE ? OR lower(patient_name) LIKE ? OR lower(accession) LIKE ? OR "
        "lower(description) LIKE ?)";
  }
  sql += " ORDER BY study_date DESC, added DESC, key";
  Statement query(m_db, sql.c_str());
  if (!filter.dateFrom.empty()) query.bind(filter.dateFrom);
  if (!filter.dateTo.empty()) query.bind(filter.dateTo);
  if (!filter.patientId.empty()) query.bind(filter.patientId);
  if (!filter.text.empty()) {
    const std::string pattern = "%" + lower(filter.text) + "%";
    for (int i = 0; i < 4; ++i) query.bind(pattern);
  }
  std::vector<StudyRecord> out;
  while (query.step()) out.push_back(recordOf(query));
  for (StudyRecord& r : out) {
    Statement files(m_db, "SELECT path, view FROM files WHERE study_key = ? ORDER BY path");
    files.bind(r.key);
    std::set<std::string> views;
    while (files.step()) {
      r.files.emplace_back(files.text(0));
      if (!files.text(1).empty()) views.insert(files.text(1));
    }
    r.images = static_cast<int>(r.files.size());
    for (core::StandardView v : core::kStandardViews) {
      const std::string name(core::toString(v));
      if (views.count(name)) r.views += (r.views.empty() ? "" : " ") + name;
    }
  }
  return out;
}

std::optional<StudyRecord> StudyStore::study(const std::string& key) const {
  for (StudyRecord& r : studies()) {
    if (r.key == key) return std::move(r);
  }
  return std::nullopt;
}

std::vector<StudyRecord> StudyStore::priors(const std::string& patientId, const std::string& beforeDate,
                                            const std::string& excludeKey) const {
  if (patientId.empty()) return {};
  StudyFilter filter;
  filter.patientId = patientId;
  std::vector<StudyRecord> out;
  for (StudyRecord& r : studies(filter)) {
    if (r.key == excludeKey) continue;
    if (!beforeDate.empty() && !(r.studyDate < beforeDate)) continue;
    out.push_back(std::move(r));
  }
  return out;
}

void StudyStore::setAiStatus(const std::string& key, AiStatus status, const std::string& reason,
                             const std::string& model, std::optional<double> maxMalignant) {
  std::lock_guard lock(m_mutex);
  Statement update(m_db,
                   "UPDATE studies SET ai_status = ?, ai_reason = ?, ai_model = ?, ai_max_malignant = ? WHERE key = ?");
  update.bind(std::string(toString(status))).bind(reason).bind(model).bind(maxMalignant).bind(key);
  update.step();
}

void StudyStore::setReadingStatus(const std::string& key, ReadingStatus status) {
  std::lock_guard lock(m_mutex);
  Statement update(m_db, "UPDATE studies SET reading_status = ? WHERE key = ?");
  update.bind(std::string(toString(status))).bind(key);
  update.step();
}

void StudyStore::setAssessment(const std::string& key, const std::string& assessment) {
  std::lock_guard lock(m_mutex);
  Statement update(m_db, "UPDATE studies SET assessment = ? WHERE key = ?");
  update.bind(assessment).bind(key);
  update.step();
}

}  // namespace mammo::pacs
