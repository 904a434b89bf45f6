// mammolens-cli: the command-line face of Mammolens. Never links ui (docs/ARCHITECTURE.md). main() parses
// and hands over to the chosen command (app/CliCommandLine.h); errors become one line on stderr and exit 1.
#include <CLI/CLI.hpp>

#include <iostream>

#include "app/CliCommandLine.h"
#include "mammo/Config.h"

int main(int argc, char** argv) {
  CLI::App app{"Mammolens command line (version " MAMMO_VERSION ")"};
  app.require_subcommand(1);
  mammo::app::Commands commands;
  mammo::app::addInfoCommands(app, commands);
  mammo::app::addMaskCommands(app, commands);
  mammo::app::addPacsCommands(app, commands);
#if MAMMO_WITH_TORCH
  mammo::app::addModelCommands(app, commands);
  mammo::app::addBenchCommands(app, commands);
  mammo::app::addTrainCommand(app, commands);
#endif
  CLI11_PARSE(app, argc, argv);
  try {
    for (const mammo::app::Command& command : commands) {
      if (*command.parsed) return command.run();
    }
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << '\n';
    return 1;
  }
  return 0;
}
