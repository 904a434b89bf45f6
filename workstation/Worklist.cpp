#include "workstation/Worklist.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>

#include "core/Job.h"

namespace mammo::workstation {

IndexedStudies indexStudies(pacs::StudyStore& store, const std::vector<std::filesystem::path>& paths,
                            core::JobContext* job) {
  core::LoadOptions headers;
  headers.readPixels = false;
  core::LoadResult loaded = core::loadPaths(paths, headers, job);
  IndexedStudies out;
  out.keys = store.addExams(loaded.exams, pacs::StudySource::Files);
  out.issues = std::move(loaded.issues);
  return out;
}

std::optional<std::string> stepStudy(const std::vector<std::string>& keys, const std::string& current, int step) {
  const auto it = std::find(keys.begin(), keys.end(), current);
  if (it == keys.end()) {
    if (step > 0 && !keys.empty()) return keys.front();
    return std::nullopt;
  }
  const auto index = static_cast<long>(it - keys.begin()) + step;
  if (index < 0 || index >= static_cast<long>(keys.size())) return std::nullopt;
  return keys[static_cast<std::size_t>(index)];
}

namespace {

std::string aiText(const pacs::StudyRecord& s) {
  std::string text(pacs::toString(s.aiStatus));
  if (s.aiStatus == pacs::AiStatus::Done && s.aiMaxMalignant) {
    char value[32];
    std::snprintf(value, sizeof value, " %.3f", *s.aiMaxMalignant);
    text += value;
  }
  return text;
}

}  // namespace

std::string worklistText(const std::vector<pacs::StudyRecord>& studies) {
  std::string out;
  char line[512];
  std::snprintf(line, sizeof line, "%-10s %-16s %-14s %-24s %-16s %-12s %s\n", "date", "patient", "accession", "views",
                "AI (max mal.)", "reading", "source");
  out += line;
  for (const pacs::StudyRecord& s : studies) {
    std::snprintf(line, sizeof line, "%-10s %-16s %-14s %-24s %-16s %-12s %s\n",
                  s.studyDate.empty() ? "-" : s.studyDate.c_str(), s.patientId.empty() ? "-" : s.patientId.c_str(),
                  s.accession.empty() ? "-" : s.accession.c_str(), s.views.empty() ? "-" : s.views.c_str(),
                  aiText(s).c_str(), std::string(pacs::toString(s.readingStatus)).c_str(),
                  std::string(pacs::toString(s.source)).c_str());
    out += line;
  }
  out += std::to_string(studies.size()) + " stud" + (studies.size() == 1 ? "y" : "ies") + "\n";
  return out;
}

std::string worklistJson(const std::vector<pacs::StudyRecord>& studies) {
  nlohmann::json out = nlohmann::json::array();
  for (const pacs::StudyRecord& s : studies) {
    nlohmann::json j = {{"key", s.key},
                        {"patient_id", s.patientId},
                        {"patient_name", s.patientName},
                        {"study_date", s.studyDate},
                        {"accession", s.accession},
                        {"description", s.description},
                        {"views", s.views},
                        {"images", s.images},
                        {"source", std::string(pacs::toString(s.source))},
                        {"ai_status", std::string(pacs::toString(s.aiStatus))},
                        {"ai_reason", s.aiReason},
                        {"ai_model", s.aiModel},
                        {"reading_status", std::string(pacs::toString(s.readingStatus))},
                        {"assessment", s.assessment},
                        {"added", s.added}};
    j["ai_max_malignant"] = s.aiMaxMalignant ? nlohmann::json(*s.aiMaxMalignant) : nlohmann::json(nullptr);
    out.push_back(std::move(j));
  }
  return out.dump(1) + "\n";
}

}  // namespace mammo::workstation
