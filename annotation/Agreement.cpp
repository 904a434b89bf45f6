#include "annotation/Agreement.h"

#include <array>

#include <stdexcept>

namespace mammo::annotation {

double ClassAgreement::dice() const {
  const double total = 2.0 * intersection + onlyA + onlyB;
  return total == 0 ? 1.0 : 2.0 * intersection / total;
}

double ClassAgreement::iou() const {
  const double unionSize = double(intersection) + onlyA + onlyB;
  return unionSize == 0 ? 1.0 : intersection / unionSize;
}

std::map<std::uint8_t, ClassAgreement> agreement(const core::LabelMap& a, const core::LabelMap& b) {
  if (a.rows != b.rows || a.columns != b.columns) {
    throw std::invalid_argument("label maps differ in size: " + std::to_string(a.rows) + "x" +
                                std::to_string(a.columns) + " vs " + std::to_string(b.rows) + "x" +
                                std::to_string(b.columns));
  }
  std::map<std::uint8_t, ClassAgreement> out;
  for (size_t i = 0; i < a.labels.size(); ++i) {
    const std::uint8_t la = a.labels[i], lb = b.labels[i];
    if (la == lb) {
      if (la) ++out[la].intersection;
      continue;
    }
    if (la) ++out[la].onlyA;
    if (lb) ++out[lb].onlyB;
  }
  return out;
}

core::LabelMap pathologyMap(const core::LabelMap& map, const ClassList& classes) {
  std::array<std::uint8_t, 256> to{};
  for (int v = 0; v < 256; ++v) to[v] = static_cast<std::uint8_t>(v);
  for (const MaskClass& c : classes.classes()) to[c.label] = c.pathology == Pathology::Malignant ? 2 : 1;
  to[0] = 0;
  core::LabelMap out = map;
  for (std::uint8_t& v : out.labels) v = to[v];
  return out;
}

void AgreementSums::add(const core::LabelMap& a, const core::LabelMap& b) {
  for (const auto& [label, agreement] : annotation::agreement(a, b)) {
    ClassAgreement& sum = pixels[label];
    sum.intersection += agreement.intersection;
    sum.onlyA += agreement.onlyA;
    sum.onlyB += agreement.onlyB;
  }
  for (const auto& [label, match] : matchLesions(a, b)) lesions[label] += match;
}

void MaskAgreement::add(const core::LabelMap& a, const core::LabelMap& b, const ClassList& classes) {
  byClass.add(a, b);
  byPathology.add(pathologyMap(a, classes), pathologyMap(b, classes));
  ++images;
}

}  // namespace mammo::annotation
