#pragma once
/// Merged weights of recently used LoRA sets, kept in host memory under a byte budget (least
/// recently used first out). Keyed per parameter by everything its merged value depends on (the
/// parameter and, in set order, each file + stamp + module + multiplier that lands on it), so
/// going back to a set — or keeping all but one LoRA of it — is a copy per changed parameter
/// instead of a merge. Values are the merged tensor itself in the parameter's dtype and layout:
/// writing one back is a plain memcpy and gives exactly the bits a fresh merge gives.
/// Engine-internal (torch). Engine thread only.
///
/// Why whole merged tensors and not one dense ΔW per (file, multiplier): a rank-32 SD1.5 LoRA's
/// dense ΔW is ~1.4 GB in fp32 (every attention/MLP matrix), 14 GB for a 10-LoRA set, and reading
/// it back costs as much memory traffic as recomputing it from the rank-r factors; one set's merged
/// weights are 1.4 GB whatever the number of LoRAs in it.

#include <cstddef>
#include <list>
#include <string>
#include <unordered_map>
#include <vector>

#include <torch/torch.h>

namespace easel::adapters {

/// One parameter's merged value and the terms (indices into its plan) that did not fit the layer.
struct MergedValue {
    torch::Tensor value;
    std::vector<size_t> skippedTerms;
    std::vector<std::string> skipReasons;
};

class MergedWeightCache {
public:
    explicit MergedWeightCache(size_t budgetBytes) : m_budget(budgetBytes) {}

    /// The cached value of `key` (now the most recently used), or nullptr.
    const MergedValue* find(const std::string& key);
    /// Whether a value of `bytes` can be stored at all (not larger than the whole budget).
    bool fits(size_t bytes) const { return bytes <= m_budget; }
    /// Stores `value`, which must be a host tensor of its own (a copy: hostLike + copyExact), in
    /// the parameter's strides. Evicts least recently used entries to make room; a value larger
    /// than the whole budget is not stored.
    void insert(const std::string& key, MergedValue value);

    void setBudget(size_t bytes);
    size_t budget() const { return m_budget; }
    size_t bytes() const { return m_bytes; }
    size_t entries() const { return m_entries.size(); }
    void clear();

private:
    using Entry = std::pair<std::string, MergedValue>;
    void evictTo(size_t bytes);

    size_t m_budget;
    size_t m_bytes = 0;
    std::list<Entry> m_entries; ///< most recently used first
    std::unordered_map<std::string, std::list<Entry>::iterator> m_index;
};

/// Default budget: an eighth of physical memory, at most 4 GiB (two SD1.5 fp32 sets fit in 3 GB).
size_t defaultMergedCacheBudget();

} // namespace easel::adapters
