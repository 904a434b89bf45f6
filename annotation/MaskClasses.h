#pragma once
// The annotation classes: a configurable list, each class with its label id (in label maps), its name (the
// mask-file suffix, the sidecar's and the DICOM SEG segment's label), its pathology, its optional lesion
// type, its colour and its one-key shortcut.
//
// Names are "<pathology>" or "<pathology>-<lesion type>": "malignant", "benign-calcification",
// "malignant-architectural-distortion". The pathology (benign or malignant) can thus always be read back
// from a file name alone, which is what training needs: every class is a benign or a malignant finding,
// the lesion type refines it. "benign" and "malignant" keep ids 1 and 2 and the NYU file names.
//
// A list is read from JSON:
//   {"classes": [{"pathology": "malignant", "lesion_type": "mass", "colour": "#ff5000", "key": "Z"}, ...]}
// ("lesion_type" optional, lower-case letters, digits and '-'; "key" optional; the ids follow the order).
#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mammo::annotation {

enum class Pathology { Benign, Malignant };
std::string_view toString(Pathology p);

struct MaskClass {
  std::uint8_t label = 0;  // label-map id, 1..255
  std::string name;  // "benign", "malignant-mass", ...
  Pathology pathology = Pathology::Malignant;
  std::string lesionType;  // "" for the pathology alone, else "mass", "calcification", ...
  std::array<std::uint8_t, 3> rgb{255, 255, 255};
  std::string key;  // one-key shortcut in the GUI ("Q"); may be empty

  std::string displayName() const;  // "Malignant", "Benign calcification"
};

// The pathology and lesion type a class name stands for; nullopt for names that are not
// "<benign|malignant>[-<type>]" with a type of lower-case letters, digits and '-'.
struct ParsedClassName {
  Pathology pathology;
  std::string lesionType;
};
std::optional<ParsedClassName> parseClassName(std::string_view name);
std::string makeClassName(Pathology pathology, std::string_view lesionType);

// The four lesion types of the screening lexicon, offered by default.
inline constexpr std::array<std::string_view, 4> kLesionTypes{"mass", "calcification", "architectural-distortion",
                                                              "asymmetry"};

class ClassList {
 public:
  // benign (1) and malignant (2), then each pathology per lesion type of kLesionTypes, with colours and keys.
  static const ClassList& standard();
  // benign and malignant only (the NYU masks).
  static ClassList pathologiesOnly();

  // Throws std::invalid_argument naming the problem: no classes, a bad pathology or lesion type, a name or
  // key used twice, more than 255 classes, a bad colour.
  static ClassList fromJson(std::string_view json);
  // Throws core::LoadError naming the file.
  static ClassList read(const std::filesystem::path& file);
  std::string toJson() const;

  // Builds a list from classes whose names and keys are unique; ids are given in order, except that "benign"
  // and "malignant" always get 1 and 2 (the others skip those ids). Throws std::invalid_argument.
  explicit ClassList(std::vector<MaskClass> classes);
  ClassList() = default;

  const std::vector<MaskClass>& classes() const { return m_classes; }
  const MaskClass* find(std::uint8_t label) const;
  const MaskClass* find(std::string_view name) const;
  std::optional<std::uint8_t> label(std::string_view name) const;
  // The class's name; "class-<n>" for ids the list does not hold.
  std::string name(std::uint8_t label) const;
  // Adds a class for `name` (a valid class name not yet in the list) with a colour derived from its
  // pathology and no key; returns its id. Lets masks of classes missing from the configured list be read,
  // shown and saved back instead of dropped. Throws std::invalid_argument for invalid names or when full.
  std::uint8_t add(std::string_view name);
  // Where masks of two classes overlap, the class that comes later in this order wins: benign classes
  // before malignant ones, each in id order.
  int precedence(std::uint8_t label) const;

  bool operator==(const ClassList& other) const;

 private:
  std::vector<MaskClass> m_classes;
};

}  // namespace mammo::annotation
