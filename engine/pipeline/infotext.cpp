#include "engine/pipeline/infotext.h"

#include <array>
#include <charconv>
#include <cmath>
#include <regex>

#include <nlohmann/json.hpp>

#include "engine/core/strings.h"
#include "engine/sampling/sampler_names.h"

namespace easel::pipeline {

namespace {

/// Python's str.strip() on the ASCII white space A1111's parser strips.
std::string strip(const std::string& s) { return core::trim(s); }

std::vector<std::string> splitLines(const std::string& s)
{
    std::vector<std::string> lines;
    size_t start = 0;
    while (true) {
        const size_t nl = s.find('\n', start);
        lines.push_back(s.substr(start, nl == std::string::npos ? std::string::npos : nl - start));
        if (nl == std::string::npos)
            break;
        start = nl + 1;
    }
    return lines;
}

// Ref: A1111 infotext_utils.re_param_code. std::regex \w is ASCII, as are all A1111 keys.
const std::regex& paramRegex()
{
    static const std::regex re(R"(\s*(\w[\w \-/]+):\s*("(?:\\.|[^\\"])+"|[^,]*)(?:,|$))");
    return re;
}

const std::regex& imageSizeRegex()
{
    static const std::regex re(R"(^(\d+)x(\d+)$)");
    return re;
}

std::vector<std::pair<std::string, std::string>> findParams(const std::string& line)
{
    std::vector<std::pair<std::string, std::string>> out;
    for (auto it = std::sregex_iterator(line.begin(), line.end(), paramRegex()); it != std::sregex_iterator(); ++it)
        out.emplace_back((*it)[1].str(), (*it)[2].str());
    return out;
}

bool startsWith(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }

} // namespace

std::string quoteValue(const std::string& value)
{
    if (value.find_first_of(",\n:") == std::string::npos)
        return value;
    // json.dumps(ensure_ascii=False): escape quotes, backslashes and control characters only.
    return nlohmann::json(value).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string unquoteValue(const std::string& value)
{
    if (value.size() < 2 || value.front() != '"' || value.back() != '"')
        return value;
    try {
        const auto j = nlohmann::json::parse(value);
        if (j.is_string())
            return j.get<std::string>();
    } catch (const nlohmann::json::exception&) {
    }
    return value;
}

std::string formatInfotext(const Infotext& infotext)
{
    std::string line;
    for (const auto& [k, v] : infotext.params) {
        if (!line.empty())
            line += ", ";
        line += (k == v) ? k : k + ": " + quoteValue(v);
    }
    std::string text = infotext.prompt;
    if (!infotext.negativePrompt.empty())
        text += "\nNegative prompt: " + infotext.negativePrompt;
    text += "\n" + line;
    return strip(text);
}

Infotext parseInfotext(const std::string& text)
{
    Infotext out;
    std::vector<std::string> lines = splitLines(strip(text));
    std::string lastLine = lines.back();
    lines.pop_back();
    if (findParams(lastLine).size() < 3) {
        lines.push_back(lastLine);
        lastLine.clear();
    }
    bool doneWithPrompt = false;
    for (std::string line : lines) {
        line = strip(line);
        if (startsWith(line, "Negative prompt:")) {
            doneWithPrompt = true;
            line = strip(line.substr(16));
        }
        std::string& target = doneWithPrompt ? out.negativePrompt : out.prompt;
        target += (target.empty() ? "" : "\n") + line;
    }
    for (auto [k, v] : findParams(lastLine)) {
        if (!v.empty() && v.front() == '"' && v.back() == '"')
            v = unquoteValue(v);
        std::smatch m;
        if (std::regex_match(v, m, imageSizeRegex())) {
            out.set(k + "-1", m[1].str());
            out.set(k + "-2", m[2].str());
        } else {
            out.set(k, v);
        }
    }
    return out;
}

void applyInfotextDefaults(Infotext& infotext)
{
    auto setDefault = [&](const std::string& key, const std::string& value) {
        if (!infotext.get(key))
            infotext.set(key, value);
    };
    // Before v1.9 the schedule was part of the sampler label ("DPM++ 2M Karras").
    if (!infotext.get("Schedule type")) {
        if (auto sampler = infotext.get("Sampler")) {
            if (const auto combined = sampling::splitCombinedSamplerName(*sampler)) {
                infotext.set("Sampler", combined->sampler);
                infotext.set("Schedule type", sampling::scheduleLabel(combined->schedule));
            }
        }
    }
    setDefault("Clip skip", "1");
    setDefault("RNG", "GPU");
    setDefault("Schedule type", "Automatic");
    setDefault("Emphasis", "Original");
    setDefault("Hires resize-1", "0");
    setDefault("Hires resize-2", "0");
    setDefault("Hires sampler", "Use same sampler");
    setDefault("Hires schedule type", "Use same scheduler");
    setDefault("Mask mode", "Inpaint masked");
}

} // namespace easel::pipeline
