#pragma once
// The reading worklist on the study store (pacs::StudyStore): indexing what the user opens (a folder or exam
// list with many exams fills the worklist), the order studies are read in, and moving to the next or the
// previous one. Plain C++; indexStudies runs on a worker (it reads every file's header), the rest is pure.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/ExamLoader.h"
#include "pacs/StudyStore.h"

namespace mammo::core {
class JobContext;
}

namespace mammo::workstation {

struct IndexedStudies {
  std::vector<std::string> keys;  // in the order the exams were found
  std::vector<core::LoadIssue> issues;  // files that could not be read (named, with the reason)
};

// Reads the headers of every image among `paths` (files, folders, DICOMDIRs, exam lists) and indexes their
// exams in `store` where they are (source Files).
IndexedStudies indexStudies(pacs::StudyStore& store, const std::vector<std::filesystem::path>& paths,
                            core::JobContext* job = nullptr);

// The study `step` places after `current` in `keys` (the worklist's order; negative: before); nullopt past
// either end, or when `current` is not listed, then the first one for a step forward.
std::optional<std::string> stepStudy(const std::vector<std::string>& keys, const std::string& current, int step);

// The worklist as text (one line per study: date, patient, accession, views, AI, reading status) or JSON
// (an array of objects with every field of StudyRecord but the files' paths); what `mammolens-cli worklist`
// prints.
std::string worklistText(const std::vector<pacs::StudyRecord>& studies);
std::string worklistJson(const std::vector<pacs::StudyRecord>& studies);

}  // namespace mammo::workstation
