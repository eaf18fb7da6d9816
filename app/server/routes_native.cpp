// Easel's own async jobs API (/easel/v1): queue a job and get its id at once, poll it, follow it
// as Server-Sent Events, fetch its images, cancel it. A caller sees only its own jobs when the
// server has credentials.

#include <set>
#include <thread>

#include <httplib.h>

#include "app/server/a1111_generate.h"
#include "app/server/http_util.h"
#include "app/server/job_json.h"
#include "app/server/native_request.h"
#include "app/server/openapi.h"
#include "app/server/routes.h"
#include "app/server/server_context.h"
#include "app/server/validation.h"
#include "engine/api/error.h"

namespace easel::server {

using nlohmann::json;

namespace {

/// A job of this process or, behind a fleet, of any API instance, when the caller may see it.
std::optional<service::JobSnapshot> visibleJob(const ServerContext& ctx, const httplib::Request& req, service::JobId id)
{
    auto job = ctx.service->job(id);
    if (!job && ctx.fleet)
        job = ctx.fleet->job(id);
    if (!job || (!ctx.credentials.open() && job->options.owner != ctx.caller(req).value_or("")))
        return std::nullopt;
    return job;
}

/// The job an Idempotency-Key already names (of this caller), if any.
std::optional<service::JobId> idempotentJob(ServerContext& ctx, const std::string& owner, const std::string& key)
{
    if (ctx.fleet)
        return ctx.fleet->idempotentJob(owner, key);
    std::lock_guard lock(ctx.idempotencyMutex);
    const auto it = ctx.idempotency.find(owner + "\n" + key);
    return it == ctx.idempotency.end() ? std::nullopt : std::optional(it->second);
}

/// Claims the key for `id`; the id that holds it afterwards (another when a parallel call won).
service::JobId claimIdempotencyKey(ServerContext& ctx, const std::string& owner, const std::string& key,
                                   service::JobId id)
{
    if (ctx.fleet)
        return ctx.fleet->claimIdempotencyKey(owner, key, id);
    std::lock_guard lock(ctx.idempotencyMutex);
    return ctx.idempotency.emplace(owner + "\n" + key, id).first->second;
}

/// The job named in the path when the caller may see it.
std::optional<service::JobSnapshot> ownJob(const ServerContext& ctx, const httplib::Request& req)
{
    service::JobId id = 0;
    try {
        id = std::stoll(req.matches[1].str());
    } catch (const std::exception&) {
        return std::nullopt;
    }
    return visibleJob(ctx, req, id);
}

void notFound(httplib::Response& res)
{
    sendDetail(res, 404, "no such job (finished jobs are kept for a while, then forgotten)");
}

int queuePosition(const ServerContext& ctx, service::JobId id)
{
    int position = 0;
    for (const auto& j : ctx.service->jobs()) {
        if (j.id == id)
            return position;
        if (j.state == service::JobState::Queued)
            ++position;
    }
    return -1;
}

void submit(ServerContext& ctx, const httplib::Request& req, httplib::Response& res)
{
    if (ctx.draining)
        return sendBusy(res, "the server is shutting down; retry on another instance or later");
    try {
        NativeJob job = parseNativeJob(bodyObject(req), a1111Context(ctx), *ctx.resolver, 0);
        job.options.owner = ctx.caller(req).value_or("");
        // Idempotency-Key: a retried POST (lost answer, client restart) names the same job.
        const std::string key = req.get_header_value("Idempotency-Key");
        if (key.size() > 200)
            return sendDetail(res, 422, "Idempotency-Key is longer than 200 characters");
        if (!key.empty())
            if (const auto known = idempotentJob(ctx, job.options.owner, key))
                if (const auto existing = visibleJob(ctx, req, *known)) {
                    res.set_header("Location", jobPath(*known));
                    return sendJson(res, 200, jobJson(*existing));
                }
        service::JobId id = ctx.service->submit(job.request, job.options);
        if (!key.empty())
            if (const service::JobId winner = claimIdempotencyKey(ctx, job.options.owner, key, id); winner != id) {
                ctx.service->cancel(id); // a parallel request with the same key got there first
                ctx.service->remove(id);
                const auto existing = visibleJob(ctx, req, winner);
                res.set_header("Location", jobPath(winner));
                return existing ? sendJson(res, 200, jobJson(*existing)) : notFound(res);
            }
        json out = jobJson(*ctx.service->job(id), queuePosition(ctx, id));
        out["notes"] = job.notes;
        res.set_header("Location", jobPath(id));
        sendJson(res, 202, out);
    } catch (const ValidationError& e) {
        ctx.metrics.countRejected("invalid");
        sendValidation(res, e);
    } catch (const api::Error& e) {
        ctx.metrics.countRejected(e.code() == api::ErrorCode::Busy ? "queue_full" : "invalid");
        sendEngineError(res, e);
    }
}

std::string sseFrame(const std::string& event, const std::string& data)
{
    return "event: " + event + "\ndata: " + data + "\n\n";
}

/// SSE: first the job as it is now ("state"), then its events as they happen, "done" last.
void stream(ServerContext& ctx, const service::JobSnapshot& job, httplib::Response& res)
{
    const service::JobId id = job.id;
    auto cursor = std::make_shared<std::uint64_t>(0);
    auto sentState = std::make_shared<bool>(false);
    res.set_header("Cache-Control", "no-cache");
    res.set_header("X-Accel-Buffering", "no"); // nginx: do not buffer the stream
    res.set_chunked_content_provider("text/event-stream", [&ctx, id, cursor, sentState](size_t, httplib::DataSink& sink) {
        if (!*sentState) {
            *sentState = true;
            const auto now = ctx.service->job(id);
            const std::string frame = sseFrame("state", now ? jobJson(*now).dump(-1, ' ', false, json::error_handler_t::replace) : "{}");
            sink.write(frame.data(), frame.size());
            if (now && service::isFinished(now->state)) {
                const std::string done = sseFrame("done", jobJson(*now).dump(-1, ' ', false, json::error_handler_t::replace));
                sink.write(done.data(), done.size());
                sink.done();
                return true;
            }
        }
        bool finished = false;
        const auto events = ctx.events.next(id, *cursor, std::chrono::seconds(15), finished);
        if (!sink.is_writable() || ctx.stopping)
            return false;
        if (events.empty()) {
            static const std::string ping = ": ping\n\n";
            sink.write(ping.data(), ping.size());
        }
        for (const auto& e : events) {
            std::string data = e.data;
            if (e.name == "done") // the final job JSON: images with links, as polling gives it
                if (const auto now = ctx.service->job(id))
                    data = jobJson(*now).dump(-1, ' ', false, json::error_handler_t::replace);
            const std::string frame = sseFrame(e.name, data);
            sink.write(frame.data(), frame.size());
        }
        if (finished)
            sink.done();
        return true;
    });
}

/// SSE of a job another API instance took: its state from Redis, polled, until it finishes.
void streamFromFleet(ServerContext& ctx, service::JobId id, httplib::Response& res)
{
    auto last = std::make_shared<std::string>();
    res.set_header("Cache-Control", "no-cache");
    res.set_header("X-Accel-Buffering", "no");
    res.set_chunked_content_provider("text/event-stream", [&ctx, id, last](size_t, httplib::DataSink& sink) {
        if (!sink.is_writable() || ctx.stopping)
            return false;
        std::optional<service::JobSnapshot> now;
        try {
            now = ctx.fleet->job(id);
        } catch (const api::Error&) { // Redis is away: the stream waits for it rather than ending
            std::this_thread::sleep_for(std::chrono::milliseconds(500));
            return true;
        }
        if (!now) {
            const std::string gone = sseFrame("done", json{{"id", id}, {"state", "expired"}}.dump());
            sink.write(gone.data(), gone.size());
            sink.done();
            return true;
        }
        const json state = jobJson(*now);
        const std::string text = state.dump(-1, ' ', false, json::error_handler_t::replace);
        const bool finished = service::isFinished(now->state);
        if (finished || text != *last) {
            const std::string frame = sseFrame(last->empty() ? "state" : finished ? "done" : "progress", text);
            sink.write(frame.data(), frame.size());
            *last = text;
        }
        if (finished) {
            sink.done();
            return true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        return true;
    });
}

void image(const ServerContext& ctx, const httplib::Request& req, httplib::Response& res)
{
    const auto job = ownJob(ctx, req);
    if (!job)
        return notFound(res);
    int index = -1;
    try {
        index = std::stoi(req.matches[2].str());
    } catch (const std::exception&) {
    }
    for (const auto& img : job->images) {
        if (img.index != index)
            continue;
        if (!img.image.png.empty())
            return res.set_content(img.image.png, "image/png"); // a worker's bytes, sent on
        if (!img.image.image.empty()) {
            const auto bytes = pngBytes(img.image.image, img.image.infotext);
            return res.set_content(std::string(bytes.begin(), bytes.end()), "image/png");
        }
    }
    sendDetail(res, 404, "the job has no image " + req.matches[2].str() + " (yet)");
}

} // namespace

void registerNativeRoutes(httplib::Server& http, ServerContext& ctx)
{
    http.Post("/easel/v1/jobs", [&ctx](const httplib::Request& req, httplib::Response& res) { submit(ctx, req, res); });
    http.Get("/easel/v1/jobs", [&ctx](const httplib::Request& req, httplib::Response& res) {
        const std::string me = ctx.caller(req).value_or("");
        const std::string user = req.get_param_value("user");
        if (!user.empty() && user != "me" && user != me)
            return sendDetail(res, 403, "you can list your own jobs only (user=me)");
        json out = json::array();
        std::set<service::JobId> listed;
        for (const auto& j : ctx.service->jobs())
            if (ctx.credentials.open() || j.options.owner == me) {
                out.push_back(jobJson(j));
                listed.insert(j.id);
            }
        if (ctx.fleet) // the caller's history on every API instance
            for (const service::JobId id : ctx.fleet->jobsOf(me))
                if (!listed.count(id))
                    if (const auto j = visibleJob(ctx, req, id))
                        out.push_back(jobJson(*j));
        sendJson(res, 200, json{{"jobs", out}});
    });
    http.Get(R"(/easel/v1/jobs/(\d+))", [&ctx](const httplib::Request& req, httplib::Response& res) {
        const auto job = ownJob(ctx, req);
        job ? sendJson(res, 200, jobJson(*job, queuePosition(ctx, job->id))) : notFound(res);
    });
    http.Get(R"(/easel/v1/jobs/(\d+)/events)", [&ctx](const httplib::Request& req, httplib::Response& res) {
        const auto job = ownJob(ctx, req);
        if (!job)
            return notFound(res);
        ctx.service->job(job->id) ? stream(ctx, *job, res) : streamFromFleet(ctx, job->id, res);
    });
    http.Get(R"(/easel/v1/jobs/(\d+)/images/(\d+))", [&ctx](const httplib::Request& req, httplib::Response& res) {
        image(ctx, req, res);
    });
    http.Delete(R"(/easel/v1/jobs/(\d+))", [&ctx](const httplib::Request& req, httplib::Response& res) {
        const auto job = ownJob(ctx, req);
        if (!job)
            return notFound(res);
        if (ctx.service->job(job->id)) {
            ctx.service->cancel(job->id);
            const auto after = ctx.service->waitFor(job->id, std::chrono::seconds(30)); // one sampling step, normally
            return sendJson(res, 200, jobJson(after ? *after : *job));
        }
        ctx.fleet->cancel(job->id); // another API instance follows it; its worker stops it
        auto after = job;
        for (int i = 0; i < 120 && after && !service::isFinished(after->state); ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(250));
            after = ctx.fleet->job(job->id);
        }
        sendJson(res, 200, jobJson(after ? *after : *job));
    });
    http.Get("/easel/v1/openapi.json", [](const httplib::Request&, httplib::Response& res) {
        sendJson(res, 200, openApiDocument());
    });
}

} // namespace easel::server
