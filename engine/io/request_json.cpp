#include "engine/api/request.h"

#include <nlohmann/json.hpp>

#include "engine/api/error.h"
#include "engine/core/base64.h"
#include "engine/image/png_codec.h"

namespace easel::api {

using nlohmann::json;

NLOHMANN_JSON_SERIALIZE_ENUM(RngSource, {{RngSource::Gpu, "gpu"}, {RngSource::Cpu, "cpu"}})
NLOHMANN_JSON_SERIALIZE_ENUM(ResizeMode, {{ResizeMode::JustResize, "just_resize"},
                                          {ResizeMode::CropAndResize, "crop_and_resize"},
                                          {ResizeMode::ResizeAndFill, "resize_and_fill"}})
NLOHMANN_JSON_SERIALIZE_ENUM(MaskMode, {{MaskMode::InpaintMasked, "inpaint_masked"},
                                        {MaskMode::InpaintNotMasked, "inpaint_not_masked"}})
NLOHMANN_JSON_SERIALIZE_ENUM(MaskedContent, {{MaskedContent::Fill, "fill"},
                                             {MaskedContent::Original, "original"},
                                             {MaskedContent::LatentNoise, "latent_noise"},
                                             {MaskedContent::LatentNothing, "latent_nothing"}})
NLOHMANN_JSON_SERIALIZE_ENUM(InpaintArea, {{InpaintArea::WholePicture, "whole_picture"},
                                           {InpaintArea::OnlyMasked, "only_masked"}})
NLOHMANN_JSON_SERIALIZE_ENUM(Emphasis, {{Emphasis::Original, "original"},
                                        {Emphasis::NoNorm, "no_norm"},
                                        {Emphasis::None, "none"}})

// In-memory pixels travel as base64 PNG (lossless, and what the A1111 API uses); none = null.
void to_json(json& j, const Image& image)
{
    j = image.empty() ? json(nullptr) : json(core::base64Encode(image::encodePng(image)));
}

void from_json(const json& j, Image& image)
{
    image = Image{};
    if (j.is_null() || (j.is_string() && j.get_ref<const std::string&>().empty()))
        return;
    const auto bytes = core::base64Decode(j.get<std::string>());
    if (!bytes)
        throw Error(ErrorCode::InvalidRequest, "an image in the request is not valid base64");
    image = image::decodePng(*bytes);
}

// Field lists: missing keys keep their defaults (…_WITH_DEFAULT), so old queue files stay readable.
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(LoRAEntry, name, unetMultiplier, textEncoderMultiplier, enabled)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(ControlUnit, enabled, model, image, imagePixels, preprocessor, weight,
                                                guidanceStart, guidanceEnd, controlMode, resizeMode,
                                                processorResolution, thresholdA, thresholdB, pixelPerfect)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(HiresFix, enabled, scale, resizeX, resizeY, upscaler, steps,
                                                denoisingStrength, sampler, scheduler)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(InpaintOptions, mask, maskPixels, maskBlur, maskMode, maskedContent, area,
                                                onlyMaskedPadding)

namespace {

void toJsonImpl(json& j, const GenerationRequest& r)
{
    j = json{{"prompt", r.prompt}, {"negative_prompt", r.negativePrompt}, {"model", r.model}, {"vae", r.vae},
             {"sampler", r.sampler}, {"scheduler", r.scheduler}, {"steps", r.steps}, {"cfg_scale", r.cfgScale},
             {"seed", r.seed}, {"subseed", r.subseed}, {"subseed_strength", r.subseedStrength},
             {"seed_resize_from_w", r.seedResizeFromW}, {"seed_resize_from_h", r.seedResizeFromH},
             {"width", r.width}, {"height", r.height}, {"batch_count", r.batchCount},
             {"batch_size", r.batchSize}, {"clip_skip", r.clipSkip}, {"rng", r.rng}, {"ensd", r.ensd},
             {"emphasis", r.emphasis}, {"eta", r.eta}, {"init_image", r.initImage},
             {"init_pixels", r.initPixels}, {"low_memory", r.lowMemory}, {"tiling", r.tiling},
             {"resize_mode", r.resizeMode}, {"denoising_strength", r.denoisingStrength},
             {"hires", r.hires}, {"loras", r.loras}, {"control_nets", r.controlNets}, {"device", r.device}};
    j["inpaint"] = r.inpaint ? json(*r.inpaint) : json(nullptr);
}

template <typename T>
void readIf(const json& j, const char* key, T& out)
{
    if (auto it = j.find(key); it != j.end() && !it->is_null())
        out = it->get<T>();
}

} // namespace

bool hasInitImage(const GenerationRequest& request)
{
    return !request.initImage.empty() || !request.initPixels.empty();
}

std::string toJson(const GenerationRequest& request)
{
    json j;
    toJsonImpl(j, request);
    return j.dump();
}

GenerationRequest requestFromJson(const std::string& text)
{
    GenerationRequest r;
    try {
        const json j = json::parse(text);
        readIf(j, "prompt", r.prompt);
        readIf(j, "negative_prompt", r.negativePrompt);
        readIf(j, "model", r.model);
        readIf(j, "vae", r.vae);
        readIf(j, "sampler", r.sampler);
        readIf(j, "scheduler", r.scheduler);
        readIf(j, "steps", r.steps);
        readIf(j, "cfg_scale", r.cfgScale);
        readIf(j, "seed", r.seed);
        readIf(j, "subseed", r.subseed);
        readIf(j, "subseed_strength", r.subseedStrength);
        readIf(j, "seed_resize_from_w", r.seedResizeFromW);
        readIf(j, "seed_resize_from_h", r.seedResizeFromH);
        readIf(j, "width", r.width);
        readIf(j, "height", r.height);
        readIf(j, "batch_count", r.batchCount);
        readIf(j, "batch_size", r.batchSize);
        readIf(j, "clip_skip", r.clipSkip);
        readIf(j, "rng", r.rng);
        readIf(j, "ensd", r.ensd);
        readIf(j, "emphasis", r.emphasis);
        readIf(j, "eta", r.eta);
        readIf(j, "init_image", r.initImage);
        readIf(j, "init_pixels", r.initPixels);
        readIf(j, "low_memory", r.lowMemory);
        readIf(j, "tiling", r.tiling);
        readIf(j, "resize_mode", r.resizeMode);
        readIf(j, "denoising_strength", r.denoisingStrength);
        readIf(j, "hires", r.hires);
        readIf(j, "loras", r.loras);
        readIf(j, "control_nets", r.controlNets);
        readIf(j, "device", r.device);
        if (auto it = j.find("inpaint"); it != j.end() && !it->is_null())
            r.inpaint = it->get<InpaintOptions>();
    } catch (const json::exception& e) {
        throw Error(ErrorCode::InvalidRequest, std::string("malformed generation request JSON: ") + e.what());
    }
    return r;
}

} // namespace easel::api
