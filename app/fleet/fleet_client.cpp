#include "app/fleet/fleet_client.h"

#include <chrono>

#include "app/fleet/fleet_protocol.h"
#include "app/fleet/fleet_wire.h"
#include "app/fleet/redis_pool.h"
#include "app/fleet/stream_reply.h"
#include "engine/api/error.h"
#include "engine/api/logging.h"

namespace easel::fleet {

using Clock = std::chrono::steady_clock;
using api::Error;
using api::ErrorCode;

namespace {

long long unixMs()
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

ErrorCode codeOf(const std::string& text)
{
    try {
        const int c = std::stoi(text);
        if (c > 0 && c <= int(ErrorCode::Internal))
            return ErrorCode(c);
    } catch (const std::exception&) {
    }
    return ErrorCode::Internal;
}

service::JobState stateOf(const std::string& s)
{
    if (s == "running")
        return service::JobState::Running;
    if (s == "done")
        return service::JobState::Done;
    if (s == "failed")
        return service::JobState::Failed;
    if (s == "cancelled")
        return service::JobState::Cancelled;
    return service::JobState::Queued;
}

thread_local std::vector<std::string> t_lastWarnings;

/// Hands a job to the workers and follows its event stream until its result. One Redis
/// connection per call (borrowed for the job's life), so jobs run side by side on the lanes of
/// the API's GenerationService.
class FleetGenerator : public service::Generator {
public:
    FleetGenerator(RedisPool& pool, FleetSettings settings) : m_pool(pool), m_settings(std::move(settings)) {}

    api::GenerationResult generate(const api::GenerationRequest&, const api::GenerateOptions&) override
    {
        throw Error(ErrorCode::Internal, "the fleet runs jobs with an id (generateJob)");
    }
    std::vector<std::string> warnings() const override { return t_lastWarnings; }

    api::GenerationResult generateJob(const service::JobContext& job, const api::GenerationRequest& request,
                                      const api::GenerateOptions& options) override
    {
        t_lastWarnings.clear();
        JobPayload payload{request, options.previewEverySteps < 0 ? 0 : options.previewEverySteps, job.owner};
        const std::string id = std::to_string(job.id);
        const std::string text = encodePayload(payload);
        const std::string model = modelKey(request);
        auto redis = m_pool.borrow();
        submit(*redis, id, model, text, job.owner, options);
        return follow(*redis, id, model, text, job.owner, options);
    }

private:
    void submit(RedisClient& redis, const std::string& id, const std::string& model, const std::string& payload,
                const std::string& owner, const api::GenerateOptions& options)
    {
        for (;;) {
            try {
                redis.command({"EVAL", kSubmitScript, "0", id, model, payload, owner,
                               std::to_string(m_settings.resultTtlSeconds), std::to_string(unixMs())});
                return;
            } catch (const RedisUnavailable&) { // it was reachable a moment ago (the id came from it)
                if (options.stop && options.stop->stopRequested())
                    throw Error(ErrorCode::Cancelled, "cancelled before the job reached the queue");
                std::this_thread::sleep_for(std::chrono::milliseconds(250));
            }
        }
    }

