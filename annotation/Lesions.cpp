#include "annotation/Lesions.h"

#include <algorithm>
#include <stdexcept>

#include "annotation/MaskClasses.h"
#include "core/RegionWalk.h"

namespace mammo::annotation {

ComponentMap connectedComponents(const core::LabelMap& map) {
  ComponentMap out;
  out.ids.assign(map.labels.size(), -1);
  const int rows = map.rows, cols = map.columns;
  std::vector<size_t> stack;
  for (size_t start = 0; start < map.labels.size(); ++start) {
    const std::uint8_t label = map.labels[start];
    if (label == 0 || out.ids[start] >= 0) continue;
    const auto id = static_cast<std::int32_t>(out.components.size());
    Component comp;
    comp.label = label;
    comp.box = {rows, cols, 0, 0};
    out.ids[start] = id;
    core::walkRegion4(
        start, rows, cols, stack,
        [&](size_t j) {
          if (map.labels[j] != label || out.ids[j] >= 0) return false;
          out.ids[j] = id;
          return true;
        },
        [&](size_t i) {
          const int r = static_cast<int>(i / cols), c = static_cast<int>(i % cols);
          ++comp.pixels;
          comp.box = {std::min(comp.box.row0, r), std::min(comp.box.col0, c), std::max(comp.box.row1, r + 1),
                      std::max(comp.box.col1, c + 1)};
        });
    out.components.push_back(comp);
  }
  return out;
}

std::string_view toString(LesionStatus s) {
  switch (s) {
    case LesionStatus::InProgress:
      return "in-progress";
    case LesionStatus::Done:
      return "done";
    case LesionStatus::Flagged:
      return "flagged";
  }
  return "in-progress";
}

std::optional<LesionStatus> parseLesionStatus(std::string_view s) {
  for (LesionStatus v : {LesionStatus::InProgress, LesionStatus::Done, LesionStatus::Flagged}) {
    if (s == toString(v)) return v;
  }
  return std::nullopt;
}

std::vector<std::string> Lesion::views() const {
  std::vector<std::string> out;
  for (const auto& r : regions) {
    if (std::find(out.begin(), out.end(), r.view) == out.end()) out.push_back(r.view);
  }
  return out;
}

std::optional<double> Lesion::areaMm2() const {
  double sum = 0;
  for (const auto& r : regions) {
    if (!r.areaMm2) return std::nullopt;
    sum += *r.areaMm2;
  }
  return sum;
}

namespace {
long long overlapArea(const PixelRect& a, const PixelRect& b) {
  const long long h = std::min(a.row1, b.row1) - std::max(a.row0, b.row0);
  const long long w = std::min(a.col1, b.col1) - std::max(a.col0, b.col0);
  return h > 0 && w > 0 ? h * w : 0;
}
}  // namespace

void updateLesions(std::vector<Lesion>& lesions, const std::string& view, const core::LabelMap& map,
                   const std::optional<core::PixelSpacing>& spacing, const ClassList& classes) {
  updateLesions(lesions, view, connectedComponents(map).components, spacing, classes);
}

void updateLesions(std::vector<Lesion>& lesions, const std::string& view, const std::vector<Component>& components,
                   const std::optional<core::PixelSpacing>& spacing, const ClassList& classes) {
  // The previous regions of this view, to hand identities on; each previous region passes its identity
  // to at most one new component (the one it overlaps most), so a split lesion gets one new id.
  struct Previous {
    size_t lesion;
    PixelRect box;
    bool taken = false;
  };
  std::vector<Previous> previous;
  for (size_t i = 0; i < lesions.size(); ++i) {
    for (const auto& r : lesions[i].regions) {
      if (r.view == view) previous.push_back({i, r.box});
    }
  }
  int nextId = 1;
  for (const auto& l : lesions) nextId = std::max(nextId, l.id + 1);
  for (auto& l : lesions) std::erase_if(l.regions, [&](const LesionRegion& r) { return r.view == view; });

  std::vector<Lesion> created;
  for (const Component& comp : components) {
    LesionRegion region{view, comp.box, comp.pixels, std::nullopt};
    if (spacing && spacing->rowMm > 0 && spacing->columnMm > 0) {
      region.areaMm2 = static_cast<double>(comp.pixels) * spacing->rowMm * spacing->columnMm;
    }
    const std::string name = classes.name(comp.label);
    Previous* best = nullptr;
    long long bestOverlap = 0;
    for (auto& p : previous) {
      if (p.taken || lesions[p.lesion].className != name) continue;
      const long long o = overlapArea(p.box, comp.box);
      if (o > bestOverlap) {
        bestOverlap = o;
        best = &p;
      }
    }
    if (best) {
      best->taken = true;
      lesions[best->lesion].regions.push_back(region);
    } else {
      Lesion l;
      l.id = nextId++;
      l.className = name;
      l.regions.push_back(region);
      created.push_back(std::move(l));
    }
  }
  std::erase_if(lesions, [](const Lesion& l) { return l.regions.empty(); });
  for (auto& l : created) lesions.push_back(std::move(l));
}

bool linkLesions(std::vector<Lesion>& lesions, int target, int other) {
  const auto find = [&](int id) {
    return std::find_if(lesions.begin(), lesions.end(), [id](const Lesion& l) { return l.id == id; });
  };
  auto t = find(target), o = find(other);
  if (t == lesions.end() || o == lesions.end() || t == o || t->className != o->className) return false;
  t->regions.insert(t->regions.end(), o->regions.begin(), o->regions.end());
  lesions.erase(o);
  return true;
}

LesionMatch& LesionMatch::operator+=(const LesionMatch& o) {
  lesionsA += o.lesionsA;
  lesionsB += o.lesionsB;
  matchedA += o.matchedA;
  missedA += o.missedA;
  matchedB += o.matchedB;
  extraB += o.extraB;
  return *this;
}

std::map<std::uint8_t, LesionMatch> matchLesions(const core::LabelMap& a, const core::LabelMap& b, double minIou) {
  if (a.rows != b.rows || a.columns != b.columns) {
    throw std::invalid_argument("lesion matching: label maps differ in size");
  }
  const ComponentMap ca = connectedComponents(a), cb = connectedComponents(b);
  // Overlap counts of (A lesion, B lesion) pairs: only pixels where both carry the same class.
  std::map<std::pair<std::int32_t, std::int32_t>, std::size_t> overlap;
  for (size_t i = 0; i < a.labels.size(); ++i) {
    if (a.labels[i] != 0 && a.labels[i] == b.labels[i]) ++overlap[{ca.ids[i], cb.ids[i]}];
  }
  std::vector<bool> hitA(ca.components.size(), false), hitB(cb.components.size(), false);
  for (const auto& [pair, inter] : overlap) {
    const double unionSize = static_cast<double>(ca.components[pair.first].pixels) +
                             static_cast<double>(cb.components[pair.second].pixels) - static_cast<double>(inter);
    if (inter / unionSize >= minIou) hitA[pair.first] = hitB[pair.second] = true;
  }
  std::map<std::uint8_t, LesionMatch> out;
  for (size_t i = 0; i < ca.components.size(); ++i) {
    LesionMatch& m = out[ca.components[i].label];
    ++m.lesionsA;
    ++(hitA[i] ? m.matchedA : m.missedA);
  }
  for (size_t i = 0; i < cb.components.size(); ++i) {
    LesionMatch& m = out[cb.components[i].label];
    ++m.lesionsB;
    ++(hitB[i] ? m.matchedB : m.extraB);
  }
  return out;
}

}  // namespace mammo::annotation
