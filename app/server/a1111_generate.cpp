#include "app/server/a1111_generate.h"

#include <chrono>
#include <ctime>

#include <httplib.h>

#include "app/server/http_util.h"
#include "app/server/job_json.h"
#include "app/server/sd_upscale.h"
#include "app/server/server_context.h"
#include "app/server/validation.h"
#include "engine/api/error.h"
#include "engine/api/infotext.h"
#include "engine/api/version.h"

namespace easel::server {

using nlohmann::json;

A1111ParseContext a1111Context(const ServerContext& ctx)
{
    A1111ParseContext c;
    c.defaults = ctx.a1111.defaults();
    c.maxPixels = ctx.options.maxPixels;
    c.resolve = [&ctx](const std::string& kind, const std::string& name) { return ctx.resolver->resolve(kind, name); };
    c.known = [&ctx](const std::string& kind) {
        std::vector<std::string> names;
        for (const auto& m : ctx.models->list(kind))
            names.push_back(kind == "checkpoint" ? ServedModels::title(m) : m.name);
        return names;
    };
    c.firstKnown = [&ctx](const std::string& kind) {
        const auto m = ctx.models->first(kind);
        return !m ? std::string() : kind == "checkpoint" ? ServedModels::title(*m) : m->name;
    };
    return c;
}

service::JobOptions a1111JobOptions(const ServerContext& ctx, const A1111Job& job, const std::string& owner)
{
    const json opts = ctx.a1111.all();
    service::JobOptions o;
    o.owner = owner;
    o.keepPixels = true;
    o.output.save = job.saveImages;
    o.record = job.saveImages;
    o.output.format = opts.value("samples_format", std::string("png"));
    if (o.output.format != "png" && o.output.format != "jpg" && o.output.format != "webp")
        o.output.format = "png";
    o.output.quality = opts.value("jpeg_quality", 80);
    const bool previews = opts.value("live_previews_enable", true);
    o.previewEverySteps = previews ? opts.value("show_progress_every_n_steps", ctx.options.previewEverySteps) : 0;
    if (o.previewEverySteps < 0)
        o.previewEverySteps = 0;
    return o;
}

namespace {

std::string timestamp()
{
    const std::time_t now = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&now, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y%m%d%H%M%S", &tm);
    return buf;
}

/// The request echo A1111 returns as `parameters`: the payload as sent, pictures left out unless
/// include_init_images (A1111 blanks init_images and mask then).
json parametersEcho(const json& body, const A1111Job& job)
{
    json p = body;
    if (job.img2img && !job.includeInitImages) {
        p["init_images"] = nullptr;
        p["mask"] = nullptr;
    }
    if (p.contains("alwayson_scripts") && p["alwayson_scripts"].is_object())
        for (auto& [name, script] : p["alwayson_scripts"].items())
            if (script.is_object() && script.contains("args") && script["args"].is_array())
                for (auto& unit : script["args"])
                    if (unit.is_object())
                        for (const char* k : {"image", "input_image", "mask", "mask_image"})
                            if (unit.contains(k))
                                unit[k] = nullptr;
    return p;
}

} // namespace

json a1111Info(const A1111Job& job, const service::JobSnapshot& s)
{
    const api::GenerationRequest& r = job.request;
    json seeds = json::array(), subseeds = json::array(), infotexts = json::array(), prompts = json::array(),
         negatives = json::array();
    for (const auto& img : s.images) {
        seeds.push_back(img.image.seed);
        subseeds.push_back(img.image.subseed);
        infotexts.push_back(img.image.infotext);
        prompts.push_back(r.prompt);
        negatives.push_back(r.negativePrompt);
    }
    std::string modelName, modelHash, vaeName, vaeHash;
    if (!s.images.empty()) {
        const api::Infotext parsed = api::parseInfotext(s.images.front().image.infotext);
        modelName = parsed.get("Model").value_or("");
        modelHash = parsed.get("Model hash").value_or("");
        vaeName = parsed.get("VAE").value_or("");
        vaeHash = parsed.get("VAE hash").value_or("");
    }
    auto orNull = [](const std::string& v) { return v.empty() ? json(nullptr) : json(v); };
    std::vector<std::string> notes = job.notes;
    notes.insert(notes.end(), s.warnings.begin(), s.warnings.end());
    return {
        {"prompt", r.prompt},
        {"all_prompts", prompts},
        {"negative_prompt", r.negativePrompt},
        {"all_negative_prompts", negatives},
        {"seed", s.images.empty() ? json(s.resolvedSeed) : seeds[0]},
        {"all_seeds", seeds},
        {"subseed", s.images.empty() ? json(r.subseed) : subseeds[0]},
        {"all_subseeds", subseeds},
        {"subseed_strength", r.subseedStrength},
        {"width", r.width},
        {"height", r.height},
        {"sampler_name", r.sampler},
        {"scheduler", r.scheduler},
        {"cfg_scale", r.cfgScale},
        {"steps", r.steps},
        {"batch_size", r.batchSize},
        {"restore_faces", false},
        {"face_restoration_model", nullptr},
        {"sd_model_name", orNull(modelName)},
        {"sd_model_hash", orNull(modelHash)},
        {"sd_vae_name", orNull(vaeName)},
        {"sd_vae_hash", orNull(vaeHash)},
        {"seed_resize_from_w", r.seedResizeFromW > 0 ? r.seedResizeFromW : -1},
        {"seed_resize_from_h", r.seedResizeFromH > 0 ? r.seedResizeFromH : -1},
        {"denoising_strength", job.img2img ? json(r.denoisingStrength)
                                           : (r.hires.enabled ? json(r.hires.denoisingStrength) : json(nullptr))},
        {"extra_generation_params", json::object()},
        {"index_of_first_image", 0},
        {"infotexts", infotexts},
        {"styles", json::array()},
        {"job_timestamp", timestamp()},
        {"clip_skip", r.clipSkip},
        {"is_using_inpainting_conditioning", false},
        {"version", std::string("easel-") + api::easelVersion()},
        {"interrupted", s.state == service::JobState::Cancelled},
        {"notes", notes},
    };
}

json a1111Response(const json& body, const A1111Job& job, const service::JobSnapshot& s)
{
    json images = json::array();
    if (job.sendImages) {
        for (const auto& img : s.images)
            images.push_back(pngBase64(img.image));
        if (job.includeInitImages && !job.initImageBase64.empty())
            images.push_back(job.initImageBase64);
    }
    return {{"images", images},
            {"parameters", parametersEcho(body, job)},
            {"info", a1111Info(job, s).dump(-1, ' ', false, json::error_handler_t::replace)}};
}

namespace {

/// Submits, waits and answers; the HTTP thread is held for the job's time, as in A1111.
void runJob(ServerContext& ctx, const json& body, const A1111Job& job, const std::string& owner, httplib::Response& res)
{
    if (ctx.draining)
        return sendBusy(res, "the server is shutting down; send the request to another instance or retry later");
    service::JobId id = 0;
    try {
        id = ctx.service->submit(job.request, a1111JobOptions(ctx, job, owner));
    } catch (const api::Error& e) {
        ctx.metrics.countRejected(e.code() == api::ErrorCode::Busy ? "queue_full" : "invalid");
        return sendEngineError(res, e);
    }
    const auto snapshot = ctx.service->waitFor(id);
    if (!snapshot)
        return sendDetail(res, 500, "the job was lost from the queue");
    if (snapshot->state == service::JobState::Failed)
        return sendEngineError(res, api::Error(snapshot->errorCode, snapshot->error));
    // How long the job itself took (queue + run), so clients and `bench server` can tell the
    // HTTP path's own cost from the generation's.
    res.set_header("Server-Timing", "job;dur=" + std::to_string((snapshot->queuedSeconds + snapshot->runSeconds) * 1000.0));
    // Done, or interrupted/skipped: A1111 answers 200 with the images finished before.
    if (!job.restoreAfterwards && !job.overrideSettings.empty())
        ctx.a1111.set(job.overrideSettings);
    sendJson(res, 200, a1111Response(body, job, *snapshot));
}

} // namespace

void handleA1111Generate(ServerContext& ctx, const httplib::Request& req, httplib::Response& res, bool img2img)
{
    const std::string owner = ctx.caller(req).value_or("");
    try {
        const json body = bodyObject(req);
        A1111Job job = parseA1111(body, img2img, a1111Context(ctx));
        if (job.sdUpscale)
            return runSdUpscale(ctx, body, job, owner, res);
        runJob(ctx, body, job, owner, res);
    } catch (const ValidationError& e) {
        ctx.metrics.countRejected("invalid");
        sendValidation(res, e);
    } catch (const api::Error& e) {
        sendEngineError(res, e);
    }
}

} // namespace easel::server