    api::GenerationResult follow(RedisClient& redis, const std::string& id, const std::string& model,
                                 const std::string& payload, const std::string& owner,
                                 const api::GenerateOptions& options)
    {
        std::string cursor = "0-0";
        bool cancelSent = false;
        auto lastCheck = Clock::now();
        for (;;) {
            try {
                if (options.stop && options.stop->stopRequested() && !cancelSent) {
                    redis.command({"EVAL", kCancelScript, "0", id, std::to_string(m_settings.resultTtlSeconds)});
                    cancelSent = true;
                }
                const auto reply = redis.command({"XREAD", "COUNT", "64", "BLOCK", "500", "STREAMS", eventsKey(id), cursor});
                for (const auto& e : entriesOfRead(reply)) {
                    cursor = e.id;
                    const std::string type = e.field("type");
                    if (type == "progress") {
                        if (options.progress)
                            options.progress(decodeProgress(e.field("data")));
                    } else if (type == "done" || type == "failed" || type == "cancelled") {
                        return finish(redis, id, type, options);
                    }
                }
                if (Clock::now() - lastCheck > std::chrono::seconds(2)) {
                    lastCheck = Clock::now();
                    // A Redis that restarted without its data forgot the job: this instance still
                    // has the request, so it queues it again (same id; the result is still once).
                    if (redis.command({"EXISTS", jobKey(id)}).integer == 0) {
                        api::logWarning("fleet: job " + id + " vanished from Redis; queueing it again");
                        submit(redis, id, model, payload, owner, options);
                        cursor = "0-0";
                    }
                }
            } catch (const RedisUnavailable&) {
                std::this_thread::sleep_for(std::chrono::milliseconds(250));
            }
        }
    }

    api::GenerationResult finish(RedisClient& redis, const std::string& id, const std::string& type,
                                 const api::GenerateOptions& options)
    {
        const auto fields = redis.command({"HMGET", jobKey(id), "result", "error", "code"});
        const std::string error = fields.elements.at(1).str;
        if (type == "cancelled")
            throw Error(ErrorCode::Cancelled, error.empty() ? "cancelled" : error);
        if (type == "failed")
            throw Error(codeOf(fields.elements.at(2).str), error.empty() ? "the job failed on a worker" : error);
        JobResult result = decodeResult(fields.elements.at(0).str);
        api::GenerationResult out;
        out.firstSeed = result.firstSeed;
        for (size_t i = 0; i < result.images.size(); ++i) {
            if (options.imageReady)
                options.imageReady(result.images[i], int(i));
            out.images.push_back(std::move(result.images[i]));
        }
        t_lastWarnings = result.warnings;
        return out;
    }

