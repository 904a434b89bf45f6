// mammolens-cli worklist: the study store's worklist, as the GUI's worklist dock shows it.
#include <cstdio>
#include <iostream>

#include "app/CliCommands.h"
#include "pacs/StudyStore.h"
#include "workstation/Worklist.h"

namespace mammo::app {

int runWorklist(const WorklistOptions& options) {
  pacs::StudyStore store(options.store);
  int status = 0;
  if (!options.add.empty()) {
    const std::vector<std::filesystem::path> paths(options.add.begin(), options.add.end());
    const workstation::IndexedStudies indexed = workstation::indexStudies(store, paths);
    for (const core::LoadIssue& issue : indexed.issues) {
      std::cerr << "warning: " << issue.file << ": " << issue.reason << '\n';
      status = 2;  // listed, but not everything could be indexed
    }
    if (!options.json)
      std::cout << "indexed " << indexed.keys.size() << " stud" << (indexed.keys.size() == 1 ? "y" : "ies") << '\n';
  }
  pacs::StudyFilter filter;
  filter.unreadOnly = options.unread;
  filter.aiDoneOnly = options.aiDone;
  filter.dateFrom = options.from;
  filter.dateTo = options.to;
  filter.text = options.text;
  const std::vector<pacs::StudyRecord> studies = store.studies(filter);
  std::cout << (options.json ? workstation::worklistJson(studies) : workstation::worklistText(studies));
  return status;
}

}  // namespace mammo::app
