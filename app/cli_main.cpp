// mammolens-cli: the command-line face of Mammolens. Never links ui (docs/ARCHITECTURE.md).
#include <CLI/CLI.hpp>

#include <iostream>

#include "app/CliCommands.h"
#include "core/Errors.h"
#include "mammo/Config.h"

int main(int argc, char** argv) {
  CLI::App app{"Mammolens command line (version " MAMMO_VERSION ")"};
  app.require_subcommand(1);

  mammo::app::InfoOptions info;
  auto* infoCmd = app.add_subcommand("info", "Describe the images found in files, folders, DICOMDIRs or exam lists");
  infoCmd->add_option("paths", info.paths, "Files, folders, DICOMDIRs or exam-list JSON files")->required();
  infoCmd->add_option("--images-dir", info.imagesDir, "Folder of the images named by an NYU exam list");
  infoCmd->add_flag("--json", info.json, "Machine-readable output");

  mammo::app::SynthOptions synth;
  auto* synthCmd = app.add_subcommand("synth", "Generate synthetic phantom exams with lesion masks");
  synthCmd->add_option("--exams", synth.exams, "Number of exams")->check(CLI::PositiveNumber);
  synthCmd->add_option("--out", synth.out, "Output folder")->required();
  synthCmd->add_option("--seed", synth.seed, "Random seed");
  synthCmd->add_option("--size", synth.size, "full (4096x3328 at 0.07 mm) or small (1024x832 at 0.28 mm)")
      ->check(CLI::IsMember({"full", "small"}));
  synthCmd->add_option("--format", synth.format, "dicom, png or both")->check(CLI::IsMember({"dicom", "png", "both"}));
  synthCmd->add_option("--transfer-syntax", synth.syntax,
                       "implicit-le, explicit-le, deflated, jpeg-baseline, jpeg-extended, jpeg-lossless, "
                       "jpeg-ls-lossless, jpeg-ls-near-lossless, jpeg2000-lossless, jpeg2000, rle");
  synthCmd->add_option("--photometric", synth.photometric, "MONOCHROME2 or MONOCHROME1");
  synthCmd->add_option("--intent", synth.intent, "presentation or processing");
  synthCmd->add_option("--lesion-rate", synth.lesionRate, "Probability that a breast carries a lesion")
      ->check(CLI::Range(0.0, 1.0));

  CLI11_PARSE(app, argc, argv);
  try {
    if (*infoCmd) return mammo::app::runInfo(info);
    if (*synthCmd) return mammo::app::runSynth(synth);
  } catch (const mammo::core::LoadError& e) {
    std::cerr << "error: " << e.what() << '\n';
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << '\n';
    return 1;
  }
  return 0;
}
