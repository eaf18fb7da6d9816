#pragma once
// A1111 1.10 txt2img / img2img payloads (modules/api/models.py, processing.py) turned into an
// Easel GenerationRequest: the same JSON names, types and defaults, the older aliases real
// clients still send (sampler_index), images as bare base64 or data: URLs, override_settings and
// the ControlNet extension's alwayson_scripts units. What Easel cannot do yet is said in `notes`
// (they go into the response's info), never silently faked.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/server/a1111_options.h"
#include "engine/api/limits.h"
#include "engine/api/request.h"

namespace easel::server {

/// A1111's "SD upscale" script (script_name "sd upscale", script_args [info, overlap, upscaler, scale]).
struct SdUpscaleScript {
    int overlap = 64;
    std::string upscaler = "Lanczos";
    double scale = 2.0;
};

struct A1111Job {
    api::GenerationRequest request;
    bool img2img = false;
    bool sendImages = true;
    bool saveImages = false;
    bool includeInitImages = false;
    std::optional<SdUpscaleScript> sdUpscale;
    nlohmann::json overrideSettings = nlohmann::json::object();
    bool restoreAfterwards = true;
    std::string initImageBase64; ///< for include_init_images
    std::vector<std::string> notes; ///< what was accepted but not done, for `info`
};

struct A1111ParseContext {
    GenerationDefaults defaults;
    std::int64_t maxPixels = 2048LL * 2048;
    /// kind ("checkpoint", "vae", "lora", "controlnet") + client's name -> served file; "" = unknown.
    std::function<std::string(const std::string& kind, const std::string& name)> resolve;
    /// The names a client may use for a kind, for the "unknown model" message.
    std::function<std::vector<std::string>(const std::string& kind)> known;
    /// The name used when a request names no model of a kind ("" = none served); null = the
    /// first of known().
    std::function<std::string(const std::string& kind)> firstKnown;
};

/// Throws ValidationError listing every bad field.
A1111Job parseA1111(const nlohmann::json& body, bool img2img, const A1111ParseContext& context);

} // namespace easel::server
