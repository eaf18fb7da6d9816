#include "app/server/native_request.h"

#include "app/server/uploaded_image.h"
#include "app/server/validation.h"
#include "engine/api/error.h"
#include "engine/api/samplers.h"
#include "engine/service/model_resolver.h"

namespace easel::server {

using nlohmann::json;

namespace {

/// Checks one base64 picture's header before the request parser decodes it.
void checkPicture(const json& object, const std::string& key, std::vector<std::string> loc, std::int64_t maxPixels,
                  std::vector<FieldError>& errors)
{
    if (!object.is_object() || !object.contains(key) || object[key].is_null())
        return;
    loc.push_back(key);
    const json& v = object[key];
    if (!v.is_string()) {
        errors.push_back({loc, "expected a base64 PNG", "type_error.str"});
        return;
    }
    if (v.get_ref<const std::string&>().empty())
        return;
    try {
        const auto bytes = decodeBase64Upload(v.get<std::string>());
        const auto header = probeImageHeader(bytes);
        if (!header || header->format != "png")
            errors.push_back({loc, "pixels in a native request are base64 PNG", "value_error.image"});
        else if (std::int64_t(header->width) * header->height > maxPixels)
            errors.push_back({loc, "the picture is " + std::to_string(header->width) + "x" + std::to_string(header->height)
                                       + ", over this server's limit of " + std::to_string(maxPixels) + " pixels",
                              "value_error.size"});
    } catch (const UploadRefused& e) {
        errors.push_back({loc, e.what(), "value_error.image"});
    }
}

void checkPictures(const json& r, std::int64_t maxPixels, std::vector<FieldError>& errors)
{
    const std::vector<std::string> base{"body", "request"};
    checkPicture(r, "init_pixels", base, maxPixels, errors);
    if (r.contains("inpaint"))
        checkPicture(r["inpaint"], "maskPixels", {"body", "request", "inpaint"}, maxPixels, errors);
    if (r.contains("control_nets") && r["control_nets"].is_array())
        for (size_t i = 0; i < r["control_nets"].size(); ++i)
            checkPicture(r["control_nets"][i], "imagePixels", {"body", "request", "control_nets", std::to_string(i)},
                         maxPixels, errors);
}

/// The bounds the A1111 path holds its fields to, on a parsed request.
void checkBounds(api::GenerationRequest& r, std::int64_t maxPixels, std::vector<FieldError>& errors)
{
    auto fail = [&](const std::string& key, const std::string& msg) {
        errors.push_back({{"body", "request", key}, msg, "value_error"});
    };
    if (r.steps < 1 || r.steps > api::kMaxSteps)
        fail("steps", "Input should be from 1 to " + std::to_string(api::kMaxSteps) + ", got " + std::to_string(r.steps));
    if (r.width < api::kMinSide || r.width > api::kMaxSide || r.height < api::kMinSide || r.height > api::kMaxSide)
        fail("width", "width and height should be from " + std::to_string(api::kMinSide) + " to " + std::to_string(api::kMaxSide));
    else if (std::int64_t(r.width) * r.height > maxPixels)
        fail("width", "over this server's limit of " + std::to_string(maxPixels) + " pixels");
    if (r.batchSize < 1 || r.batchSize > 64)
        fail("batch_size", "Input should be from 1 to 64");
    if (r.batchCount < 1 || r.batchCount > 1000)
        fail("batch_count", "Input should be from 1 to 1000");
    if (api::samplerLabel(r.sampler).empty())
        fail("sampler", "unknown sampler '" + r.sampler + "'");
    if (api::scheduleLabel(r.scheduler).empty())
        fail("scheduler", "unknown scheduler '" + r.scheduler + "'");
    if (!r.initImage.empty())
        fail("init_image", "a server reads no files named by clients: send the picture as init_pixels (base64 PNG)");
    if (r.inpaint && !r.inpaint->mask.empty())
        fail("inpaint", "send the mask as maskPixels (base64 PNG), not a file path");
    for (size_t i = 0; i < r.controlNets.size(); ++i)
        if (!r.controlNets[i].image.empty())
            errors.push_back({{"body", "request", "control_nets", std::to_string(i), "image"},
                              "send the control picture as imagePixels (base64 PNG), not a file path", "value_error"});
    r.device.clear(); // the server picks its device
}

} // namespace

NativeJob parseNativeJob(const json& body, const A1111ParseContext& a1111, const service::ModelResolver& resolver,
                         int defaultPreviews)
{
    std::vector<FieldError> errors;
    FieldReader f(body, {"body"}, errors);
    NativeJob job;
    job.options.previewEverySteps = int(f.integer("previews", defaultPreviews, 0, api::kMaxSteps));
    job.options.output.save = f.boolean("save", false);
    job.options.record = job.options.output.save;
    job.options.title = f.text("title", "").substr(0, 200);
    job.options.keepPixels = true;
    const json* native = f.raw("request");
    if (!native) { // an A1111 payload
        if (!errors.empty())
            throw ValidationError(errors);
        A1111Job a = parseA1111(body, body.contains("init_images"), a1111);
        if (a.sdUpscale)
            throw ValidationError({"body", "script_name"}, "scripts run through /sdapi/v1/img2img only");
        job.request = std::move(a.request);
        job.notes = std::move(a.notes);
        if (!f.has("save"))
            job.options.output.save = job.options.record = a.saveImages;
        return job;
    }
    if (!native->is_object())
        throw ValidationError({"body", "request"}, "request must be a GenerationRequest object", "type_error.dict");
    checkPictures(*native, a1111.maxPixels, errors);
    if (!errors.empty())
        throw ValidationError(errors);
    try {
        job.request = api::requestFromJson(native->dump());
    } catch (const api::Error& e) {
        throw ValidationError({"body", "request"}, e.message());
    }
    checkBounds(job.request, a1111.maxPixels, errors);
    if (!errors.empty())
        throw ValidationError(errors);
    if (job.request.model.empty())
        job.request.model = a1111.defaults.checkpoint;
    if (job.request.model.empty() && a1111.known) {
        const auto names = a1111.known("checkpoint");
        if (!names.empty())
            job.request.model = names.front();
    }
    job.request = resolver.resolveRequest(job.request); // names only: the resolver refuses paths
    return job;
}

} // namespace easel::server
