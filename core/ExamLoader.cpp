#include "core/ExamLoader.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <map>
#include <regex>
#include <set>

#include "core/DicomIO.h"
#include "core/Errors.h"
#include "core/Job.h"
#include "core/Orientation.h"
#include "core/PngIO.h"

namespace mammo::core {
namespace fs = std::filesystem;

namespace {

bool isPngFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  unsigned char sig[8] = {};
  in.read(reinterpret_cast<char*>(sig), 8);
  static const unsigned char kSig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  return in.gcount() == 8 && std::equal(sig, sig + 8, kSig);
}

// NYU mask naming: <id>_<L|R>-<CC|MLO>_<benign|malignant>.png
bool isMaskName(const fs::path& p) {
  const std::string stem = p.stem().string();
  auto endsWith = [&](const std::string& s) {
    return stem.size() > s.size() && stem.compare(stem.size() - s.size(), s.size(), s) == 0;
  };
  return endsWith("_benign") || endsWith("_malignant");
}

bool isDicomDir(const fs::path& p) {
  std::string name = p.filename().string();
  std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::toupper(c); });
  return name == "DICOMDIR";
}

Image loadPng(const fs::path& file) {
  PngPixels png = readPng(file);
  Image image;
  image.info.sourcePath = file.string();
  image.info.format = "PNG";
  image.info.rows = png.rows;
  image.info.columns = png.columns;
  image.info.bitsAllocated = png.bitDepth;
  image.info.bitsStored = png.bitDepth;
  image.info.photometric = Photometric::Monochrome2;
  image.info.intent = PresentationIntent::ForPresentation;
  image.info.transferSyntaxName = "PNG " + std::to_string(png.bitDepth) + "-bit";
  image.info.hasPixels = true;
  image.pixels = std::move(png.pixels);
  // sBIT (e.g. 12 in NYU-style 16-bit PNGs) is deliberately not applied: raw stored values are kept,
  // as the NYU reference reads them (../shared/docs/NYU-PIPELINE.md §1).
  if (auto facts = parseImageName(file)) {
    image.info.laterality = facts->laterality;
    image.info.view = facts->view;
    image.info.lateralitySource = image.info.viewSource = "file name";
    image.info.patientId = facts->examId;
  } else {
    image.warnings.push_back("file name gives no laterality/view (expected <id>_<L|R>_<CC|MLO>.png or L-CC.png)");
  }
  return image;
}

void expand(const fs::path& path, std::vector<fs::path>& files, std::vector<fs::path>& lists,
            std::vector<LoadIssue>& issues) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    std::vector<fs::path> found;
    for (auto it = fs::recursive_directory_iterator(path, fs::directory_options::skip_permission_denied, ec);
         it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (ec) break;
      if (it->is_regular_file(ec)) found.push_back(it->path());
    }
    std::sort(found.begin(), found.end());
    // A folder with a DICOMDIR is read through it; everything else is probed file by file.
    for (const auto& f : found) {
      if (isDicomDir(f)) {
        expand(f, files, lists, issues);
        return;
      }
    }
    for (const auto& f : found) {
      const std::string ext = f.extension().string();
      if (ext == ".json" || ext == ".txt" || ext == ".md" || ext == ".csv" || ext == ".hdf5" || ext == ".tmp") continue;
      if (f.filename().string().rfind('.', 0) == 0) continue;
      if (isMaskName(f)) continue;  // annotation masks live beside the images; they are not views
      if (isPngFile(f) || looksLikeDicom(f)) files.push_back(f);
    }
    return;
  }
  if (!fs::exists(path, ec)) {
    issues.push_back({path.string(), "no such file or folder"});
    return;
  }
  if (isDicomDir(path)) {
    try {
      for (auto& f : readDicomDir(path)) files.push_back(f);
    } catch (const LoadError& e) {
      issues.push_back({e.file().string(), e.reason()});
    }
    return;
  }
  if (looksLikeExamList(path)) {
    lists.push_back(path);
    return;
  }
  files.push_back(path);
}

std::string examKey(const Image& image) {
  if (!image.info.studyInstanceUid.empty()) return "study:" + image.info.studyInstanceUid;
  if (!image.info.patientId.empty()) return "id:" + image.info.patientId;
  return "dir:" + fs::path(image.info.sourcePath).parent_path().string();
}

