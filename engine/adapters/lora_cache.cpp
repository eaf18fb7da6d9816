#include "engine/adapters/lora_cache.h"

#include <algorithm>

#include <unistd.h>

namespace easel::adapters {

namespace {
size_t bytesOf(const torch::Tensor& t) { return t.defined() ? t.numel() * t.element_size() : 0; }
} // namespace

const MergedValue* MergedWeightCache::find(const std::string& key)
{
    const auto it = m_index.find(key);
    if (it == m_index.end())
        return nullptr;
    m_entries.splice(m_entries.begin(), m_entries, it->second);
    return &it->second->second;
}

void MergedWeightCache::insert(const std::string& key, MergedValue value)
{
    const size_t size = bytesOf(value.value);
    if (const auto it = m_index.find(key); it != m_index.end()) {
        m_bytes -= bytesOf(it->second->second.value);
        m_entries.erase(it->second);
        m_index.erase(it);
    }
    if (size > m_budget)
        return;
    evictTo(m_budget - size);
    m_entries.emplace_front(key, std::move(value));
    m_index[key] = m_entries.begin();
    m_bytes += size;
}

void MergedWeightCache::setBudget(size_t bytes)
{
    m_budget = bytes;
    evictTo(bytes);
}

void MergedWeightCache::clear()
{
    m_entries.clear();
    m_index.clear();
    m_bytes = 0;
}

void MergedWeightCache::evictTo(size_t bytes)
{
    while (m_bytes > bytes && !m_entries.empty()) {
        m_bytes -= bytesOf(m_entries.back().second.value);
        m_index.erase(m_entries.back().first);
        m_entries.pop_back();
    }
}

size_t defaultMergedCacheBudget()
{
    // An eighth of memory, at most 4 GiB: the model, its LoRA backups and io::HostBufferPool take
    // their own share, and a 16 GB desktop must keep room for the rest of the machine.
    constexpr size_t kMax = size_t(4) << 30;
    const long pages = sysconf(_SC_PHYS_PAGES), pageSize = sysconf(_SC_PAGESIZE);
    if (pages <= 0 || pageSize <= 0)
        return size_t(1) << 30;
    return std::min(kMax, size_t(pages) * size_t(pageSize) / 8);
}

} // namespace easel::adapters
