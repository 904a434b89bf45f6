#include "annotation/MaskFiles.h"

#include <png.h>

#include <algorithm>
#include <array>
#include <tuple>
#include <csetjmp>
#include <cstdio>
#include <regex>
#include <stdexcept>

#include "annotation/AtomicFile.h"
#include "annotation/MaskClasses.h"
#include "core/Errors.h"
#include "core/PngIO.h"

namespace mammo::annotation {
namespace fs = std::filesystem;
namespace {

struct PngSink {
  std::vector<std::uint8_t>* bytes;
  char message[256];
};

void onError(png_structp png, png_const_charp msg) {
  auto* sink = static_cast<PngSink*>(png_get_error_ptr(png));
  std::snprintf(sink->message, sizeof sink->message, "%s", msg);
  png_longjmp(png, 1);
}
void onWarning(png_structp, png_const_charp) {}
void onWrite(png_structp png, png_bytep data, png_size_t length) {
  auto* sink = static_cast<PngSink*>(png_get_io_ptr(png));
  sink->bytes->insert(sink->bytes->end(), data, data + length);
}
void onFlush(png_structp) {}

// C-style body: nothing with a destructor lives in this frame, so libpng's longjmp is safe. `rows` points
// at rows*columns bytes already mapped to 0/255.
bool encodeBody(const std::uint8_t* pixels, int rows, int columns, PngSink* sink) {
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, sink, onError, onWarning);
  if (!png) return false;
  png_infop info = png_create_info_struct(png);
  if (!info || setjmp(png_jmpbuf(png))) {
    png_destroy_write_struct(&png, info ? &info : nullptr);
    return false;
  }
  png_set_write_fn(png, sink, onWrite, onFlush);
  png_set_IHDR(png, info, columns, rows, 8, PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
               PNG_FILTER_TYPE_DEFAULT);
  // Level 1 with no filtering: masks are long runs, which deflate already handles; autosave speed matters.
  png_set_compression_level(png, 1);
  png_set_filter(png, 0, PNG_FILTER_NONE);
  png_write_info(png, info);
  for (int r = 0; r < rows; ++r) png_write_row(png, const_cast<png_bytep>(pixels + static_cast<size_t>(r) * columns));
  png_write_end(png, nullptr);
  png_destroy_write_struct(&png, &info);
  return true;
}

}  // namespace

std::string maskFileName(const std::string& examId, core::StandardView view, std::string_view className) {
  return examId + "_" + std::string(core::toString(view)) + "_" + std::string(className) + ".png";
}

std::optional<MaskName> parseMaskFileName(const fs::path& file) {
  static const std::regex pattern(R"(^(.+)_([LR]-(?:CC|MLO))_([A-Za-z0-9-]+)\.png$)");
  const std::string name = file.filename().string();
  std::smatch m;
  if (isTemporaryName(file) || !std::regex_match(name, m, pattern)) return std::nullopt;
  const auto view = core::parseStandardView(m[2].str());
  if (!view) return std::nullopt;
  return MaskName{m[1].str(), *view, m[3].str()};
}

fs::path annotatorFolder(const fs::path& root, const std::string& annotator) {
  if (annotator.empty() || annotator == "." || annotator == ".." ||
      annotator.find_first_of("/\\") != std::string::npos || annotator.front() == '.') {
    throw std::invalid_argument("annotator name '" + annotator + "' cannot be used as a folder name");
  }
  return root / annotator;
}

std::vector<std::uint8_t> encodeMaskPng(const core::LabelMap& map, std::uint8_t label) {
  std::vector<std::uint8_t> pixels(map.labels.size());
  std::transform(map.labels.begin(), map.labels.end(), pixels.begin(),
                 [label](std::uint8_t v) { return v == label ? std::uint8_t{255} : std::uint8_t{0}; });
  std::vector<std::uint8_t> bytes;
  bytes.reserve(pixels.size() / 64 + 1024);
  PngSink sink{&bytes, {}};
  if (!encodeBody(pixels.data(), map.rows, map.columns, &sink)) {
    throw std::runtime_error(std::string("cannot encode mask PNG: ") + sink.message);
  }
  return bytes;
}

