#pragma once
/// Reused host memory for loaded weights. A fresh multi-gigabyte allocation is paid page by page
/// (a fault and a zeroed page each 4 KiB: measured ~0.5 s per GB on a 2-core VM, twice the copy
/// itself), so a checkpoint converted fp16 -> fp32 into new memory ran at ~9x a memcpy. Blocks of
/// tensors that were freed (an unloaded or switched model) are kept, up to a byte budget, and
/// handed out again for the same sizes: checkpoints of one architecture have the same tensor
/// sizes, so a switch converts into pages that are already there. Plain C++, thread-safe.

#include <cstddef>
#include <cstdint>

namespace easel::io {

struct HostPoolStats {
    std::uint64_t budgetBytes = 0;
    std::uint64_t freeBytes = 0;  ///< kept for reuse now
    std::uint64_t hits = 0;       ///< acquisitions served from kept blocks
    std::uint64_t misses = 0;     ///< acquisitions that needed fresh memory
};

class HostBufferPool {
public:
    /// The process's pool (never destroyed: tensors may outlive static destructors).
    static HostBufferPool& shared();

    /// Memory for `bytes` (64-byte aligned), from a kept block of that size when there is one.
    /// Throws std::bad_alloc when the system has none.
    void* acquire(std::size_t bytes);
    /// Gives a block of acquire(bytes) back: kept for reuse while within the budget (oldest kept
    /// blocks are freed first), else freed.
    void release(void* block, std::size_t bytes) noexcept;

    /// Bytes of freed blocks kept; 0 turns reuse off (and frees what is kept).
    void setBudget(std::uint64_t bytes);
    /// Frees every kept block (memory pressure, or the app going idle).
    void trim() noexcept;
    HostPoolStats stats() const;

    /// Blocks below this go to the ordinary allocator (small tensors fault little).
    static constexpr std::size_t kMinBytes = 1u << 20;

private:
    HostBufferPool();
    struct Impl;
    Impl* m_impl; // leaked with the pool on purpose (see shared())
};

/// The default budget: a quarter of physical memory, at most 6 GiB (an fp32 SD1.5 checkpoint
/// takes ~4.3 GiB, so switching between two of them reuses all of it). $EASEL_HOST_POOL_MB
/// overrides (0 = off).
std::uint64_t defaultHostPoolBudget();

} // namespace easel::io
