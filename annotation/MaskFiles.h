#pragma once
// NYU-style PNG masks: one 8-bit file per image and class, 0 outside and 255 inside, in the original
// image grid, named <exam>_<L|R>-<CC|MLO>_<class>.png. An annotator's masks live in their own folder
// (<root>/<annotator>/), so the NYU names stay unchanged. Writes are atomic (AtomicFile.h).
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "annotation/MaskClasses.h"
#include "core/LabelMap.h"
#include "core/Types.h"

namespace mammo::annotation {

std::string maskFileName(const std::string& examId, core::StandardView view, std::string_view className);

struct MaskName {
  std::string examId;
  core::StandardView view = core::StandardView::LCC;
  std::string className;
};
// Parses <exam>_<L|R>-<CC|MLO>_<class>.png (the exam id may itself contain '_'); nullopt for anything
// else, temporaries included.
std::optional<MaskName> parseMaskFileName(const std::filesystem::path& file);

// <root>/<annotator>; throws std::invalid_argument for names that are empty or would leave `root`.
std::filesystem::path annotatorFolder(const std::filesystem::path& root, const std::string& annotator);

// The PNG bytes of one class of `map` (255 where map == label).
std::vector<std::uint8_t> encodeMaskPng(const core::LabelMap& map, std::uint8_t label);

// Writes the masks of `map` into `folder`: one file per class of `classes` that has pixels, plus benign and
// malignant always (the NYU pair) and any class whose file already exists (so a cleared class is saved as
// cleared); returns class name -> file. Throws std::runtime_error naming the file on failure.
std::map<std::string, std::filesystem::path> writeMasks(const std::filesystem::path& folder, const std::string& examId,
                                                        core::StandardView view, const core::LabelMap& map,
                                                        const ClassList& classes = ClassList::standard());

// The masks of one image, by class name.
struct MaskSet {
  std::string examId;
  core::StandardView view = core::StandardView::LCC;
  std::map<std::string, std::filesystem::path> files;
};

// Combines class masks into one label map: any non-zero pixel of a class's file gets that class's id
// (classes the list lacks are added to it, see ClassList::add); where two classes overlap the one with the
// higher ClassList::precedence (malignant over benign) wins. Throws core::LoadError naming the file for
// unreadable PNGs, names that are no class and sizes that differ between the files.
core::LabelMap readMasks(const std::map<std::string, std::filesystem::path>& files, ClassList& classes);
// The same with the ids of ClassList::standard() (and ids after them for other classes).
core::LabelMap readMasks(const std::map<std::string, std::filesystem::path>& files);

// Mask files among `paths` (files, or folders searched recursively), grouped per image and sorted by exam
// and view. Files that are not NYU-named masks of a valid class name (MaskClasses.h) are skipped. Throws std::invalid_argument when two files
// claim the same image and class (e.g. two annotators' folders).
enum class Recursion { Subfolders, TopFolderOnly };
std::vector<MaskSet> findMaskFiles(const std::vector<std::filesystem::path>& paths,
                                   Recursion recursion = Recursion::Subfolders);
// Calls `fn` for each regular file among `paths`: files as given, folders' files (with their subfolders'
// under Recursion::Subfolders). Missing paths are skipped.
void forEachFile(const std::vector<std::filesystem::path>& paths, Recursion recursion,
                 const std::function<void(const std::filesystem::path&)>& fn);

}  // namespace mammo::annotation
