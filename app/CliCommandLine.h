#pragma once
// mammolens-cli's sub-commands as CLI11 registrations: each add* function declares its commands' options on
// `app` and appends, per command, what runs when it is the one chosen.
#include <CLI/CLI.hpp>

#include <functional>
#include <vector>

namespace mammo::app {

struct Command {
  CLI::App* parsed = nullptr;  // chosen when *parsed is true after parsing
  std::function<int()> run;
};
using Commands = std::vector<Command>;

void addInfoCommands(CLI::App& app, Commands& commands);  // info, synth
void addMaskCommands(CLI::App& app, Commands& commands);  // masks convert | agree | attach
void addPacsCommands(CLI::App& app, Commands& commands);  // pacs echo | listen | query | retrieve | send
void addModelCommands(CLI::App& app, Commands& commands);  // import-weights, infer (LibTorch)
void addBenchCommands(CLI::App& app, Commands& commands);  // bench, bench-scaling (LibTorch)
void addTrainCommand(CLI::App& app, Commands& commands);  // train (LibTorch)

}  // namespace mammo::app
