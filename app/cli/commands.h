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

/// All registered subcommands, sorted by name.
const std::vector<Command>& commands();

/// Each command_*.cpp registers itself with a file-level `static const CommandRegistrar r{...};`
/// so adding a command touches only its own file and app/cli/CMakeLists.txt.
struct CommandRegistrar {
    CommandRegistrar(const char* name, const char* summary, int (*run)(const std::vector<std::string>&));
};

/// Shared options every subcommand accepts: --verbose, --device, --threads.
struct CommonOptions {
    bool verbose = false;
    std::string device = "auto";
    int threads = 0;
};

} // namespace easel::cli
