#include "core/ExamList.h"

#include <nlohmann/json.hpp>

#include <fstream>

#include "core/Errors.h"

namespace mammo::core {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

fs::path resolve(const fs::path& base, const fs::path& p) {
  return p.is_absolute() ? p : (base / p).lexically_normal();
}

std::optional<int> optInt(const json& j, const char* key) {
  if (j.contains(key) && j[key].is_number_integer()) return j[key].get<int>();
  return std::nullopt;
}

// NYU-style image names carry no folder or extension; find the file.
fs::path resolveNyuName(const fs::path& dir, const std::string& name) {
  fs::path p = resolve(dir, name);
  if (p.has_extension() && fs::exists(p)) return p;
  for (const char* ext : {".png", ".dcm", ".PNG", ".DCM"}) {
    fs::path candidate = p;
    candidate += ext;
    if (fs::exists(candidate)) return candidate;
  }
  return p.has_extension() ? p : fs::path(p.string() + ".png");
}

CropMetadata cropFrom(const json& j) {
  CropMetadata c;
  auto w = j.at("window_location");
  for (int i = 0; i < 4; ++i) c.windowLocation[i] = w.at(i).get<int>();
  const auto& rm = j.at("rightmost_points");
  c.rightmostRows = {rm.at(0).at(0).get<int>(), rm.at(0).at(1).get<int>()};
  c.rightmostX = rm.at(1).get<int>();
  const auto& bm = j.at("bottommost_points");
  c.bottommostY = bm.at(0).get<int>();
  c.bottommostColumns = {bm.at(1).at(0).get<int>(), bm.at(1).at(1).get<int>()};
  c.distanceFromStartingSide = j.value("distance_from_starting_side", 0);
  if (j.contains("best_center") && !j["best_center"].is_null()) {
    c.bestCenter = std::array<int, 2>{j["best_center"].at(0).get<int>(), j["best_center"].at(1).get<int>()};
  }
  return c;
}

json cropTo(const CropMetadata& c) {
  json j;
  j["window_location"] = c.windowLocation;
  j["rightmost_points"] = json::array({c.rightmostRows, c.rightmostX});
  j["bottommost_points"] = json::array({c.bottommostY, c.bottommostColumns});
  j["distance_from_starting_side"] = c.distanceFromStartingSide;
  if (c.bestCenter) j["best_center"] = *c.bestCenter;
  return j;
}

void readLabels(const json& j, BreastLabels& labels) {
  labels.leftBenign = optInt(j, "left_benign");
  labels.rightBenign = optInt(j, "right_benign");
  labels.leftMalignant = optInt(j, "left_malignant");
  labels.rightMalignant = optInt(j, "right_malignant");
}

ExamEntry readProjectExam(const json& j, const fs::path& base, size_t index) {
  ExamEntry e;
  e.id = j.value("id", "exam-" + std::to_string(index));
  e.patientId = j.value("patient_id", std::string());
  e.horizontalFlip = j.value("horizontal_flip", std::string("NO"));
  e.birads = optInt(j, "birads");
  if (j.contains("labels")) readLabels(j.at("labels"), e.labels);
  if (!j.contains("views") || !j["views"].is_object())
    throw std::runtime_error("exam " + e.id + ": no \"views\" object");
  for (const auto& [key, list] : j["views"].items()) {
    auto view = parseStandardView(key);
    if (!view) throw std::runtime_error("exam " + e.id + ": unknown view \"" + key + "\"");
    for (const auto& item : list) {
      ExamImageEntry image;
      if (item.is_string()) {
        image.file = resolve(base, item.get<std::string>());
      } else {
        image.file = resolve(base, item.at("file").get<std::string>());
        if (item.contains("masks")) {
          for (const auto& [cls, file] : item["masks"].items())
            image.masks[cls] = resolve(base, file.get<std::string>());
        }
        if (item.contains("crop")) image.crop = cropFrom(item["crop"]);
      }
      e.view(*view).push_back(std::move(image));
    }
  }
  return e;
}

ExamEntry readNyuExam(const json& j, const fs::path& imagesDir, size_t index) {
  ExamEntry e;
  e.id = j.value("id", std::string());
  e.horizontalFlip = j.value("horizontal_flip", std::string("NO"));
  if (j.contains("cancer_label")) readLabels(j["cancer_label"], e.labels);
  for (StandardView v : kStandardViews) {
    const std::string key(toString(v));
    if (!j.contains(key)) continue;
    const auto& names = j[key];
    for (size_t i = 0; i < names.size(); ++i) {
      const std::string name = names.at(i).get<std::string>();
      ExamImageEntry image;
      image.file = resolveNyuName(imagesDir, name);
      if (j.contains("window_location")) {
        json crop;
        for (const char* k : {"window_location", "rightmost_points", "bottommost_points", "distance_from_starting_side",
                              "best_center"}) {
          if (j.contains(k) && j[k].contains(key)) crop[k] = j[k][key].at(i);
        }
        image.crop = cropFrom(crop);
      }
      if (e.id.empty()) {
        // "<exam>_<L|R>_<VIEW>" names carry the exam id.
        const auto cut = name.find('_');
        e.id = cut == std::string::npos ? "exam-" + std::to_string(index) : name.substr(0, cut);
      }
      e.view(v).push_back(std::move(image));
    }
  }
  if (e.id.empty()) e.id = "exam-" + std::to_string(index);
  return e;
}

}  // namespace