void placeImage(Exam& exam, Image image) {
  if (auto view = image.standardView()) {
    exam.view(*view).push_back(std::move(image));
    return;
  }
  std::string reason;
  if (image.info.laterality == Laterality::Unknown)
    reason = "laterality unknown (no ImageLaterality/Laterality tag)";
  else if (image.info.view == ViewPosition::Unknown)
    reason = "view unknown (no ViewPosition/ViewCodeSequence)";
  else
    reason = "view " + std::string(toString(image.info.view)) + " is not part of the four-view protocol";
  exam.issues.push_back({image.info.sourcePath, reason,
                         image.info.laterality == Laterality::Unknown || image.info.view == ViewPosition::Unknown});
  exam.otherImages.push_back(std::move(image));
}

void noteOrientation(Image& image) {
  static const std::string kPrefix = "stored mirrored:";
  image.orientation = analyseOrientation(image);
  image.warnings.erase(std::remove_if(image.warnings.begin(), image.warnings.end(),
                                      [](const std::string& w) { return w.rfind(kPrefix, 0) == 0; }),
                       image.warnings.end());
  if (image.orientation.mirrored) {
    image.warnings.push_back(kPrefix + " chest wall on the " + std::string(toString(image.orientation.chestWall)) +
                             " edge, expected " + std::string(toString(image.orientation.expected)) +
                             " for this laterality; hung and analysed as detected");
  }
}

}  // namespace

std::optional<NameFacts> parseImageName(const fs::path& file) {
  static const std::regex kPattern(R"(^(?:(.*?)[_-])?([LR])[_-]?(CC|MLO)$)", std::regex::icase);
  std::smatch m;
  const std::string stem = file.stem().string();
  if (!std::regex_match(stem, m, kPattern)) return std::nullopt;
  NameFacts facts;
  facts.examId = m[1].str();
  facts.laterality =
      std::toupper(static_cast<unsigned char>(m[2].str()[0])) == 'L' ? Laterality::Left : Laterality::Right;
  facts.view = (m[3].str().size() == 2) ? ViewPosition::CC : ViewPosition::MLO;
  return facts;
}

Image loadImage(const fs::path& file, const LoadOptions& options) {
  std::error_code ec;
  if (!fs::is_regular_file(file, ec)) throw LoadError(file, "no such file");
  if (fs::file_size(file, ec) == 0) throw LoadError(file, "empty file");
  Image image;
  if (isPngFile(file)) {
    image = loadPng(file);
  } else {
    DicomReadOptions dicomOptions;
    dicomOptions.readPixels = options.readPixels;
    image = readDicom(file, dicomOptions);
  }
  noteOrientation(image);
  return image;
}

namespace {

// FOR PROCESSING images are detector data meant for a processing step, not for display or for the AI (the
// NYU models were trained on FOR PRESENTATION images): a view that has both uses the FOR PRESENTATION one
// (put first, the image hung and analysed), and one that has only FOR PROCESSING says so. Pixels untouched.
void preferPresentationImages(Exam& exam) {
  for (StandardView v : kStandardViews) {
    auto& images = exam.view(v);
    if (images.empty()) continue;
    const auto processing = [](const Image& i) { return i.info.intent == PresentationIntent::ForProcessing; };
    std::stable_partition(images.begin(), images.end(), [&](const Image& i) { return !processing(i); });
    const std::string name(toString(v));
    if (!processing(images.front())) {
      for (const Image& i : images) {
        if (processing(i)) {
          exam.issues.push_back({i.info.sourcePath,
                                 name + ": FOR PROCESSING image not used; the FOR PRESENTATION image " +
                                     images.front().info.sourcePath + " is shown and analysed",
                                 false});
        }
      }
    } else {
      exam.issues.push_back({images.front().info.sourcePath,
                             name + " is a FOR PROCESSING image (detector data, not meant for display; the AI "
                                    "was trained on FOR PRESENTATION images): it is shown and analysed as it is",
                             false});
    }
  }
}

}  // namespace

