#pragma once
// Loading exams from what a user points at: DICOM or PNG files, folders (recursively), a DICOMDIR or
// an exam list. Bad files become LoadIssues naming the file and the reason; the rest still loads.
#include <filesystem>
#include <optional>
#include <vector>

#include "core/Exam.h"
#include "core/ExamList.h"

namespace mammo::core {

class JobContext;

struct LoadOptions {
  bool readPixels = true;
  std::optional<std::filesystem::path> imagesDir;  // for NYU exam lists
};

struct LoadResult {
  std::vector<Exam> exams;
  std::vector<LoadIssue> issues;  // files that could not be read at all
};

// Laterality and view from NYU-style names: "<id>_<L|R>_<CC|MLO>.png", "L-CC.png", "<id>_L-CC.png".
struct NameFacts {
  std::string examId;  // empty when the name carries none
  Laterality laterality = Laterality::Unknown;
  ViewPosition view = ViewPosition::Unknown;
};
std::optional<NameFacts> parseImageName(const std::filesystem::path& file);

// One image file (PNG or DICOM), with its orientation analysed. Throws LoadError.
Image loadImage(const std::filesystem::path& file, const LoadOptions& options = {});

// Any mix of files, folders, DICOMDIRs and exam lists. Images are grouped into exams by
// StudyInstanceUID (DICOM) or by the exam id in the file name / the containing folder (PNG).
LoadResult loadPaths(const std::vector<std::filesystem::path>& paths, const LoadOptions& options = {},
                     JobContext* context = nullptr);

// The exams of an exam list, in list order.
LoadResult loadExamList(const ExamList& list, const LoadOptions& options = {}, JobContext* context = nullptr);

// The image files a DICOMDIR references. Throws LoadError.
std::vector<std::filesystem::path> readDicomDir(const std::filesystem::path& dicomdir);

// Adds exam-level issues: missing views, duplicate images, mirrored or unreadable-orientation images.
void validateExam(Exam& exam);

}  // namespace mammo::core
