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

  mammo::app::MasksConvertOptions masksConvert;
  mammo::app::MasksAgreeOptions masksAgree;
  auto* masksCmd = app.add_subcommand("masks", "Lesion masks: convert NYU PNG <-> DICOM SEG, compare annotators");
  masksCmd->require_subcommand(1);
  auto* convertCmd = masksCmd->add_subcommand("convert", "Convert NYU PNG masks and DICOM SEG files");
  convertCmd->add_option("inputs", masksConvert.inputs, "Mask PNGs, SEG files or folders of them")->required();
  convertCmd->add_option("--to", masksConvert.to, "seg or png")->required()->check(CLI::IsMember({"seg", "png"}));
  convertCmd->add_option("--out", masksConvert.out, "Output folder")->required();
  convertCmd->add_option("--reference", masksConvert.reference, "Exam whose DICOM images the SEGs reference");
  convertCmd->add_option("--classes", masksConvert.classes, "Class list JSON (ids and segment order)");
  auto* agreeCmd = masksCmd->add_subcommand("agree", "Dice/IoU per class and lesion matching of two mask sets");
  agreeCmd->add_option("a", masksAgree.a, "Annotator A's masks (folder or files)")->required();
  agreeCmd->add_option("b", masksAgree.b, "Annotator B's masks")->required();
  agreeCmd->add_option("--classes", masksAgree.classes, "Class list JSON (row order)");
  mammo::app::MasksAttachOptions masksAttach;
  auto* attachCmd = masksCmd->add_subcommand("attach", "Point an exam list's images at NYU-named PNG masks");
  attachCmd->add_option("exam_list", masksAttach.examList, "Exam list JSON")->required();
  attachCmd->add_option("--masks", masksAttach.masks, "Mask PNGs or folders of them (one annotator's)")->required();
  attachCmd->add_option("--out", masksAttach.out, "The exam list to write")->required();
  attachCmd->add_flag("--replace", masksAttach.replace, "Drop masks the list already names for those images");

