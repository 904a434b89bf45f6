#include "training/PreparedView.h"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "annotation/MaskClasses.h"
#include "core/ExamLoader.h"
#include "core/Image.h"
#include "core/Orientation.h"
#include "core/PngIO.h"
#include "inference/Cropping.h"
#include "inference/Heatmaps.h"
#include "inference/NyuConstants.h"
#include "training/Dataset.h"

namespace mammo::training {

namespace {

std::vector<std::uint8_t> croppedMask(const std::filesystem::path& file, const core::Image& image,
                                      const core::CropMetadata& crop, bool mirror) {
  const core::PngPixels png = core::readPng(file);
  if (png.rows != image.info.rows || png.columns != image.info.columns) {
    throw std::runtime_error(file.string() + ": mask is " + std::to_string(png.rows) + "x" +
                             std::to_string(png.columns) + ", the image " + std::to_string(image.info.rows) + "x" +
                             std::to_string(image.info.columns));
  }
  const auto [y0, y1, x0, x1] = crop.windowLocation;
  const int rows = y1 - y0, columns = x1 - x0;
  std::vector<std::uint8_t> out(static_cast<std::size_t>(rows) * columns);
  for (int r = 0; r < rows; ++r) {
    for (int c = 0; c < columns; ++c) {
      out[static_cast<std::size_t>(r) * columns + c] =
          png.pixels[static_cast<std::size_t>(y0 + r) * png.columns + x0 + c] != 0 ? 1 : 0;
    }
  }
  if (mirror) core::mirrorColumns(out, rows, columns);
  return out;
}

}  // namespace

PreparedView prepareView(const core::ExamEntry& exam, core::StandardView view, std::array<int, 2> inputSize) {
  const auto& entries = exam.view(view);
  if (entries.empty()) {
    throw std::runtime_error("exam " + exam.id + " has no " + std::string(core::toString(view)) + " image");
  }
  const core::ExamImageEntry& entry = entries.front();
  core::Image image = core::loadImage(entry.file);
  if (image.info.photometric == core::Photometric::Monochrome1) {
    const auto maxValue = static_cast<std::uint16_t>((1u << image.info.bitsStored) - 1u);
    for (auto& p : image.pixels) p = static_cast<std::uint16_t>(maxValue - std::min(p, maxValue));
  }
  const core::Laterality side = core::lateralityOf(view);
  const bool storedMirrored = exam.horizontalFlip == "YES";
  inference::CropResult crop;
  try {
    crop = inference::cropMammogram(image.pixels.data(), image.info.rows, image.info.columns, side, storedMirrored);
  } catch (const std::exception& e) {
    throw std::runtime_error(entry.file.string() + ": " + e.what());
  }
  PreparedView out;
  out.view = view;
  out.rows = crop.rows;
  out.columns = crop.columns;
  const bool mirror = inference::needsFaceRightFlip(side, storedMirrored);
  out.crop = crop.metadata;
  out.faceRightFlip = mirror;
  out.pixels = std::move(crop.pixels);
  if (mirror) core::mirrorColumns(out.pixels, out.rows, out.columns);
  const std::vector<double> s = inference::standardiseForPatches(out.pixels.data(), out.pixels.size());
  out.standardised.assign(s.begin(), s.end());
  out.examHasFindings = hasFindings(exam);
  for (const auto& [name, file] : entry.masks) {
    // Any class name "<benign|malignant>[-<lesion type>]" (annotation/MaskClasses.h): the lesion type
    // refines the label, the pathology is what the patch classifier learns.
    const auto parsed = annotation::parseClassName(name);
    if (!parsed) continue;
    const std::uint8_t bit = parsed->pathology == annotation::Pathology::Malignant ? kMalignantBit : kBenignBit;
    const std::vector<std::uint8_t> mask = croppedMask(file, image, crop.metadata, mirror);
    if (out.lesions.empty()) out.lesions.assign(mask.size(), 0);
    for (std::size_t i = 0; i < mask.size(); ++i) {
      if (mask[i]) {
        out.lesions[i] |= bit;
        out.imageHasFinding = true;
      }
    }
  }
  // rightmostX is in the face-right frame (the reference's convention); keep the window inside the crop
  // where it fits, with its right edge at the nipple.
  const int halfColumns = inputSize[1] / 2;
  out.bestCenter = {out.rows / 2, std::max(halfColumns, crop.metadata.rightmostX - (inputSize[1] - halfColumns))};
  return out;
}

}  // namespace mammo::training
