#include "app/server/a1111_request.h"

#include <algorithm>

#include "app/server/uploaded_image.h"
#include "app/server/validation.h"
#include "engine/api/control_modes.h"
#include "engine/api/preprocessors.h"
#include "engine/api/samplers.h"

namespace easel::server {

using nlohmann::json;

namespace {

std::string joined(const std::vector<std::string>& names, size_t most = 40)
{
    std::string out;
    for (size_t i = 0; i < names.size() && i < most; ++i)
        out += (i ? ", " : "") + names[i];
    if (names.size() > most)
        out += ", … (" + std::to_string(names.size()) + " in all)";
    return out;
}

struct Parser {
    const json& body;
    const A1111ParseContext& ctx;
    std::vector<FieldError> errors;
    FieldReader f{body, {"body"}, errors};
    A1111Job job;

    api::Image image(FieldReader& reader, const std::string& key, const std::string& text, bool keepAlpha)
    {
        try {
            return decodeUpload(text, ctx.maxPixels, keepAlpha);
        } catch (const UploadRefused& e) {
            reader.fail(key, e.what(), "value_error.image");
            return {};
        }
    }

    /// A model name resolved now, so an unknown one is a 422 before anything is queued.
    std::string model(FieldReader& reader, const std::string& key, const std::string& kind, const std::string& name)
    {
        std::string file;
        try {
            file = ctx.resolve ? ctx.resolve(kind, name) : name;
        } catch (const std::exception& e) { // path-like names: refused by the resolver
            reader.fail(key, e.what(), "value_error.model");
            return {};
        }
        if (file.empty()) {
            const auto names = ctx.known ? ctx.known(kind) : std::vector<std::string>{};
            reader.fail(key, "unknown " + kind + " '" + name + "'"
                                 + (names.empty() ? "; this server serves none" : "; served: " + joined(names)),
                        "value_error.model");
        }
        return file;
    }

    void sizes(api::GenerationRequest& r)
    {
        r.width = int(f.integer("width", 512, api::kMinSide, api::kMaxSide));
        r.height = int(f.integer("height", 512, api::kMinSide, api::kMaxSide));
        if (std::int64_t(r.width) * r.height > ctx.maxPixels)
            f.fail("width", std::to_string(r.width) + "x" + std::to_string(r.height) + " is over this server's limit of "
                                + std::to_string(ctx.maxPixels) + " pixels", "value_error.size");
        r.batchSize = int(f.integer("batch_size", 1, 1, 64));
        r.batchCount = int(f.integer("n_iter", 1, 1, 1000));
    }

    void sampling(api::GenerationRequest& r)
    {
        r.steps = int(f.integer("steps", 50, 1, api::kMaxSteps));
        r.cfgScale = f.number("cfg_scale", 7.0, 0.0, 100.0);
        r.seed = f.integer("seed", -1);
        r.subseed = f.integer("subseed", -1);
        r.subseedStrength = f.number("subseed_strength", 0.0, 0.0, 1.0);
        r.seedResizeFromW = int(std::max<std::int64_t>(0, f.integer("seed_resize_from_w", -1, -1, api::kMaxSide)));
        r.seedResizeFromH = int(std::max<std::int64_t>(0, f.integer("seed_resize_from_h", -1, -1, api::kMaxSide)));
        // A1111: sampler_name wins, sampler_index is the older alias (default "Euler" in the API).
        const std::string key = f.has("sampler_name") ? "sampler_name" : "sampler_index";
        const std::string sampler = f.text(key, "Euler");
        r.sampler = api::samplerLabel(sampler);
        if (r.sampler.empty())
            f.fail(key, "unknown sampler '" + sampler + "'; valid: " + joined(api::samplerLabels()), "value_error.sampler");
        const std::string scheduler = f.text("scheduler", "Automatic");
        r.scheduler = api::scheduleLabel(scheduler);
        if (r.scheduler.empty())
            f.fail("scheduler", "unknown scheduler '" + scheduler + "'; valid: " + joined(scheduleIds()),
                   "value_error.scheduler");
        r.eta = f.has("eta") ? f.number("eta", 1.0, 0.0, 10.0) : ctx.defaults.etaAncestral;
        r.tiling = f.boolean("tiling", false); // seamless: circular padding in the UNet and VAE
    }

