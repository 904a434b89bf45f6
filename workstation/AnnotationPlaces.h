#pragma once
// Where an annotator's masks of an exam go, and under which name: the policy the GUI and the CLI share.
// Plain C++; thread-safe.
#include <filesystem>
#include <string>

#include "core/Exam.h"

namespace mammo::workstation {

// The configured root (the setting annotation/root) when given, else <folder of the exam's first image>/
// annotations when that folder is writable, else <userDataDir>/annotations/<exam id>.
std::filesystem::path annotationRoot(const core::Exam& exam, const std::filesystem::path& configuredRoot,
                                     const std::filesystem::path& userDataDir);

// The annotator's folder name: the configured name (the setting annotation/user) when given, else the
// login name ($USER, $USERNAME), else "annotator"; path separators become '_' and leading dots are dropped
// (annotation/MaskFiles.h refuses them).
std::string annotatorName(const std::string& configured);

}  // namespace mammo::workstation
