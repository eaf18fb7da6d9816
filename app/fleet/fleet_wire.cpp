#include "app/fleet/fleet_wire.h"

#include <filesystem>

#include <nlohmann/json.hpp>

#include "engine/api/error.h"
#include "engine/core/base64.h"
#include "engine/image/png_codec.h"

namespace easel::fleet {

using nlohmann::json;

namespace {

std::string pngText(const api::Image& image, const std::string& infotext)
{
    std::map<std::string, std::string> text;
    if (!infotext.empty())
        text["parameters"] = infotext;
    return core::base64Encode(image::encodePng(image, text));
}

api::Image fromPngText(const std::string& text, std::string* keptBytes = nullptr)
{
    const auto bytes = core::base64Decode(text);
    if (!bytes)
        throw api::Error(api::ErrorCode::Internal, "a worker sent an image that is not base64");
    api::Image image = image::decodePng(*bytes, std::uint64_t(1) << 32);
    if (keptBytes)
        keptBytes->assign(bytes->begin(), bytes->end());
    return image;
}

} // namespace

std::string encodePayload(const JobPayload& p)
{
    return json{{"request", json::parse(api::toJson(p.request))},
                {"preview_every", p.previewEverySteps},
                {"owner", p.owner}}
        .dump();
}

JobPayload decodePayload(const std::string& text)
{
    try {
        const json j = json::parse(text);
        JobPayload p;
        p.request = api::requestFromJson(j.at("request").dump());
        p.previewEverySteps = j.value("preview_every", 0);
        p.owner = j.value("owner", "");
        return p;
    } catch (const json::exception& e) {
        throw api::Error(api::ErrorCode::InvalidRequest, std::string("unreadable job payload: ") + e.what());
    }
}

std::string encodeProgress(const api::Progress& p)
{
    json j{{"stage", int(p.stage)},       {"step", p.step},
           {"total", p.totalSteps},       {"image_index", p.imageIndex},
           {"image_count", p.imageCount}, {"sps", p.secondsPerStep},
           {"eta", p.etaSeconds}};
    if (p.preview && !p.preview->empty())
        j["preview"] = pngText(*p.preview, "");
    return j.dump();
}

api::Progress decodeProgress(const std::string& text)
{
    api::Progress p;
    try {
        const json j = json::parse(text);
        const int stage = j.value("stage", 0);
        p.stage = stage >= 0 && stage <= int(api::Stage::Saving) ? api::Stage(stage) : api::Stage::Sampling;
        p.step = j.value("step", 0);
        p.totalSteps = j.value("total", 0);
        p.imageIndex = j.value("image_index", 0);
        p.imageCount = j.value("image_count", 1);
        p.secondsPerStep = j.value("sps", 0.0);
        p.etaSeconds = j.value("eta", 0.0);
        if (j.contains("preview"))
            p.preview = fromPngText(j["preview"].get<std::string>());
    } catch (const std::exception&) {
        // A report that cannot be read is dropped; the job's result is what counts.
    }
    return p;
}

std::string encodeResult(const JobResult& r)
{
    json images = json::array();
    for (const auto& g : r.images)
        images.push_back({{"seed", g.seed}, {"subseed", g.subseed}, {"infotext", g.infotext},
                          {"png", pngText(g.image, g.infotext)}});
    return json{{"images", images}, {"warnings", r.warnings}, {"first_seed", r.firstSeed},
                {"switched", r.switchedModel}}
        .dump();
}

JobResult decodeResult(const std::string& text)
{
    try {
        const json j = json::parse(text);
        JobResult r;
        for (const auto& i : j.at("images")) {
            api::GeneratedImage g;
            g.seed = i.value("seed", std::int64_t(0));
            g.subseed = i.value("subseed", std::int64_t(0));
            g.infotext = i.value("infotext", "");
            g.image = fromPngText(i.at("png").get<std::string>(), &g.png); // decoded: checked, and for saving
            r.images.push_back(std::move(g));
        }
        r.warnings = j.value("warnings", std::vector<std::string>{});
        r.firstSeed = j.value("first_seed", std::int64_t(-1));
        r.switchedModel = j.value("switched", false);
        return r;
    } catch (const json::exception& e) {
        throw api::Error(api::ErrorCode::Internal, std::string("unreadable job result from a worker: ") + e.what());
    }
}

std::string modelKey(const api::GenerationRequest& request) { return modelKeyOf(request.model); }

std::string modelKeyOf(const std::string& checkpoint)
{
    if (checkpoint.empty())
        return "";
    // Folders differ between machines (each mounts the share where it likes): the file name is
    // what API instances and workers agree on.
    return std::filesystem::path(checkpoint).filename().string();
}

} // namespace easel::fleet
