#include "app/server/job_json.h"

#include <algorithm>

#include "engine/core/base64.h"
#include "engine/image/png_codec.h"

namespace easel::server {

using nlohmann::json;

std::string jobPath(service::JobId id) { return "/easel/v1/jobs/" + std::to_string(id); }

double progressFraction(const api::Progress& p, bool hires)
{
    if (p.imageCount <= 0)
        return 0;
    double within = 0; // of the current batch
    const double stepShare = p.totalSteps > 0 ? double(p.step) / p.totalSteps : 0;
    switch (p.stage) {
    case api::Stage::Sampling: within = hires ? stepShare * 0.5 : stepShare; break;
    case api::Stage::Hires: within = 0.5 + 0.5 * stepShare; break;
    case api::Stage::Decoding:
    case api::Stage::Saving: within = 1; break;
    default: within = 0;
    }
    // imageIndex is the batch's first image; the batch's size is not in the report, so the
    // current image counts as one of imageCount.
    return std::clamp((p.imageIndex + within) / p.imageCount, 0.0, 1.0);
}

json progressJson(const api::Progress& p, bool withPreview)
{
    json out{{"stage", api::stageName(p.stage)}, {"step", p.step}, {"total_steps", p.totalSteps},
             {"image_index", p.imageIndex}, {"image_count", p.imageCount}, {"fraction", progressFraction(p, false)},
             {"eta_seconds", p.etaSeconds}, {"seconds_per_step", p.secondsPerStep}};
    if (withPreview && p.preview && !p.preview->empty())
        out["preview"] = pngBase64(*p.preview, {});
    return out;
}

json imageJson(service::JobId id, const service::JobImage& img)
{
    return {{"index", img.index}, {"seed", img.image.seed}, {"width", img.image.image.width},
            {"height", img.image.image.height}, {"infotext", img.image.infotext},
            {"url", jobPath(id) + "/images/" + std::to_string(img.index)}};
}

json jobJson(const service::JobSnapshot& job, int position)
{
    json images = json::array();
    for (const auto& img : job.images)
        images.push_back(imageJson(job.id, img));
    json out{{"id", std::to_string(job.id)},
             {"state", service::jobStateName(job.state)},
             {"title", job.options.title},
             {"progress", progressJson(job.progress, false)},
             {"images", images},
             {"warnings", job.warnings},
             {"error", job.state == service::JobState::Failed
                           ? json{{"code", api::errorCodeName(job.errorCode)}, {"message", job.error}}
                           : json(nullptr)},
             {"seed", job.resolvedSeed},
             {"queued_seconds", job.queuedSeconds},
             {"run_seconds", job.runSeconds},
             {"links", {{"self", jobPath(job.id)}, {"events", jobPath(job.id) + "/events"}}}};
    if (job.state == service::JobState::Done)
        out["progress"]["fraction"] = 1.0;
    if (position >= 0)
        out["position"] = position;
    return out;
}

std::vector<unsigned char> pngBytes(const api::Image& image, const std::string& parameters)
{
    std::map<std::string, std::string> text;
    if (!parameters.empty())
        text["parameters"] = parameters;
    return image::encodePng(image, text);
}

std::string pngBase64(const api::Image& image, const std::string& parameters)
{
    return core::base64Encode(pngBytes(image, parameters));
}

std::string pngBase64(const api::GeneratedImage& generated)
{
    if (generated.png.empty())
        return pngBase64(generated.image, generated.infotext);
    return core::base64Encode(reinterpret_cast<const unsigned char*>(generated.png.data()), generated.png.size());
}

} // namespace easel::server
