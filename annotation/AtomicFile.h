#pragma once
// Crash-safe file replacement: the bytes go to a temporary file in the target's folder, are fsync'ed,
// renamed over the target (atomic on POSIX file systems) and the folder is fsync'ed so the rename itself
// survives a power cut. A reader therefore sees either the old or the new file, never a partial one.
#include <cstdint>
#include <filesystem>
#include <span>

namespace mammo::annotation {

// Throws std::runtime_error naming the target and the system error; the temporary is removed on failure.
void writeFileAtomically(const std::filesystem::path& target, std::span<const std::uint8_t> bytes);

// For writers that produce a file themselves (e.g. DCMTK): a temporary path beside `target`, and the
// fsync + rename + folder fsync that commits it.
std::filesystem::path temporaryPathFor(const std::filesystem::path& target);
void commitTemporary(const std::filesystem::path& temporary, const std::filesystem::path& target);

// Temporaries are named ".<target name>.<pid>.<counter>.tmp": hidden, and never ending in .png/.dcm/.json,
// so no reader takes one for a mask or sidecar. Left behind only by a crash; removeStaleTemporaries
// deletes those of `folder` (call it when opening a folder for writing, never concurrently with a writer).
bool isTemporaryName(const std::filesystem::path& file);
std::size_t removeStaleTemporaries(const std::filesystem::path& folder);

}  // namespace mammo::annotation
