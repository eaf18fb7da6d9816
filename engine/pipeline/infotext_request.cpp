#include "engine/pipeline/infotext_request.h"

#include <algorithm>
#include <cstdlib>
#include <regex>

#include "engine/api/version.h"
#include "engine/controlnet/unit_infotext.h"
#include "engine/core/strings.h"

namespace easel::pipeline {

using api::GenerationRequest;

namespace {

std::string joinPairs(const std::vector<std::pair<std::string, std::string>>& pairs)
{
    std::string out;
    for (const auto& [name, hash] : pairs) {
        if (!out.empty())
            out += ", ";
        // A1111 removes ':' and ',' from aliases so the list stays parseable.
        std::string clean;
        for (char c : name)
            if (c != ':' && c != ',')
                clean += c;
        out += clean + ": " + hash;
    }
    return out;
}

const char* resizeModeLabel(api::ResizeMode mode)
{
    switch (mode) {
    case api::ResizeMode::JustResize: return "Just resize";
    case api::ResizeMode::CropAndResize: return "Crop and resize";
    case api::ResizeMode::ResizeAndFill: return "Resize and fill";
    }
    return "Just resize";
}

std::string emphasisLabel(api::Emphasis e)
{
    switch (e) {
    case api::Emphasis::Original: return "Original";
    case api::Emphasis::NoNorm: return "No norm";
    case api::Emphasis::None: return "None";
    }
    return "Original";
}

bool parseInt64(const std::string& text, std::int64_t& out)
{
    char* end = nullptr;
    const long long v = std::strtoll(text.c_str(), &end, 10);
    if (text.empty() || *end != '\0')
        return false;
    out = v;
    return true;
}

using core::parseDouble;

/// "ControlNet 0", "ControlNet 1", ... (A1111 ControlNet extension) -> request.controlNets in index
/// order; the list is replaced only when the infotext has units. Pictures are never recorded.
void parseControlNetUnits(const Infotext& t, GenerationRequest& r)
{
    std::vector<std::pair<std::int64_t, api::ControlUnit>> units;
    const std::string prefix = "ControlNet ";
    for (const auto& [key, value] : t.params) {
        std::int64_t index = 0;
        if (key.compare(0, prefix.size(), prefix) != 0 || !parseInt64(key.substr(prefix.size()), index))
            continue;
        if (auto unit = controlnet::parseUnitInfotext(value))
            units.emplace_back(index, *unit);
    }
    if (units.empty())
        return;
    std::stable_sort(units.begin(), units.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    r.controlNets.clear();
    for (auto& [index, unit] : units)
        r.controlNets.push_back(std::move(unit));
}

} // namespace

Infotext infotextFromRequest(const GenerationRequest& r, const ImageFacts& facts)
{
    Infotext t;
    t.prompt = r.prompt;
    t.negativePrompt = r.negativePrompt;
    const bool img2img = hasInitImage(r);
    t.set("Steps", std::to_string(r.steps));
    t.set("Sampler", r.sampler);
    t.set("Schedule type", facts.resolvedScheduler.empty() ? r.scheduler : facts.resolvedScheduler);
    t.set("CFG scale", formatNumber(r.cfgScale));
    t.set("Seed", std::to_string(facts.seed));
    t.set("Size", std::to_string(r.width) + "x" + std::to_string(r.height));
    if (!facts.modelHash.empty())
        t.set("Model hash", facts.modelHash);
    if (!facts.modelName.empty())
        t.set("Model", facts.modelName);
    if (!facts.vaeHash.empty())
        t.set("VAE hash", facts.vaeHash);
    if (!facts.vaeName.empty())
        t.set("VAE", facts.vaeName);
    if (r.subseedStrength > 0) {
        t.set("Variation seed", std::to_string(facts.subseed));
        t.set("Variation seed strength", formatNumber(r.subseedStrength));
    }
    if (r.seedResizeFromW > 0 && r.seedResizeFromH > 0)
        t.set("Seed resize from", std::to_string(r.seedResizeFromW) + "x" + std::to_string(r.seedResizeFromH));
    if (img2img || r.hires.enabled)
        t.set("Denoising strength", formatNumber(img2img ? r.denoisingStrength : r.hires.denoisingStrength));
    if (r.clipSkip > 1)
        t.set("Clip skip", std::to_string(r.clipSkip));
    if (r.ensd != 0)
        t.set("ENSD", std::to_string(r.ensd));
    if (r.rng == api::RngSource::Cpu)
        t.set("RNG", "CPU");
    // Ref: A1111 processing.py create_infotext: "Tiling": "True" if p.tiling else None, after RNG.
    if (r.tiling)
        t.set("Tiling", "True");
    if (r.hires.enabled && !img2img) {
        if (r.hires.resizeX > 0 && r.hires.resizeY > 0)
            t.set("Hires resize", std::to_string(r.hires.resizeX) + "x" + std::to_string(r.hires.resizeY));
        else
            t.set("Hires upscale", formatNumber(r.hires.scale));
        if (r.hires.steps > 0)
            t.set("Hires steps", std::to_string(r.hires.steps));
        t.set("Hires upscaler", r.hires.upscaler);
        if (!r.hires.sampler.empty() && r.hires.sampler != r.sampler)
            t.set("Hires sampler", r.hires.sampler);
        if (!r.hires.scheduler.empty() && r.hires.scheduler != r.scheduler)
            t.set("Hires schedule type", r.hires.scheduler);
    }
    if (!facts.loraHashes.empty())
        t.set("Lora hashes", joinPairs(facts.loraHashes));
    if (!facts.tiHashes.empty())
        t.set("TI hashes", joinPairs(facts.tiHashes));
    if (r.emphasis != api::Emphasis::Original)
        t.set("Emphasis", emphasisLabel(r.emphasis));
    if (img2img && r.inpaint) {
        t.set("Mask blur", std::to_string(r.inpaint->maskBlur));
        if (r.inpaint->maskMode == api::MaskMode::InpaintNotMasked)
            t.set("Mask mode", "Inpaint not masked");
        const char* content[] = {"fill", "original", "latent noise", "latent nothing"};
        t.set("Masked content", content[static_cast<int>(r.inpaint->maskedContent)]);
        if (r.inpaint->area == api::InpaintArea::OnlyMasked) {
            t.set("Inpaint area", "Only masked");
            t.set("Masked area padding", std::to_string(r.inpaint->onlyMaskedPadding));
        }
    }
    if (img2img && r.resizeMode != api::ResizeMode::JustResize)
        t.set("Resize mode", resizeModeLabel(r.resizeMode));
    for (size_t i = 0; i < facts.controlNetUnits.size(); ++i)
        t.set("ControlNet " + std::to_string(i), facts.controlNetUnits[i]);
    t.set("Version", facts.version.empty() ? std::string("Easel ") + api::easelVersion() : facts.version);
    return t;
}

GenerationRequest requestFromInfotext(const Infotext& source, GenerationRequest r)
{
    Infotext t = source;
    applyInfotextDefaults(t);
    r.prompt = t.prompt;
    r.negativePrompt = t.negativePrompt;
    auto text = [&](const char* key, std::string& out) {
        if (auto v = t.get(key))
            out = *v;
    };
    auto integer = [&](const char* key, auto& out) {
        std::int64_t v;
        if (auto s = t.get(key); s && parseInt64(*s, v))
            out = static_cast<std::remove_reference_t<decltype(out)>>(v);
    };
    auto number = [&](const char* key, double& out) {
        double v;
        if (auto s = t.get(key); s && parseDouble(*s, v))
            out = v;
    };
    integer("Steps", r.steps);
    text("Sampler", r.sampler);
    text("Schedule type", r.scheduler);
    number("CFG scale", r.cfgScale);
    integer("Seed", r.seed);
    integer("Size-1", r.width);
    integer("Size-2", r.height);
    text("Model", r.model);
    if (auto vae = t.get("VAE"))
        r.vae = *vae;
    if (t.get("Variation seed")) {
        integer("Variation seed", r.subseed);
        number("Variation seed strength", r.subseedStrength);
    }
    integer("Seed resize from-1", r.seedResizeFromW);
    integer("Seed resize from-2", r.seedResizeFromH);
    integer("Clip skip", r.clipSkip);
    integer("ENSD", r.ensd);
    if (auto rng = t.get("RNG"))
        r.rng = (*rng == "CPU") ? api::RngSource::Cpu : api::RngSource::Gpu;
    // A1111 writes Tiling only when on, so a missing field means off (not "keep base's value"):
    // applying a plain image's parameters must not leave tiling on. A present value is read as
    // A1111's paste reads a checkbox (infotext_utils connect_paste: bool(v), "False" → False).
    const auto tiling = t.get("Tiling");
    r.tiling = tiling && !tiling->empty() && *tiling != "False";
    if (auto e = t.get("Emphasis"))
        r.emphasis = (*e == "No norm") ? api::Emphasis::NoNorm : (*e == "None") ? api::Emphasis::None : api::Emphasis::Original;
    const bool hires = t.get("Hires upscale") || t.get("Hires upscaler") || t.get("Hires steps");
    if (hires) {
        r.hires.enabled = true;
        number("Hires upscale", r.hires.scale);
        integer("Hires steps", r.hires.steps);
        text("Hires upscaler", r.hires.upscaler);
        integer("Hires resize-1", r.hires.resizeX);
        integer("Hires resize-2", r.hires.resizeY);
        number("Denoising strength", r.hires.denoisingStrength);
        if (auto s = t.get("Hires sampler"); s && *s != "Use same sampler")
            r.hires.sampler = *s;
        if (auto s = t.get("Hires schedule type"); s && *s != "Use same scheduler")
            r.hires.scheduler = *s;
    } else {
        number("Denoising strength", r.denoisingStrength);
    }
    if (t.get("Mask blur")) {
        api::InpaintOptions inpaint = r.inpaint.value_or(api::InpaintOptions{});
        integer("Mask blur", inpaint.maskBlur);
        if (auto m = t.get("Mask mode"))
            inpaint.maskMode = (*m == "Inpaint not masked") ? api::MaskMode::InpaintNotMasked : api::MaskMode::InpaintMasked;
        if (auto c = t.get("Masked content")) {
            if (*c == "fill") inpaint.maskedContent = api::MaskedContent::Fill;
            else if (*c == "latent noise") inpaint.maskedContent = api::MaskedContent::LatentNoise;
            else if (*c == "latent nothing") inpaint.maskedContent = api::MaskedContent::LatentNothing;
            else inpaint.maskedContent = api::MaskedContent::Original;
        }
        if (auto a = t.get("Inpaint area"); a && *a == "Only masked")
            inpaint.area = api::InpaintArea::OnlyMasked;
        integer("Masked area padding", inpaint.onlyMaskedPadding);
        r.inpaint = inpaint;
    }
    if (auto mode = t.get("Resize mode")) {
        if (*mode == "Crop and resize") r.resizeMode = api::ResizeMode::CropAndResize;
        else if (*mode == "Resize and fill") r.resizeMode = api::ResizeMode::ResizeAndFill;
        else r.resizeMode = api::ResizeMode::JustResize;
    }
    parseControlNetUnits(t, r);
    // LoRAs live in the prompt as <lora:name:w> tags (A1111); "Lora hashes" only helps find the files.
    return r;
}

} // namespace easel::pipeline