    static std::vector<std::string> scheduleIds()
    {
        std::vector<std::string> ids;
        for (const auto& s : api::scheduleNames())
            ids.push_back(s.id);
        return ids;
    }

    void prompts(api::GenerationRequest& r)
    {
        r.prompt = f.text("prompt", "");
        r.negativePrompt = f.text("negative_prompt", "");
        if (const json* styles = f.raw("styles"); styles && !(styles->is_array() && styles->empty()))
            job.notes.push_back("styles are not applied: this server has no prompt styles");
        if (f.boolean("restore_faces", false))
            job.notes.push_back("restore_faces: Easel has no face restorer yet; the image is made without it");
        for (const char* k : {"s_churn", "s_tmin", "s_tmax", "s_noise", "s_min_uncond"})
            f.number(k, 0.0); // accepted (type-checked); Easel's samplers use A1111's defaults
        if (f.has("refiner_checkpoint") && !f.text("refiner_checkpoint").empty())
            job.notes.push_back("refiner_checkpoint is not supported yet; the base model made the whole image");
    }

    void hires(api::GenerationRequest& r)
    {
        r.hires.enabled = f.boolean("enable_hr", false);
        r.hires.scale = f.number("hr_scale", 2.0, 1.0, 8.0);
        r.hires.upscaler = f.text("hr_upscaler", "Latent");
        if (r.hires.upscaler.rfind("Latent", 0) == 0 && r.hires.upscaler != "Latent") {
            job.notes.push_back("hr_upscaler '" + r.hires.upscaler + "' ran as \"Latent\" (bilinear)");
            r.hires.upscaler = "Latent";
        } else if (r.hires.upscaler == "None") {
            r.hires.upscaler = "Lanczos"; // A1111's "None" resizes the pixels (PIL Lanczos)
        } else if (r.hires.upscaler != "Latent" && r.hires.upscaler != "Lanczos") {
            f.fail("hr_upscaler", "unknown upscaler '" + r.hires.upscaler + "'; valid: Latent, Lanczos, None",
                   "value_error.upscaler");
        }
        r.hires.steps = int(f.integer("hr_second_pass_steps", 0, 0, api::kMaxSteps));
        r.hires.resizeX = int(f.integer("hr_resize_x", 0, 0, api::kMaxSide));
        r.hires.resizeY = int(f.integer("hr_resize_y", 0, 0, api::kMaxSide));
        r.hires.denoisingStrength = f.number("denoising_strength", 0.75, 0.0, 1.0);
        if (const std::string s = f.text("hr_sampler_name", ""); !s.empty() && s != "Use same sampler") {
            r.hires.sampler = api::samplerLabel(s);
            if (r.hires.sampler.empty())
                f.fail("hr_sampler_name", "unknown sampler '" + s + "'; valid: " + joined(api::samplerLabels()));
        }
        if (const std::string s = f.text("hr_scheduler", ""); !s.empty() && s != "Use same scheduler") {
            r.hires.scheduler = api::scheduleLabel(s);
            if (r.hires.scheduler.empty())
                f.fail("hr_scheduler", "unknown scheduler '" + s + "'; valid: " + joined(scheduleIds()));
        }
        if (!f.text("hr_prompt", "").empty() || !f.text("hr_negative_prompt", "").empty())
            job.notes.push_back("hr_prompt / hr_negative_prompt are not supported yet; the hires pass used the prompt");
        if (!r.hires.enabled)
            return;
        const int w = r.hires.resizeX > 0 ? r.hires.resizeX : int(r.width * r.hires.scale);
        const int h = r.hires.resizeY > 0 ? r.hires.resizeY : int(r.height * r.hires.scale);
        if (std::int64_t(w) * h > ctx.maxPixels)
            f.fail("hr_scale", "the hires size " + std::to_string(w) + "x" + std::to_string(h)
                                   + " is over this server's limit of " + std::to_string(ctx.maxPixels) + " pixels",
                   "value_error.size");
    }

