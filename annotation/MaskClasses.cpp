#include "annotation/MaskClasses.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "core/Errors.h"

namespace mammo::annotation {
namespace {

bool isTypeText(std::string_view t) {
  if (t.empty() || t.front() == '-' || t.back() == '-') return false;
  return std::all_of(t.begin(), t.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; });
}

std::string hexColour(const std::array<std::uint8_t, 3>& rgb) {
  char text[8];
  std::snprintf(text, sizeof text, "#%02x%02x%02x", rgb[0], rgb[1], rgb[2]);
  return text;
}

std::array<std::uint8_t, 3> parseColour(const std::string& text) {
  unsigned r = 0, g = 0, b = 0;
  char tail = 0;
  if (text.size() != 7 || std::sscanf(text.c_str(), "#%2x%2x%2x%c", &r, &g, &b, &tail) != 3) {
    throw std::invalid_argument("colour '" + text + "' is not #rrggbb");
  }
  return {static_cast<std::uint8_t>(r), static_cast<std::uint8_t>(g), static_cast<std::uint8_t>(b)};
}

// Colours for classes added for masks found on disk: shades of the pathology's family.
std::array<std::uint8_t, 3> fallbackColour(Pathology p, size_t n) {
  const std::uint8_t shade = static_cast<std::uint8_t>(120 + (n * 37) % 120);
  return p == Pathology::Malignant ? std::array<std::uint8_t, 3>{255, shade, static_cast<std::uint8_t>(shade / 3)}
                                   : std::array<std::uint8_t, 3>{static_cast<std::uint8_t>(shade / 3), shade, 255};
}

}  // namespace

std::string_view toString(Pathology p) { return p == Pathology::Benign ? "benign" : "malignant"; }

std::string MaskClass::displayName() const {
  std::string text(toString(pathology));
  text[0] = static_cast<char>(text[0] - 'a' + 'A');
  if (!lesionType.empty()) {
    std::string type = lesionType;
    std::replace(type.begin(), type.end(), '-', ' ');
    text += " " + type;
  }
  return text;
}

std::optional<ParsedClassName> parseClassName(std::string_view name) {
  for (Pathology p : {Pathology::Benign, Pathology::Malignant}) {
    const std::string_view stem = toString(p);
    if (name.substr(0, stem.size()) != stem) continue;
    if (name.size() == stem.size()) return ParsedClassName{p, {}};
    if (name[stem.size()] != '-') continue;
    const std::string_view type = name.substr(stem.size() + 1);
    if (!isTypeText(type)) return std::nullopt;
    return ParsedClassName{p, std::string(type)};
  }
  return std::nullopt;
}

std::string makeClassName(Pathology pathology, std::string_view lesionType) {
  std::string name(toString(pathology));
  if (!lesionType.empty()) name += "-" + std::string(lesionType);
  return name;
}

ClassList::ClassList(std::vector<MaskClass> classes) {
  if (classes.empty()) throw std::invalid_argument("the class list is empty");
  std::set<std::string> names, keys;
  std::uint8_t next = 3;
  for (MaskClass& c : classes) {
    const auto parsed = parseClassName(c.name);
    if (!parsed) {
      throw std::invalid_argument("class '" + c.name +
                                  "': a name is benign or malignant, optionally followed by '-' and a lesion type "
                                  "of lower-case letters, digits and '-'");
    }
    c.pathology = parsed->pathology;
    c.lesionType = parsed->lesionType;
    if (!names.insert(c.name).second) throw std::invalid_argument("class '" + c.name + "' is listed twice");
    if (!c.key.empty() && !keys.insert(c.key).second) {
      throw std::invalid_argument("key '" + c.key + "' is given to two classes (the second is '" + c.name + "')");
    }
    if (c.name == "benign") {
      c.label = 1;
    } else if (c.name == "malignant") {
      c.label = 2;
    } else {
      if (next == 0) throw std::invalid_argument("more than 255 classes");
      c.label = next++;
    }
  }
  m_classes = std::move(classes);
}

const ClassList& ClassList::standard() {
  static const ClassList list = [] {
    const auto c = [](const char* name, std::array<std::uint8_t, 3> rgb, const char* key) {
      MaskClass m;
      m.name = name;
      m.rgb = rgb;
      m.key = key;
      return m;
    };
    // Malignant classes in warm colours, benign in cool ones; keys in pairs (malignant, benign), all free
    // of the reading workstation's single-key shortcuts.
    return ClassList({c("malignant", {235, 30, 30}, "Q"), c("benign", {40, 210, 90}, "W"),
                      c("malignant-mass", {255, 110, 0}, "Z"), c("benign-mass", {0, 170, 255}, "X"),
                      c("malignant-calcification", {255, 225, 0}, "D"), c("benign-calcification", {120, 255, 220}, "V"),
                      c("malignant-architectural-distortion", {235, 0, 200}, "Y"),
                      c("benign-architectural-distortion", {140, 120, 255}, "U"),
                      c("malignant-asymmetry", {190, 60, 20}, "K"), c("benign-asymmetry", {0, 130, 70}, "J")});
  }();
  return list;
}

