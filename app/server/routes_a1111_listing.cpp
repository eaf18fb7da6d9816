// A1111's settings and listing endpoints: what the served folders hold, in A1111's shapes; empty
// lists where Easel has nothing of a kind (hypernetworks, face restorers); 501 with a reason for
// what Easel cannot serve, never a fake result.

#include <fstream>
#include <sstream>

#include <httplib.h>

#include "app/server/http_util.h"
#include "app/server/routes.h"
#include "app/server/sd_upscale.h"
#include "app/server/server_context.h"
#include "app/server/uploaded_image.h"
#include "app/server/validation.h"
#include "engine/api/error.h"
#include "engine/api/infotext.h"
#include "engine/api/samplers.h"
#include "engine/io/host_buffer_pool.h"
#include "engine/image/exif_comment.h"
#include "engine/image/png_codec.h"

namespace easel::server {

using nlohmann::json;

namespace {

json checkpointsJson(const ServerContext& ctx)
{
    json out = json::array();
    for (const auto& m : ctx.models->list("checkpoint"))
        out.push_back({{"title", ServedModels::title(m)}, {"model_name", m.name},
                       {"hash", m.shortHash.empty() ? json(nullptr) : json(m.shortHash)},
                       {"sha256", m.sha256.empty() ? json(nullptr) : json(m.sha256)},
                       {"filename", m.relativePath}, {"config", nullptr}});
    return out;
}

json samplersJson()
{
    json out = json::array();
    for (const auto& label : api::samplerLabels())
        out.push_back({{"name", label}, {"aliases", api::samplerAliases(label)}, {"options", json::object()}});
    return out;
}

json schedulersJson()
{
    json out = json::array();
    for (const auto& s : api::scheduleNames())
        out.push_back({{"name", s.id}, {"label", s.label}, {"aliases", nullptr}, {"default_rho", -1},
                       {"need_inner_model", false}});
    return out;
}

json upscalersJson()
{
    json out = json::array();
    for (const auto& name : sdUpscaleUpscalers())
        out.push_back({{"name", name}, {"model_name", nullptr}, {"model_path", nullptr}, {"model_url", nullptr},
                       {"scale", 4}});
    return out;
}

json embeddingsJson(const ServerContext& ctx)
{
    json loaded = json::object();
    for (const auto& m : ctx.models->list("embedding"))
        loaded[m.name] = {{"step", nullptr}, {"sd_checkpoint", nullptr}, {"sd_checkpoint_name", nullptr},
                          {"shape", m.family == "sdxl" ? 2048 : m.family == "sd2" ? 1024 : 768}, {"vectors", nullptr}};
    return {{"loaded", loaded}, {"skipped", json::object()}};
}

json memoryJson()
{
    std::ifstream in("/proc/meminfo");
    std::string key;
    long long value = 0, total = 0, available = 0;
    std::string unit;
    while (in >> key >> value >> unit) {
        if (key == "MemTotal:")
            total = value * 1024;
        else if (key == "MemAvailable:")
            available = value * 1024;
    }
    const io::HostPoolStats pool = io::HostBufferPool::shared().stats();
    return {{"ram", {{"free", available}, {"used", total - available}, {"total", total}}},
            {"cuda", {{"error", "this server reports CUDA memory in /metrics only when built with CUDA"}}},
            // Easel's own: memory of unloaded weights kept for the next load (--host-pool-mb).
            {"easel_host_pool", {{"budget", pool.budgetBytes}, {"kept", pool.freeBytes}, {"hits", pool.hits},
                                 {"misses", pool.misses}}}};
}

json cmdFlagsJson(const ServerContext& ctx)
{
    const ServerOptions& o = ctx.options;
    // Names as A1111's flags; no paths or secrets (a client has no business knowing them).
    return {{"api", true}, {"nowebui", true}, {"listen", o.host != "127.0.0.1"}, {"port", o.port},
            {"api_auth", o.basicAuth.empty() ? json(nullptr) : json("<set>")},
            {"api_server_only", true}, {"cors_allow_origins", o.corsOrigin.empty() ? json(nullptr) : json(o.corsOrigin)},
            {"tls_keyfile", nullptr}, {"tls_certfile", nullptr}, {"ckpt_dir", nullptr}, {"data_dir", nullptr},
            {"easel_queue_depth", o.queueDepth}, {"easel_max_pixels", o.maxPixels},
            {"easel_max_body_mb", o.maxBodyBytes >> 20}};
}

/// POST /sdapi/v1/png-info: {"info": parameters text, "items": other text chunks, "parameters": parsed}.
json pngInfoJson(const json& body)
{
    if (!body.contains("image") || !body["image"].is_string())
        throw ValidationError({"body", "image"}, "field required: a base64 image", "value_error.missing");
    std::vector<unsigned char> bytes;
    try {
        bytes = decodeBase64Upload(body["image"].get<std::string>());
    } catch (const UploadRefused& e) {
        throw ValidationError({"body", "image"}, e.what(), "value_error.image");
    }
    std::string info;
    json items = json::object();
    if (bytes.size() >= 8 && bytes[0] == 0x89 && bytes[1] == 'P') {
        try {
            for (const auto& [k, v] : image::readPngText(bytes)) {
                if (k == "parameters")
                    info = v;
                else
                    items[k] = v;
            }
        } catch (const api::Error& e) {
            throw ValidationError({"body", "image"}, "the PNG cannot be read: " + e.message(), "value_error.image");
        }
    } else if (!probeImageHeader(bytes)) {
        throw ValidationError({"body", "image"}, "the image is not a PNG, JPEG or WebP file", "value_error.image");
    } else if (const auto exif = image::findExif(bytes); !exif.empty()) {
        info = image::parseExifUserComment(exif.data(), exif.size()).value_or("");
    }
    json parameters = json::object();
    if (!info.empty()) {
        const api::Infotext parsed = api::parseInfotext(info);
        parameters["Prompt"] = parsed.prompt;
        parameters["Negative prompt"] = parsed.negativePrompt;
        for (const auto& [k, v] : parsed.params)
            parameters[k] = v;
    }
    return {{"info", info}, {"items", items}, {"parameters", parameters}};
}

void notAvailable(httplib::Server& http, const std::string& path, const std::string& why)
{
    auto answer = [why](const httplib::Request&, httplib::Response& res) { sendDetail(res, 501, why); };
    http.Post(path, answer);
    http.Get(path, answer);
}

void list(httplib::Server& http, const std::string& path, std::function<json()> make)
{
    http.Get(path, [make = std::move(make)](const httplib::Request&, httplib::Response& res) { sendJson(res, 200, make()); });
}

} // namespace

void registerA1111ListingRoutes(httplib::Server& http, ServerContext& ctx)
{
    http.Get("/sdapi/v1/options", [&ctx](const httplib::Request&, httplib::Response& res) {
        sendJson(res, 200, ctx.a1111.all());
    });
    http.Post("/sdapi/v1/options", [&ctx](const httplib::Request& req, httplib::Response& res) {
        try {
            ctx.a1111.set(bodyObject(req), [&ctx](const std::string& key, const std::string& value) {
                const std::string kind = key == "sd_vae" ? "vae" : "checkpoint";
                if (kind == "vae" && (value == "Automatic" || value == "None"))
                    return;
                if (ctx.resolver->resolve(kind, value).empty())
                    throw ValidationError({"body", key}, "unknown " + kind + " '" + value + "'; GET /sdapi/v1/"
                                                             + (kind == "vae" ? "sd-vae" : "sd-models") + " lists them");
            });
            sendJson(res, 200, json(nullptr));
        } catch (const ValidationError& e) {
            sendValidation(res, e);
        } catch (const api::Error& e) {
            sendEngineError(res, e);
        }
    });
    list(http, "/sdapi/v1/cmd-flags", [&ctx] { return cmdFlagsJson(ctx); });
    list(http, "/sdapi/v1/samplers", samplersJson);
    list(http, "/sdapi/v1/schedulers", schedulersJson);
    list(http, "/sdapi/v1/upscalers", upscalersJson);
    list(http, "/sdapi/v1/latent-upscale-modes", [] { return json::array({json{{"name", "Latent"}}}); });
    list(http, "/sdapi/v1/sd-models", [&ctx] { return checkpointsJson(ctx); });
    list(http, "/sdapi/v1/sd-vae", [&ctx] {
        json out = json::array();
        for (const auto& m : ctx.models->list("vae"))
            out.push_back({{"model_name", m.fileName}, {"filename", m.relativePath}});
        return out;
    });
    list(http, "/sdapi/v1/loras", [&ctx] {
        json out = json::array();
        for (const auto& m : ctx.models->list("lora"))
            out.push_back({{"name", m.name}, {"alias", m.alias.empty() ? m.name : m.alias}, {"path", m.relativePath},
                           {"metadata", json::object()}});
        return out;
    });
    list(http, "/sdapi/v1/embeddings", [&ctx] { return embeddingsJson(ctx); });
    list(http, "/sdapi/v1/memory", memoryJson);
    list(http, "/sdapi/v1/scripts", [] { return json{{"txt2img", json::array()}, {"img2img", {"sd upscale"}}}; });
    list(http, "/sdapi/v1/script-info", [] { return json::array(); });
    list(http, "/sdapi/v1/extensions", [] { return json::array(); });
    for (const char* empty : {"/sdapi/v1/hypernetworks", "/sdapi/v1/face-restorers", "/sdapi/v1/realesrgan-models",
                              "/sdapi/v1/prompt-styles", "/sdapi/v1/sd-modules"})
        list(http, empty, [] { return json::array(); });
    auto refresh = [&ctx](const httplib::Request&, httplib::Response& res) {
        ctx.models->refresh();
        sendJson(res, 200, json(nullptr));
    };
    for (const char* path : {"/sdapi/v1/refresh-checkpoints", "/sdapi/v1/refresh-loras", "/sdapi/v1/refresh-vae",
                             "/sdapi/v1/refresh-embeddings"})
        http.Post(path, refresh);
    http.Post("/sdapi/v1/unload-checkpoint", [&ctx](const httplib::Request&, httplib::Response& res) {
        ctx.service->unloadModels();
        sendJson(res, 200, json(nullptr));
    });
    http.Post("/sdapi/v1/reload-checkpoint", [](const httplib::Request&, httplib::Response& res) {
        sendJson(res, 200, json(nullptr)); // models load with the next job
    });
    http.Post("/sdapi/v1/png-info", [](const httplib::Request& req, httplib::Response& res) {
        try {
            sendJson(res, 200, pngInfoJson(bodyObject(req)));
        } catch (const ValidationError& e) {
            sendValidation(res, e);
        }
    });
    notAvailable(http, "/sdapi/v1/interrogate", "interrogate (CLIP / DeepBooru captions) is not available in Easel yet");
    notAvailable(http, "/sdapi/v1/extra-single-image", "extras upscaling is not available in Easel's server yet");
    notAvailable(http, "/sdapi/v1/extra-batch-images", "extras upscaling is not available in Easel's server yet");
    for (const char* train : {"/sdapi/v1/create/embedding", "/sdapi/v1/create/hypernetwork", "/sdapi/v1/train/embedding",
                              "/sdapi/v1/train/hypernetwork", "/sdapi/v1/preprocess"})
        notAvailable(http, train, "training through the A1111 API is not available in Easel");
    for (const char* admin : {"/sdapi/v1/server-kill", "/sdapi/v1/server-restart", "/sdapi/v1/server-stop"})
        notAvailable(http, admin, "the server cannot be stopped through its API; send it SIGTERM (it drains first)");
}

} // namespace easel::server
