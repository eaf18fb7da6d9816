#pragma once
// Options every easel-cli subcommand shares, and how they configure logging and the runtime.

#include <vector>

#include "app/cli/args.h"

namespace easel::cli {

/// --verbose, --device auto|cpu|cuda, --threads N
std::vector<OptionSpec> commonOptionSpecs();
/// Initialises logging and the engine runtime from the common options. Throws api::Error.
void applyCommonOptions(const Args& args);

} // namespace easel::cli
