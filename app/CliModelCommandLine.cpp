// The LibTorch commands of mammolens-cli (built with MAMMO_WITH_TORCH): import-weights, infer, bench,
// bench-scaling, train.
#include <memory>
#include <stdexcept>

#include "app/CliCommandLine.h"
#include "app/CliCommands.h"

namespace mammo::app {

void addModelCommands(CLI::App& app, Commands& commands) {
  auto importWeights = std::make_shared<ImportWeightsOptions>();
  auto* importCmd = app.add_subcommand("import-weights", "Convert NYU's published .p weight files into a model bundle");
  importCmd->add_option("nyu_models_dir", importWeights->nyuDir, "Folder with sample_patch_model.p etc.")->required();
  importCmd->add_option("--out", importWeights->out, "Bundle folder to write")->required();

  commands.push_back({importCmd, [importWeights] { return runImportWeights(*importWeights); }});

  auto infer = std::make_shared<InferOptions>();
  auto* inferCmd = app.add_subcommand("infer", "Run the NYU two-phase model on exams");
  auto* examsOpt = inferCmd->add_option("--exams", infer->exams, "Exam list (project JSON or NYU list as JSON)");
  auto* folderOpt = inferCmd->add_option("--folder", infer->folder, "Folder of exams (DICOM or PNG)");
  examsOpt->excludes(folderOpt);
  inferCmd->add_option("--model", infer->model, "Model bundle folder (see import-weights)")->required();
  inferCmd->add_option("--out", infer->out, "Output folder")->required();
  inferCmd->add_option("--epochs", infer->epochs, "Augmented samples averaged per model")->check(CLI::PositiveNumber);
  inferCmd->add_flag("--no-augment", infer->noAugment, "Deterministic windows (no location/size noise)");
  inferCmd->add_option("--seed", infer->seed, "Seed of both random streams (reference: 0)");
  inferCmd->add_option("--device", infer->device, "auto, cpu or cuda")->check(CLI::IsMember({"auto", "cpu", "cuda"}));
  inferCmd->add_option("--images-dir", infer->imagesDir, "Folder of the images an NYU exam list names");
  inferCmd->add_option("--precision", infer->precision, "Decimals in the CSVs (reference: 4); default full precision");
  inferCmd->add_option("--threads", infer->threads, "CPU threads (0 = all cores)");
  inferCmd->add_option("--batch", infer->batch, "Patches per classifier batch");
  inferCmd->add_option("--heatmaps", infer->heatmaps, "exact (as the reference) or fast (one fully convolutional pass)")
      ->check(CLI::IsMember({"exact", "fast"}));

  commands.push_back({inferCmd, [infer] {
                        if (infer->exams.empty() && infer->folder.empty())
                          throw std::invalid_argument("infer needs --exams or --folder");
                        return runInfer(*infer);
                      }});
}

void addBenchCommands(CLI::App& app, Commands& commands) {
  auto bench = std::make_shared<BenchOptions>();
  auto* benchCmd = app.add_subcommand("bench", "Time every pipeline stage on one exam");
  benchCmd->add_option("--exam", bench->exam, "Exam folder or list")->required();
  benchCmd->add_option("--model", bench->model, "Model bundle folder")->required();
  benchCmd->add_option("--reference-timings", bench->referenceTimings, "timings.json of the reference, for ratios");
  benchCmd->add_option("--epochs", bench->epochs, "Samples per model (reference: 10)");
  benchCmd->add_option("--threads", bench->threads, "CPU threads (0 = all cores)");
  benchCmd->add_option("--batch", bench->batch, "Patches per classifier batch");
  benchCmd->add_option("--heatmaps", bench->heatmaps, "exact, fast, or compare (both, with fidelity figures)")
      ->check(CLI::IsMember({"exact", "fast", "compare"}));

  commands.push_back({benchCmd, [bench] { return runBench(*bench); }});

  auto scaling = std::make_shared<ScalingOptions>();
  auto* scalingCmd = app.add_subcommand("bench-scaling", "Heatmap time against crop size and thread count, with plots");
  scalingCmd->add_option("--model", scaling->model, "Model bundle folder")->required();
  scalingCmd->add_option("--sizes", scaling->sizes, "Comma-separated square crop sides in pixels");
  scalingCmd->add_option("--max-threads", scaling->maxThreads, "Largest thread count to time")
      ->check(CLI::PositiveNumber);
  scalingCmd->add_option("--plots", scaling->plotDir, "Folder for the SVG plots");
  scalingCmd->add_option("--probe-threads", scaling->probeThreads, "Internal: time one thread count in this process");

  commands.push_back({scalingCmd, [scaling] { return runBenchScaling(*scaling); }});

  auto preread = std::make_shared<PreReadBenchOptions>();
  auto* prereadCmd =
      app.add_subcommand("bench-preread", "Background pre-reading: studies per hour, the open study's wait");
  prereadCmd->add_option("--model", preread->model, "Model bundle folder")->required();
  prereadCmd->add_option("--work", preread->work, "Scratch folder (emptied first)")->required();
  prereadCmd->add_option("--studies", preread->studies, "Studies pre-read (one more is the open study)")
      ->check(CLI::PositiveNumber);
  prereadCmd->add_option("--size", preread->size, "full (4096x3328) or small phantoms")
      ->check(CLI::IsMember({"full", "small"}));
  prereadCmd->add_option("--heatmaps", preread->heatmaps, "exact or fast")->check(CLI::IsMember({"exact", "fast"}));
  prereadCmd->add_option("--epochs", preread->epochs, "Samples per model (reference: 10)")->check(CLI::PositiveNumber);
  prereadCmd->add_option("--threads", preread->threads, "CPU threads (0 = all cores)");
  prereadCmd->add_option("--open-after", preread->openAfter,
                         "Seconds into the first pre-read when the study is opened");
  commands.push_back({prereadCmd, [preread] { return runPreReadBench(*preread); }});
}

void addTrainCommand(CLI::App& app, Commands& commands) {
  auto train = std::make_shared<TrainCliOptions>();
  auto* trainCmd = app.add_subcommand("train", "Train the patch classifier, BI-RADS columns and cancer models");
  trainCmd->add_option("phase", train->phase, "patch, birads, cancer, all, or export (bundle of a finished run)")
      ->required()
      ->check(CLI::IsMember({"patch", "birads", "cancer", "all", "export"}));
  trainCmd->add_option("--exams", train->exams, "Exam list with labels and masks")->required();
  trainCmd->add_option("--out", train->out, "Run folder (metrics.json, checkpoints, resume state)")->required();
  trainCmd->add_option("--epochs", train->train.epochs, "Epochs per model");
  trainCmd->add_option("--seed", train->train.seed, "Seed of the split, initialisation and sampling");
  trainCmd->add_option("--input-scale", train->inputScale, "Model input size relative to 2677x1942 / 2974x1748");
  trainCmd->add_option("--batch", train->train.batchSize, "Exams (cancer) or patches (patch) per optimiser step");
  trainCmd->add_option("--lr", train->train.learningRate, "Adam learning rate");
  trainCmd->add_option("--patience", train->train.patience, "Epochs without a better validation AUC before stopping");
  trainCmd->add_option("--validation", train->validationFraction, "Share of patients held out for validation");
  trainCmd->add_option("--patches-per-epoch", train->patchesPerEpoch, "Patch classifier: patches per epoch");
  trainCmd->add_option("--patch-weights", train->patchWeights, "cancer: also train image+heatmaps with these weights");
  trainCmd->add_option("--threads", train->threads, "CPU threads (0 = all cores)");
  trainCmd->add_flag("--resume", train->train.resume, "Continue each model from OUT/<model>/resume");
  trainCmd->add_flag("--phantoms", train->phantoms, "Mark the checkpoints as trained on synthetic phantoms");
  trainCmd->add_option("--birads-weights", train->biradsWeights, "cancer: start the columns from this BI-RADS model");
  trainCmd->add_option("--heatmap-cache", train->heatmapCache, "Heatmap cache folder (default OUT/heatmap-cache)");
  trainCmd->add_option("--downsample", train->downsample, "Box-average the crops by this factor (small images)")
      ->check(CLI::PositiveNumber);
  trainCmd->add_option("--loader-threads", train->train.loaderThreads, "Batches prepared ahead on background threads");
  trainCmd->add_flag("--freeze-bn", train->train.freezeBatchNorm, "BatchNorm with running statistics while training");
  trainCmd->add_option("--world-size", train->worldSize, "Data-parallel processes in all")->check(CLI::PositiveNumber);
  trainCmd->add_option("--rank", train->rank, "This process's rank (0 = master, runs the rendezvous store)");
  trainCmd->add_option("--master", train->master, "ADDR:PORT of rank 0's rendezvous (TCPStore)");
  trainCmd->add_option("--backend", train->backend, "auto, gloo or nccl")
      ->check(CLI::IsMember({"auto", "gloo", "nccl"}));
  trainCmd
      ->add_option("--preset", train->preset,
                   "demo: the shipped demo model's settings (phantoms, 1/8 scale, F16 bundle); "
                   "overrides every other setting but --exams, --out, --threads, --resume")
      ->check(CLI::IsMember({"demo"}));
  trainCmd->add_option("--storage", train->storage, "Bundle tensors: F32 or F16 (half the size)")
      ->check(CLI::IsMember({"F32", "F16"}));
  commands.push_back({trainCmd, [train] { return runTrain(*train); }});
}

}  // namespace mammo::app