    RedisPool& m_pool;
    FleetSettings m_settings;
};

} // namespace

FleetClient::FleetClient(FleetSettings settings)
    : m_settings(std::move(settings)), m_pool(std::make_unique<RedisPool>(m_settings.redis))
{
    m_generator = std::make_shared<FleetGenerator>(*m_pool, m_settings);
    m_available = m_pool->borrow()->ping();
    // The group exists before any worker does: KEDA reads the queue's lag from it to start the
    // first worker (at zero workers nobody else would create it).
    try {
        m_pool->borrow()->command({"XGROUP", "CREATE", kJobStream, kGroup, "0", "MKSTREAM"});
    } catch (const std::exception&) { // BUSYGROUP (it exists), or Redis away: the workers create it
    }
    m_health = std::thread([this] {
        RedisClient redis(m_settings.redis, 1000);
        while (!m_stop) {
            const bool up = redis.ping();
            if (up != m_available.exchange(up))
                up ? api::logInfo("fleet: Redis at " + m_settings.redis.display() + " is back")
                   : api::logWarning("fleet: Redis at " + m_settings.redis.display() + " cannot be reached");
            for (int i = 0; i < 5 && !m_stop; ++i)
                std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
    });
}

FleetClient::~FleetClient()
{
    m_stop = true;
    m_health.join();
}

std::shared_ptr<service::Generator> FleetClient::generator() { return m_generator; }

service::JobId FleetClient::nextJobId()
{
    try {
        return m_pool->borrow()->command({"INCR", kNextId}).integer;
    } catch (const RedisUnavailable& e) {
        m_available = false;
        throw Error(ErrorCode::Busy, std::string("the job queue is unreachable (") + e.what() + "); retry shortly");
    }
}

int FleetClient::waitingOf(const std::string& owner)
{
    try {
        return int(m_pool->borrow()->command({"SCARD", waitingKey(owner)}).integer);
    } catch (const RedisUnavailable& e) {
        m_available = false;
        throw Error(ErrorCode::Busy, std::string("the job queue is unreachable (") + e.what() + "); retry shortly");
    }
}

std::optional<service::JobSnapshot> FleetClient::job(service::JobId id)
{
    const std::string key = jobKey(std::to_string(id));
    RedisReply r;
    try {
        r = m_pool->borrow()->command({"HMGET", key, "state", "owner", "progress", "result", "error", "code"});
    } catch (const RedisUnavailable& e) {
        // Not "no such job": the client must retry, not give up on a job that is still queued.
        throw Error(ErrorCode::Busy, std::string("the job queue is unreachable (") + e.what() + "); retry shortly");
    }
    if (r.elements.size() < 6 || r.elements[0].isNil())
        return std::nullopt;
    service::JobSnapshot s;
    s.id = id;
    s.state = stateOf(r.elements[0].str);
    s.options.owner = r.elements[1].str;
    if (!r.elements[2].isNil())
        s.progress = decodeProgress(r.elements[2].str);
    if (s.state == service::JobState::Done && !r.elements[3].isNil()) {
        try {
            JobResult result = decodeResult(r.elements[3].str);
            for (size_t i = 0; i < result.images.size(); ++i) {
                service::JobImage img;
                img.index = int(i);
                img.image = std::move(result.images[i]);
                s.images.push_back(std::move(img));
            }
            s.warnings = result.warnings;
            s.resolvedSeed = result.firstSeed;
        } catch (const Error& e) {
            s.warnings.push_back(e.what());
        }
    }
    s.error = r.elements[4].str;
    if (s.state == service::JobState::Failed || s.state == service::JobState::Cancelled)
        s.errorCode = codeOf(r.elements[5].str);
    return s;
}

std::vector<service::JobId> FleetClient::jobsOf(const std::string& owner, int limit)
{
    std::vector<service::JobId> out;
    try {
        const auto r = m_pool->borrow()->command(
            {"ZREVRANGE", userJobsKey(owner), "0", std::to_string(std::max(0, limit - 1))});
        for (const auto& e : r.elements)
            out.push_back(std::stoll(e.str));
    } catch (const std::exception&) {
    }
    return out;
}

void FleetClient::cancel(service::JobId id)
{
    try {
        m_pool->borrow()->command(
            {"EVAL", kCancelScript, "0", std::to_string(id), std::to_string(m_settings.resultTtlSeconds)});
    } catch (const std::exception& e) {
        api::logWarning(std::string("fleet: cancel of job ") + std::to_string(id) + " failed: " + e.what());
    }
}

std::optional<service::JobId> FleetClient::idempotentJob(const std::string& owner, const std::string& key)
{
    try {
        const auto r = m_pool->borrow()->command({"GET", idempotencyKey(owner, key)});
        if (!r.isNil())
            return std::stoll(r.str);
    } catch (const RedisUnavailable& e) {
        throw Error(ErrorCode::Busy, std::string("the job queue is unreachable (") + e.what() + "); retry shortly");
    }
    return std::nullopt;
}

service::JobId FleetClient::claimIdempotencyKey(const std::string& owner, const std::string& key, service::JobId id)
{
    auto redis = m_pool->borrow();
    const std::string k = idempotencyKey(owner, key);
    const auto set = redis->command({"SET", k, std::to_string(id), "NX", "EX", std::to_string(m_settings.resultTtlSeconds)});
    if (!set.isNil())
        return id;
    return std::stoll(redis->command({"GET", k}).str);
}

long long FleetClient::backlog()
{
    try {
        auto redis = m_pool->borrow();
        long long total = 0;
        const auto groups = redis->command({"XINFO", "GROUPS", kJobStream});
        for (const auto& g : groups.elements) // flat [name, …, lag, n, pending, n, …]
            for (size_t i = 0; i + 1 < g.elements.size(); i += 2)
                if (g.elements[i].str == "lag" || g.elements[i].str == "pending")
                    total += g.elements[i + 1].integer;
        return total;
    } catch (const std::exception&) {
        return -1;
    }
}

} // namespace easel::fleet