    void overrides(api::GenerationRequest& r)
    {
        std::string checkpoint = ctx.defaults.checkpoint;
        std::string vae = ctx.defaults.vae;
        r.clipSkip = ctx.defaults.clipSkip;
        r.ensd = ctx.defaults.ensd;
        r.rng = ctx.defaults.rng == "CPU" ? api::RngSource::Cpu : api::RngSource::Gpu;
        job.restoreAfterwards = f.boolean("override_settings_restore_afterwards", true);
        if (const json* o = f.raw("override_settings")) {
            if (!o->is_object()) {
                f.fail("override_settings", "value is not a valid dict", "type_error.dict");
            } else {
                job.overrideSettings = *o;
                FieldReader s(*o, {"body", "override_settings"}, errors);
                checkpoint = s.text("sd_model_checkpoint", checkpoint);
                vae = s.text("sd_vae", vae);
                r.clipSkip = int(s.integer("CLIP_stop_at_last_layers", r.clipSkip, 1, 12));
                r.ensd = s.integer("eta_noise_seed_delta", r.ensd);
                if (s.has("randn_source"))
                    r.rng = s.choice("randn_source", 0, {"GPU", "CPU", "NV"}) == 1 ? api::RngSource::Cpu : api::RngSource::Gpu;
                if (s.has("eta_ancestral") && !f.has("eta"))
                    r.eta = s.number("eta_ancestral", r.eta, 0.0, 10.0);
            }
        }
        if (checkpoint.empty()) {
            std::vector<std::string> names;
            if (ctx.firstKnown) {
                if (std::string first = ctx.firstKnown("checkpoint"); !first.empty())
                    names.push_back(std::move(first));
            } else if (ctx.known) {
                names = ctx.known("checkpoint");
            }
            if (names.empty())
                f.fail("override_settings", "this server has no checkpoint: put one in its models folder's "
                                            "Stable-diffusion/ and call /sdapi/v1/refresh-checkpoints",
                       "value_error.model");
            else
                checkpoint = names.front();
        }
        if (!checkpoint.empty())
            r.model = model(f, "override_settings", "checkpoint", checkpoint);
        if (vae != "Automatic" && vae != "None" && !vae.empty())
            r.vae = model(f, "override_settings", "vae", vae);
    }

    void img2imgFields(api::GenerationRequest& r)
    {
        r.denoisingStrength = f.number("denoising_strength", 0.75, 0.0, 1.0);
        r.resizeMode = static_cast<api::ResizeMode>(
            std::min(2, f.choice("resize_mode", 0, {"Just resize", "Crop and resize", "Resize and fill", "Just resize (latent upscale)"})));
        const json* images = f.raw("init_images");
        if (!images || !images->is_array() || images->empty() || !(*images)[0].is_string()) {
            f.fail("init_images", "img2img needs init_images: a list with one base64 image", "value_error.missing");
        } else {
            if (images->size() > 1)
                job.notes.push_back("only the first of " + std::to_string(images->size()) + " init_images was used");
            job.initImageBase64 = (*images)[0].get<std::string>();
            r.initPixels = image(f, "init_images", job.initImageBase64, false);
        }
        job.includeInitImages = f.boolean("include_init_images", false);
        if (const std::string mask = f.text("mask", ""); !mask.empty())
            r.inpaint = inpaintOptions(image(f, "mask", mask, true));
    }