bool looksLikeExamList(const fs::path& path) {
  if (path.extension() != ".json") return false;
  std::ifstream in(path);
  char c = 0;
  while (in.get(c) && std::isspace(static_cast<unsigned char>(c))) {}
  return c == '{' || c == '[';
}

ExamList readExamList(const fs::path& path, const ExamListReadOptions& options) {
  std::ifstream in(path);
  if (!in) throw LoadError(path, "cannot open exam list");
  json doc;
  try {
    doc = json::parse(in);
  } catch (const json::exception& e) {
    throw LoadError(path, std::string("malformed JSON: ") + e.what());
  }
  const fs::path base = fs::absolute(path).parent_path();
  ExamList list;
  try {
    if (doc.is_object() && doc.contains("exams")) {
      size_t i = 0;
      for (const auto& exam : doc["exams"]) list.exams.push_back(readProjectExam(exam, base, i++));
    } else if (doc.is_array()) {
      const fs::path imagesDir = options.imagesDir ? fs::absolute(*options.imagesDir) : base;
      size_t i = 0;
      for (const auto& exam : doc) list.exams.push_back(readNyuExam(exam, imagesDir, i++));
    } else {
      throw std::runtime_error("neither a Mammolens exam list ({\"exams\": [...]}) nor an NYU exam list ([...])");
    }
  } catch (const LoadError&) {
    throw;
  } catch (const std::exception& e) {
    throw LoadError(path, std::string("invalid exam list: ") + e.what());
  }
  return list;
}

void writeExamList(const ExamList& list, const fs::path& path) {
  const fs::path base = fs::absolute(path).parent_path();
  auto rel = [&](const fs::path& p) {
    const fs::path r = fs::absolute(p).lexically_relative(base);
    return (r.empty() || r.native().rfind("..", 0) == 0 ? fs::absolute(p) : r).generic_string();
  };
  json exams = json::array();
  for (const ExamEntry& e : list.exams) {
    json j;
    j["id"] = e.id;
    if (!e.patientId.empty()) j["patient_id"] = e.patientId;
    j["horizontal_flip"] = e.horizontalFlip;
    if (e.birads) j["birads"] = *e.birads;
    json labels = json::object();
    if (e.labels.leftBenign) labels["left_benign"] = *e.labels.leftBenign;
    if (e.labels.rightBenign) labels["right_benign"] = *e.labels.rightBenign;
    if (e.labels.leftMalignant) labels["left_malignant"] = *e.labels.leftMalignant;
    if (e.labels.rightMalignant) labels["right_malignant"] = *e.labels.rightMalignant;
    if (!labels.empty()) j["labels"] = labels;
    json views = json::object();
    for (StandardView v : kStandardViews) {
      json items = json::array();
      for (const ExamImageEntry& image : e.view(v)) {
        json item;
        item["file"] = rel(image.file);
        if (!image.masks.empty()) {
          for (const auto& [cls, file] : image.masks) item["masks"][cls] = rel(file);
        }
        if (image.crop) item["crop"] = cropTo(*image.crop);
        items.push_back(item);
      }
      if (!items.empty()) views[std::string(toString(v))] = items;
    }
    j["views"] = views;
    exams.push_back(j);
  }
  json doc = {{"format", "mammolens-exam-list"}, {"version", 1}, {"exams", exams}};
  const fs::path tmp = path.string() + ".tmp";
  {
    std::ofstream out(tmp);
    if (!out) throw std::runtime_error(path.string() + ": cannot write exam list");
    out << doc.dump(1) << '\n';
    if (!out.flush()) throw std::runtime_error(path.string() + ": write failed");
  }
  fs::rename(tmp, path);
}

}  // namespace mammo::core
