// The command line of mammolens-cli: each sub-command's options registered with CLI11, and what runs when it
// is chosen. cli_main.cpp only composes them.
#include "app/CliCommandLine.h"

#include <memory>
#include <stdexcept>

#include "app/CliCommands.h"

namespace mammo::app {

void addInfoCommands(CLI::App& app, Commands& commands) {
  auto info = std::make_shared<InfoOptions>();
  auto* infoCmd = app.add_subcommand("info", "Describe the images found in files, folders, DICOMDIRs or exam lists");
  infoCmd->add_option("paths", info->paths, "Files, folders, DICOMDIRs or exam-list JSON files")->required();
  infoCmd->add_option("--images-dir", info->imagesDir, "Folder of the images named by an NYU exam list");
  infoCmd->add_flag("--json", info->json, "Machine-readable output");

  commands.push_back({infoCmd, [info] { return runInfo(*info); }});

  auto synth = std::make_shared<SynthOptions>();
  auto* synthCmd = app.add_subcommand("synth", "Generate synthetic phantom exams with lesion masks");
  synthCmd->add_option("--exams", synth->exams, "Number of exams")->check(CLI::PositiveNumber);
  synthCmd->add_option("--out", synth->out, "Output folder")->required();
  synthCmd->add_option("--seed", synth->seed, "Random seed");
  synthCmd->add_option("--size", synth->size, "full (4096x3328 at 0.07 mm) or small (1024x832 at 0.28 mm)")
      ->check(CLI::IsMember({"full", "small"}));
  synthCmd->add_option("--format", synth->format, "dicom, png or both")->check(CLI::IsMember({"dicom", "png", "both"}));
  synthCmd->add_option("--transfer-syntax", synth->syntax,
                       "implicit-le, explicit-le, deflated, jpeg-baseline, jpeg-extended, jpeg-lossless, "
                       "jpeg-ls-lossless, jpeg-ls-near-lossless, jpeg2000-lossless, jpeg2000, rle");
  synthCmd->add_option("--photometric", synth->photometric, "MONOCHROME2 or MONOCHROME1");
  synthCmd->add_option("--intent", synth->intent, "presentation or processing");
  synthCmd->add_option("--lesion-rate", synth->lesionRate, "Probability that a breast carries a lesion")
      ->check(CLI::Range(0.0, 1.0));

  commands.push_back({synthCmd, [synth] { return runSynth(*synth); }});

  auto worklist = std::make_shared<WorklistOptions>();
  auto* worklistCmd = app.add_subcommand("worklist", "List the study store's worklist (after indexing --add paths)");
  worklistCmd->add_option("--store", worklist->store, "Study store folder (index.sqlite, managed studies)")->required();
  worklistCmd->add_option("--add", worklist->add, "Files, folders, DICOMDIRs or exam lists to index first");
  worklistCmd->add_flag("--json", worklist->json, "Machine-readable output");
  worklistCmd->add_flag("--unread", worklist->unread, "Only studies not read yet");
  worklistCmd->add_flag("--ai-done", worklist->aiDone, "Only studies with an AI result");
  worklistCmd->add_option("--from", worklist->from, "Study date from (YYYYMMDD)");
  worklistCmd->add_option("--to", worklist->to, "Study date to (YYYYMMDD)");
  worklistCmd->add_option("--text", worklist->text, "Text in patient id or name, accession or description");
  commands.push_back({worklistCmd, [worklist] { return runWorklist(*worklist); }});
}

void addPacsCommands(CLI::App& app, Commands& commands) {
  auto* pacs = app.add_subcommand("pacs", "DICOM networking: echo, receive, query, retrieve, send");
  pacs->require_subcommand(1);
  const auto remote = [](CLI::App* cmd, PacsOptions& o) {
    cmd->add_option("--host", o.host, "The PACS's host (default 127.0.0.1)");
    cmd->add_option("--port", o.port, "The PACS's port")->required();
    cmd->add_option("--called-aet", o.calledAe, "The PACS's AE title")->required();
    cmd->add_option("--aet", o.aet, "Our AE title (default MAMMOLENS)");
    cmd->add_option("--timeout", o.timeout, "Seconds to wait for the PACS");
  };
  auto echo = std::make_shared<PacsOptions>();
  auto* echoCmd = pacs->add_subcommand("echo", "C-ECHO a PACS");
  remote(echoCmd, *echo);
  commands.push_back({echoCmd, [echo] { return runPacsEcho(*echo); }});

  auto listen = std::make_shared<PacsOptions>();
  auto* listenCmd = pacs->add_subcommand("listen", "Receive images (C-STORE SCP) into the study store until stopped");
  listenCmd->add_option("--aet", listen->aet, "Our AE title")->required();
  listenCmd->add_option("--port", listen->listenPort, "The port to listen on")->required();
  listenCmd->add_option("--store", listen->store, "Study store folder")->required();
  listenCmd->add_option("--allow", listen->allow, "A calling AE title to accept (repeat for more)")->required();
  listenCmd->add_option("--max-associations", listen->maxAssociations, "Associations served at once");
  listenCmd->add_option("--timeout", listen->timeout, "Seconds an association may stay idle");
  commands.push_back({listenCmd, [listen] { return runPacsListen(*listen); }});

  auto query = std::make_shared<PacsOptions>();
  auto* queryCmd = pacs->add_subcommand("query", "Find studies on a PACS (C-FIND, study level)");
  remote(queryCmd, *query);
  queryCmd->add_option("--patient-id", query->patientId, "Patient ID");
  queryCmd->add_option("--study-date", query->studyDate, "YYYYMMDD or a range YYYYMMDD-YYYYMMDD");
  queryCmd->add_option("--accession", query->accession, "Accession number");
  queryCmd->add_flag("--json", query->json, "Machine-readable output");
  commands.push_back({queryCmd, [query] { return runPacsQuery(*query); }});

  auto retrieve = std::make_shared<PacsOptions>();
  auto* retrieveCmd = pacs->add_subcommand("retrieve", "Retrieve a study into the study store (C-MOVE or C-GET)");
  remote(retrieveCmd, *retrieve);
  retrieveCmd->add_option("--study-uid", retrieve->studyUid, "Study Instance UID")->required();
  retrieveCmd->add_option("--store", retrieve->store, "Study store folder")->required();
  retrieveCmd->add_option("--method", retrieve->method, "move (to our receiver) or get")
      ->check(CLI::IsMember({"move", "get"}));
  retrieveCmd->add_option("--listen-port", retrieve->listenPort, "move: our receiver's port (the PACS must know it)");
  commands.push_back({retrieveCmd, [retrieve] { return runPacsRetrieve(*retrieve); }});

  auto send = std::make_shared<PacsOptions>();
  auto* sendCmd = pacs->add_subcommand("send", "Send DICOM files to a PACS (C-STORE)");
  remote(sendCmd, *send);
  sendCmd->add_option("files", send->files, "DICOM files")->required();
  commands.push_back({sendCmd, [send] { return runPacsSend(*send); }});
}

void addMaskCommands(CLI::App& app, Commands& commands) {
  auto masksConvert = std::make_shared<MasksConvertOptions>();
  auto masksAgree = std::make_shared<MasksAgreeOptions>();
  auto* masksCmd = app.add_subcommand("masks", "Lesion masks: convert NYU PNG <-> DICOM SEG, compare annotators");
  masksCmd->require_subcommand(1);
  auto* convertCmd = masksCmd->add_subcommand("convert", "Convert NYU PNG masks and DICOM SEG files");
  convertCmd->add_option("inputs", masksConvert->inputs, "Mask PNGs, SEG files or folders of them")->required();
  convertCmd->add_option("--to", masksConvert->to, "seg or png")->required()->check(CLI::IsMember({"seg", "png"}));
  convertCmd->add_option("--out", masksConvert->out, "Output folder")->required();
  convertCmd->add_option("--reference", masksConvert->reference, "Exam whose DICOM images the SEGs reference");
  convertCmd->add_option("--classes", masksConvert->classes, "Class list JSON (ids and segment order)");
  auto* agreeCmd = masksCmd->add_subcommand("agree", "Dice/IoU per class and lesion matching of two mask sets");
  agreeCmd->add_option("a", masksAgree->a, "Annotator A's masks (folder or files)")->required();
  agreeCmd->add_option("b", masksAgree->b, "Annotator B's masks")->required();
  agreeCmd->add_option("--classes", masksAgree->classes, "Class list JSON (row order)");
  auto masksAttach = std::make_shared<MasksAttachOptions>();
  auto* attachCmd = masksCmd->add_subcommand("attach", "Point an exam list's images at NYU-named PNG masks");
  attachCmd->add_option("exam_list", masksAttach->examList, "Exam list JSON")->required();
  attachCmd->add_option("--masks", masksAttach->masks, "Mask PNGs or folders of them (one annotator's)")->required();
  attachCmd->add_option("--out", masksAttach->out, "The exam list to write")->required();
  attachCmd->add_flag("--replace", masksAttach->replace, "Drop masks the list already names for those images");

  commands.push_back({convertCmd, [masksConvert] { return runMasksConvert(*masksConvert); }});
  commands.push_back({agreeCmd, [masksAgree] { return runMasksAgree(*masksAgree); }});
  commands.push_back({attachCmd, [masksAttach] { return runMasksAttach(*masksAttach); }});
}

}  // namespace mammo::app
