#include "app/fleet/fleet_worker.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <optional>
#include <utility>

#include "app/fleet/fleet_protocol.h"
#include "app/fleet/fleet_wire.h"
#include "app/fleet/stream_reply.h"
#include "engine/api/error.h"
#include "engine/api/logging.h"
#include "engine/service/generation_service.h"

namespace easel::fleet {

using Clock = std::chrono::steady_clock;
using api::ErrorCode;
using namespace std::chrono_literals;

std::string defaultWorkerId()
{
    char host[256] = {};
    gethostname(host, sizeof host - 1);
    return std::string(host) + "-" + std::to_string(getpid());
}

namespace {

/// Errors another worker (or a later try) may not hit: memory, a device or I/O fault. A bad
/// request or a missing model fails the same everywhere, so it is answered at once.
bool retriable(ErrorCode code)
{
    return code == ErrorCode::OutOfMemory || code == ErrorCode::Internal || code == ErrorCode::FileUnreadable;
}

/// The job a worker runs now, for the heart-beat (keeps its stream entry claimed) and cancel.
struct Current {
    std::string stream, entry, job;
    service::JobId localId = 0;
};

} // namespace

struct FleetWorker::Impl {
    FleetSettings settings;
    std::string id;
    std::string inbox;
    service::GenerationService& service;
    std::atomic<bool>& busyFlag;

    mutable std::mutex mutex; // stats, current
    WorkerStats stats;
    std::optional<Current> current;

    std::atomic<bool> draining{false};
    bool freshStart = true; ///< loop thread: the first reclaim takes this worker's old inbox entries at once
    bool inIdle = false;    ///< loop thread: registered in the idle sets (saves a round trip per job)
    std::atomic<bool> stopBeat{false};
    std::thread loopThread, beatThread;
    int listener = 0;
    std::unique_ptr<RedisClient> progressRedis; // the service's event thread only
    Clock::time_point lastProgress{};

    Impl(FleetSettings s, std::string workerId, service::GenerationService& svc, std::atomic<bool>& busy)
        : settings(std::move(s)), id(std::move(workerId)), inbox(inboxKey(id)), service(svc), busyFlag(busy)
    {
    }

    int beatMs() const { return std::clamp(settings.claimIdleMs / 3, 100, 1000); }

    void setUp(RedisClient& redis)
    {
        for (const std::string& stream : {kJobStream, inbox}) {
            try {
                redis.command({"XGROUP", "CREATE", stream, kGroup, "0", "MKSTREAM"});
            } catch (const RedisCommandError& e) {
                if (!e.startsWith("BUSYGROUP"))
                    throw;
            }
        }
        redis.command({"SADD", kInboxes, inbox});
        std::lock_guard lock(mutex);
        stats.connected = true;
    }

    std::string heldModel() const
    {
        std::lock_guard lock(mutex);
        return stats.model;
    }

    void enterIdle(RedisClient& redis)
    {
        const std::string model = heldModel();
        std::vector<std::vector<std::string>> cmds{{"SADD", kIdle, id}, {"HSET", workerKey(id), "model", model}};
        if (!model.empty())
            cmds.push_back({"SADD", idleKey(model), id});
        redis.pipeline(cmds);
        inIdle = true;
    }

    void leaveIdle(RedisClient& redis)
    {
        const std::string model = heldModel();
        std::vector<std::vector<std::string>> cmds{{"SREM", kIdle, id}};
        if (!model.empty())
            cmds.push_back({"SREM", idleKey(model), id});
        redis.pipeline(cmds);
        inIdle = false;
    }

