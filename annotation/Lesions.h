#pragma once
// Lesions are the 4-connected regions of each class in a label map. This file finds them, keeps an
// exam's lesion list (with the annotator's status and note) in step with edits, and matches the lesions
// of two annotators.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "annotation/MaskClasses.h"
#include "annotation/Operation.h"
#include "core/Image.h"

namespace mammo::annotation {

struct Component {
  std::uint8_t label = 0;  // class id
  PixelRect box;  // tight bounding box, half-open
  std::size_t pixels = 0;
};

struct ComponentMap {
  std::vector<Component> components;
  std::vector<std::int32_t> ids;  // per pixel, row-major: index into components, -1 for background
};

// 4-connected components of every non-zero class, in raster order of their first pixel.
ComponentMap connectedComponents(const core::LabelMap& map);

enum class LesionStatus { InProgress, Done, Flagged };
std::string_view toString(LesionStatus);  // "in-progress", "done", "flagged"
std::optional<LesionStatus> parseLesionStatus(std::string_view);

// Where a lesion shows in one view.
struct LesionRegion {
  std::string view;  // "L-CC", "R-MLO", ...
  PixelRect box;
  std::size_t pixels = 0;
  std::optional<double> areaMm2;  // pixels x row spacing x column spacing, when the spacing is known
};

// One entry of an exam's lesion list. A lesion normally has one region; the annotator may link the
// regions of the same finding in CC and MLO, and then it has one per view.
struct Lesion {
  int id = 0;
  std::string className;  // "benign", "malignant", "malignant-mass", ...
  std::vector<LesionRegion> regions;
  LesionStatus status = LesionStatus::InProgress;
  std::string note;

  std::vector<std::string> views() const;
  std::optional<double> areaMm2() const;  // sum over regions; empty if any region lacks spacing
};

// Brings `lesions` in step with the current components of `view`: each component keeps the id, status,
// note and linked views of the previous lesion of the same class whose region in this view overlapped
// it most (bounding boxes), otherwise it becomes a new lesion with the next free id. Regions of this
// view that no longer exist are removed, and lesions left without regions are dropped. Class names come
// from `classes` (MaskClasses.h).
void updateLesions(std::vector<Lesion>& lesions, const std::string& view, const core::LabelMap& map,
                   const std::optional<core::PixelSpacing>& spacing, const ClassList& classes = ClassList::standard());
// The same with the view's components already found (lets the caller label outside a lock).
void updateLesions(std::vector<Lesion>& lesions, const std::string& view, const std::vector<Component>& components,
                   const std::optional<core::PixelSpacing>& spacing, const ClassList& classes = ClassList::standard());

// Records that lesion `other` is the same finding as `target` seen in another view: target takes over
// other's regions (and keeps its own id, status and note), other leaves the list. False, changing nothing,
// when either id is unknown, they are the same lesion, or their classes differ.
bool linkLesions(std::vector<Lesion>& lesions, int target, int other);

// Lesion-level agreement of one class between annotators A and B on the same image: a lesion of A is
// matched when some lesion of B of the same class has IoU >= minIou with it (and vice versa for B).
struct LesionMatch {
  std::size_t lesionsA = 0;
  std::size_t lesionsB = 0;
  std::size_t matchedA = 0;  // A lesions with a partner in B
  std::size_t missedA = 0;  // A lesions without one
  std::size_t matchedB = 0;  // B lesions with a partner in A
  std::size_t extraB = 0;  // B lesions without one
  LesionMatch& operator+=(const LesionMatch& o);
};
inline constexpr double kLesionMatchIou = 0.1;
std::map<std::uint8_t, LesionMatch> matchLesions(const core::LabelMap& a, const core::LabelMap& b,
                                                 double minIou = kLesionMatchIou);

}  // namespace mammo::annotation
