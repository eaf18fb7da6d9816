#pragma once
// Minimal command-line parsing for easel-cli subcommands: `--name value`, `--name=value`, `-x value`,
// flags, and positionals. Unknown options are errors that list what is accepted.

#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace easel::cli {

struct OptionSpec {
    std::string longName;      ///< "model" for --model
    std::string shortName;     ///< "m" for -m, or empty
    bool takesValue = true;
    bool repeatable = false;
    std::string help;
};

/// Thrown by Args when --help / -h is given; what() is the usage text.
struct HelpRequested : std::runtime_error {
    using std::runtime_error::runtime_error;
};

class Args {
public:
    /// Throws std::invalid_argument with a readable message on unknown options / missing values.
    Args(const std::vector<OptionSpec>& specs, const std::vector<std::string>& argv);

    bool has(const std::string& name) const;
    std::optional<std::string> value(const std::string& name) const;
    std::string value(const std::string& name, const std::string& fallback) const;
    int intValue(const std::string& name, int fallback) const;
    double doubleValue(const std::string& name, double fallback) const;
    std::vector<std::string> values(const std::string& name) const;
    const std::vector<std::string>& positionals() const { return m_positionals; }

    static std::string usage(const std::vector<OptionSpec>& specs);

private:
    std::map<std::string, std::vector<std::string>> m_values;
    std::set<std::string> m_flags;
    std::vector<std::string> m_positionals;
};

} // namespace easel::cli
