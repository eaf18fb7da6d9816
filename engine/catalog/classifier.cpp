#include "engine/catalog/classifier.h"

#define XXH_STATIC_LINKING_ONLY // XXH3_state_t on the stack
#include <xxhash.h>

namespace easel::catalog {

const std::vector<std::string>& classifierMetadataKeys()
{
    static const std::vector<std::string> keys = {
        "ss_base_model_version", "modelspec.architecture", "ss_v2", "modelspec.prediction_type",
    };
    return keys;
}

uint64_t ClassificationCache::key(uint64_t tensorPartHash, uint64_t dataSize,
                                  const std::vector<std::pair<std::string, std::string>>& metadata)
{
    XXH3_state_t state;
    XXH3_64bits_reset(&state);
    XXH3_64bits_update(&state, &tensorPartHash, sizeof tensorPartHash);
    XXH3_64bits_update(&state, &dataSize, sizeof dataSize);
    for (const auto& wanted : classifierMetadataKeys()) {
        for (const auto& [k, v] : metadata) {
            if (k != wanted)
                continue;
            XXH3_64bits_update(&state, k.data(), k.size() + 0);
            const char sep = '\x1f';
            XXH3_64bits_update(&state, &sep, 1);
            XXH3_64bits_update(&state, v.data(), v.size());
            XXH3_64bits_update(&state, &sep, 1);
        }
    }
    return XXH3_64bits_digest(&state);
}

bool ClassificationCache::find(uint64_t key, Classification& out) const
{
    std::lock_guard lock(m_mutex);
    const auto it = m_map.find(key);
    if (it == m_map.end()) {
        ++m_misses;
        return false;
    }
    ++m_hits;
    out = it->second;
    return true;
}

void ClassificationCache::store(uint64_t key, const Classification& value)
{
    std::lock_guard lock(m_mutex);
    m_map.emplace(key, value);
}

} // namespace easel::catalog