void validateExam(Exam& exam) {
  preferPresentationImages(exam);
  for (StandardView v : exam.missingViews()) {
    exam.issues.push_back({"", "missing view " + std::string(toString(v)), true});
  }
  std::set<std::string> uids;
  std::set<std::string> files;
  for (auto& images : exam.views) {
    for (const Image& image : images) {
      if (!image.info.sopInstanceUid.empty() && !uids.insert(image.info.sopInstanceUid).second) {
        exam.issues.push_back({image.info.sourcePath, "duplicate image (same SOP Instance UID as another file)", true});
      }
      if (!files.insert(fs::weakly_canonical(image.info.sourcePath).string()).second) {
        exam.issues.push_back({image.info.sourcePath, "duplicate image (listed twice)", true});
      }
      for (const auto& w : image.warnings) exam.issues.push_back({image.info.sourcePath, w, false});
    }
  }
  // Two PNGs naming the same view of one exam are a duplicate view, not a second exposure.
  for (StandardView v : kStandardViews) {
    const auto& images = exam.view(v);
    if (images.size() > 1 && images.front().info.format == "PNG" && images.front().info.sopInstanceUid.empty()) {
      exam.issues.push_back(
          {images[1].info.sourcePath,
           "duplicate view " + std::string(toString(v)) + " (also in " + images.front().info.sourcePath + ")", true});
    }
  }
}

LoadResult loadPaths(const std::vector<fs::path>& paths, const LoadOptions& options, JobContext* context) {
  LoadResult result;
  std::vector<fs::path> files, lists;
  for (const auto& p : paths) expand(p, files, lists, result.issues);
  for (const auto& listPath : lists) {
    try {
      ExamListReadOptions listOptions;
      listOptions.imagesDir = options.imagesDir;
      LoadResult fromList = loadExamList(readExamList(listPath, listOptions), options, context);
      for (auto& e : fromList.exams) result.exams.push_back(std::move(e));
      for (auto& i : fromList.issues) result.issues.push_back(std::move(i));
    } catch (const LoadError& e) {
      result.issues.push_back({e.file().string(), e.reason()});
    }
  }
  std::map<std::string, size_t> examIndex;
  size_t firstNew = result.exams.size();
  for (size_t i = 0; i < files.size(); ++i) {
    if (context) {
      context->throwIfCancelled();
      context->progress(static_cast<double>(i) / files.size(), "Loading images");
    }
    try {
      Image image = loadImage(files[i], options);
      const std::string key = examKey(image);
      auto [it, inserted] = examIndex.emplace(key, result.exams.size());
      if (inserted) {
        Exam exam;
        exam.id = image.info.format == "PNG" && !image.info.patientId.empty()
                      ? image.info.patientId
                      : (!image.info.accessionNumber.empty()
                             ? image.info.accessionNumber
                             : fs::path(image.info.sourcePath).parent_path().filename().string());
        exam.patientId = image.info.patientId;
        exam.studyInstanceUid = image.info.studyInstanceUid;
        result.exams.push_back(std::move(exam));
      }
      placeImage(result.exams[it->second], std::move(image));
    } catch (const LoadError& e) {
      result.issues.push_back({e.file().string(), e.reason()});
    }
  }
  for (size_t i = firstNew; i < result.exams.size(); ++i) validateExam(result.exams[i]);
  if (context) context->progress(1.0, "Loaded");
  return result;
}

LoadResult loadExamList(const ExamList& list, const LoadOptions& options, JobContext* context) {
  LoadResult result;
  size_t total = 0, done = 0;
  for (const auto& e : list.exams) {
    for (const auto& v : e.views) total += v.size();
  }
  for (const ExamEntry& entry : list.exams) {
    Exam exam;
    exam.id = entry.id;
    exam.patientId = entry.patientId;
    exam.labels = entry.labels;
    exam.birads = entry.birads;
    for (StandardView v : kStandardViews) {
      for (const ExamImageEntry& ref : entry.view(v)) {
        if (context) {
          context->throwIfCancelled();
          context->progress(total ? static_cast<double>(done) / total : 0.0, "Loading images");
        }
        ++done;
        try {
          Image image = loadImage(ref.file, options);
          // The list is authoritative for the view; a contradiction with the file's own tags is an error.
          const auto own = image.standardView();
          if (own && *own != v) {
            exam.issues.push_back(
                {ref.file.string(),
                 "listed as " + std::string(toString(v)) + " but the file says " + std::string(toString(*own)), true});
            continue;
          }
          if (entry.horizontalFlip == "YES") {
            image.warnings.push_back("exam list marks the exam as stored mirrored (horizontal_flip YES)");
          }
          image.info.laterality = lateralityOf(v);
          image.info.view = viewPositionOf(v);
          noteOrientation(image);
          exam.view(v).push_back(std::move(image));
        } catch (const LoadError& e) {
          exam.issues.push_back({e.file().string(), e.reason(), true});
        }
      }
    }
    validateExam(exam);
    result.exams.push_back(std::move(exam));
  }
  if (context) context->progress(1.0, "Loaded");
  return result;
}

}  // namespace mammo::core
