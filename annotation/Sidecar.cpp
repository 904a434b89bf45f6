#include "annotation/Sidecar.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <sstream>

#include "annotation/AtomicFile.h"
#include "core/Errors.h"

namespace mammo::annotation {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {
constexpr const char* kFormat = "mammolens-annotation/1";

json boxJson(const PixelRect& b) {
  return {{"row", b.row0}, {"col", b.col0}, {"rows", b.rows()}, {"columns", b.columns()}};
}
PixelRect boxFrom(const json& j) {
  const int r = j.at("row"), c = j.at("col");
  return {r, c, r + j.at("rows").get<int>(), c + j.at("columns").get<int>()};
}

json lesionJson(const Lesion& l) {
  json regions = json::array();
  for (const auto& r : l.regions) {
    json region{{"view", r.view}, {"bbox", boxJson(r.box)}, {"pixels", r.pixels}};
    region["area_mm2"] = r.areaMm2 ? json(*r.areaMm2) : json(nullptr);
    regions.push_back(region);
  }
  const auto area = l.areaMm2();
  return {{"id", l.id},         {"class", l.className},
          {"views", l.views()}, {"area_mm2", area ? json(*area) : json(nullptr)},
          {"regions", regions}, {"status", std::string(toString(l.status))},
          {"note", l.note}};
}

Lesion lesionFrom(const json& j) {
  Lesion l;
  l.id = j.at("id");
  l.className = j.at("class");
  for (const json& r : j.at("regions")) {
    LesionRegion region{r.at("view"), boxFrom(r.at("bbox")), r.at("pixels").get<std::size_t>(), std::nullopt};
    if (!r.at("area_mm2").is_null()) region.areaMm2 = r.at("area_mm2").get<double>();
    l.regions.push_back(region);
  }
  const std::string status = j.at("status");
  const auto parsed = parseLesionStatus(status);
  if (!parsed) throw std::invalid_argument("lesion " + std::to_string(l.id) + ": unknown status '" + status + "'");
  l.status = *parsed;
  l.note = j.value("note", "");
  return l;
}
}  // namespace

fs::path sidecarPath(const fs::path& annotatorFolder, const std::string& examId) {
  return annotatorFolder / (examId + ".annotation.json");
}

std::string isoTimestampNow() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t t = std::chrono::system_clock::to_time_t(now);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm utc{};
  gmtime_r(&t, &utc);
  char text[64];  // roomy enough for any int fields, so the format can never truncate
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900, utc.tm_mon + 1,
                utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, static_cast<int>(ms));
  return text;
}

void writeSidecar(const fs::path& file, const AnnotationSidecar& s) {
  json images = json::object();
  for (const auto& [view, image] : s.images) {
    json spacing = nullptr;
    if (image.spacing)
      spacing = {
          {"row_mm", image.spacing->rowMm}, {"column_mm", image.spacing->columnMm}, {"source", image.spacing->source}};
    images[view] = {
        {"rows", image.rows}, {"columns", image.columns}, {"pixel_spacing", spacing}, {"masks", image.masks}};
  }
  json lesions = json::array();
  for (const auto& l : s.lesions) lesions.push_back(lesionJson(l));
  const json doc{{"format", kFormat},      {"annotator", s.annotator},      {"exam", s.examId}, {"created", s.created},
                 {"modified", s.modified}, {"tool_version", s.toolVersion}, {"images", images}, {"lesions", lesions}};
  const std::string text = doc.dump(2) + "\n";
  writeFileAtomically(file, {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()});
}

AnnotationSidecar readSidecar(const fs::path& file) {
  std::ifstream in(file);
  if (!in) throw core::LoadError(file, "cannot open annotation sidecar");
  try {
    const json doc = json::parse(in);
    if (doc.value("format", "") != kFormat) {
      throw std::invalid_argument("not a Mammolens annotation sidecar (format '" + doc.value("format", "") + "')");
    }
    AnnotationSidecar s;
    s.annotator = doc.at("annotator");
    s.examId = doc.at("exam");
    s.created = doc.at("created");
    s.modified = doc.at("modified");
    s.toolVersion = doc.at("tool_version");
    for (const auto& [view, j] : doc.at("images").items()) {
      ImageAnnotationRecord image;
      image.rows = j.at("rows");
      image.columns = j.at("columns");
      if (!j.at("pixel_spacing").is_null()) {
        const json& sp = j.at("pixel_spacing");
        image.spacing = core::PixelSpacing{sp.at("row_mm"), sp.at("column_mm"), sp.value("source", "")};
      }
      image.masks = j.at("masks").get<std::map<std::string, std::string>>();
      s.images[view] = image;
    }
    for (const json& l : doc.at("lesions")) s.lesions.push_back(lesionFrom(l));
    return s;
  } catch (const core::LoadError&) {
    throw;
  } catch (const std::exception& e) {
    throw core::LoadError(file, std::string("malformed annotation sidecar: ") + e.what());
  }
}

}  // namespace mammo::annotation
