#include "app/cli/args.h"

#include <sstream>
#include <stdexcept>

namespace easel::cli {

Args::Args(const std::vector<OptionSpec>& specs, const std::vector<std::string>& argv)
{
    auto find = [&](const std::string& token) -> const OptionSpec* {
        for (const auto& s : specs) {
            if (token.rfind("--", 0) == 0 && token.substr(2) == s.longName)
                return &s;
            if (!s.shortName.empty() && token == "-" + s.shortName)
                return &s;
        }
        return nullptr;
    };
    bool onlyPositionals = false;
    for (size_t i = 0; i < argv.size(); ++i) {
        std::string token = argv[i];
        if (onlyPositionals || token.size() < 2 || token[0] != '-' || token == "-") {
            m_positionals.push_back(token);
            continue;
        }
        if (token == "--help" || token == "-h")
            throw HelpRequested(usage(specs));
        if (token == "--") {
            onlyPositionals = true;
            continue;
        }
        std::optional<std::string> inlineValue;
        if (const auto eq = token.find('='); token.rfind("--", 0) == 0 && eq != std::string::npos) {
            inlineValue = token.substr(eq + 1);
            token = token.substr(0, eq);
        }
        const OptionSpec* spec = find(token);
        if (!spec) {
            // Negative numbers are values, not options ("--seed -1" is handled below).
            throw std::invalid_argument("unknown option " + token + "\n" + usage(specs));
        }
        if (!spec->takesValue) {
            m_flags.insert(spec->longName);
            continue;
        }
        std::string v;
        if (inlineValue) {
            v = *inlineValue;
        } else {
            if (i + 1 >= argv.size())
                throw std::invalid_argument("option --" + spec->longName + " needs a value");
            v = argv[++i];
        }
        auto& slot = m_values[spec->longName];
        if (!spec->repeatable)
            slot.clear();
        slot.push_back(v);
    }
}

bool Args::has(const std::string& name) const { return m_flags.count(name) || m_values.count(name); }

std::optional<std::string> Args::value(const std::string& name) const
{
    auto it = m_values.find(name);
    if (it == m_values.end() || it->second.empty())
        return std::nullopt;
    return it->second.back();
}

std::string Args::value(const std::string& name, const std::string& fallback) const
{
    return value(name).value_or(fallback);
}

int Args::intValue(const std::string& name, int fallback) const
{
    auto v = value(name);
    if (!v)
        return fallback;
    try {
        size_t used = 0;
        const long long n = std::stoll(*v, &used);
        if (used != v->size())
            throw std::invalid_argument("");
        return static_cast<int>(n);
    } catch (const std::exception&) {
        throw std::invalid_argument("option --" + name + " expects an integer, got '" + *v + "'");
    }
}

double Args::doubleValue(const std::string& name, double fallback) const
{
    auto v = value(name);
    if (!v)
        return fallback;
    try {
        size_t used = 0;
        const double d = std::stod(*v, &used);
        if (used != v->size())
            throw std::invalid_argument("");
        return d;
    } catch (const std::exception&) {
        throw std::invalid_argument("option --" + name + " expects a number, got '" + *v + "'");
    }
}

std::vector<std::string> Args::values(const std::string& name) const
{
    auto it = m_values.find(name);
    return it == m_values.end() ? std::vector<std::string>{} : it->second;
}

std::string Args::usage(const std::vector<OptionSpec>& specs)
{
    std::ostringstream out;
    out << "options:\n";
    for (const auto& s : specs) {
        out << "  ";
        if (!s.shortName.empty())
            out << "-" << s.shortName << ", ";
        out << "--" << s.longName << (s.takesValue ? " VALUE" : "") << "  " << s.help << "\n";
    }
    return out.str();
}

} // namespace easel::cli
