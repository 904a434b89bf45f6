#include "annotation/DicomSeg.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <dcmtk/dcmfg/fgderimg.h>
#include <dcmtk/dcmfg/fgfracon.h>
#include <dcmtk/dcmfg/fgpixmsr.h>
#include <dcmtk/dcmfg/fgplanor.h>
#include <dcmtk/dcmfg/fgplanpo.h>
#include <dcmtk/dcmfg/fgseg.h>
#include <dcmtk/dcmiod/iodreferences.h>
#include <dcmtk/dcmseg/segdoc.h>
#include <dcmtk/dcmseg/segment.h>
#include <dcmtk/dcmseg/segutils.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <memory>
#include <regex>
#include <stdexcept>

#include "annotation/AtomicFile.h"
#include "annotation/MaskClasses.h"
#include "core/Errors.h"
#include "mammo/Config.h"

namespace mammo::annotation {
namespace fs = std::filesystem;
namespace {

// Every class is in the category "Morphologically Altered Structure" (CID 7150/7151); the class itself is
// the Segment Label and Description. Benign/malignant alone are "Lesion": NYU's findings include
// calcifications, so neither "Mass" nor a neoplasm code would be true of every segment. The four standard
// lesion types take SNOMED CT's mammographic finding codes.
const CodeSequenceMacro kCategory("49755003", "SCT", "Morphologically Altered Structure");

CodeSequenceMacro propertyType(const std::string& lesionType) {
  if (lesionType == "mass") return {"129788004", "SCT", "Mammographic breast mass"};
  if (lesionType == "calcification") return {"697944008", "SCT", "Mammographic calcification of breast"};
  if (lesionType == "architectural-distortion") return {"129792006", "SCT", "Architectural distortion of breast"};
  if (lesionType == "asymmetry") return {"129789007", "SCT", "Focal asymmetric breast tissue"};
  return {"52988006", "SCT", "Lesion"};
}

void check(const OFCondition& status, const fs::path& file, const std::string& what) {
  if (status.bad()) throw std::runtime_error(file.string() + ": " + what + ": " + status.text());
}

std::string describe(CodeSequenceMacro& code) {
  OFString scheme, value;
  code.getCodingSchemeDesignator(scheme);
  code.getCodeValue(value);
  return std::string(scheme.c_str()) + " " + value.c_str();
}

// DCMTK 3.6.7 requires a Frame of Reference whenever no source image is referenced, and with one the
// plane geometry functional groups. A projection mammogram has no plane in patient space, so the SEG
// states its own pixel grid as a plane at the origin, in a new Frame of Reference that claims nothing
// about any other object.
void addOwnFrameOfReference(DcmSegmentation& seg, const std::optional<core::PixelSpacing>& spacing,
                            const fs::path& file) {
  OFString existing;
  seg.getFrameOfReference().getFrameOfReferenceUID(existing);
  if (existing.empty()) {
    char uid[100];
    dcmGenerateUniqueIdentifier(uid, SITE_INSTANCE_UID_ROOT);
    check(seg.getFrameOfReference().setFrameOfReferenceUID(uid), file, "cannot set a Frame of Reference");
  }
  FGPixelMeasures measures;
  const std::string pixelSpacing = spacing && spacing->rowMm > 0 && spacing->columnMm > 0
                                       ? std::to_string(spacing->rowMm) + "\\" + std::to_string(spacing->columnMm)
                                       : "1\\1";
  check(measures.setPixelSpacing(pixelSpacing.c_str()), file, "cannot set the pixel spacing");
  check(measures.setSliceThickness("1"), file, "cannot set the slice thickness");
  FGPlanePosPatient position;
  check(position.setImagePositionPatient("0", "0", "0"), file, "cannot set the plane position");
  FGPlaneOrientationPatient orientation;
  check(orientation.setImageOrientationPatient("1", "0", "0", "0", "1", "0"), file, "cannot set the orientation");
  check(seg.addForAllFrames(measures), file, "cannot add the pixel measures");
  check(seg.addForAllFrames(position), file, "cannot add the plane position");
  check(seg.addForAllFrames(orientation), file, "cannot add the plane orientation");
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

// Patient and study of the source image, the derivation reference of every frame and the common instance
// reference; the frame of reference as the source has it (none for mammograms).
std::unique_ptr<FGDerivationImage> referenceSource(DcmSegmentation& segmentation, const fs::path& source,
                                                   const core::LabelMap& map, const SegWriteOptions& options,
                                                   const fs::path& file) {
  DcmSegmentation* seg = &segmentation;
  std::unique_ptr<FGDerivationImage> derivation;
  DcmFileFormat sourceFile;
  check(sourceFile.loadFile(source.c_str()), source, "cannot read the source image");
  DcmDataset& dataset = *sourceFile.getDataset();
  Uint16 rows = 0, columns = 0;
  dataset.findAndGetUint16(DCM_Rows, rows);
  dataset.findAndGetUint16(DCM_Columns, columns);
  if (rows != map.rows || columns != map.columns) {
    throw std::runtime_error(source.string() + ": source image is " + std::to_string(rows) + "x" +
                             std::to_string(columns) + " but the masks are " + std::to_string(map.rows) + "x" +
                             std::to_string(map.columns));
  }
  check(seg->importFromSourceImage(dataset), source, "cannot take over patient and study");
  OFString sopClass, sopInstance;
  dataset.findAndGetOFString(DCM_SOPClassUID, sopClass);
  dataset.findAndGetOFString(DCM_SOPInstanceUID, sopInstance);
  ImageSOPInstanceReferenceMacro reference;
  check(reference.setReferencedSOPClassUID(sopClass), source, "bad SOP Class UID");
  check(reference.setReferencedSOPInstanceUID(sopInstance), source, "bad SOP Instance UID");
  OFVector<ImageSOPInstanceReferenceMacro> references(1, reference);
  derivation.reset(DcmSegmentation::createDerivationImageFG(references, "Lesion masks drawn in Mammolens"));
  if (!derivation) throw std::runtime_error(source.string() + ": cannot build the derivation reference");
  IODReferences common;
  OFVector<OFString> sources(1, source.c_str());
  OFString studyUid;
  dataset.findAndGetOFString(DCM_StudyInstanceUID, studyUid);
  if (common.addFromFiles(sources, IODReference::LEVEL_STUDY) != 1 ||
      seg->getCommonInstanceReference().addReferences(common, studyUid) != 1) {
    throw std::runtime_error(source.string() + ": cannot reference the source image");
  }
  // Without a patient-space plane the General Image Module needs the source's Patient Orientation (2C).
  OFString patientOrientation;
  dataset.findAndGetOFStringArray(DCM_PatientOrientation, patientOrientation);
  check(seg->getGeneralImage().setPatientOrientation(patientOrientation), source, "bad Patient Orientation");
  OFString frameOfReference;
  dataset.findAndGetOFString(DCM_FrameOfReferenceUID, frameOfReference);
  if (frameOfReference.empty()) {
    // As the IOD says for sources without one (mammograms): no Frame of Reference module at all. DCMTK
    // 3.6.7 would otherwise write the module with an empty type 1 UID and refuse.
    seg->getRules()->getByTag(DCM_FrameOfReferenceUID)->setType("3");
    seg->getRules()->getByTag(DCM_PositionReferenceIndicator)->setType("3");
  } else {
    addOwnFrameOfReference(*seg, options.spacing, file);
  }
  return derivation;
}

// One segment and one frame per class: benign and malignant always, lesion types where they have pixels.
void addSegments(DcmSegmentation& segmentation, const core::LabelMap& map, const SegWriteOptions& options,
                 const FGDerivationImage* derivation, const fs::path& file) {
  DcmSegmentation* seg = &segmentation;
  std::vector<Uint8> frame(map.labels.size());
  std::array<bool, 256> present{};
  for (std::uint8_t v : map.labels) present[v] = true;
  // Segments in id order: benign 1, malignant 2, then the lesion types.
  std::vector<MaskClass> ordered = options.classes.classes();
  std::sort(ordered.begin(), ordered.end(), [](const MaskClass& a, const MaskClass& b) { return a.label < b.label; });
  for (const MaskClass& cls : ordered) {
    if (!cls.lesionType.empty() && !present[cls.label]) continue;
    DcmSegment* segment = nullptr;
    check(
        DcmSegment::create(segment, cls.name.c_str(), kCategory, propertyType(cls.lesionType), DcmSegTypes::SAT_MANUAL),
        file, "cannot create segment " + cls.name);
    const std::string description = cls.displayName() + " finding";
    segment->setSegmentDescription(description.c_str());
    Uint16 number = 0;
    const OFCondition added = seg->addSegment(segment, number);
    if (added.bad()) delete segment;  // ownership passes only on success
    check(added, file, "cannot add segment " + std::string(cls.name));

    std::transform(map.labels.begin(), map.labels.end(), frame.begin(),
                   [&](std::uint8_t v) { return static_cast<Uint8>(v == cls.label); });
    FGFrameContent frameContent;
    check(frameContent.setDimensionIndexValues(number, 0), file, "cannot set the frame's dimension index");
    OFVector<FGBase*> perFrame;
    perFrame.push_back(&frameContent);
    if (derivation) perFrame.push_back(const_cast<FGDerivationImage*>(derivation));
    check(seg->addFrame(frame.data(), number, perFrame), file, "cannot add the frame of " + std::string(cls.name));
  }
}

// The segments' classes (by label, else by description) into `out.segments`; segment number -> class id.
std::map<unsigned, std::uint8_t> readSegments(DcmSegmentation& segmentation, ClassList& classes, SegContents& out,
                                              const fs::path& file) {
  DcmSegmentation* seg = &segmentation;
  OFString text;
  std::map<unsigned, std::uint8_t> classOf;
  for (unsigned number = 1; number <= seg->getNumberOfSegments(); ++number) {
    DcmSegment* segment = seg->getSegment(number);
    if (!segment) throw core::LoadError(file, "segment " + std::to_string(number) + " is missing");
    SegSegmentInfo info;
    info.number = number;
    segment->getSegmentLabel(text);
    info.label = text.c_str();
    std::optional<std::uint8_t> id;
    if (parseClassName(lower(info.label))) id = classes.add(lower(info.label));
    if (!id) {
      segment->getSegmentDescription(text);
      const std::string description = lower(text.c_str());
      if (description.find("malignant") != std::string::npos)
        id = classes.add("malignant");
      else if (description.find("benign") != std::string::npos)
        id = classes.add("benign");
    }
    if (!id) {
      throw core::LoadError(file, "segment " + std::to_string(number) + " ('" + info.label +
                                      "') is neither benign nor malignant (label or description)");
    }
    info.classId = *id;
    info.categoryCode = describe(segment->getSegmentedPropertyCategoryCode());
    info.typeCode = describe(segment->getSegmentedPropertyTypeCode());
    classOf[number] = *id;
    out.segments.push_back(info);
  }

  return classOf;
}

// Every frame into `out.map`, where classes overlap the one of higher precedence.
void readFrames(DcmSegmentation& segmentation, const ClassList& classes,
                const std::map<unsigned, std::uint8_t>& classOf, Uint16 rows, Uint16 columns, SegContents& out,
                const fs::path& file) {
  DcmSegmentation* seg = &segmentation;
  out.frames = seg->getNumberOfFrames();
  const bool binary = seg->getSegmentationType() == DcmSegTypes::ST_BINARY;
  for (size_t f = 0; f < out.frames; ++f) {
    auto* fg = static_cast<FGSegmentation*>(
        seg->getFunctionalGroups().get(static_cast<Uint32>(f), DcmFGTypes::EFG_SEGMENTATION));
    Uint16 number = 0;
    if (!fg || fg->getReferencedSegmentNumber(number).bad() || !classOf.count(number)) {
      throw core::LoadError(file, "frame " + std::to_string(f + 1) + " names no valid segment");
    }
    const DcmIODTypes::Frame* packed = seg->getFrame(f);
    if (!packed) throw core::LoadError(file, "frame " + std::to_string(f + 1) + " has no pixel data");
    std::unique_ptr<DcmIODTypes::Frame> unpacked(binary ? DcmSegUtils::unpackBinaryFrame(packed, rows, columns)
                                                        : nullptr);
    const DcmIODTypes::Frame* pixels = binary ? unpacked.get() : packed;
    if (!pixels || pixels->length < out.map.labels.size()) {
      throw core::LoadError(file, "frame " + std::to_string(f + 1) + " is shorter than " + std::to_string(rows) + "x" +
                                      std::to_string(columns));
    }
    const std::uint8_t id = classOf.at(number);
    const int rank = classes.precedence(id);
    for (size_t i = 0; i < out.map.labels.size(); ++i) {
      if (pixels->pixData[i] && (out.map.labels[i] == 0 || classes.precedence(out.map.labels[i]) < rank)) {
        out.map.labels[i] = id;
      }
    }
  }
}

}  // namespace

void writeDicomSeg(const fs::path& file, const core::LabelMap& map, const SegWriteOptions& options) {
  if (map.rows <= 0 || map.columns <= 0 || map.rows > 65535 || map.columns > 65535) {
    throw std::runtime_error(file.string() + ": cannot write a SEG of " + std::to_string(map.rows) + "x" +
                             std::to_string(map.columns) + " pixels");
  }
  const std::string stem = options.examId + "_" + std::string(core::toString(options.view));
  IODGeneralEquipmentModule::EquipmentInfo equipment("Mammolens", "mammolens", "0", MAMMO_VERSION);
  ContentIdentificationMacro content("1", "MASKS", stem.c_str(), options.creator.c_str());
  DcmSegmentation* raw = nullptr;
  check(DcmSegmentation::createBinarySegmentation(raw, static_cast<Uint16>(map.rows), static_cast<Uint16>(map.columns),
                                                  equipment, content),
        file, "cannot create the segmentation");
  std::unique_ptr<DcmSegmentation> seg(raw);

  std::unique_ptr<FGDerivationImage> derivation;
  if (options.sourceImage) {
    derivation = referenceSource(*seg, *options.sourceImage, map, options, file);
  } else {
    check(seg->getPatient().setPatientID(options.examId.c_str()), file, "bad exam id for Patient ID");
    addOwnFrameOfReference(*seg, options.spacing, file);
  }
  check(seg->getSeries().setSeriesDescription((stem + " lesion masks").c_str()), file, "bad series description");
  check(seg->getSeries().setSeriesNumber("900"), file, "bad series number");

  char dimensionUid[100];
  dcmGenerateUniqueIdentifier(dimensionUid, SITE_INSTANCE_UID_ROOT);
  check(seg->getDimensions().addDimensionIndex(DCM_ReferencedSegmentNumber, dimensionUid,
                                               DCM_SegmentIdentificationSequence, "ReferencedSegmentNumber"),
        file, "cannot set the dimension index");

  addSegments(*seg, map, options, derivation.get(), file);

  const fs::path tmp = temporaryPathFor(file);
  const OFCondition saved = seg->saveFile(tmp.c_str(), EXS_LittleEndianExplicit);
  if (saved.bad()) {
    std::error_code ignored;
    fs::remove(tmp, ignored);
    check(saved, file, "cannot write the segmentation");
  }
  commitTemporary(tmp, file);
}

SegContents readDicomSeg(const fs::path& file) {
  ClassList classes = ClassList::standard();
  return readDicomSeg(file, classes);
}

bool isDicomSeg(const fs::path& file) {
  DcmFileFormat ff;
  if (ff.loadFile(file.c_str(), EXS_Unknown, EGL_noChange, 4096).bad()) return false;
  OFString sopClass;
  ff.getDataset()->findAndGetOFString(DCM_SOPClassUID, sopClass);
  if (sopClass.empty()) ff.getMetaInfo()->findAndGetOFString(DCM_MediaStorageSOPClassUID, sopClass);
  return sopClass == UID_SegmentationStorage;
}

SegContents readDicomSeg(const fs::path& file, ClassList& classes) {
  DcmFileFormat ff;
  OFCondition loaded = ff.loadFile(file.c_str());
  if (loaded.bad()) throw core::LoadError(file, std::string("not a readable DICOM file: ") + loaded.text());
  DcmDataset& dataset = *ff.getDataset();
  OFString sopClass;
  dataset.findAndGetOFString(DCM_SOPClassUID, sopClass);
  if (sopClass != UID_SegmentationStorage) {
    // Checked here because DCMTK 3.6.7's loadDataset leaks the object it allocated when it refuses a file.
    throw core::LoadError(file, "not a DICOM Segmentation (SOP Class UID '" + std::string(sopClass.c_str()) + "')");
  }
  DcmSegmentation* raw = nullptr;
  loaded = DcmSegmentation::loadDataset(dataset, raw);
  std::unique_ptr<DcmSegmentation> seg(raw);
  if (loaded.bad() || !seg) throw core::LoadError(file, std::string("not a readable DICOM SEG: ") + loaded.text());

  SegContents out;
  Uint16 rows = 0, columns = 0;
  dataset.findAndGetUint16(DCM_Rows, rows);
  dataset.findAndGetUint16(DCM_Columns, columns);
  if (rows == 0 || columns == 0) throw core::LoadError(file, "SEG without rows/columns");
  out.map = core::LabelMap(rows, columns);
  OFString text;
  seg->getSOPCommon().getSOPInstanceUID(text);
  out.sopInstanceUid = text.c_str();
  seg->getContentIdentification().getContentDescription(text);
  static const std::regex stemPattern(R"(^(.+)_([LR]-(?:CC|MLO))(?:_seg)?$)");
  std::smatch m;
  std::string stem = text.c_str();
  if (!std::regex_match(stem, m, stemPattern)) stem = file.stem().string();
  if (std::regex_match(stem, m, stemPattern)) {
    out.examId = m[1].str();
    out.view = core::parseStandardView(m[2].str());
  }

  const std::map<unsigned, std::uint8_t> classOf = readSegments(*seg, classes, out, file);
  readFrames(*seg, classes, classOf, rows, columns, out, file);

  // The source references straight from the dataset: every Referenced SOP Instance UID, at any depth.
  DcmStack stack;
  while (dataset.search(DCM_ReferencedSOPInstanceUID, stack, ESM_afterStackTop, OFTrue).good()) {
    OFString uid;
    if (static_cast<DcmElement*>(stack.top())->getOFString(uid, 0).good()) {
      const std::string s = uid.c_str();
      if (std::find(out.referencedSopInstanceUids.begin(), out.referencedSopInstanceUids.end(), s) ==
          out.referencedSopInstanceUids.end()) {
        out.referencedSopInstanceUids.push_back(s);
      }
    }
  }
  return out;
}

}  // namespace mammo::annotation
