#pragma once
/// Prompt-tag names (`<lora:name:w>`, embedding trigger words) to files through the catalog: by file
/// name, alias or ss_output_name (ModelLibrary::resolve). Plain C++; the returned function opens its
/// own connection on first use and must then stay on that thread (the engine thread).

#include <functional>
#include <string>

namespace easel::catalog {

/// (kind, name) -> path of a present file, "" when the catalog knows none (or cannot be opened:
/// the caller falls back to its folders, so a broken catalog never stops a generation).
using NameLookup = std::function<std::string(const std::string& kind, const std::string& name)>;

NameLookup catalogNameLookup(std::string databasePath);

} // namespace easel::catalog
