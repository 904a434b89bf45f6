#include "inference/ModelBundle.h"

#include <nlohmann/json.hpp>

#include <fstream>
#include <stdexcept>

#include "inference/LegacyTorchFile.h"
#include "inference/SafeTensors.h"

namespace mammo::inference {
namespace fs = std::filesystem;

namespace {

struct Part {
  const char* key;  // in bundle.json
  const char* nyuFile;  // the reference's file name
  const char* architecture;
  int channels;
  bool required;
};

const Part kParts[] = {
    {"patch", "sample_patch_model.p", "densenet121-4class-tfsame", 3, true},
    {"image_only", "sample_image_model.p", "nyu-resnet22-view-wise", 1, true},
    {"image_heatmaps", "sample_imageheatmaps_model.p", "nyu-resnet22-view-wise", 3, true},
    {"image_only_image_wise", "ImageOnly__ModeImage_weights.p", "nyu-resnet22-image-wise", 1, false},
    {"image_heatmaps_image_wise", "ImageHeatmaps__ModeImage_weights.p", "nyu-resnet22-image-wise", 3, false},
};

TensorMap* slot(ModelBundle& b, const std::string& key) {
  if (key == "patch") return &b.patch;
  if (key == "image_only") return &b.imageOnly;
  if (key == "image_heatmaps") return &b.imageHeatmaps;
  if (key == "image_only_image_wise") return &b.imageOnlyImageWise.emplace();
  return &b.imageHeatmapsImageWise.emplace();
}

const TensorMap* slot(const ModelBundle& b, const std::string& key) {
  if (key == "patch") return &b.patch;
  if (key == "image_only") return &b.imageOnly;
  if (key == "image_heatmaps") return &b.imageHeatmaps;
  if (key == "image_only_image_wise") return b.imageOnlyImageWise ? &*b.imageOnlyImageWise : nullptr;
  return b.imageHeatmapsImageWise ? &*b.imageHeatmapsImageWise : nullptr;
}

}  // namespace

TensorMap readNyuWeights(const fs::path& file) {
  const LegacyTorchFile legacy = LegacyTorchFile::read(file);
  TensorMap out;
  for (const auto& [name, tensor] : legacy.tensors()) {
    if (tensor.dtype != "float32" && tensor.dtype != "float64" && tensor.dtype != "float16") continue;
    out[name] = NamedTensor{tensor.shape, legacy.floatValues(name)};
  }
  if (out.empty()) throw std::runtime_error(file.string() + ": no float tensors (not a model state dict)");
  return out;
}

// The reference registers each column under several names (cc, l_cc, r_cc; mlo, l_mlo, r_mlo) with the
// same values. Keep the canonical cc/mlo copy after checking the aliases really are identical.
static void dropColumnAliases(TensorMap& tensors, const fs::path& file) {
  static const std::pair<const char*, const char*> kAliases[] = {{"four_view_resnet.l_cc.", "four_view_resnet.cc."},
                                                                 {"four_view_resnet.r_cc.", "four_view_resnet.cc."},
                                                                 {"four_view_resnet.l_mlo.", "four_view_resnet.mlo."},
                                                                 {"four_view_resnet.r_mlo.", "four_view_resnet.mlo."}};
  for (const auto& [alias, canonical] : kAliases) {
    const std::string a(alias);
    for (auto it = tensors.lower_bound(a); it != tensors.end() && it->first.compare(0, a.size(), a) == 0;) {
      const auto c = tensors.find(canonical + it->first.substr(a.size()));
      if (c == tensors.end() || c->second.values != it->second.values) {
        throw std::runtime_error(file.string() + ": " + it->first + " differs from its shared column " +
                                 (c == tensors.end() ? std::string("(missing)") : c->first));
      }
      it = tensors.erase(it);
    }
  }
}

ModelBundle importNyuModels(const fs::path& dir) {
  ModelBundle bundle;
  bundle.name = "NYU breast cancer classifier weights (imported)";
  bundle.provenance = "imported from " + fs::absolute(dir).string();
  for (const Part& part : kParts) {
    const fs::path file = dir / part.nyuFile;
    if (!fs::exists(file)) {
      if (part.required) throw std::runtime_error(file.string() + ": missing (required NYU model file)");
      continue;
    }
    TensorMap& tensors = *slot(bundle, part.key);
    tensors = readNyuWeights(file);
    if (std::string(part.key) != "patch") dropColumnAliases(tensors, file);
  }
  return bundle;
}

void writeModelBundle(const ModelBundle& bundle, const fs::path& directory) {
  fs::create_directories(directory);
  nlohmann::json doc = {{"format", "mammolens-model-bundle"},
                        {"version", 1},
                        {"name", bundle.name},
                        {"provenance", bundle.provenance},
                        {"input_size_cc", {2677, 1942}},
                        {"input_size_mlo", {2974, 1748}},
                        {"patch_size", 256},
                        {"heatmap_resolution", "image"},
                        {"models", nlohmann::json::object()}};
  if (const auto& g = bundle.cancerInput) {
    doc["input_size_cc"] = g->inputSizeCc;
    doc["input_size_mlo"] = g->inputSizeMlo;
    doc["cancer_input"] = {{"downsample", g->downsample},
                           {"input_scale", g->inputScale},
                           {"input_size_cc", g->inputSizeCc},
                           {"input_size_mlo", g->inputSizeMlo},
                           {"location_noise", g->locationNoise},
                           {"size_noise", g->sizeNoise},
                           {"best_center", "middle-row-nipple-edge"},
                           {"centre_columns_cc", g->centreColumnsCc},
                           {"centre_columns_mlo", g->centreColumnsMlo}};
  }
  if (bundle.storage == SafeTensorsDtype::F16) doc["storage"] = "F16";
  for (const Part& part : kParts) {
    const TensorMap* tensors = slot(bundle, part.key);
    if (!tensors) continue;
    const std::string file = std::string(part.key) + ".safetensors";
    writeSafeTensors(directory / file, *tensors, {{"architecture", part.architecture}}, bundle.storage);
    doc["models"][part.key] = {{"file", file}, {"architecture", part.architecture}, {"channels", part.channels}};
  }
  const fs::path tmp = directory / "bundle.json.tmp";
  std::ofstream(tmp) << doc.dump(1) << '\n';
  fs::rename(tmp, directory / "bundle.json");
}

namespace {

// bundle.json read and checked; the bundle without its tensors.
ModelBundle readBundleDocument(const fs::path& directory, nlohmann::json& doc) {
  std::ifstream in(directory / "bundle.json");
  if (!in) throw std::runtime_error((directory / "bundle.json").string() + ": no model bundle here");
  try {
    doc = nlohmann::json::parse(in);
  } catch (const std::exception& e) {
    throw std::runtime_error((directory / "bundle.json").string() + ": malformed: " + e.what());
  }
  if (doc.value("format", "") != "mammolens-model-bundle") {
    throw std::runtime_error((directory / "bundle.json").string() + ": not a Mammolens model bundle");
  }
  ModelBundle bundle;
  bundle.directory = directory;
  bundle.name = doc.value("name", "");
  bundle.provenance = doc.value("provenance", "");
  const std::string resolution = doc.value("heatmap_resolution", "image");
  if (resolution != "image") {
    throw std::runtime_error((directory / "bundle.json").string() + ": heatmap_resolution \"" + resolution +
                             "\" is not supported (only \"image\")");
  }
  if (doc.contains("cancer_input")) {
    const nlohmann::json& c = doc["cancer_input"];
    try {
      CancerInputGeometry g;
      g.downsample = c.at("downsample").get<int>();
      g.inputScale = c.value("input_scale", 0.0);
      g.inputSizeCc = c.at("input_size_cc").get<std::array<int, 2>>();
      g.inputSizeMlo = c.at("input_size_mlo").get<std::array<int, 2>>();
      g.locationNoise = c.at("location_noise").get<int>();
      g.sizeNoise = c.at("size_noise").get<int>();
      if (c.at("best_center").get<std::string>() != "middle-row-nipple-edge") {
        throw std::runtime_error("unknown best_center rule " + c.at("best_center").dump());
      }
      g.centreColumnsCc = c.at("centre_columns_cc").get<int>();
      g.centreColumnsMlo = c.at("centre_columns_mlo").get<int>();
      if (g.downsample < 1 || g.inputSizeCc[0] < 1 || g.inputSizeCc[1] < 1 || g.inputSizeMlo[0] < 1 ||
          g.inputSizeMlo[1] < 1 || g.centreColumnsCc < 1 || g.centreColumnsMlo < 1) {
        throw std::runtime_error("sizes and downsample must be positive");
      }
      bundle.cancerInput = g;
    } catch (const std::exception& e) {
      throw std::runtime_error((directory / "bundle.json").string() + ": cancer_input: " + e.what());
    }
  }
  if (doc.value("storage", "F32") == "F16") bundle.storage = SafeTensorsDtype::F16;
  return bundle;
}

}  // namespace

ModelBundle readModelBundleInfo(const fs::path& directory) {
  nlohmann::json doc;
  return readBundleDocument(directory, doc);
}

ModelBundle readModelBundle(const fs::path& directory) {
  nlohmann::json doc;
  ModelBundle bundle = readBundleDocument(directory, doc);
  for (const Part& part : kParts) {
    if (!doc["models"].contains(part.key)) {
      if (part.required) throw std::runtime_error((directory / "bundle.json").string() + ": no " + part.key + " model");
      continue;
    }
    *slot(bundle, part.key) = readSafeTensors(directory / doc["models"][part.key]["file"].get<std::string>());
  }
  return bundle;
}

}  // namespace mammo::inference
