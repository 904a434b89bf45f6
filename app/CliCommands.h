#pragma once
// The sub-commands of mammolens-cli, each a function taking its parsed options.
#include <cstdint>
#include <string>
#include <vector>

namespace mammo::app {

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
  std::string size = "small";     // full | small
  std::string format = "both";    // dicom | png | both
  std::string syntax = "explicit-le";
  std::string photometric = "MONOCHROME2";
  std::string intent = "presentation";  // presentation | processing
  double lesionRate = 0.5;
};
int runSynth(const SynthOptions& options);

}  // namespace mammo::app