    /// A job of a worker that stopped heart-beating: its pending shared entries (idle past the
    /// claim time), then what sits in dead workers' inboxes.
    std::vector<StreamEntry> reclaim(RedisClient& redis)
    {
        const std::string idle = std::to_string(settings.claimIdleMs);
        // My own inbox: what is pending there was delivered to a previous life of this worker (a
        // restart under the same --worker-id); the running job's entry is re-claimed every beat.
        const std::string ownIdle = std::exchange(freshStart, false) ? "0" : idle;
        auto got = entriesOfClaim(redis.command({"XAUTOCLAIM", inbox, kGroup, id, ownIdle, "0-0", "COUNT", "1"}), inbox);
        if (!got.empty())
            return got;
        got = entriesOfClaim(redis.command({"XAUTOCLAIM", kJobStream, kGroup, id, idle, "0-0", "COUNT", "1"}), kJobStream);
        if (!got.empty())
            return got;
        for (const auto& member : redis.command({"SMEMBERS", kInboxes}).elements) {
            const std::string& stream = member.str;
            const std::string other = stream.substr(inboxKey("").size());
            if (stream == inbox || redis.command({"EXISTS", heartbeatKey(other)}).integer == 1)
                continue;
            // Dead: route nothing more to it, then take its claimed and its unread jobs.
            const std::string model = redis.command({"HGET", workerKey(other), "model"}).str;
            redis.pipeline({{"SREM", kIdle, other}, {"SREM", idleKey(model), other}});
            got = entriesOfClaim(redis.command({"XAUTOCLAIM", stream, kGroup, id, idle, "0-0", "COUNT", "1"}), stream);
            if (got.empty())
                got = entriesOfRead(redis.command({"XREADGROUP", "GROUP", kGroup, id, "COUNT", "1", "STREAMS", stream, ">"}));
            if (!got.empty())
                return got;
        }
        return {};
    }

    void finishJob(RedisClient& redis, const std::string& job, const std::string& state, const std::string& result,
                   const std::string& error, ErrorCode code)
    {
        redis.command({"EVAL", kFinishScript, "0", job, state, result, error, std::to_string(int(code)), id,
                       std::to_string(settings.resultTtlSeconds)});
    }

    void deadLetter(RedisClient& redis, const std::string& job, long long attempts, const std::string& lastError)
    {
        const std::string error = "the job failed on " + std::to_string(attempts) + " workers (--max-attempts "
                                  + std::to_string(settings.maxAttempts) + "); last error: "
                                  + (lastError.empty() ? "unknown" : lastError);
        redis.command({"XADD", kDeadStream, "MAXLEN", "~", "10000", "*", "id", job, "error", error, "worker", id});
        finishJob(redis, job, "failed", "", error, ErrorCode::Internal);
        std::lock_guard lock(mutex);
        ++stats.deadLettered;
        api::logWarning("fleet: job " + job + " dead-lettered: " + error);
    }

    void run(RedisClient& redis, const StreamEntry& entry, bool reclaimed)
    {
        const std::string job = entry.field("id");
        const auto start = redis.command({"EVAL", kStartScript, "0", job, id, std::to_string(settings.maxAttempts)});
        const std::string verdict = start.elements.at(0).str;
        const long long attempts = start.elements.at(1).integer;
        if (verdict == "cancel")
            finishJob(redis, job, "cancelled", "", "cancelled before it started", ErrorCode::Cancelled);
        else if (verdict == "dead")
            deadLetter(redis, job, attempts, start.elements.at(3).str);
        else if (verdict == "run")
            runJob(redis, entry, job, attempts, start.elements.at(2).str, reclaimed);
        redis.command({"XACK", entry.stream, kGroup, entry.id});
    }

    void runJob(RedisClient& redis, const StreamEntry& entry, const std::string& job, long long attempts,
                const std::string& payloadText, bool reclaimed)
    {
        JobPayload payload;
        try {
            payload = decodePayload(payloadText);
        } catch (const api::Error& e) {
            return finishJob(redis, job, "failed", "", e.what(), e.code());
        }
        const std::string model = modelKey(payload.request);
        service::JobOptions options;
        options.previewEverySteps = payload.previewEverySteps;
        options.output.save = false; // the API instance returns (and, when asked, saves) the images
        options.record = false;
        options.owner = payload.owner;
        service::JobId localId = 0;
        {
            std::lock_guard lock(mutex);
            current = Current{entry.stream, entry.id, job, 0};
        }
        busyFlag = true;
        try {
            localId = service.submit(payload.request, options);
        } catch (const api::Error& e) {
            busyFlag = false;
            std::lock_guard lock(mutex);
            current.reset();
            throw;
        }
        {
            std::lock_guard lock(mutex);
            current->localId = localId;
        }
        const auto snap = service.waitFor(localId);
        bool switched = false;
        {
            std::lock_guard lock(mutex);
            current.reset();
            ++stats.jobsRun;
            if (entry.stream == inbox)
                ++stats.routedJobs;
            if (reclaimed)
                ++stats.reclaimedJobs;
            if (!model.empty() && model != stats.model) {
                switched = !stats.model.empty();
                if (switched)
                    ++stats.modelSwitches;
                stats.model = model;
            }
        }
        busyFlag = false;
        // Waiting again before the result goes out: the client's next job for this checkpoint
        // (sent the moment it has this answer) must find this worker in the idle set.
        if (!draining)
            enterIdle(redis);
        publish(redis, job, attempts, *snap, switched);
    }

