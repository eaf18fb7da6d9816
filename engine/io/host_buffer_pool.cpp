#include "engine/io/host_buffer_pool.h"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <list>
#include <map>
#include <mutex>
#include <new>
#include <string>

namespace easel::io {

namespace {

constexpr std::size_t kAlignment = 64; // what libtorch's CPU allocator gives, for vector loads

std::size_t roundedUp(std::size_t bytes) { return (bytes + kAlignment - 1) / kAlignment * kAlignment; }

} // namespace

struct HostBufferPool::Impl {
    mutable std::mutex mutex;
    std::uint64_t budget = 0;
    std::uint64_t freeBytes = 0;
    std::uint64_t hits = 0, misses = 0;
    // Kept blocks, oldest first; by size for the look-up (each entry points into `order`).
    struct Kept {
        void* block;
        std::size_t bytes;
    };
    std::list<Kept> order;
    std::multimap<std::size_t, std::list<Kept>::iterator> bySize;

    void dropOldestLocked()
    {
        const Kept oldest = order.front();
        auto [first, last] = bySize.equal_range(oldest.bytes);
        for (auto it = first; it != last; ++it)
            if (it->second == order.begin()) {
                bySize.erase(it);
                break;
            }
        order.pop_front();
        freeBytes -= oldest.bytes;
        std::free(oldest.block);
    }
};

HostBufferPool::HostBufferPool() : m_impl(new Impl) { m_impl->budget = defaultHostPoolBudget(); }

HostBufferPool& HostBufferPool::shared()
{
    static HostBufferPool* pool = new HostBufferPool; // intentionally never deleted
    return *pool;
}

void* HostBufferPool::acquire(std::size_t bytes)
{
    const std::size_t size = roundedUp(std::max<std::size_t>(bytes, 1));
    {
        std::lock_guard lock(m_impl->mutex);
        if (auto it = m_impl->bySize.find(size); it != m_impl->bySize.end()) {
            void* block = it->second->block;
            m_impl->order.erase(it->second);
            m_impl->bySize.erase(it);
            m_impl->freeBytes -= size;
            ++m_impl->hits;
            return block;
        }
        ++m_impl->misses;
    }
    void* block = std::aligned_alloc(kAlignment, size);
    if (!block)
        throw std::bad_alloc();
    return block;
}

void HostBufferPool::release(void* block, std::size_t bytes) noexcept
{
    if (!block)
        return;
    const std::size_t size = roundedUp(std::max<std::size_t>(bytes, 1));
    std::lock_guard lock(m_impl->mutex);
    if (size > m_impl->budget) {
        std::free(block);
        return;
    }
    try {
        m_impl->order.push_back({block, size});
        m_impl->bySize.emplace(size, std::prev(m_impl->order.end()));
    } catch (...) { // no memory for the bookkeeping: just free it
        if (!m_impl->order.empty() && m_impl->order.back().block == block)
            m_impl->order.pop_back();
        std::free(block);
        return;
    }
    m_impl->freeBytes += size;
    while (m_impl->freeBytes > m_impl->budget)
        m_impl->dropOldestLocked();
}

void HostBufferPool::setBudget(std::uint64_t bytes)
{
    std::lock_guard lock(m_impl->mutex);
    m_impl->budget = bytes;
    while (m_impl->freeBytes > m_impl->budget)
        m_impl->dropOldestLocked();
}

void HostBufferPool::trim() noexcept
{
    std::lock_guard lock(m_impl->mutex);
    while (!m_impl->order.empty())
        m_impl->dropOldestLocked();
}

HostPoolStats HostBufferPool::stats() const
{
    std::lock_guard lock(m_impl->mutex);
    return {m_impl->budget, m_impl->freeBytes, m_impl->hits, m_impl->misses};
}

std::uint64_t defaultHostPoolBudget()
{
    if (const char* mb = std::getenv("EASEL_HOST_POOL_MB")) {
        try {
            return std::stoull(mb) << 20;
        } catch (const std::exception&) {
        }
    }
    const long pages = ::sysconf(_SC_PHYS_PAGES);
    const long pageSize = ::sysconf(_SC_PAGESIZE);
    const std::uint64_t physical = pages > 0 && pageSize > 0 ? std::uint64_t(pages) * std::uint64_t(pageSize) : 0;
    return std::min<std::uint64_t>(physical / 4, std::uint64_t(6) << 30);
}

} // namespace easel::io