    /// A1111 create_binary_mask: an RGBA mask whose alpha varies uses its alpha, else its gray.
    static api::Image grayMask(const api::Image& in)
    {
        api::Image m;
        m.width = in.width;
        m.height = in.height;
        m.channels = 1;
        m.pixels.resize(size_t(in.width) * in.height);
        bool alphaVaries = false;
        if (in.channels == 4)
            for (size_t i = 0; i < m.pixels.size() && !alphaVaries; ++i)
                alphaVaries = in.pixels[i * 4 + 3] != 255;
        for (size_t i = 0; i < m.pixels.size(); ++i) {
            const unsigned char* p = &in.pixels[i * in.channels];
            if (alphaVaries)
                m.pixels[i] = p[3] > 128 ? 255 : 0;
            else if (in.channels >= 3) // ITU-R 601 luma, as PIL's convert("L")
                m.pixels[i] = static_cast<unsigned char>((p[0] * 299 + p[1] * 587 + p[2] * 114 + 500) / 1000);
            else
                m.pixels[i] = p[0];
        }
        return m;
    }

    api::InpaintOptions inpaintOptions(const api::Image& mask)
    {
        api::InpaintOptions o;
        if (!mask.empty())
            o.maskPixels = grayMask(mask);
        o.maskBlur = int(f.integer("mask_blur", 4, 0, 256));
        if (f.has("mask_blur_x") && !f.has("mask_blur"))
            o.maskBlur = int(f.integer("mask_blur_x", 4, 0, 256));
        o.maskedContent = static_cast<api::MaskedContent>(
            f.choice("inpainting_fill", 1, {"fill", "original", "latent noise", "latent nothing"}));
        o.area = f.boolean("inpaint_full_res", true) ? api::InpaintArea::OnlyMasked : api::InpaintArea::WholePicture;
        o.onlyMaskedPadding = int(f.integer("inpaint_full_res_padding", 32, 0, 1024));
        o.maskMode = f.boolean("inpainting_mask_invert", false) ? api::MaskMode::InpaintNotMasked : api::MaskMode::InpaintMasked;
        return o;
    }

    void controlNet(api::GenerationRequest& r)
    {
        const json* scripts = f.raw("alwayson_scripts");
        if (!scripts)
            return;
        if (!scripts->is_object()) {
            f.fail("alwayson_scripts", "value is not a valid dict", "type_error.dict");
            return;
        }
        for (const auto& [name, script] : scripts->items()) {
            std::string lowered = name;
            std::transform(lowered.begin(), lowered.end(), lowered.begin(), ::tolower);
            if (lowered != "controlnet") {
                job.notes.push_back("alwayson script '" + name + "' is not available on this server; ignored");
                continue;
            }
            const json* args = script.is_object() && script.contains("args") ? &script["args"] : nullptr;
            if (!args || !args->is_array()) {
                errors.push_back({{"body", "alwayson_scripts", name, "args"}, "expected a list of ControlNet units", "type_error.list"});
                continue;
            }
            for (size_t i = 0; i < args->size(); ++i)
                if (auto unit = controlUnit((*args)[i], {"body", "alwayson_scripts", name, "args", std::to_string(i)}, r))
                    r.controlNets.push_back(*unit);
        }
    }

