#pragma once
// The sub-commands of mammolens-cli, each a function taking its parsed options.
#include <cstdint>
#include <string>
#include <vector>

#include "training/TrainOptions.h"

namespace mammo::app {

// The study store's worklist: lists it (text or JSON), after indexing `add` paths when given.
struct WorklistOptions {
  std::string store;
  std::vector<std::string> add;  // files, folders, DICOMDIRs, exam lists to index first
  bool json = false;
  bool unread = false, aiDone = false;
  std::string from, to, text;
};
int runWorklist(const WorklistOptions& options);

// mammolens-cli pacs echo|listen|query|retrieve|send: the workstation's DICOM node on the command line.
struct PacsOptions {
  std::string host = "127.0.0.1";
  int port = 4242;
  std::string calledAe = "ORTHANC";
  std::string aet = "MAMMOLENS";  // ours (listen: the receiver's)
  int listenPort = 11112;  // listen, and retrieve --method move: our receiver's port
  std::string store;  // listen, retrieve: the study store folder
  std::vector<std::string> allow;  // listen: calling AE titles let in
  int maxAssociations = 8;
  std::string patientId, studyDate, accession;  // query
  std::string studyUid;  // retrieve
  std::string method = "move";  // retrieve: move | get
  std::vector<std::string> files;  // send
  bool json = false;
  int timeout = 30;
};
int runPacsEcho(const PacsOptions& options);
int runPacsListen(const PacsOptions& options);
int runPacsQuery(const PacsOptions& options);
int runPacsRetrieve(const PacsOptions& options);
int runPacsSend(const PacsOptions& options);

struct InfoOptions {
  std::vector<std::string> paths;
  std::string imagesDir;
  bool json = false;
};
int runInfo(const InfoOptions& options);

struct SynthOptions {
  int exams = 1;
  std::string out;
  std::uint64_t seed = 1;
  std::string size = "small";  // full | small
  std::string format = "both";  // dicom | png | both
  std::string syntax = "explicit-le";
  std::string photometric = "MONOCHROME2";
  std::string intent = "presentation";  // presentation | processing
  double lesionRate = 0.5;
};
int runSynth(const SynthOptions& options);

struct MasksConvertOptions {
  std::vector<std::string> inputs;  // NYU PNG masks and/or DICOM SEG files, or folders of them
  std::string to;  // seg | png
  std::string out;
  std::string reference;  // exam (folder, files or list) whose DICOM images the SEGs reference
  std::string classes;  // class list JSON (annotation/MaskClasses.h); default the standard list
};
int runMasksConvert(const MasksConvertOptions& options);

struct MasksAgreeOptions {
  std::string a;
  std::string b;
  std::string classes;
};
int runMasksAgree(const MasksAgreeOptions& options);

// Points an exam list's images at NYU-named PNG masks (the training reads them from the list).
struct MasksAttachOptions {
  std::string examList;
  std::vector<std::string> masks;  // mask files or folders (one annotator's)
  std::string out;  // the new exam list
  bool replace = false;  // drop masks the list already names for the images given masks
};
int runMasksAttach(const MasksAttachOptions& options);

}  // namespace mammo::app

namespace mammo::app {

struct ImportWeightsOptions {
  std::string nyuDir;
  std::string out;
};
int runImportWeights(const ImportWeightsOptions& options);

struct InferOptions {
  std::string exams;
  std::string folder;
  std::string model;
  std::string out;
  std::string imagesDir;
  std::string device = "auto";
  int epochs = 10;
  bool noAugment = false;
  std::uint32_t seed = 0;
  int precision = -1;
  int threads = 0;
  int batch = 0;
  std::string heatmaps = "exact";  // exact | fast
};
int runInfer(const InferOptions& options);

struct BenchOptions {
  std::string exam;
  std::string model;
  std::string referenceTimings;
  int epochs = 10;
  int threads = 0;
  int batch = 0;
  std::string heatmaps = "exact";  // exact | fast | compare (both, with the fidelity report)
};
int runBench(const BenchOptions& options);

struct ScalingOptions {
  std::string model;
  std::string sizes = "512,1024,1536,2048";  // square crop sides in pixels
  int maxThreads = 2;
  std::string plotDir;  // where the SVG plots go (none when empty)
  int probeThreads = 0;  // internal: time one thread count in this process and print "per-patch S"
};
int runBenchScaling(const ScalingOptions& options);

// Background pre-reading measured (app/CliPreReadBench.cpp).
struct PreReadBenchOptions {
  std::string model;
  std::string work;  // scratch folder (emptied): phantom studies, store, caches
  int studies = 3;  // pre-read (one more is the open study)
  std::string size = "full";  // full | small phantoms
  std::string heatmaps = "exact";
  int epochs = 10;
  int threads = 0;
  double openAfter = 10;  // seconds into the first pre-read when the open study is opened
};
int runPreReadBench(const PreReadBenchOptions& options);

}  // namespace mammo::app

namespace mammo::app {

struct TrainCliOptions {
  std::string phase;  // patch | birads | cancer | all | export (the bundle of a finished run)
  std::string exams;
  std::string out;
  // --epochs, --seed, --batch, --lr, --patience, --resume, --loader-threads, --freeze-bn; provenance and
  // data parallelism are set from the options below.
  training::TrainOptions train;
  double inputScale = 0.25;  // of the reference's model input size
  double validationFraction = 0.2;
  int patchesPerEpoch = 64;
  int threads = 0;
  bool phantoms = false;  // provenance "trained on synthetic phantoms — not for clinical use"
  std::string provenance = "trained with mammolens-cli train — not for clinical use";
  std::string patchWeights;  // cancer: train the image+heatmaps model with these patch weights too
  std::string biradsWeights;  // cancer: start the columns from this BI-RADS checkpoint
  std::string heatmapCache;  // default OUT/heatmap-cache
  int downsample = 1;
  int worldSize = 1;
  int rank = 0;
  std::string master = "127.0.0.1:29500";
  std::string backend = "auto";
  std::string preset;  // "demo": every setting of the shipped demo model (applyTrainPreset)
  std::string storage = "F32";  // bundle tensors: F32 or F16
};
// Overwrites the settings a preset fixes (all but exams, out, threads, resume); throws for an unknown one.
void applyTrainPreset(TrainCliOptions& options);
int runTrain(const TrainCliOptions& options);

}  // namespace mammo::app
