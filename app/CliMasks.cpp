// mammolens-cli masks convert / agree / attach: NYU PNG masks and DICOM SEG in and out, agreement between
// two annotators' masks (pixel Dice/IoU per class and lesion-level matching), and exam lists that point
// at an annotator's masks.
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>
#include <set>
#include <stdexcept>

#include "annotation/Agreement.h"
#include "annotation/DicomSeg.h"
#include "annotation/Lesions.h"
#include "annotation/MaskClasses.h"
#include "annotation/MaskFiles.h"
#include "app/CliCommands.h"
#include "core/ExamList.h"
#include "core/ExamLoader.h"

namespace mammo::app {
namespace {
namespace fs = std::filesystem;

struct ImageMasks {
  std::string examId;
  core::StandardView view = core::StandardView::LCC;
  core::LabelMap map;
  std::string source;  // where it came from, for messages
};
using MaskIndex = std::map<std::pair<std::string, int>, ImageMasks>;

void addImage(MaskIndex& index, ImageMasks image) {
  const auto key = std::make_pair(image.examId, static_cast<int>(image.view));
  if (auto it = index.find(key); it != index.end()) {
    throw std::invalid_argument(image.source + ": " + image.examId + " " + std::string(core::toString(image.view)) +
                                " was already read from " + it->second.source);
  }
  index.emplace(key, std::move(image));
}

// NYU-named PNG masks and DICOM SEG files among `paths` (files or folders, recursively).
// The class list named by --classes, else the standard one.
annotation::ClassList classListFrom(const std::string& file) {
  return file.empty() ? annotation::ClassList::standard() : annotation::ClassList::read(file);
}

// Masks read into the ids of `classes`, which gains the classes it lacks.
MaskIndex loadMasks(const std::vector<std::string>& paths, annotation::ClassList& classes) {
  std::vector<fs::path> pngs, segs, inputs;
  for (const std::string& p : paths) {
    if (!fs::exists(p)) throw std::invalid_argument(p + ": no such file or folder");
    inputs.emplace_back(p);
  }
  annotation::forEachFile(inputs, annotation::Recursion::Subfolders, [&](const fs::path& file) {
    if (file.extension() == ".png")
      pngs.push_back(file);
    else if (annotation::isDicomSeg(file))
      segs.push_back(file);
  });
  MaskIndex index;
  for (const auto& set : annotation::findMaskFiles(pngs)) {
    addImage(index,
             {set.examId, set.view, annotation::readMasks(set.files, classes), set.files.begin()->second.string()});
  }
  for (const fs::path& file : segs) {
    annotation::SegContents seg = annotation::readDicomSeg(file, classes);
    if (seg.examId.empty() || !seg.view) {
      throw std::invalid_argument(file.string() +
                                  ": the SEG names no exam and view (Content Description or file "
                                  "name <exam>_<L|R>-<CC|MLO>)");
    }
    addImage(index, {seg.examId, *seg.view, std::move(seg.map), file.string()});
  }
  return index;
}

// The DICOM image of `view` in the reference exam(s) that the masks of `examId` were drawn on.
std::optional<fs::path> findSourceImage(const core::LoadResult& reference, const std::string& examId,
                                        core::StandardView view) {
  std::vector<const core::Image*> matching, all;
  for (const core::Exam& exam : reference.exams) {
    for (const core::Image& image : exam.view(view)) {
      if (image.info.format != "DICOM") continue;
      all.push_back(&image);
      if (exam.id == examId || exam.patientId == examId || image.info.patientId == examId) matching.push_back(&image);
    }
  }
  const auto& pick = matching.empty() ? all : matching;
  if (pick.size() == 1) return fs::path(pick.front()->info.sourcePath);
  return std::nullopt;
}

}  // namespace

int runMasksConvert(const MasksConvertOptions& options) {
  if (options.to != "seg" && options.to != "png") throw std::invalid_argument("--to must be seg or png");
  annotation::ClassList classes = classListFrom(options.classes);
  const MaskIndex masks = loadMasks(options.inputs, classes);
  if (masks.empty()) throw std::invalid_argument("no NYU-named PNG masks or DICOM SEG files found in the inputs");
  std::optional<core::LoadResult> reference;
  if (!options.reference.empty()) {
    core::LoadOptions load;
    load.readPixels = false;
    reference = core::loadPaths({options.reference}, load);
  }
  fs::create_directories(options.out);
  for (const auto& [key, image] : masks) {
    const std::string stem = image.examId + "_" + std::string(core::toString(image.view));
    if (options.to == "png") {
      annotation::writeMasks(options.out, image.examId, image.view, image.map, classes);
      std::cout << stem << ": " << image.source << " -> " << options.out << "/" << stem << "_<class>.png\n";
      continue;
    }
    annotation::SegWriteOptions seg;
    seg.examId = image.examId;
    seg.view = image.view;
    seg.classes = classes;
    if (reference) {
      seg.sourceImage = findSourceImage(*reference, image.examId, image.view);
      if (!seg.sourceImage) {
        std::cerr << "warning: " << options.reference << " has no single DICOM " << core::toString(image.view)
                  << " image for exam " << image.examId << "; " << stem << "_seg.dcm references no source image\n";
      }
    }
    const fs::path out = fs::path(options.out) / (stem + "_seg.dcm");
    annotation::writeDicomSeg(out, image.map, seg);
    std::cout << stem << ": " << image.source << " -> " << out.string()
              << (seg.sourceImage ? " (source " + seg.sourceImage->filename().string() + ")" : "") << "\n";
  }
  return 0;
}

namespace {

void printRow(annotation::AgreementSums& sums, const std::string& name, std::uint8_t label) {
  const annotation::ClassAgreement& p = sums.pixels[label];
  const annotation::LesionMatch& l = sums.lesions[label];
  std::printf("%-34s %7.4f %7.4f  %9zu %7zu %6zu  %9zu %7zu\n", name.c_str(), p.dice(), p.iou(), l.lesionsA, l.matchedA,
              l.missedA, l.lesionsB, l.extraB);
}

}  // namespace

int runMasksAgree(const MasksAgreeOptions& options) {
  // One list for both sides, so a class has the same id in A and B.
  annotation::ClassList classes = classListFrom(options.classes);
  const MaskIndex a = loadMasks({options.a}, classes), b = loadMasks({options.b}, classes);
  annotation::MaskAgreement sums;
  annotation::AgreementSums& byClass = sums.byClass;
  bool typed = false;
  std::size_t onlyA = 0;
  for (const auto& [key, imageA] : a) {
    const auto it = b.find(key);
    if (it == b.end()) {
      ++onlyA;
      continue;
    }
    const ImageMasks& imageB = it->second;
    if (imageA.map.rows != imageB.map.rows || imageA.map.columns != imageB.map.columns) {
      throw std::invalid_argument(imageB.source + ": masks differ in size from " + imageA.source);
    }
    sums.add(imageA.map, imageB.map, classes);
  }
  const std::size_t compared = sums.images;
  const std::size_t onlyB = b.size() - compared;
  std::cout << "images: " << compared << " compared, " << onlyA << " only in A, " << onlyB << " only in B\n";
  if (compared == 0) {
    std::cerr << "error: " << options.a << " and " << options.b << " have no image in common\n";
    return 1;
  }
  std::printf("%-34s %7s %7s  %9s %7s %6s  %9s %7s\n", "class", "dice", "iou", "lesions-A", "matched", "missed",
              "lesions-B", "extra-B");
  // Benign and malignant always; other classes where either annotator used them; in the list's order.
  for (const annotation::MaskClass& c : classes.classes()) {
    if (!c.lesionType.empty() && !byClass.pixels.count(c.label)) continue;
    typed = typed || !c.lesionType.empty();
    printRow(byClass, c.name, c.label);
  }
  for (const auto& [label, unused] : byClass.pixels) {
    if (!classes.find(label)) printRow(byClass, classes.name(label), label);
  }
  if (typed) {
    // Malignancy regardless of the lesion types chosen.
    printRow(sums.byPathology, "any-benign", 1);
    printRow(sums.byPathology, "any-malignant", 2);
  }
  std::printf(
      "lesions match when their IoU >= %.1f; dice/iou pool the pixels of all compared images "
      "(1 when both leave a class empty)\n",
      annotation::kLesionMatchIou);
  return 0;
}

int runMasksAttach(const MasksAttachOptions& options) {
  core::ExamList list = core::readExamList(options.examList);
  std::vector<fs::path> paths;
  for (const std::string& p : options.masks) {
    if (!fs::exists(p)) throw std::invalid_argument(p + ": no such file or folder");
    paths.emplace_back(p);
  }
  const std::vector<annotation::MaskSet> sets = annotation::findMaskFiles(paths);
  if (sets.empty()) throw std::invalid_argument("no NYU-named PNG masks found in the --masks paths");
  std::size_t attached = 0, files = 0;
  std::vector<std::string> unmatched;
  for (const annotation::MaskSet& set : sets) {
    std::vector<core::ExamImageEntry>* images = nullptr;
    for (core::ExamEntry& exam : list.exams) {
      if (exam.id == set.examId) images = &exam.view(set.view);
    }
    if (!images || images->empty()) {
      unmatched.push_back(set.examId + " " + std::string(core::toString(set.view)));
      continue;
    }
    if (images->size() > 1) {
      throw std::invalid_argument(set.files.begin()->second.string() + ": exam " + set.examId + " has " +
                                  std::to_string(images->size()) + " " + std::string(core::toString(set.view)) +
                                  " images in the list; the mask cannot say which it belongs to");
    }
    core::ExamImageEntry& image = images->front();
    if (options.replace) image.masks.clear();
    for (const auto& [cls, file] : set.files) {
      image.masks[cls] = fs::absolute(file);
      ++files;
    }
    ++attached;
  }
  for (const std::string& u : unmatched) std::cerr << "warning: masks of " << u << " match no image of the list\n";
  core::writeExamList(list, options.out);
  std::cout << "attached " << files << " mask file(s) to " << attached << " image(s); wrote " << options.out << "\n";
  return attached > 0 ? 0 : 1;
}

}  // namespace mammo::app