    std::optional<api::ControlUnit> controlUnit(const json& u, std::vector<std::string> loc, const api::GenerationRequest& r)
    {
        if (!u.is_object()) {
            errors.push_back({loc, "a ControlNet unit must be an object", "type_error.dict"});
            return std::nullopt;
        }
        FieldReader c(u, loc, errors);
        const std::string modelName = c.text("model", "None");
        if (!c.boolean("enabled", true) || modelName == "None" || modelName.empty())
            return std::nullopt;
        api::ControlUnit unit;
        unit.model = model(c, "model", "controlnet", modelName);
        std::string picture;
        const std::string imageKey = c.has("image") ? "image" : "input_image";
        if (const json* img = c.raw(imageKey)) {
            if (img->is_string())
                picture = img->get<std::string>();
            else if (img->is_object() && img->contains("image") && (*img)["image"].is_string())
                picture = (*img)["image"].get<std::string>();
            else
                c.fail(imageKey, "expected a base64 image or {\"image\": …, \"mask\": …}", "type_error");
        }
        if (!picture.empty())
            unit.imagePixels = image(c, imageKey, picture, false);
        else if (!r.initPixels.empty())
            unit.imagePixels = r.initPixels; // the extension uses the img2img picture
        else if (!c.has(imageKey))
            c.fail("image", "this ControlNet unit has no image (txt2img units need one)", "value_error.missing");
        if (c.has("mask") || c.has("mask_image"))
            job.notes.push_back("ControlNet unit masks are not supported yet; the whole picture was used");
        const std::string module = c.text("module", "none");
        const api::PreprocessorInfo* pre = api::findPreprocessor(module);
        if (!pre) {
            std::vector<std::string> names;
            for (const auto& p : api::preprocessorList())
                names.push_back(p.name);
            c.fail("module", "unknown preprocessor '" + module + "'; valid: " + joined(names, 80), "value_error.module");
        } else {
            unit.preprocessor = pre->name;
        }
        unit.weight = c.number("weight", 1.0, 0.0, 4.0);
        unit.guidanceStart = c.number("guidance_start", 0.0, 0.0, 1.0);
        unit.guidanceEnd = c.number("guidance_end", 1.0, 0.0, 1.0);
        unit.controlMode = api::controlModeLabels()[size_t(c.choice("control_mode", 0, api::controlModeLabels()))];
        const int resize = c.choice("resize_mode", 1, {"Just Resize", "Crop and Resize", "Resize and Fill",
                                                       "Inner Fit (Scale to Fit)", "Outer Fit (Shrink to Fit)"});
        unit.resizeMode = resize == 3 ? api::ResizeMode::CropAndResize
                        : resize == 4 ? api::ResizeMode::ResizeAndFill
                                      : static_cast<api::ResizeMode>(resize);
        unit.pixelPerfect = c.boolean("pixel_perfect", false);
        const auto res = c.integer("processor_res", 512, -1, 4096);
        unit.processorResolution = res <= 0 ? 512 : int(res);
        unit.thresholdA = c.number("threshold_a", -1);
        unit.thresholdB = c.number("threshold_b", -1);
        return unit;
    }

    void script()
    {
        const std::string name = f.text("script_name", "");
        if (name.empty() || name == "None")
            return;
        std::string lowered = name;
        std::transform(lowered.begin(), lowered.end(), lowered.begin(), ::tolower);
        if (lowered != "sd upscale" || !job.img2img) {
            f.fail("script_name", "script '" + name + "' is not available on this server"
                                      + std::string(job.img2img ? "; img2img offers \"sd upscale\"" : ""),
                   "value_error.script");
            return;
        }
        SdUpscaleScript s;
        const json* args = f.raw("script_args");
        if (args && args->is_array()) {
            std::vector<FieldError> argErrors;
            json named = json::object();
            const char* keys[] = {"info", "overlap", "upscaler_index", "scale_factor"};
            for (size_t i = 0; i < args->size() && i < 4; ++i)
                named[keys[i]] = (*args)[i];
            FieldReader a(named, {"body", "script_args"}, errors);
            s.overlap = int(a.integer("overlap", 64, 0, 512));
            s.scale = a.number("scale_factor", 2.0, 1.0, 8.0);
            if (const json* up = a.raw("upscaler_index"); up && up->is_string())
                s.upscaler = up->get<std::string>();
        }
        job.sdUpscale = s;
    }

    A1111Job run(bool img2img)
    {
        job.img2img = img2img;
        api::GenerationRequest& r = job.request;
        prompts(r);
        sizes(r);
        sampling(r);
        overrides(r);
        if (img2img)
            img2imgFields(r);
        else
            hires(r);
        controlNet(r);
        script();
        job.sendImages = f.boolean("send_images", true);
        job.saveImages = f.boolean("save_images", false);
        if (!errors.empty())
            throw ValidationError(errors);
        return std::move(job);
    }
};

} // namespace

A1111Job parseA1111(const json& body, bool img2img, const A1111ParseContext& context)
{
    Parser parser{body, context};
    return parser.run(img2img);
}

} // namespace easel::server