std::map<std::string, fs::path> writeMasks(const fs::path& folder, const std::string& examId, core::StandardView view,
                                           const core::LabelMap& map, const ClassList& classes) {
  std::error_code ec;
  fs::create_directories(folder, ec);
  if (ec) throw std::runtime_error(folder.string() + ": cannot create folder: " + ec.message());
  std::array<bool, 256> present{};
  for (std::uint8_t v : map.labels) present[v] = true;
  std::map<std::string, fs::path> out;
  for (const MaskClass& c : classes.classes()) {
    const fs::path file = folder / maskFileName(examId, view, c.name);
    if (!present[c.label] && !c.lesionType.empty() && !fs::exists(file, ec)) continue;
    std::vector<std::uint8_t> bytes;
    try {
      bytes = encodeMaskPng(map, c.label);
    } catch (const std::exception& e) {
      throw std::runtime_error(file.string() + ": " + e.what());
    }
    writeFileAtomically(file, bytes);
    out[std::string(c.name)] = file;
  }
  return out;
}

core::LabelMap readMasks(const std::map<std::string, fs::path>& files, ClassList& classes) {
  core::LabelMap map;
  fs::path first;
  // Ascending precedence, so the winning class is written last where classes overlap.
  std::vector<std::tuple<int, std::uint8_t, fs::path>> ordered;
  for (const auto& [name, file] : files) {
    if (!parseClassName(name)) {
      throw core::LoadError(
          file, "unknown mask class '" + name + "' (expected benign or malignant, optionally with '-<lesion type>')");
    }
    std::uint8_t label = 0;
    try {
      label = classes.add(name);
    } catch (const std::exception& e) {
      throw core::LoadError(file, e.what());
    }
    ordered.emplace_back(classes.precedence(label), label, file);
  }
  std::sort(ordered.begin(), ordered.end());
  for (const auto& [precedence, label, file] : ordered) {
    const core::PngPixels png = core::readPng(file);
    if (map.labels.empty()) {
      map = core::LabelMap(png.rows, png.columns);
      first = file;
    } else if (png.rows != map.rows || png.columns != map.columns) {
      throw core::LoadError(file, "mask is " + std::to_string(png.rows) + "x" + std::to_string(png.columns) + " but " +
                                      first.filename().string() + " is " + std::to_string(map.rows) + "x" +
                                      std::to_string(map.columns));
    }
    for (size_t i = 0; i < png.pixels.size(); ++i) {
      if (png.pixels[i]) map.labels[i] = label;
    }
  }
  return map;
}

core::LabelMap readMasks(const std::map<std::string, fs::path>& files) {
  ClassList classes = ClassList::standard();
  return readMasks(files, classes);
}

void forEachFile(const std::vector<fs::path>& paths, Recursion recursion,
                 const std::function<void(const fs::path&)>& fn) {
  for (const fs::path& p : paths) {
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      if (recursion == Recursion::TopFolderOnly) {
        for (const auto& entry : fs::directory_iterator(p)) {
          if (entry.is_regular_file()) fn(entry.path());
        }
      } else {
        for (const auto& entry : fs::recursive_directory_iterator(p)) {
          if (entry.is_regular_file()) fn(entry.path());
        }
      }
    } else if (fs::exists(p, ec)) {
      fn(p);
    }
  }
}

std::vector<MaskSet> findMaskFiles(const std::vector<fs::path>& paths, Recursion recursion) {
  std::map<std::pair<std::string, int>, MaskSet> sets;
  const auto consider = [&](const fs::path& file) {
    const auto name = parseMaskFileName(file);
    if (!name || !parseClassName(name->className)) return;
    MaskSet& set = sets[{name->examId, static_cast<int>(name->view)}];
    set.examId = name->examId;
    set.view = name->view;
    const auto [at, added] = set.files.emplace(name->className, file);
    if (!added && !fs::equivalent(at->second, file)) {
      // Two annotators' folders under one path: merging them silently would corrupt both.
      throw std::invalid_argument("two masks for the same image and class: " + at->second.string() + " and " +
                                  file.string() + "; name one annotator's folder at a time");
    }
  };
  forEachFile(paths, recursion, consider);
  std::vector<MaskSet> out;
  out.reserve(sets.size());
  for (auto& [key, set] : sets) out.push_back(std::move(set));
  return out;
}

}  // namespace mammo::annotation