#if MAMMO_WITH_TORCH
  mammo::app::ImportWeightsOptions importWeights;
  auto* importCmd = app.add_subcommand("import-weights", "Convert NYU's published .p weight files into a model bundle");
  importCmd->add_option("nyu_models_dir", importWeights.nyuDir, "Folder with sample_patch_model.p etc.")->required();
  importCmd->add_option("--out", importWeights.out, "Bundle folder to write")->required();

  mammo::app::InferOptions infer;
  auto* inferCmd = app.add_subcommand("infer", "Run the NYU two-phase model on exams");
  auto* examsOpt = inferCmd->add_option("--exams", infer.exams, "Exam list (project JSON or NYU list as JSON)");
  auto* folderOpt = inferCmd->add_option("--folder", infer.folder, "Folder of exams (DICOM or PNG)");
  examsOpt->excludes(folderOpt);
  inferCmd->add_option("--model", infer.model, "Model bundle folder (see import-weights)")->required();
  inferCmd->add_option("--out", infer.out, "Output folder")->required();
  inferCmd->add_option("--epochs", infer.epochs, "Augmented samples averaged per model")->check(CLI::PositiveNumber);
  inferCmd->add_flag("--no-augment", infer.noAugment, "Deterministic windows (no location/size noise)");
  inferCmd->add_option("--seed", infer.seed, "Seed of both random streams (reference: 0)");
  inferCmd->add_option("--device", infer.device, "auto, cpu or cuda")->check(CLI::IsMember({"auto", "cpu", "cuda"}));
  inferCmd->add_option("--images-dir", infer.imagesDir, "Folder of the images an NYU exam list names");
  inferCmd->add_option("--precision", infer.precision, "Decimals in the CSVs (reference: 4); default full precision");
  inferCmd->add_option("--threads", infer.threads, "CPU threads (0 = all cores)");
  inferCmd->add_option("--batch", infer.batch, "Patches per classifier batch");
  inferCmd->add_option("--heatmaps", infer.heatmaps, "exact (as the reference) or fast (one fully convolutional pass)")
      ->check(CLI::IsMember({"exact", "fast"}));

  mammo::app::BenchOptions bench;
  auto* benchCmd = app.add_subcommand("bench", "Time every pipeline stage on one exam");
  benchCmd->add_option("--exam", bench.exam, "Exam folder or list")->required();
  benchCmd->add_option("--model", bench.model, "Model bundle folder")->required();
  benchCmd->add_option("--reference-timings", bench.referenceTimings, "timings.json of the reference, for ratios");
  benchCmd->add_option("--epochs", bench.epochs, "Samples per model (reference: 10)");
  benchCmd->add_option("--threads", bench.threads, "CPU threads (0 = all cores)");
  benchCmd->add_option("--batch", bench.batch, "Patches per classifier batch");
  benchCmd->add_option("--heatmaps", bench.heatmaps, "exact, fast, or compare (both, with fidelity figures)")
      ->check(CLI::IsMember({"exact", "fast", "compare"}));

  mammo::app::ScalingOptions scaling;
  auto* scalingCmd = app.add_subcommand("bench-scaling", "Heatmap time against crop size and thread count, with plots");
  scalingCmd->add_option("--model", scaling.model, "Model bundle folder")->required();
  scalingCmd->add_option("--sizes", scaling.sizes, "Comma-separated square crop sides in pixels");
  scalingCmd->add_option("--max-threads", scaling.maxThreads, "Largest thread count to time")->check(CLI::PositiveNumber);
  scalingCmd->add_option("--plots", scaling.plotDir, "Folder for the SVG plots");
  scalingCmd->add_option("--probe-threads", scaling.probeThreads, "Internal: time one thread count in this process");

  mammo::app::TrainCliOptions train;
  auto* trainCmd = app.add_subcommand("train", "Train the patch classifier, BI-RADS columns and cancer models");
  trainCmd->add_option("phase", train.phase, "patch, birads, cancer, all, or export (bundle of a finished run)")
      ->required()
      ->check(CLI::IsMember({"patch", "birads", "cancer", "all", "export"}));
  trainCmd->add_option("--exams", train.exams, "Exam list with labels and masks")->required();
  trainCmd->add_option("--out", train.out, "Run folder (metrics.json, checkpoints, resume state)")->required();
  trainCmd->add_option("--epochs", train.epochs, "Epochs per model");
  trainCmd->add_option("--seed", train.seed, "Seed of the split, initialisation and sampling");
  trainCmd->add_option("--input-scale", train.inputScale, "Model input size relative to 2677x1942 / 2974x1748");
  trainCmd->add_option("--batch", train.batch, "Exams (cancer) or patches (patch) per optimiser step");
  trainCmd->add_option("--lr", train.learningRate, "Adam learning rate");
  trainCmd->add_option("--patience", train.patience, "Epochs without a better validation AUC before stopping");
  trainCmd->add_option("--validation", train.validationFraction, "Share of patients held out for validation");
  trainCmd->add_option("--patches-per-epoch", train.patchesPerEpoch, "Patch classifier: patches per epoch");
  trainCmd->add_option("--patch-weights", train.patchWeights, "cancer: also train image+heatmaps with these weights");
  trainCmd->add_option("--threads", train.threads, "CPU threads (0 = all cores)");
  trainCmd->add_flag("--resume", train.resume, "Continue each model from OUT/<model>/resume");
  trainCmd->add_flag("--phantoms", train.phantoms, "Mark the checkpoints as trained on synthetic phantoms");
  trainCmd->add_option("--birads-weights", train.biradsWeights, "cancer: start the columns from this BI-RADS model");
  trainCmd->add_option("--heatmap-cache", train.heatmapCache, "Heatmap cache folder (default OUT/heatmap-cache)");
  trainCmd->add_option("--downsample", train.downsample, "Box-average the crops by this factor (small images)")
      ->check(CLI::PositiveNumber);
  trainCmd->add_option("--loader-threads", train.loaderThreads, "Batches prepared ahead on background threads");
  trainCmd->add_flag("--freeze-bn", train.freezeBatchNorm, "BatchNorm with running statistics while training");
  trainCmd->add_option("--world-size", train.worldSize, "Data-parallel processes in all")->check(CLI::PositiveNumber);
  trainCmd->add_option("--rank", train.rank, "This process's rank (0 = master, runs the rendezvous store)");
  trainCmd->add_option("--master", train.master, "ADDR:PORT of rank 0's rendezvous (TCPStore)");
  trainCmd->add_option("--backend", train.backend, "auto, gloo or nccl")->check(CLI::IsMember({"auto", "gloo", "nccl"}));
  trainCmd->add_option("--preset", train.preset,
                       "demo: the shipped demo model's settings (phantoms, 1/8 scale, F16 bundle); "
                       "overrides every other setting but --exams, --out, --threads, --resume")
      ->check(CLI::IsMember({"demo"}));
  trainCmd->add_option("--storage", train.storage, "Bundle tensors: F32 or F16 (half the size)")
      ->check(CLI::IsMember({"F32", "F16"}));
#endif

  CLI11_PARSE(app, argc, argv);
  try {
    if (*infoCmd) return mammo::app::runInfo(info);
    if (*synthCmd) return mammo::app::runSynth(synth);
    if (*convertCmd) return mammo::app::runMasksConvert(masksConvert);
    if (*agreeCmd) return mammo::app::runMasksAgree(masksAgree);
    if (*attachCmd) return mammo::app::runMasksAttach(masksAttach);
#if MAMMO_WITH_TORCH
    if (*importCmd) return mammo::app::runImportWeights(importWeights);
    if (*inferCmd) {
      if (infer.exams.empty() && infer.folder.empty()) throw std::invalid_argument("infer needs --exams or --folder");
      return mammo::app::runInfer(infer);
    }
    if (*benchCmd) return mammo::app::runBench(bench);
    if (*scalingCmd) return mammo::app::runBenchScaling(scaling);
    if (*trainCmd) return mammo::app::runTrain(train);
#endif
  } catch (const mammo::core::LoadError& e) {
    std::cerr << "error: " << e.what() << '\n';
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << '\n';
    return 1;
  }
  return 0;
}