    void publish(RedisClient& redis, const std::string& job, long long attempts, const service::JobSnapshot& snap,
                 bool switched)
    {
        using service::JobState;
        if (snap.state == JobState::Done) {
            JobResult result;
            auto images = snap.images;
            std::sort(images.begin(), images.end(), [](const auto& a, const auto& b) { return a.index < b.index; });
            for (auto& i : images)
                result.images.push_back(std::move(i.image));
            result.warnings = snap.warnings;
            result.firstSeed = snap.resolvedSeed;
            result.switchedModel = switched;
            return finishJob(redis, job, "done", encodeResult(result), "", ErrorCode::Ok);
        }
        if (snap.state == JobState::Cancelled)
            return finishJob(redis, job, "cancelled", "", snap.error, ErrorCode::Cancelled);
        if (!retriable(snap.errorCode))
            return finishJob(redis, job, "failed", "", snap.error, snap.errorCode);
        if (attempts >= settings.maxAttempts)
            return deadLetter(redis, job, attempts, snap.error);
        // Another worker may not hit it: back on the shared stream, the error kept for the dead letter.
        std::vector<std::vector<std::string>> requeue{
            {"HSET", jobKey(job), "state", "queued", "error", snap.error, "code", std::to_string(int(snap.errorCode))},
            {"XADD", kJobStream, "*", "id", job}};
        if (!snap.options.owner.empty()) // waiting again: counts against the owner's limit
            requeue.push_back({"SADD", waitingKey(snap.options.owner), job});
        redis.pipeline(requeue);
        std::lock_guard lock(mutex);
        ++stats.retried;
    }

    void loop()
    {
        RedisClient redis(settings.redis, 5000);
        bool ready = false;
        auto lastReclaim = Clock::now() - 1h;
        const auto reclaimEvery = std::chrono::milliseconds(std::clamp(settings.claimIdleMs / 2, 200, 1000));
        while (!draining) {
            try {
                if (!ready) {
                    setUp(redis);
                    ready = true;
                }
                if (!inIdle) // after a job it already is; otherwise (start, a quiet second) register again
                    enterIdle(redis);
                std::vector<StreamEntry> got;
                bool reclaimed = false;
                if (Clock::now() - lastReclaim > reclaimEvery) {
                    lastReclaim = Clock::now();
                    got = reclaim(redis);
                    reclaimed = !got.empty();
                }
                if (got.empty())
                    got = entriesOfRead(redis.command({"XREADGROUP", "GROUP", kGroup, id, "COUNT", "1", "BLOCK", "1000",
                                                       "STREAMS", inbox, kJobStream, ">", ">"}));
                if (got.empty()) {
                    inIdle = false; // a quiet second: refresh the registration (Redis may have restarted empty)
                    continue;
                }
                lastReclaim = reclaimed ? Clock::time_point{} : lastReclaim; // more may wait: look again soon
                leaveIdle(redis);
                for (const auto& e : got) // inbox first: XREADGROUP answers in the order of the streams
                    run(redis, e, reclaimed);
            } catch (const RedisUnavailable& e) {
                if (ready)
                    api::logWarning(std::string("fleet worker: ") + e.what() + "; reconnecting");
                ready = false;
                inIdle = false;
                std::lock_guard lock(mutex);
                stats.connected = false;
            } catch (const std::exception& e) {
                api::logWarning(std::string("fleet worker: ") + e.what());
                ready = false;
                inIdle = false;
            }
            if (!ready && !draining)
                std::this_thread::sleep_for(500ms);
        }
        try {
            leaveIdle(redis);
        } catch (const std::exception&) {
        }
    }

