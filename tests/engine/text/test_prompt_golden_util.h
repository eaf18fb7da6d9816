#pragma once
// Shared by the prompt-syntax golden tests: loads tests/data/golden/text/<file> once.

#include <fstream>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "tests/support/golden.h"

namespace easel::test {

/// The "cases" array of a text golden file, parsed once per process.
inline const nlohmann::json& textGoldenCases(const std::string& file)
{
    static std::map<std::string, nlohmann::json> cache;
    auto it = cache.find(file);
    if (it == cache.end()) {
        std::ifstream in(goldenPath("text/" + file));
        it = cache.emplace(file, nlohmann::json::parse(in).at("cases")).first;
    }
    return it->second;
}

/// Relative closeness for float64 weights (README: ~1e-12).
inline bool weightsClose(double a, double b) { return std::abs(a - b) <= 1e-12 * std::max(1.0, std::abs(b)); }

} // namespace easel::test
