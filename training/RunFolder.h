#pragma once
// The folder of a training run, written by `mammolens-cli train` and the GUI's training dashboard alike,
// and every name in it, in one place:
//
//   RUN/run.json                     the run's cancer-model input geometry (input scale, downsample)
//   RUN/<part>/metrics.json          per-epoch metrics of one model (metricsJson)
//   RUN/<part>/checkpoint-epoch-NNN.{safetensors,json}   every epoch's weights and sidecar
//   RUN/<part>/best.{safetensors,json}                   the best epoch so far
//   RUN/<part>/resume/               the exact resume state
//   RUN/heatmap-cache/               heatmaps of the dataset's views (DatasetHeatmaps)
//   RUN/bundle/                      the model bundle of a finished `train all`
//   RUN/reading/<part>-epoch-NNN/    bundles made from one checkpoint for reading (the dashboard)
//
// <part> is one of the run's models, spelled one way everywhere (folders, events, messages): patch,
// birads, image, imageheatmaps. Plain values; thread-safe.
#include <array>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace mammo::training {

enum class RunPart { Patch, Birads, Image, ImageHeatmaps };
inline constexpr std::array<RunPart, 4> kRunParts{RunPart::Patch, RunPart::Birads, RunPart::Image,
                                                  RunPart::ImageHeatmaps};

std::string_view folderName(RunPart part);  // "patch", "birads", "image", "imageheatmaps"
std::string_view partTitle(RunPart part);  // "Patch classifier", ...
std::optional<RunPart> parseRunPart(std::string_view folderName);

// The files of one model's training inside its folder (the training loop writes them).
class PartFolder {
 public:
  explicit PartFolder(std::filesystem::path dir) : m_dir(std::move(dir)) {}
  const std::filesystem::path& dir() const { return m_dir; }
  // STEM for writeCheckpoint (STEM.safetensors + STEM.json).
  std::filesystem::path checkpointStem(int epoch) const;
  std::filesystem::path checkpointWeights(int epoch) const { return checkpointStem(epoch).string() + ".safetensors"; }
  std::filesystem::path bestStem() const { return m_dir / "best"; }
  std::filesystem::path bestWeights() const { return m_dir / "best.safetensors"; }
  std::filesystem::path bestSidecar() const { return m_dir / "best.json"; }
  std::filesystem::path metrics() const { return m_dir / "metrics.json"; }
  std::filesystem::path resume() const { return m_dir / "resume"; }
  // Whether the folder holds a run of this model to resume or extend (metrics or resume state).
  bool hasHistory() const;

  // The epoch of a checkpoint sidecar's file name (checkpoint-epoch-NNN.json), nullopt for other files.
  static std::optional<int> sidecarEpoch(const std::filesystem::path& file);

 private:
  std::filesystem::path m_dir;
};

// What run.json records: the cancer models' input geometry of the run, for bundles made from its checkpoints.
struct RunInfo {
  double inputScale = 0.25;
  int downsample = 1;
};

class RunFolder {
 public:
  explicit RunFolder(std::filesystem::path root) : m_root(std::move(root)) {}
  const std::filesystem::path& root() const { return m_root; }

  PartFolder part(RunPart part) const { return PartFolder(m_root / std::string(folderName(part))); }
  std::filesystem::path heatmapCache() const { return m_root / "heatmap-cache"; }
  std::filesystem::path bundle() const { return m_root / "bundle"; }
  std::filesystem::path readingBundle(RunPart part, int epoch) const;
  std::filesystem::path runInfoFile() const { return m_root / "run.json"; }

  // Writes run.json atomically; throws std::runtime_error naming the file.
  void writeRunInfo(const RunInfo& info) const;
  // nullopt when there is no run.json; throws std::runtime_error naming the file when it is unreadable.
  std::optional<RunInfo> readRunInfo() const;

 private:
  std::filesystem::path m_root;
};

}  // namespace mammo::training
