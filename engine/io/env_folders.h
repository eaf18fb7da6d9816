#pragma once
/// Extra model folders named by an environment variable ($EASEL_LORA_DIRS, $EASEL_CONTROLNET_DIRS):
/// a ':'-separated list as in $PATH, empty entries skipped.

#include <algorithm>
#include <cstdlib>
#include <string>
#include <vector>

namespace easel::io {

inline std::vector<std::string> foldersFromEnvironment(const char* variable)
{
    std::vector<std::string> out;
    const char* env = std::getenv(variable);
    if (!env)
        return out;
    const std::string list = env;
    for (size_t start = 0; start <= list.size();) {
        const size_t end = std::min(list.find(':', start), list.size());
        if (end > start)
            out.push_back(list.substr(start, end - start));
        start = end + 1;
    }
    return out;
}

} // namespace easel::io
