#include "app/CliCommands.h"

#include <csignal>
#include <iostream>

#include "app/ProgressBar.h"
#include "core/Job.h"
#include "core/Phantom.h"

namespace mammo::app {
namespace {
core::JobContext* g_job = nullptr;
extern "C" void onInterrupt(int) {
  if (g_job) g_job->cancel();
}
}  // namespace

int runSynth(const SynthOptions& options) {
  core::PhantomOptions phantom;
  phantom.seed = options.seed;
  phantom.lesionRate = options.lesionRate;
  if (options.size == "full")
    phantom.size = core::PhantomSize::Full;
  else if (options.size == "small")
    phantom.size = core::PhantomSize::Small;
  else
    throw std::invalid_argument("--size must be full or small, not " + options.size);

  core::PhantomWriteOptions write;
  write.dicom = options.format == "dicom" || options.format == "both";
  write.png = options.format == "png" || options.format == "both";
  if (!write.dicom && !write.png) throw std::invalid_argument("--format must be dicom, png or both");
  const auto syntax = core::parseTransferSyntax(options.syntax);
  if (!syntax) throw std::invalid_argument("unknown --transfer-syntax " + options.syntax);
  write.syntax = *syntax;
  if (options.photometric == "MONOCHROME1")
    write.photometric = core::Photometric::Monochrome1;
  else if (options.photometric != "MONOCHROME2")
    throw std::invalid_argument("--photometric must be MONOCHROME1 or MONOCHROME2");
  if (options.intent == "processing")
    write.intent = core::PresentationIntent::ForProcessing;
  else if (options.intent != "presentation")
    throw std::invalid_argument("--intent must be presentation or processing");

  ProgressBar bar;
  core::JobContext job([&bar](double f, const std::string& s) { bar.update(f, s); });
  g_job = &job;
  std::signal(SIGINT, onInterrupt);
  try {
    const core::ExamList list = core::synthesiseExams(options.exams, phantom, write, options.out, &job);
    std::cout << "wrote " << list.exams.size() << " exam(s) and " << options.out << "/exam_list.json\n";
  } catch (const core::Cancelled&) {
    std::cerr << "cancelled\n";
    g_job = nullptr;
    return 130;
  }
  g_job = nullptr;
  return 0;
}

}  // namespace mammo::app
