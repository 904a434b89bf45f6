#pragma once
// Agreement between two annotators' label maps of the same image: Dice and IoU per class.
#include <cstdint>
#include <map>

#include "annotation/Lesions.h"
#include "annotation/MaskClasses.h"
#include "core/LabelMap.h"

namespace mammo::annotation {

struct ClassAgreement {
  std::size_t intersection = 0;  // pixels both annotators gave this class
  std::size_t onlyA = 0;
  std::size_t onlyB = 0;
  double dice() const;  // 2|A∩B| / (|A|+|B|); 1 when both are empty (perfect agreement on absence)
  double iou() const;  // |A∩B| / |A∪B|; 1 when both are empty
};

// Per class id present in either map (background 0 excluded). Throws std::invalid_argument when the
// maps' sizes differ.
std::map<std::uint8_t, ClassAgreement> agreement(const core::LabelMap& a, const core::LabelMap& b);

// The map with every class replaced by its pathology's id (benign 1, malignant 2): agreement on
// malignancy whatever lesion types the annotators chose. Ids `classes` lacks are left as they are.
core::LabelMap pathologyMap(const core::LabelMap& map, const ClassList& classes);

// Agreement over several image pairs: pixels pooled per class id, lesions matched per image and counted.
struct AgreementSums {
  std::map<std::uint8_t, ClassAgreement> pixels;
  std::map<std::uint8_t, LesionMatch> lesions;
  void add(const core::LabelMap& a, const core::LabelMap& b);
};

// The agreement of two annotators as `masks agree` and the review panel report it: per class, and on the
// maps reduced to their pathology (benign 1, malignant 2: agreement on malignancy whatever the lesion types).
struct MaskAgreement {
  AgreementSums byClass, byPathology;
  std::size_t images = 0;  // image pairs added
  void add(const core::LabelMap& a, const core::LabelMap& b, const ClassList& classes);
};

}  // namespace mammo::annotation
