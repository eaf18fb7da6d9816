#pragma once
// The API side of the fleet: job ids unique across API instances, the Generator that hands a job
// to the workers through Redis and follows it to its result, and the directory that answers for a
// job whichever API instance took it. Plain C++ (no torch, no Qt).

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "app/fleet/fleet_settings.h"
#include "engine/service/generator.h"
#include "engine/service/job.h"

namespace easel::fleet {

class RedisPool;

class FleetClient {
public:
    explicit FleetClient(FleetSettings settings);
    ~FleetClient();
    FleetClient(const FleetClient&) = delete;
    FleetClient& operator=(const FleetClient&) = delete;

    /// INCR of the shared counter. Throws api::Error(Busy) when Redis cannot be reached.
    service::JobId nextJobId();
    /// Redis answered the last health check (every 500 ms, on a thread of its own).
    bool available() const { return m_available.load(); }
    /// Runs each job on a worker (thread-safe: one Redis connection per running job).
    std::shared_ptr<service::Generator> generator();

    /// A job of any API instance, as the local service would describe it (request left empty);
    /// nullopt when unknown or expired. Throws api::Error(Busy) when Redis cannot be reached (the
    /// job may well exist: the caller should retry, not give up on it).
    std::optional<service::JobSnapshot> job(service::JobId id);
    /// An owner's jobs that no worker has started yet, from every API instance.
    int waitingOf(const std::string& owner);
    /// The newest `limit` jobs of an owner, newest first.
    std::vector<service::JobId> jobsOf(const std::string& owner, int limit = 100);
    /// Asks the job's worker to stop (or cancels a job no worker has started).
    void cancel(service::JobId id);

    /// The job an Idempotency-Key already names, or nullopt.
    std::optional<service::JobId> idempotentJob(const std::string& owner, const std::string& key);
    /// Claims `key` for `id`; returns the id that holds it (another one when a concurrent request
    /// won the race).
    service::JobId claimIdempotencyKey(const std::string& owner, const std::string& key, service::JobId id);

    /// Entries waiting in the shared stream and every inbox (the queue's backlog), -1 when unknown.
    long long backlog();
    const FleetSettings& settings() const { return m_settings; }

private:
    FleetSettings m_settings;
    std::unique_ptr<RedisPool> m_pool;
    std::shared_ptr<service::Generator> m_generator;
    std::atomic<bool> m_available{false};
    std::atomic<bool> m_stop{false};
    std::thread m_health;
};

} // namespace easel::fleet
