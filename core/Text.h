#pragma once
// Text from files and the network, made safe to show and to write as JSON: DICOM text arrives in the
// character set its Specific Character Set names (the readers convert it to UTF-8 where DCMTK can); what
// still is not valid UTF-8 has each invalid byte replaced by U+FFFD, so that a name in an unexpected
// character set shows as "M?ller", never as an error or a crash.
#include <string>
#include <string_view>

namespace mammo::core {

bool isValidUtf8(std::string_view text);
std::string validUtf8(std::string_view text);

}  // namespace mammo::core
