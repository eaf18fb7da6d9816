// `easel-cli generate`: txt2img, img2img, inpaint and hires fix from the terminal, through the same
// GenerationService as the studio and the server (one naming function, one model resolver). Each
// image is written (PNG, or JPEG/WebP by extension, with A1111 `parameters`, atomically) the moment
// it is decoded; Ctrl+C stops within a step and keeps the images already written.

#include <atomic>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <mutex>

#include <nlohmann/json.hpp>

#include "app/cli/args.h"
#include "app/cli/commands.h"
#include "app/cli/runtime_setup.h"
#include "engine/api/error.h"
#include "engine/api/logging.h"
#include "engine/image/image_file.h"
#include "engine/pipeline/infotext.h"
#include "engine/pipeline/infotext_request.h"
#include "engine/service/generation_service.h"
#include "engine/service/model_resolver.h"

namespace easel::cli {

namespace {

// Set by SIGINT/SIGTERM; the main thread polls it and cancels the job (a handler may only touch
// lock-free atomics).
std::atomic<bool> g_interrupted{false};

extern "C" void onInterrupt(int) { g_interrupted.store(true); }

std::vector<OptionSpec> generateSpecs()
{
    std::vector<OptionSpec> s = commonOptionSpecs();
    const std::vector<OptionSpec> own = {
        {"model", "m", true, false, "checkpoint: file, diffusers folder, or a name/hash in the catalog or --models-dir"},
        {"vae", "", true, false, "standalone VAE replacing the checkpoint's (file or name)"},
        {"models-dir", "", true, true,
         "model folder (A1111 `models/` or ComfyUI `models/` layout; repeatable) searched for names and hashes"},
        {"catalog", "", true, false, "catalog to resolve names in and record images to (default: the studio's, if any)"},
        {"no-record", "", false, false, "do not add the images to the catalog's gallery"},
        {"prompt", "p", true, false, "prompt (A1111 syntax)"},
        {"negative-prompt", "n", true, false, "negative prompt"},
        {"sampler", "", true, false, "A1111 label or ComfyUI alias (default Euler a)"},
        {"scheduler", "", true, false, "schedule type: automatic, karras, exponential, sgm_uniform, ..."},
        {"steps", "", true, false, "sampling steps (default 20)"},
        {"cfg-scale", "", true, false, "CFG scale (default 7)"},
        {"seed", "s", true, false, "seed, -1 = random (default -1)"},
        {"subseed", "", true, false, "variation seed"},
        {"subseed-strength", "", true, false, "variation strength 0..1"},
        {"width", "W", true, false, "width in pixels, multiple of 8 (default 512)"},
        {"height", "H", true, false, "height in pixels, multiple of 8 (default 512)"},
        {"batch-count", "", true, false, "batches run one after the other"},
        {"batch-size", "", true, false, "images per batch"},
        {"init-img", "", true, false, "img2img / inpaint source image"},
        {"mask", "", true, false, "inpaint mask (white = repaint)"},
        {"strength", "", true, false, "denoising strength for img2img (default 0.75)"},
        {"resize-mode", "", true, false, "just-resize | crop-and-resize | resize-and-fill"},
        {"mask-blur", "", true, false, "mask blur in pixels (default 4)"},
        {"mask-mode", "", true, false, "masked | not-masked (inpaint the masked area or the rest)"},
        {"masked-content", "", true, false, "original | fill | latent-noise | latent-nothing"},
        {"inpaint-area", "", true, false, "whole | only-masked"},
        {"inpaint-padding", "", true, false, "padding for only-masked, pixels (default 32)"},
        {"hires", "", false, false, "enable hires fix (txt2img)"},
        {"hires-scale", "", true, false, "hires upscale factor (default 2)"},
        {"hires-width", "", true, false, "hires target width (instead of the scale)"},
        {"hires-height", "", true, false, "hires target height"},
        {"hires-steps", "", true, false, "second pass steps (0 = same as first)"},
        {"hires-strength", "", true, false, "second pass denoising strength (default 0.7)"},
        {"hires-upscaler", "", true, false, "Latent (default) or Lanczos (pixel)"},
        {"clip-skip", "", true, false, "CLIP skip (default 1)"},
        {"tiling", "", false, false, "seamless texture: UNet/VAE convs wrap around (A1111 Tiling)"},
        {"low-memory", "", false, false, "UNet/VAE weights in fp16, computed in fp32 (about half the memory)"},
        {"rng", "", true, false, "gpu (A1111 default, Philox) or cpu"},
        {"ensd", "", true, false, "eta noise seed delta"},
        {"eta", "", true, false, "ancestral/SDE noise multiplier (default 1)"},
        {"emphasis", "", true, false, "original | no-norm | none"},
        {"output", "o", true, false,
         "output file (replaced if it exists) or pattern with {date} {time} {index} {seed} {model} {prompt} {width} "
         "{height} {sampler} {steps} (default outputs/{date}/{index}-{seed}.png, never replacing a file)"},
        {"quality", "", true, false, "JPEG/WebP quality (default 95)"},
        {"from-png", "", true, false, "reproduce an image from its A1111 parameters (other flags override)"},
        {"control", "", true, true,
         "ControlNet unit MODEL,IMAGE[,weight,start,end,preprocessor] (repeatable; empty fields keep the "
         "defaults or the --from-png unit's values)"},
        {"json", "", false, false, "print the result as JSON on stdout"},
        {"quiet", "q", false, false, "no progress bar"},
    };
    s.insert(s.end(), own.begin(), own.end());
    return s;
}

template <typename E>
E parseChoice(const std::string& option, const std::string& value, const std::vector<std::pair<std::string, E>>& choices)
{
    std::string names;
    for (const auto& [name, v] : choices) {
        if (name == value)
            return v;
        names += (names.empty() ? "" : ", ") + name;
    }
    throw api::Error(api::ErrorCode::InvalidRequest, "--" + option + ": unknown value '" + value + "'; use " + names);
}

/// `--control MODEL,IMAGE[,weight,start,end,preprocessor]`, one per unit. Unit i starts from the
/// --from-png unit i when there is one (PNG metadata never holds the pictures), else the defaults.
void applyControlOptions(const Args& args, api::GenerationRequest& r)
{
    const std::vector<std::string> given = args.values("control");
    if (given.empty()) {
        if (!r.controlNets.empty())
            throw api::Error(api::ErrorCode::InvalidRequest,
                             "these parameters use " + std::to_string(r.controlNets.size())
                                 + " ControlNet unit(s), whose pictures are not stored in the image; pass --control "
                                   "MODEL,IMAGE for each");
        return;
    }
    std::vector<api::ControlUnit> units;
    for (size_t i = 0; i < given.size(); ++i) {
        std::vector<std::string> fields;
        size_t start = 0;
        while (start <= given[i].size()) {
            const size_t comma = std::min(given[i].find(',', start), given[i].size());
            fields.push_back(given[i].substr(start, comma - start));
            start = comma + 1;
        }
        if (fields.size() < 2 || fields.size() > 6 || fields[1].empty())
            throw api::Error(api::ErrorCode::InvalidRequest,
                             "--control '" + given[i] + "': expected MODEL,IMAGE[,weight,start,end,preprocessor]");
        api::ControlUnit u = i < r.controlNets.size() ? r.controlNets[i] : api::ControlUnit{};
        auto number = [&](size_t k, double& out) {
            if (k >= fields.size() || fields[k].empty())
                return;
            try {
                out = std::stod(fields[k]);
            } catch (const std::exception&) {
                throw api::Error(api::ErrorCode::InvalidRequest, "--control '" + given[i] + "': '" + fields[k]
                                                                     + "' is not a number");
            }
        };
        if (!fields[0].empty())
            u.model = fields[0];
        u.image = fields[1];
        number(2, u.weight);
        number(3, u.guidanceStart);
        number(4, u.guidanceEnd);
        if (fields.size() > 5 && !fields[5].empty())
            u.preprocessor = fields[5];
        u.enabled = true;
        units.push_back(u);
    }
    r.controlNets = units;
}

struct CliRequest {
    api::GenerationRequest request;
    std::string modelHash; ///< the --from-png image's "Model hash", tried before its "Model" name
};

CliRequest buildRequest(const Args& args)
{
    CliRequest out;
    api::GenerationRequest& r = out.request;
    if (auto png = args.value("from-png")) {
        const std::string text = image::readParameters(*png);
        if (text.empty())
            throw api::Error(api::ErrorCode::InvalidRequest, "no generation parameters in this image", *png);
        const auto fields = pipeline::parseInfotext(text);
        r = pipeline::requestFromInfotext(fields);
        // The infotext names a model ("Model", "Model hash"), not a file: the resolver finds it.
        if (auto hash = fields.get("Model hash"); hash && !args.has("model"))
            out.modelHash = *hash;
    }
    r.model = args.value("model", r.model);
    r.vae = args.value("vae", r.vae);
    r.prompt = args.value("prompt", r.prompt);
    r.negativePrompt = args.value("negative-prompt", r.negativePrompt);
    r.sampler = args.value("sampler", r.sampler);
    r.scheduler = args.value("scheduler", r.scheduler);
    r.steps = args.intValue("steps", r.steps);
    r.cfgScale = args.doubleValue("cfg-scale", r.cfgScale);
    if (auto s = args.value("seed"))
        r.seed = std::stoll(*s);
    if (auto s = args.value("subseed"))
        r.subseed = std::stoll(*s);
    r.subseedStrength = args.doubleValue("subseed-strength", r.subseedStrength);
    r.width = args.intValue("width", r.width);
    r.height = args.intValue("height", r.height);
    r.batchCount = args.intValue("batch-count", r.batchCount);
    r.batchSize = args.intValue("batch-size", r.batchSize);
    r.initImage = args.value("init-img", r.initImage);
    r.denoisingStrength = args.doubleValue("strength", r.denoisingStrength);
    if (auto m = args.value("resize-mode"))
        r.resizeMode = parseChoice<api::ResizeMode>("resize-mode", *m,
                                                    {{"just-resize", api::ResizeMode::JustResize},
                                                     {"crop-and-resize", api::ResizeMode::CropAndResize},
                                                     {"resize-and-fill", api::ResizeMode::ResizeAndFill}});
    if (auto mask = args.value("mask")) {
        api::InpaintOptions o = r.inpaint.value_or(api::InpaintOptions{});
        o.mask = *mask;
        o.maskBlur = args.intValue("mask-blur", o.maskBlur);
        o.onlyMaskedPadding = args.intValue("inpaint-padding", o.onlyMaskedPadding);
        if (auto v = args.value("mask-mode"))
            o.maskMode = parseChoice<api::MaskMode>("mask-mode", *v, {{"masked", api::MaskMode::InpaintMasked},
                                                                      {"not-masked", api::MaskMode::InpaintNotMasked}});
        if (auto v = args.value("masked-content"))
            o.maskedContent = parseChoice<api::MaskedContent>("masked-content", *v,
                                                              {{"original", api::MaskedContent::Original},
                                                               {"fill", api::MaskedContent::Fill},
                                                               {"latent-noise", api::MaskedContent::LatentNoise},
                                                               {"latent-nothing", api::MaskedContent::LatentNothing}});
        if (auto v = args.value("inpaint-area"))
            o.area = parseChoice<api::InpaintArea>("inpaint-area", *v, {{"whole", api::InpaintArea::WholePicture},
                                                                        {"only-masked", api::InpaintArea::OnlyMasked}});
        r.inpaint = o;
    }
    if (args.has("hires"))
        r.hires.enabled = true;
    r.hires.scale = args.doubleValue("hires-scale", r.hires.scale);
    r.hires.resizeX = args.intValue("hires-width", r.hires.resizeX);
    r.hires.resizeY = args.intValue("hires-height", r.hires.resizeY);
    r.hires.steps = args.intValue("hires-steps", r.hires.steps);
    r.hires.denoisingStrength = args.doubleValue("hires-strength", r.hires.denoisingStrength);
    r.hires.upscaler = args.value("hires-upscaler", r.hires.upscaler);
    r.clipSkip = args.intValue("clip-skip", r.clipSkip);
    if (args.has("tiling")) // on; a --from-png image made with Tiling keeps it without the flag
        r.tiling = true;
    if (auto v = args.value("rng"))
        r.rng = parseChoice<api::RngSource>("rng", *v, {{"gpu", api::RngSource::Gpu}, {"cpu", api::RngSource::Cpu}});
    if (auto v = args.value("ensd"))
        r.ensd = std::stoll(*v);
    r.eta = args.doubleValue("eta", r.eta);
    if (auto v = args.value("emphasis"))
        r.emphasis = parseChoice<api::Emphasis>("emphasis", *v, {{"original", api::Emphasis::Original},
                                                                 {"no-norm", api::Emphasis::NoNorm},
                                                                 {"none", api::Emphasis::None}});
    applyControlOptions(args, r);
    if (r.model.empty() && out.modelHash.empty())
        throw api::Error(api::ErrorCode::InvalidRequest, "no model: pass -m/--model FILE or NAME");
    return out;
}

void drawProgress(const api::Progress& p)
{
    const char* stage = api::stageName(p.stage);
    if (p.totalSteps <= 0 || p.stage == api::Stage::Loading || p.stage == api::Stage::Text || p.stage == api::Stage::Queued) {
        std::cerr << "\r" << stage << "…" << std::string(40, ' ') << std::flush;
        return;
    }
    const int width = 30;
    const int filled = std::clamp(p.step * width / std::max(1, p.totalSteps), 0, width);
    std::cerr << "\r" << stage << " [" << std::string(filled, '#') << std::string(width - filled, '.') << "] "
              << p.step << "/" << p.totalSteps << "  image " << (p.imageIndex + 1) << "/" << p.imageCount << "  "
              << std::fixed << std::setprecision(2) << p.secondsPerStep << " s/step  ETA " << std::setprecision(0)
              << p.etaSeconds << " s   " << std::flush;
}

/// `-o`: a pattern with placeholders (folder = its leading plain folders, the rest the pattern), or
/// one exact file that is replaced when it exists (what a script that names its output wants).
service::OutputOptions outputOptions(const Args& args)
{
    service::OutputOptions out;
    out.quality = args.intValue("quality", 95);
    const auto given = args.value("output");
    if (!given)
        return out; // the service's folder ("outputs") and the one default pattern
    const std::filesystem::path path(*given);
    if (given->find('{') == std::string::npos) {
        out.exactPath = *given;
        out.overwrite = true;
        return out;
    }
    std::filesystem::path folder, pattern;
    bool templated = false;
    for (const auto& part : path.parent_path()) {
        templated = templated || part.string().find('{') != std::string::npos;
        (templated ? pattern : folder) /= part;
    }
    pattern /= path.stem();
    out.folder = folder.empty() ? std::string(".") : folder.string();
    out.pattern = pattern.string();
    std::string ext = path.extension().string();
    if (!ext.empty())
        out.format = ext.substr(1);
    return out;
}

std::string defaultCatalog()
{
    const auto path = std::filesystem::path(api::dataDirectory()) / "catalog.sqlite";
    std::error_code ec;
    return std::filesystem::exists(path, ec) ? path.string() : std::string();
}

/// Progress bar and one line per saved image; events arrive on the service's worker thread.
service::JobListener terminalListener(bool quiet, bool json)
{
    auto mutex = std::make_shared<std::mutex>();
    return [=](const service::JobEvent& ev) {
        std::lock_guard lock(*mutex);
        if (ev.kind == service::JobEventKind::Progress && !quiet)
            drawProgress(ev.progress);
        if (ev.kind == service::JobEventKind::ImageSaved && ev.image && !json) {
            if (!quiet)
                std::cerr << "\r" << std::string(100, ' ') << "\r";
            std::cout << ev.image->path << "\n" << std::flush;
        }
    };
}

nlohmann::json resultJson(const service::JobSnapshot& job)
{
    nlohmann::json files = nlohmann::json::array();
    for (const auto& img : job.images)
        files.push_back({{"path", img.path}, {"seed", img.image.seed}, {"width", img.image.image.width},
                         {"height", img.image.image.height}, {"infotext", img.image.infotext}});
    return {{"images", files}, {"seconds", job.runSeconds}, {"seed", job.resolvedSeed},
            {"state", service::jobStateName(job.state)}, {"warnings", job.warnings}};
}

int runGenerate(const std::vector<std::string>& argv)
{
    const auto specs = generateSpecs();
    const Args args(specs, argv);
    applyCommonOptions(args);
    CliRequest cli = buildRequest(args);
    cli.request.lowMemory = args.has("low-memory");
    if (auto d = args.value("device"); d && *d != "auto")
        cli.request.device = *d == "cuda" ? "cuda:0" : *d;

    service::ResolverOptions where;
    where.catalogPath = args.value("catalog", defaultCatalog());
    where.modelRoots = args.values("models-dir");
    const service::ModelResolver resolver(where);
    const api::GenerationRequest request = resolver.resolveRequest(cli.request, cli.modelHash);

    service::ServiceConfig config;
    config.catalogPath = where.catalogPath;
    config.nameLookup = resolver.nameLookup();
    service::GenerationService generation(config);
    const bool json = args.has("json");
    const bool quiet = args.has("quiet") || json;
    generation.subscribe(terminalListener(quiet, json));

    service::JobOptions options;
    options.output = outputOptions(args);
    options.record = !args.has("no-record");
    options.keepPixels = false;
    options.previewEverySteps = 0;

    g_interrupted = false;
    std::signal(SIGINT, onInterrupt);
    std::signal(SIGTERM, onInterrupt);
    const service::JobId id = generation.submit(request, options);
    std::optional<service::JobSnapshot> job = generation.waitFor(id, std::chrono::milliseconds(100));
    for (bool cancelSent = false; job && !service::isFinished(job->state);
         job = generation.waitFor(id, std::chrono::milliseconds(100))) {
        if (g_interrupted && !cancelSent)
            cancelSent = generation.cancel(id);
    }
    if (!job)
        throw api::Error(api::ErrorCode::Internal, "the job disappeared from the queue");
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
    if (!quiet)
        std::cerr << "\n";
    for (const auto& w : job->warnings)
        std::cerr << "warning: " << w << "\n";
    if (json)
        std::cout << resultJson(*job).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    if (job->state == service::JobState::Cancelled) {
        std::cerr << "cancelled; " << job->images.size() << " finished image(s) kept\n";
        return 130;
    }
    if (job->state == service::JobState::Failed)
        throw api::Error(job->errorCode, job->error);
    return 0;
}

const CommandRegistrar registrar{"generate", "txt2img / img2img / inpaint / hires fix to image files", &runGenerate};

} // namespace

} // namespace easel::cli
