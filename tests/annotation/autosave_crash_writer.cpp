// Crash-test helper: autosaves ever newer versions of two images' masks as fast as it can, forever.
// AutosaveCrashTest kills it with SIGKILL at random moments and checks what is left on disk.
#include <cstdio>
#include <cstdlib>

#include "CrashPattern.h"
#include "annotation/Autosaver.h"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s ROOT FIRST_VERSION\n", argv[0]);
    return 2;
  }
  mammo::annotation::Autosaver saver({argv[1], "crash", "", std::chrono::milliseconds(1)});
  for (auto version = static_cast<std::uint32_t>(std::strtoul(argv[2], nullptr, 10));; ++version) {
    const mammo::core::LabelMap map = mammo::test::crashPattern(version);
    saver.submit("P000001-0001", mammo::core::StandardView::LCC, map, mammo::core::PixelSpacing{0.07, 0.07, "test"});
    saver.submit("P000001-0001", mammo::core::StandardView::RMLO, map);
  }
}