ClassList ClassList::pathologiesOnly() {
  std::vector<MaskClass> two;
  for (const MaskClass& c : standard().classes()) {
    if (c.lesionType.empty()) two.push_back(c);
  }
  return ClassList(std::move(two));
}

ClassList ClassList::fromJson(std::string_view text) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text);
  } catch (const std::exception& e) {
    throw std::invalid_argument(std::string("not JSON: ") + e.what());
  }
  if (!j.is_object() || !j.contains("classes") || !j["classes"].is_array()) {
    throw std::invalid_argument("expected an object with a \"classes\" array");
  }
  std::vector<MaskClass> classes;
  for (const auto& item : j["classes"]) {
    if (!item.is_object() || !item.contains("pathology") || !item["pathology"].is_string()) {
      throw std::invalid_argument("class " + std::to_string(classes.size() + 1) + " has no \"pathology\"");
    }
    const std::string pathology = item["pathology"];
    if (pathology != "benign" && pathology != "malignant") {
      throw std::invalid_argument("class " + std::to_string(classes.size() + 1) + ": pathology '" + pathology +
                                  "' is neither benign nor malignant");
    }
    MaskClass c;
    c.name = pathology;
    if (item.contains("lesion_type") && !item["lesion_type"].get<std::string>().empty()) {
      const std::string type = item["lesion_type"];
      if (!isTypeText(type)) {
        throw std::invalid_argument("lesion type '" + type + "': use lower-case letters, digits and '-'");
      }
      c.name += "-" + type;
    }
    if (item.contains("colour")) {
      c.rgb = parseColour(item["colour"].get<std::string>());
    } else {
      c.rgb =
          fallbackColour(c.name.rfind("malignant", 0) == 0 ? Pathology::Malignant : Pathology::Benign, classes.size());
    }
    if (item.contains("key")) c.key = item["key"].get<std::string>();
    classes.push_back(std::move(c));
  }
  return ClassList(std::move(classes));
}

ClassList ClassList::read(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw core::LoadError(file, "cannot open the class list");
  std::stringstream text;
  text << in.rdbuf();
  try {
    return fromJson(text.str());
  } catch (const std::exception& e) {
    throw core::LoadError(file, e.what());
  }
}

std::string ClassList::toJson() const {
  nlohmann::json list = nlohmann::json::array();
  for (const MaskClass& c : m_classes) {
    nlohmann::json item{{"pathology", std::string(toString(c.pathology))}, {"colour", hexColour(c.rgb)}};
    if (!c.lesionType.empty()) item["lesion_type"] = c.lesionType;
    if (!c.key.empty()) item["key"] = c.key;
    list.push_back(std::move(item));
  }
  return nlohmann::json{{"classes", list}}.dump(2) + "\n";
}

const MaskClass* ClassList::find(std::uint8_t label) const {
  for (const MaskClass& c : m_classes) {
    if (c.label == label) return &c;
  }
  return nullptr;
}

const MaskClass* ClassList::find(std::string_view name) const {
  for (const MaskClass& c : m_classes) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

std::optional<std::uint8_t> ClassList::label(std::string_view name) const {
  const MaskClass* c = find(name);
  return c ? std::optional<std::uint8_t>(c->label) : std::nullopt;
}

std::string ClassList::name(std::uint8_t label) const {
  const MaskClass* c = find(label);
  return c ? c->name : "class-" + std::to_string(label);
}

std::uint8_t ClassList::add(std::string_view name) {
  const auto parsed = parseClassName(name);
  if (!parsed) throw std::invalid_argument("'" + std::string(name) + "' is not a class name");
  if (const MaskClass* existing = find(name)) return existing->label;
  MaskClass c;
  c.name = std::string(name);
  c.pathology = parsed->pathology;
  c.lesionType = parsed->lesionType;
  c.rgb = fallbackColour(c.pathology, m_classes.size());
  if (c.name == "benign" && !find(std::uint8_t{1})) {
    c.label = 1;
  } else if (c.name == "malignant" && !find(std::uint8_t{2})) {
    c.label = 2;
  } else {
    int next = 3;
    for (const MaskClass& m : m_classes) next = std::max(next, m.label + 1);
    if (next > 255) throw std::invalid_argument("more than 255 classes");
    c.label = static_cast<std::uint8_t>(next);
  }
  m_classes.push_back(std::move(c));
  return m_classes.back().label;
}

int ClassList::precedence(std::uint8_t label) const {
  const MaskClass* c = find(label);
  if (!c) return label;
  return (c->pathology == Pathology::Malignant ? 256 : 0) + label;
}

bool ClassList::operator==(const ClassList& other) const {
  if (m_classes.size() != other.m_classes.size()) return false;
  for (size_t i = 0; i < m_classes.size(); ++i) {
    const MaskClass& a = m_classes[i];
    const MaskClass& b = other.m_classes[i];
    if (a.label != b.label || a.name != b.name || a.rgb != b.rgb || a.key != b.key) return false;
  }
  return true;
}

}  // namespace mammo::annotation
