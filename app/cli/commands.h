#pragma once
// easel-cli subcommands. Each lives in its own command_*.cpp and registers itself here.

#include <string>
#include <vector>

namespace easel::cli {

struct Command {
    const char* name;
    const char* summary;
    int (*run)(const std::vector<std::string>& args); ///< returns the process exit code
};

/// All subcommands in the order `easel-cli --help` lists them.
const std::vector<Command>& commands();

int runSystemInfo(const std::vector<std::string>& args);

/// Shared options every subcommand accepts: --verbose, --device, --threads.
struct CommonOptions {
    bool verbose = false;
    std::string device = "auto";
    int threads = 0;
};

} // namespace easel::cli
