#pragma once
// Helpers shared by the key_map_*.cpp files (internal to io/).

#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace easel::io {

/// Answers "how many distinct numeric children does this prefix have" over a key list, e.g.
/// count("down_blocks.") = number of levels.
class KeyStats {
public:
    explicit KeyStats(const std::vector<std::string>& keys) : m_keys(keys.begin(), keys.end()) {}
    /// Number of distinct integers N such that some key starts with prefix + N + ".".
    int count(const std::string& prefix) const
    {
        std::set<int> seen;
        for (auto it = m_keys.lower_bound(prefix); it != m_keys.end() && it->compare(0, prefix.size(), prefix) == 0; ++it) {
            size_t p = prefix.size();
            int n = 0;
            bool digit = false;
            while (p < it->size() && (*it)[p] >= '0' && (*it)[p] <= '9') {
                n = n * 10 + ((*it)[p] - '0');
                digit = true;
                ++p;
                if (n > 100000)
                    break;
            }
            if (digit && p < it->size() && (*it)[p] == '.')
                seen.insert(n);
        }
        return seen.empty() ? 0 : *seen.rbegin() + 1;
    }
    bool has(const std::string& key) const { return m_keys.count(key) > 0; }
    bool hasPrefix(const std::string& prefix) const
    {
        auto it = m_keys.lower_bound(prefix);
        return it != m_keys.end() && it->compare(0, prefix.size(), prefix) == 0;
    }

private:
    std::set<std::string> m_keys;
};

/// diffusers down-path prefixes (down_blocks, mid_block) -> LDM ones; shared by UNet and ControlNet.
void addUNetTrunkPrefixes(const KeyStats& stats, std::vector<std::pair<std::string, std::string>>& prefixes);

} // namespace easel::io
