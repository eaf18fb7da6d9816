#pragma once
// Redis connections for many threads: each borrows one for a while and gives it back, so a busy
// API instance keeps as many connections as it has jobs in flight, no more. Plain C++.

#include <memory>
#include <mutex>
#include <vector>

#include "app/fleet/redis_client.h"

namespace easel::fleet {

class RedisPool {
public:
    explicit RedisPool(RedisAddress address, int timeoutMs = 5000) : m_address(std::move(address)), m_timeoutMs(timeoutMs) {}

    /// A connection that goes back to the pool when the handle is destroyed.
    class Lease {
    public:
        Lease(RedisPool& pool, std::unique_ptr<RedisClient> client) : m_pool(pool), m_client(std::move(client)) {}
        ~Lease() { m_pool.giveBack(std::move(m_client)); }
        Lease(const Lease&) = delete;
        Lease& operator=(const Lease&) = delete;
        RedisClient* operator->() { return m_client.get(); }
        RedisClient& operator*() { return *m_client; }

    private:
        RedisPool& m_pool;
        std::unique_ptr<RedisClient> m_client;
    };

    Lease borrow()
    {
        std::lock_guard lock(m_mutex);
        if (m_idle.empty())
            return Lease(*this, std::make_unique<RedisClient>(m_address, m_timeoutMs));
        auto client = std::move(m_idle.back());
        m_idle.pop_back();
        return Lease(*this, std::move(client));
    }

private:
    void giveBack(std::unique_ptr<RedisClient> client)
    {
        std::lock_guard lock(m_mutex);
        if (m_idle.size() < 64)
            m_idle.push_back(std::move(client));
    }

    RedisAddress m_address;
    int m_timeoutMs;
    std::mutex m_mutex;
    std::vector<std::unique_ptr<RedisClient>> m_idle;
};

} // namespace easel::fleet
