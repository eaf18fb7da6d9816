#pragma once
// What every route of easel-server shares: the options, the credentials, the served models, the
// generation service and the state of the server itself. Built once by EaselServer.

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "app/fleet/fleet_client.h"
#include "app/fleet/fleet_worker.h"
#include "app/server/a1111_options.h"
#include "app/server/credentials.h"
#include "app/server/job_event_log.h"
#include "app/server/metrics.h"
#include "app/server/served_models.h"
#include "app/server/server_options.h"
#include "engine/service/generation_service.h"
#include "engine/service/model_resolver.h"

namespace httplib {
struct Request;
}

namespace easel::server {

struct ServerContext {
    ServerOptions options;
    Credentials credentials;
    std::unique_ptr<ServedModels> models;
    std::unique_ptr<service::ModelResolver> resolver;
    A1111Options a1111;
    Metrics metrics;
    JobEventLog events;
    std::unique_ptr<service::GenerationService> service;
    /// --role api: the fleet's queue (jobs of every API instance); null otherwise.
    std::unique_ptr<fleet::FleetClient> fleet;
    /// --role worker: the loop that takes jobs from the fleet into `service`; null otherwise.
    std::unique_ptr<fleet::FleetWorker> worker;
    /// Idempotency-Key → job of one process (--role all; the fleet keeps them in Redis).
    std::mutex idempotencyMutex;
    std::map<std::string, service::JobId> idempotency;
    std::atomic<bool> draining{false};
    std::atomic<bool> stopping{false};
    /// A1111's /interrupt and /skip flags of the job that is running.
    std::atomic<service::JobId> interruptedJob{0};
    std::atomic<service::JobId> skippedJob{0};

    /// The caller's identity (API key name, Basic user, "" when the server is open); nullopt when
    /// the credentials are wrong or missing.
    std::optional<std::string> caller(const httplib::Request& req) const;
    /// Whether new work is taken now (not draining, queue not full).
    bool ready() const;
    /// The running job, if any.
    std::optional<service::JobSnapshot> runningJob() const;
};

} // namespace easel::server
