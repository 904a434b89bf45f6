#pragma once
// Private to core's DICOM reader and writer (not a public header): the transfer-syntax table that maps
// our enum to UIDs and DCMTK's enum, and the one-time codec registration.
#include <dcmtk/dcmdata/dcxfer.h>

#include "core/DicomIO.h"

namespace mammo::core::detail {

struct SyntaxEntry {
  TransferSyntax syntax;
  const char* name;
  const char* uid;
  E_TransferSyntax dcmtk;
};

extern const SyntaxEntry kSyntaxes[11];
const SyntaxEntry& entryOf(TransferSyntax s);
// Registers DCMTK's JPEG, JPEG-LS and RLE codecs once and silences DCMTK/GDCM logging (patient data
// must never reach logs).
void registerCodecsOnce();

}  // namespace mammo::core::detail
