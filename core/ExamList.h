#pragma once
// Exam lists: which files make each exam, its labels and masks, and the NYU crop metadata once computed.
// JSON, read and written in the project's format; the NYU reference's exam-list structure written as
// JSON (a list of {"horizontal_flip", "L-CC": [names], ...}) is read too.
#include <array>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/Types.h"

namespace mammo::core {

// NYU crop metadata of one image, in the reference's conventions (../shared/docs/NYU-PIPELINE.md §2.3).
struct CropMetadata {
  std::array<int, 4> windowLocation{};  // y0, y1, x0, x1 in the original image
  std::array<int, 2> rightmostRows{};  // (r_first, r_last) in crop coordinates
  int rightmostX = 0;
  int bottommostY = 0;
  std::array<int, 2> bottommostColumns{};  // (x_first, x_last), face-right frame
  int distanceFromStartingSide = 0;
  std::optional<std::array<int, 2>> bestCenter;  // (y, x), face-right crop frame
};

struct BreastLabels {
  std::optional<int> leftBenign, rightBenign, leftMalignant, rightMalignant;
  bool any() const { return leftBenign || rightBenign || leftMalignant || rightMalignant; }
};

struct ExamImageEntry {
  std::filesystem::path file;  // absolute once read (relative paths resolve against the list's folder)
  std::map<std::string, std::filesystem::path> masks;  // class name ("benign", "malignant") -> mask PNG
  std::optional<CropMetadata> crop;
};

struct ExamEntry {
  std::string id;
  std::string patientId;
  std::string horizontalFlip = "NO";  // the NYU flag: "YES" if the whole exam is stored mirrored
  std::optional<int> birads;
  BreastLabels labels;
  std::array<std::vector<ExamImageEntry>, 4> views;  // indexed by StandardView

  std::vector<ExamImageEntry>& view(StandardView v) { return views[static_cast<int>(v)]; }
  const std::vector<ExamImageEntry>& view(StandardView v) const { return views[static_cast<int>(v)]; }
};

struct ExamList {
  std::vector<ExamEntry> exams;
};

struct ExamListReadOptions {
  // Folder for NYU-style entries that name images without folder and extension; default: the list's folder.
  std::optional<std::filesystem::path> imagesDir;
};

// Throws LoadError naming the file for unreadable or malformed lists (the reason names the exam and key).
ExamList readExamList(const std::filesystem::path& path, const ExamListReadOptions& options = {});
// Writes atomically; paths are written relative to the list's folder where possible.
void writeExamList(const ExamList& list, const std::filesystem::path& path);
bool looksLikeExamList(const std::filesystem::path& path);

}  // namespace mammo::core
