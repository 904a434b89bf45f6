#pragma once
// The JSON sidecar of one exam's annotation by one annotator, beside the PNG masks in the annotator's
// folder: <root>/<annotator>/<exam>.annotation.json. It records who and when (ISO-8601 UTC), the tool
// version, each annotated image (size, pixel spacing, mask files) and the exam's lesion list.
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "annotation/Lesions.h"
#include "core/Image.h"

namespace mammo::annotation {

struct ImageAnnotationRecord {
  int rows = 0;
  int columns = 0;
  std::optional<core::PixelSpacing> spacing;
  std::map<std::string, std::string> masks;  // class name -> mask file name (in the sidecar's folder)
};

struct AnnotationSidecar {
  std::string annotator;
  std::string examId;
  std::string created;  // ISO-8601 UTC, e.g. 2026-11-26T09:15:02.125Z; kept from the first save
  std::string modified;  // ISO-8601 UTC of the latest save
  std::string toolVersion;
  std::map<std::string, ImageAnnotationRecord> images;  // by view name ("L-CC", ...)
  std::vector<Lesion> lesions;
};

std::filesystem::path sidecarPath(const std::filesystem::path& annotatorFolder, const std::string& examId);
std::string isoTimestampNow();  // UTC, millisecond precision

// Atomic (AtomicFile.h). Throws std::runtime_error naming the file.
void writeSidecar(const std::filesystem::path& file, const AnnotationSidecar& sidecar);
// Throws core::LoadError naming the file and the offending key.
AnnotationSidecar readSidecar(const std::filesystem::path& file);

}  // namespace mammo::annotation