    void beat()
    {
        RedisClient redis(settings.redis, 2000);
        while (!stopBeat) {
            try {
                std::optional<Current> now;
                WorkerStats s;
                {
                    std::lock_guard lock(mutex);
                    now = current;
                    s = stats;
                }
                std::vector<std::vector<std::string>> cmds{
                    {"SET", heartbeatKey(id), "1", "PX", std::to_string(settings.claimIdleMs)},
                    {"HSET", workerKey(id), "jobs", std::to_string(s.jobsRun), "switches",
                     std::to_string(s.modelSwitches), "routed", std::to_string(s.routedJobs)}};
                if (now) { // keep the entry ours: its idle time restarts, so nobody claims a live job
                    cmds.push_back({"XCLAIM", now->stream, kGroup, id, "0", now->entry, "JUSTID"});
                    cmds.push_back({"HGET", jobKey(now->job), "cancel"});
                }
                const auto replies = redis.pipeline(cmds);
                if (now && now->localId && replies.back().str == "1")
                    service.cancel(now->localId);
            } catch (const std::exception&) {
                // Redis away: the loop reconnects; beats resume when it is back.
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(beatMs()));
        }
        try {
            redis.command({"DEL", heartbeatKey(id)}); // drained: others may take the inbox at once
        } catch (const std::exception&) {
        }
    }

    /// On the service's event thread: progress of the running job to its event stream.
    void onEvent(const service::JobEvent& e)
    {
        if (e.kind != service::JobEventKind::Progress)
            return;
        std::string job;
        {
            std::lock_guard lock(mutex);
            if (!current || current->localId != e.id)
                return;
            job = current->job;
        }
        const bool hasPreview = e.progress.preview.has_value();
        if (!hasPreview && Clock::now() - lastProgress < 50ms && e.progress.step != e.progress.totalSteps)
            return; // at most 20 reports a second; previews and the last step always go
        lastProgress = Clock::now();
        try {
            if (!progressRedis)
                progressRedis = std::make_unique<RedisClient>(settings.redis, 2000);
            api::Progress plain = e.progress;
            plain.preview.reset();
            const std::string ttl = std::to_string(settings.resultTtlSeconds);
            progressRedis->pipeline({{"XADD", eventsKey(job), "MAXLEN", "~", "500", "*", "type", "progress", "data",
                                      encodeProgress(e.progress)},
                                     {"EXPIRE", eventsKey(job), ttl},
                                     {"HSET", jobKey(job), "progress", encodeProgress(plain)}});
        } catch (const std::exception&) {
            // A lost progress report costs nothing: the result is published by the loop.
        }
    }
};

FleetWorker::FleetWorker(FleetSettings settings, std::string workerId, service::GenerationService& service,
                         std::string preloadModel)
    : m_impl(std::make_unique<Impl>(std::move(settings), workerId, service, m_busy)), m_id(std::move(workerId))
{
    m_impl->stats.model = modelKeyOf(preloadModel);
}

FleetWorker::~FleetWorker()
{
    drain();
    if (m_impl->listener)
        m_impl->service.unsubscribe(m_impl->listener);
}

void FleetWorker::start()
{
    m_impl->listener = m_impl->service.subscribe([impl = m_impl.get()](const service::JobEvent& e) { impl->onEvent(e); });
    m_impl->beatThread = std::thread([impl = m_impl.get()] { impl->beat(); });
    m_impl->loopThread = std::thread([impl = m_impl.get()] { impl->loop(); });
}

void FleetWorker::drain()
{
    m_impl->draining = true;
    if (m_impl->loopThread.joinable())
        m_impl->loopThread.join();
    m_impl->stopBeat = true;
    if (m_impl->beatThread.joinable())
        m_impl->beatThread.join();
}

WorkerStats FleetWorker::stats() const
{
    std::lock_guard lock(m_impl->mutex);
    return m_impl->stats;
}

} // namespace easel::fleet
