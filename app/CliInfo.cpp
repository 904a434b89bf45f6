#include "app/CliCommands.h"

#include <nlohmann/json.hpp>

#include <iostream>
#include <sstream>

#include "core/ExamLoader.h"

namespace mammo::app {
namespace {

using core::Image;

std::string spacingText(const Image& image) {
  if (!image.info.spacing) return "-";
  std::ostringstream s;
  s << image.info.spacing->rowMm << "x" << image.info.spacing->columnMm << "mm(" << image.info.spacing->source << ")";
  return s.str();
}

nlohmann::json imageJson(const Image& image, const std::string& slot) {
  nlohmann::json j;
  j["file"] = image.info.sourcePath;
  j["slot"] = slot;
  j["laterality"] = std::string(core::toString(image.info.laterality));
  j["view"] = std::string(core::toString(image.info.view));
  j["laterality_source"] = image.info.lateralitySource;
  j["view_source"] = image.info.viewSource;
  j["rows"] = image.info.rows;
  j["columns"] = image.info.columns;
  j["bits_stored"] = image.info.bitsStored;
  j["photometric"] = std::string(core::toString(image.info.photometric));
  j["presentation_intent"] = std::string(core::toString(image.info.intent));
  j["transfer_syntax"] = image.info.transferSyntaxName;
  j["transfer_syntax_uid"] = image.info.transferSyntaxUid;
  j["modality"] = image.info.modality;
  j["has_pixels"] = image.info.hasPixels;
  if (image.info.spacing) {
    j["pixel_spacing_mm"] = {image.info.spacing->rowMm, image.info.spacing->columnMm};
    j["pixel_spacing_source"] = image.info.spacing->source;
  }
  j["orientation"] = {{"verdict", image.orientation.verdict()},
                      {"chest_wall", std::string(core::toString(image.orientation.chestWall))},
                      {"expected", std::string(core::toString(image.orientation.expected))},
                      {"left_edge_fraction", image.orientation.leftEdgeFraction},
                      {"right_edge_fraction", image.orientation.rightEdgeFraction}};
  j["warnings"] = image.warnings;
  return j;
}

void printImage(const Image& image) {
  std::cout << image.info.sourcePath << "  " << core::toString(image.info.laterality) << "-"
            << core::toString(image.info.view) << "  " << image.info.rows << "x" << image.info.columns << "  "
            << image.info.bitsStored << "bit  " << core::toString(image.info.photometric) << "  "
            << core::toString(image.info.intent) << "  "
            << (image.info.transferSyntaxName.empty() ? "-" : image.info.transferSyntaxName) << "  "
            << spacingText(image) << "  orientation:" << image.orientation.verdict()
            << (image.info.hasPixels ? "" : "  header-only");
  for (const auto& w : image.warnings) std::cout << "  [warning: " << w << "]";
  std::cout << '\n';
}

}  // namespace

int runInfo(const InfoOptions& options) {
  std::vector<std::filesystem::path> paths(options.paths.begin(), options.paths.end());
  core::LoadOptions loadOptions;
  loadOptions.readPixels = true;
  if (!options.imagesDir.empty()) loadOptions.imagesDir = options.imagesDir;
  const core::LoadResult result = core::loadPaths(paths, loadOptions);
  bool anyError = !result.issues.empty();
  for (const auto& exam : result.exams) anyError = anyError || exam.hasErrors();

  if (options.json) {
    nlohmann::json doc;
    doc["exams"] = nlohmann::json::array();
    for (const auto& exam : result.exams) {
      nlohmann::json e;
      e["id"] = exam.id;
      e["images"] = nlohmann::json::array();
      for (core::StandardView v : core::kStandardViews) {
        for (const Image& image : exam.view(v)) e["images"].push_back(imageJson(image, std::string(core::toString(v))));
      }
      for (const Image& image : exam.otherImages) e["images"].push_back(imageJson(image, "other"));
      e["issues"] = nlohmann::json::array();
      for (const auto& issue : exam.issues) {
        e["issues"].push_back({{"file", issue.file}, {"reason", issue.reason}, {"error", issue.error}});
      }
      doc["exams"].push_back(e);
    }
    doc["errors"] = nlohmann::json::array();
    for (const auto& issue : result.issues) doc["errors"].push_back({{"file", issue.file}, {"reason", issue.reason}});
    std::cout << doc.dump(1) << '\n';
  } else {
    for (const auto& exam : result.exams) {
      std::cout << "exam " << exam.id << ": " << exam.imageCount() << " image(s)\n";
      for (core::StandardView v : core::kStandardViews) {
        for (const Image& image : exam.view(v)) printImage(image);
      }
      for (const Image& image : exam.otherImages) printImage(image);
      for (const auto& issue : exam.issues) {
        std::cout << (issue.error ? "  error: " : "  warning: ") << (issue.file.empty() ? "" : issue.file + ": ")
                  << issue.reason << '\n';
      }
    }
    for (const auto& issue : result.issues) std::cerr << "error: " << issue.file << ": " << issue.reason << '\n';
  }
  return anyError ? 1 : 0;
}

}  // namespace mammo::app
