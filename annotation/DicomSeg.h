#pragma once
// DICOM Segmentation (binary SEG, DCMTK's dcmseg) for one mammogram's label map: one segment per class
// (benign and malignant always, other classes of the list where they have pixels; MaskClasses.h), one
// frame per segment in the image's own grid. Segment Label = the class name; Segmented Property Type =
// the lesion type's SNOMED CT mammography finding where it is one of the four standard types, else Lesion. With a source DICOM image the SEG takes
// over its patient and study, references it per frame (Derivation Image) and in the Common Instance
// Reference module, and has no Frame of Reference when the source has none (as mammograms do); without
// one (PNG exams) the exam id becomes the Patient ID and the SEG gets a Frame of Reference of its own.
// The exam id and view travel in Content Description ("<exam>_<L|R>-<CC|MLO>") so a SEG can be turned
// back into NYU masks.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "annotation/MaskClasses.h"
#include "core/Image.h"
#include "core/LabelMap.h"
#include "core/Types.h"

namespace mammo::annotation {

struct SegWriteOptions {
  std::string examId;
  core::StandardView view = core::StandardView::LCC;
  std::optional<std::filesystem::path> sourceImage;  // the DICOM image the masks were drawn on
  std::string creator = "Mammolens";  // Content Creator's Name (the annotator)
  std::optional<core::PixelSpacing> spacing;  // Pixel Measures, where a plane must be stated
  ClassList classes = ClassList::standard();  // the ids of the label map
};

// Writes atomically. Throws std::runtime_error naming the file (or the source image) and DCMTK's reason.
void writeDicomSeg(const std::filesystem::path& file, const core::LabelMap& map, const SegWriteOptions& options);

struct SegSegmentInfo {
  unsigned number = 0;  // Segment Number
  std::string label;  // Segment Label
  std::uint8_t classId = 0;  // the label-map id it was read into
  std::string categoryCode;  // "SCT 49755003"
  std::string typeCode;  // "SCT 52988006"
};

struct SegContents {
  core::LabelMap map;
  std::string examId;  // from Content Description or, failing that, the file name
  std::optional<core::StandardView> view;
  std::string sopInstanceUid;
  std::vector<std::string> referencedSopInstanceUids;  // source images named by the frames
  std::vector<SegSegmentInfo> segments;
  std::size_t frames = 0;
};

// Reads a binary (or fractional: any non-zero value counts) SEG through DcmSegmentation::loadFile. A
// segment's class comes from its label (a class name: "benign", "malignant-mass"; classes missing from
// `classes` are added to it) or, failing that, from "benign"/"malignant" in its description. Where frames
// of two classes overlap the class of higher ClassList::precedence wins. Throws core::LoadError naming the
// file.
SegContents readDicomSeg(const std::filesystem::path& file, ClassList& classes);
// The same with the ids of ClassList::standard() (and ids after them for other classes).
SegContents readDicomSeg(const std::filesystem::path& file);

// True when the file is a DICOM Segmentation Storage object (reads the header only).
bool isDicomSeg(const std::filesystem::path& file);

}  // namespace mammo::annotation
