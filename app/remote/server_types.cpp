#include "app/remote/server_types.h"

#include <nlohmann/json.hpp>

#include "engine/api/error.h"
#include "engine/api/png_data.h"

namespace easel::remote {
namespace {

using nlohmann::json;

// The server may send null for anything it does not know (hash, error, eta): null and missing
// read as the default, a field of another type is a broken reply.
std::string text(const json& j, const char* key)
{
    const auto it = j.find(key);
    return it == j.end() || it->is_null() ? std::string() : it->get<std::string>();
}

template <typename T> T number(const json& j, const char* key, T fallback = {})
{
    const auto it = j.find(key);
    return it == j.end() || it->is_null() ? fallback : it->get<T>();
}

template <typename F> auto parsed(const std::string& body, const char* what, F&& read)
{
    try {
        return read(json::parse(body));
    } catch (const json::exception& e) {
        throw api::Error(api::ErrorCode::Internal,
            std::string("the Easel server sent ") + what + " this studio cannot read (" + e.what()
                + "); are the studio and the server the same version?");
    }
}

ServerProgress progressOf(const json& j)
{
    ServerProgress p;
    p.stage = text(j, "stage");
    p.step = number<int>(j, "step");
    p.totalSteps = number<int>(j, "total_steps");
    p.imageIndex = number<int>(j, "image_index");
    p.imageCount = number<int>(j, "image_count", 1);
    p.fraction = number<double>(j, "fraction");
    p.etaSeconds = number<double>(j, "eta_seconds");
    p.secondsPerStep = number<double>(j, "seconds_per_step");
    p.preview = text(j, "preview");
    return p;
}

ServerImage imageOf(const json& j)
{
    ServerImage image;
    image.index = number<int>(j, "index");
    image.seed = number<std::int64_t>(j, "seed");
    image.width = number<int>(j, "width");
    image.height = number<int>(j, "height");
    image.infotext = text(j, "infotext");
    image.url = text(j, "url");
    return image;
}

ServerJob jobOf(const json& j)
{
    ServerJob job;
    // Ids are strings in the contract; a number is accepted all the same.
    const auto id = j.find("id");
    if (id != j.end())
        job.id = id->is_string() ? id->get<std::string>() : id->dump();
    job.state = text(j, "state");
    if (const auto p = j.find("progress"); p != j.end() && p->is_object())
        job.progress = progressOf(*p);
    if (const auto images = j.find("images"); images != j.end() && images->is_array())
        for (const json& image : *images)
            job.images.push_back(imageOf(image));
    if (const auto warnings = j.find("warnings"); warnings != j.end() && warnings->is_array())
        for (const json& w : *warnings)
            job.warnings.push_back(w.get<std::string>());
    if (const auto error = j.find("error"); error != j.end() && error->is_object()) {
        job.errorCode = text(*error, "code");
        job.errorMessage = text(*error, "message");
    }
    job.queuedSeconds = number<double>(j, "queued_seconds");
    job.runSeconds = number<double>(j, "run_seconds");
    return job;
}

/// "name [hash]" (A1111's ControlNet and checkpoint titles) split; no brackets: all name.
std::pair<std::string, std::string> splitTitle(const std::string& title)
{
    const auto open = title.rfind(" [");
    if (open == std::string::npos || title.back() != ']')
        return { title, {} };
    return { title.substr(0, open), title.substr(open + 2, title.size() - open - 3) };
}

} // namespace

ServerJob parseJob(const std::string& body) { return parsed(body, "a job", jobOf); }
ServerProgress parseProgress(const std::string& body) { return parsed(body, "a progress report", progressOf); }
ServerImage parseImage(const std::string& body) { return parsed(body, "an image report", imageOf); }

std::vector<ServerModel> parseCheckpoints(const std::string& body)
{
    return parsed(body, "a model list", [](const json& list) {
        std::vector<ServerModel> out;
        for (const json& j : list)
            out.push_back({ text(j, "model_name"), text(j, "title"), text(j, "hash"), text(j, "filename") });
        return out;
    });
}

std::vector<ServerModel> parseVaes(const std::string& body)
{
    return parsed(body, "a VAE list", [](const json& list) {
        std::vector<ServerModel> out;
        for (const json& j : list)
            out.push_back({ text(j, "model_name"), text(j, "model_name"), {}, text(j, "filename") });
        return out;
    });
}

std::vector<ServerModel> parseLoras(const std::string& body)
{
    return parsed(body, "a LoRA list", [](const json& list) {
        std::vector<ServerModel> out;
        for (const json& j : list)
            out.push_back({ text(j, "name"), text(j, "alias").empty() ? text(j, "name") : text(j, "alias"), {},
                text(j, "path") });
        return out;
    });
}

std::vector<ServerModel> parseControlNets(const std::string& body)
{
    return parsed(body, "a ControlNet list", [](const json& j) {
        std::vector<ServerModel> out;
        for (const json& entry : j.at("model_list")) {
            const std::string title = entry.get<std::string>();
            auto [name, hash] = splitTitle(title);
            out.push_back({ name, title, hash, {} });
        }
        return out;
    });
}

std::vector<std::string> parseSamplers(const std::string& body)
{
    return parsed(body, "a sampler list", [](const json& list) {
        std::vector<std::string> out;
        for (const json& j : list)
            out.push_back(text(j, "name"));
        return out;
    });
}

std::string jobSubmission(const api::GenerationRequest& request, int previewEverySteps, const std::string& title)
{
    json body;
    body["request"] = json::parse(api::toJson(request));
    body["previews"] = std::max(0, previewEverySteps);
    body["save"] = false;
    if (!title.empty())
        body["title"] = title;
    return body.dump();
}

std::string errorDetail(const std::string& body)
{
    const json j = json::parse(body, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded() || !j.is_object() || !j.contains("detail"))
        return body;
    const json& detail = j["detail"];
    if (detail.is_string())
        return detail.get<std::string>();
    if (!detail.is_array())
        return detail.dump();
    std::string out;
    for (const json& item : detail) { // FastAPI-style validation errors: loc + msg
        std::string where;
        if (const auto loc = item.find("loc"); loc != item.end() && loc->is_array())
            for (const json& part : *loc)
                if (!(part.is_string() && (part == "body" || part == "request")))
                    where += (where.empty() ? "" : ".") + (part.is_string() ? part.get<std::string>() : part.dump());
        const std::string msg = item.is_object() ? text(item, "msg") : item.dump();
        out += (out.empty() ? "" : "; ") + (where.empty() ? msg : where + ": " + msg);
    }
    return out;
}

api::Stage stageFromName(const std::string& name)
{
    for (api::Stage s : { api::Stage::Queued, api::Stage::Loading, api::Stage::Text, api::Stage::Sampling,
             api::Stage::Hires, api::Stage::Decoding, api::Stage::Saving })
        if (name == api::stageName(s))
            return s;
    return api::Stage::Sampling;
}

api::ErrorCode errorCodeFromName(const std::string& name)
{
    for (int c = 0; c <= int(api::ErrorCode::Internal); ++c)
        if (name == api::errorCodeName(api::ErrorCode(c)))
            return api::ErrorCode(c);
    return api::ErrorCode::Internal;
}

api::Progress toProgress(const ServerProgress& p)
{
    api::Progress out;
    out.stage = stageFromName(p.stage);
    out.step = p.step;
    out.totalSteps = p.totalSteps;
    out.imageIndex = p.imageIndex;
    out.imageCount = p.imageCount;
    out.secondsPerStep = p.secondsPerStep;
    out.etaSeconds = p.etaSeconds;
    if (!p.preview.empty())
        out.preview = api::decodeBase64Png(p.preview);
    return out;
}

} // namespace easel::remote
