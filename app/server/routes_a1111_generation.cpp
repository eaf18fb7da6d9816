// A1111 generation endpoints: txt2img, img2img, and the progress / interrupt / skip trio its
// clients poll while a synchronous call is running.

#include <httplib.h>

#include "app/server/a1111_generate.h"
#include "app/server/http_util.h"
#include "app/server/job_json.h"
#include "app/server/routes.h"
#include "app/server/server_context.h"

namespace easel::server {

using nlohmann::json;

namespace {

/// GET /sdapi/v1/progress (A1111 api.py progressapi): progress 0..1, eta_relative, state,
/// current_image (the latest live preview), textinfo.
json progressAnswer(ServerContext& ctx, bool skipCurrentImage)
{
    const auto running = ctx.runningJob();
    const int queued = ctx.service->queuedCount();
    json state{{"skipped", false}, {"interrupted", false}, {"stopping_generation", false},
               {"job", ""}, {"job_count", queued + (running ? 1 : 0)}, {"job_timestamp", "0"},
               {"job_no", 0}, {"sampling_step", 0}, {"sampling_steps", 0}};
    if (!running)
        return {{"progress", 0.0}, {"eta_relative", 0.0}, {"state", state}, {"current_image", nullptr}, {"textinfo", nullptr}};
    const api::Progress& p = running->progress;
    state["job"] = "job(" + std::to_string(running->id) + ")";
    state["job_no"] = p.imageIndex;
    state["sampling_step"] = p.step;
    state["sampling_steps"] = p.totalSteps;
    state["interrupted"] = ctx.interruptedJob.load() == running->id;
    state["skipped"] = ctx.skippedJob.load() == running->id;
    json image = nullptr;
    if (!skipCurrentImage && p.preview && !p.preview->empty())
        image = pngBase64(*p.preview, {});
    return {{"progress", progressFraction(p, running->request.hires.enabled)},
            {"eta_relative", p.etaSeconds},
            {"state", state},
            {"current_image", image},
            {"textinfo", std::string(api::stageName(p.stage)) + (p.totalSteps > 0 ? " " + std::to_string(p.step) + "/"
                                                                                        + std::to_string(p.totalSteps) : "")}};
}

/// A1111 interrupts whatever runs, whoever sent it; a keyed server only lets a caller stop its
/// own jobs (or any job when the server is open).
bool stopRunning(ServerContext& ctx, const std::string& caller, std::atomic<service::JobId>& flag)
{
    const auto running = ctx.runningJob();
    if (!running || (!ctx.credentials.open() && running->options.owner != caller))
        return false;
    flag = running->id;
    return ctx.service->cancel(running->id);
}

} // namespace

void registerA1111GenerationRoutes(httplib::Server& http, ServerContext& ctx)
{
    http.Post("/sdapi/v1/txt2img", [&ctx](const httplib::Request& req, httplib::Response& res) {
        handleA1111Generate(ctx, req, res, false);
    });
    http.Post("/sdapi/v1/img2img", [&ctx](const httplib::Request& req, httplib::Response& res) {
        handleA1111Generate(ctx, req, res, true);
    });
    http.Get("/sdapi/v1/progress", [&ctx](const httplib::Request& req, httplib::Response& res) {
        const std::string skip = req.get_param_value("skip_current_image");
        sendJson(res, 200, progressAnswer(ctx, skip == "true" || skip == "True" || skip == "1"));
    });
    http.Post("/sdapi/v1/interrupt", [&ctx](const httplib::Request& req, httplib::Response& res) {
        stopRunning(ctx, ctx.caller(req).value_or(""), ctx.interruptedJob);
        sendJson(res, 200, json(nullptr));
    });
    // Easel has no "skip this image, go on with the batch" yet: skip stops the job, keeping the
    // images finished so far (what a client that skips the last image of a batch gets in A1111).
    http.Post("/sdapi/v1/skip", [&ctx](const httplib::Request& req, httplib::Response& res) {
        stopRunning(ctx, ctx.caller(req).value_or(""), ctx.skippedJob);
        sendJson(res, 200, json(nullptr));
    });
}

} // namespace easel::server
