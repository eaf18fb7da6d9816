#include "engine/catalog/kohya_metadata.h"

#include <algorithm>
#include <charconv>
#include <cctype>
#include <cstdlib>
#include <map>

#include <nlohmann/json.hpp>

#include "engine/core/strings.h"

namespace easel::catalog {

namespace {

using core::trim;

/// ss_resolution is written as "(512, 512)", "512,768", "[1024, 1024]" or "512".
std::string normaliseResolution(const std::string& text)
{
    std::vector<long> numbers;
    long current = -1;
    for (const char c : text) {
        if (c >= '0' && c <= '9') {
            current = (current < 0 ? 0 : current * 10) + (c - '0');
            if (current > 1000000)
                return {};
        } else if (current >= 0) {
            numbers.push_back(current);
            current = -1;
        }
    }
    if (current >= 0)
        numbers.push_back(current);
    if (numbers.size() == 1)
        return std::to_string(numbers[0]) + "x" + std::to_string(numbers[0]);
    if (numbers.size() == 2)
        return std::to_string(numbers[0]) + "x" + std::to_string(numbers[1]);
    return {};
}

} // namespace

std::vector<std::string> topTags(const std::string& tagFrequencyJson, size_t count)
{
    const auto root = nlohmann::json::parse(tagFrequencyJson, nullptr, false);
    if (!root.is_object())
        return {};
    std::map<std::string, double> totals;
    for (const auto& [dataset, tags] : root.items()) {
        if (!tags.is_object())
            continue;
        for (const auto& [tag, n] : tags.items()) {
            const std::string clean = trim(tag);
            if (!clean.empty() && n.is_number())
                totals[clean] += n.get<double>();
        }
    }
    std::vector<std::pair<std::string, double>> sorted(totals.begin(), totals.end());
    const size_t keep = std::min(count, sorted.size());
    std::partial_sort(sorted.begin(), sorted.begin() + static_cast<std::ptrdiff_t>(keep), sorted.end(),
                      [](const auto& a, const auto& b) { return a.second != b.second ? a.second > b.second : a.first < b.first; });
    std::vector<std::string> out;
    out.reserve(keep);
    for (size_t i = 0; i < keep; ++i)
        out.push_back(sorted[i].first);
    return out;
}

KohyaFacts readKohyaMetadata(const std::vector<std::pair<std::string, std::string>>& metadata)
{
    KohyaFacts k;
    for (const auto& [key, value] : metadata) {
        if (key.size() < 3 || key.compare(0, 3, "ss_") != 0)
            continue;
        if (key == "ss_base_model_version") {
            k.baseModelVersion = trim(value);
        } else if (key == "ss_output_name") {
            k.outputName = trim(value);
        } else if (key == "ss_tag_frequency") {
            std::string joined;
            for (const auto& tag : topTags(value)) {
                if (!joined.empty())
                    joined += ", ";
                joined += tag;
            }
            k.triggerWords = joined;
        } else if (key == "ss_resolution") {
            k.resolution = normaliseResolution(value);
        } else if (key == "ss_network_dim") {
            int64_t dim = 0;
            const std::string t = trim(value);
            const auto r = std::from_chars(t.data(), t.data() + t.size(), dim);
            if (r.ec == std::errc() && r.ptr == t.data() + t.size() && dim > 0)
                k.networkDim = dim;
        } else if (key == "ss_network_alpha") {
            const std::string t = trim(value);
            char* end = nullptr;
            const double alpha = std::strtod(t.c_str(), &end);
            if (!t.empty() && end == t.c_str() + t.size())
                k.networkAlpha = alpha;
        }
    }
    return k;
}

std::string metadataToJson(const std::vector<std::pair<std::string, std::string>>& metadata, size_t maxValueBytes)
{
    nlohmann::json out = nlohmann::json::object();
    nlohmann::json omitted = nlohmann::json::array();
    for (const auto& [key, value] : metadata) {
        if (value.size() > maxValueBytes)
            omitted.push_back(key);
        else
            out[key] = value;
    }
    if (!omitted.empty())
        out["__omitted__"] = omitted;
    // Invalid UTF-8 in a trainer's metadata is replaced rather than failing the whole file.
    return out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

} // namespace easel::catalog
