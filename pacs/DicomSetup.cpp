#include "pacs/DicomSetup.h"

#include "dcmtk/config/osconfig.h"  // first, as DCMTK requires

#include <dcmtk/dcmdata/dcuid.h>
#include <dcmtk/dcmnet/scpcfg.h>
#include <dcmtk/oflog/oflog.h>

#include <mutex>

namespace mammo::pacs {

void configureDcmtkOnce() {
  static std::once_flag once;
  std::call_once(once, [] { OFLog::configure(OFLogger::OFF_LOG_LEVEL); });
}

const std::vector<std::string>& storageSopClasses() {
  static const std::vector<std::string> classes{
      UID_DigitalMammographyXRayImageStorageForPresentation, UID_DigitalMammographyXRayImageStorageForProcessing,
      UID_DigitalXRayImageStorageForPresentation, UID_DigitalXRayImageStorageForProcessing,
      UID_SecondaryCaptureImageStorage};  // digitised film mammograms arrive as secondary capture
  return classes;
}

const std::vector<std::string>& storageTransferSyntaxes() {
  static const std::vector<std::string> syntaxes{UID_JPEG2000LosslessOnlyTransferSyntax,
                                                 UID_JPEGLSLosslessTransferSyntax,
                                                 UID_JPEGProcess14SV1TransferSyntax,
                                                 UID_JPEGProcess14TransferSyntax,
                                                 UID_RLELosslessTransferSyntax,
                                                 UID_DeflatedExplicitVRLittleEndianTransferSyntax,
                                                 UID_JPEG2000TransferSyntax,
                                                 UID_JPEGLSLossyTransferSyntax,
                                                 UID_JPEGProcess1TransferSyntax,
                                                 UID_JPEGProcess2_4TransferSyntax,
                                                 UID_LittleEndianExplicitTransferSyntax,
                                                 UID_LittleEndianImplicitTransferSyntax};
  return syntaxes;
}

void addStoragePresentationContexts(DcmSCPConfig& config) {
  OFList<OFString> syntaxes;
  for (const std::string& s : storageTransferSyntaxes()) syntaxes.push_back(s.c_str());
  for (const std::string& sop : storageSopClasses()) config.addPresentationContext(sop.c_str(), syntaxes);
  OFList<OFString> verification;
  verification.push_back(UID_LittleEndianExplicitTransferSyntax);
  verification.push_back(UID_LittleEndianImplicitTransferSyntax);
  config.addPresentationContext(UID_VerificationSOPClass, verification);
}

}  // namespace mammo::pacs
