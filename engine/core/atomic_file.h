#pragma once
// Files are written atomically (DESIGN.md, Errors): a temp file in the same folder, flushed, then
// renamed over the target, so a crash or a cancelled job never leaves a half-written image behind.

#include <string>
#include <vector>

namespace easel::core {

/// Writes `bytes` to `path` atomically. Throws api::Error(FileUnreadable) naming the path on failure;
/// no temp file is left behind either way.
void writeFileAtomically(const std::string& path, const std::vector<unsigned char>& bytes);

/// Reads a whole file; throws api::Error(FileNotFound / FileUnreadable) naming it.
std::vector<unsigned char> readWholeFile(const std::string& path, std::size_t maxBytes = std::size_t(1) << 31);

} // namespace easel::core
