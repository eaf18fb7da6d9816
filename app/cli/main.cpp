// easel-cli: subcommand dispatch and the error boundary. Any api::Error becomes a message on
// stderr and a non-zero exit code; nothing escapes as an uncaught exception.

#include <algorithm>
#include <cstring>
#include <iostream>
#include <stdexcept>

#include "app/cli/args.h"
#include "app/cli/commands.h"
#include "engine/api/error.h"
#include "engine/api/version.h"

namespace easel::cli {

static std::vector<Command>& registry()
{
    static std::vector<Command> all;
    return all;
}

CommandRegistrar::CommandRegistrar(const char* name, const char* summary, int (*run)(const std::vector<std::string>&))
{
    auto& all = registry();
    all.push_back({name, summary, run});
    std::sort(all.begin(), all.end(), [](const Command& a, const Command& b) { return std::strcmp(a.name, b.name) < 0; });
}

const std::vector<Command>& commands() { return registry(); }

} // namespace easel::cli

namespace {

void printHelp()
{
    std::cout << "easel-cli " << easel::api::easelVersion() << " — Easel from the terminal\n\n"
              << "usage: easel-cli COMMAND [options]\n\ncommands:\n";
    for (const auto& c : easel::cli::commands())
        std::cout << "  " << c.name << std::string(18 - std::min<size_t>(17, std::strlen(c.name)), ' ')
                  << c.summary << "\n";
    std::cout << "\n`easel-cli COMMAND --help` lists a command's options.\n";
}

} // namespace

int main(int argc, char** argv)
{
    if (argc < 2 || !std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h") || !std::strcmp(argv[1], "help")) {
        printHelp();
        return argc < 2 ? 2 : 0;
    }
    if (!std::strcmp(argv[1], "--version")) {
        std::cout << easel::api::easelVersion() << "\n";
        return 0;
    }
    // Two-word commands ("bench io", "bench library") are registered under both words.
    std::string name = argv[1];
    int consumed = 2;
    if (argc > 2) {
        const std::string twoWords = name + " " + argv[2];
        for (const auto& c : easel::cli::commands())
            if (twoWords == c.name) {
                name = twoWords;
                consumed = 3;
            }
    }
    std::vector<std::string> rest(argv + consumed, argv + argc);
    for (const auto& c : easel::cli::commands()) {
        if (name != c.name)
            continue;
        try {
            return c.run(rest);
        } catch (const easel::cli::HelpRequested& help) {
            std::cout << "usage: easel-cli " << name << " [options]\n" << help.what();
            return 0;
        } catch (const easel::api::Error& e) {
            std::cerr << "easel-cli " << name << ": error (" << easel::api::errorCodeName(e.code()) << "): " << e.what()
                      << "\n";
            return e.code() == easel::api::ErrorCode::InvalidRequest ? 2 : 1;
        } catch (const std::invalid_argument& e) {
            std::cerr << "easel-cli " << name << ": " << e.what() << "\n";
            return 2;
        } catch (const std::exception& e) {
            std::cerr << "easel-cli " << name << ": internal error: " << e.what() << "\n";
            return 1;
        }
    }
    std::cerr << "easel-cli: unknown command '" << name << "'\n";
    printHelp();
    return 2;
}
