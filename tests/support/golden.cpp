#include "tests/support/golden.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

namespace easel::test {

std::string goldenDir()
{
    if (const char* env = std::getenv("EASEL_GOLDEN_DIR"); env && *env)
        return env;
    return EASEL_DEFAULT_GOLDEN_DIR;
}

std::string testDataDir() { return EASEL_TEST_DATA_DIR; }

std::string goldenPath(const std::string& relative) { return goldenDir() + "/" + relative; }

std::vector<std::string> goldenFiles(const std::string& folder, const std::string& suffix)
{
    namespace fs = std::filesystem;
    std::vector<std::string> out;
    const fs::path dir = fs::path(goldenDir()) / folder;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        const std::string name = entry.path().filename().string();
        if (name.size() >= suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0)
            out.push_back(entry.path().string());
    }
    std::sort(out.begin(), out.end());
    return out;
}

int64_t manifestTensorCount(const std::string& relative)
{
    std::ifstream in(goldenPath("manifest.json"));
    const nlohmann::json manifest = nlohmann::json::parse(in, nullptr, false);
    if (manifest.is_discarded() || !manifest.contains("files") || !manifest["files"].contains(relative))
        return -1;
    const nlohmann::json& entry = manifest["files"][relative];
    return entry.contains("n_tensors") && entry["n_tensors"].is_number_integer() ? entry["n_tensors"].get<int64_t>() : -1;
}

} // namespace easel::test
