// `easel-cli generate`: txt2img, img2img, inpaint and hires fix from the terminal. Writes PNG (or
// JPEG/WebP by extension) with A1111 `parameters`, atomically; Ctrl+C cancels and writes nothing.

#include <atomic>
#include <chrono>
#include <csignal>
#include <ctime>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "app/cli/args.h"
#include "app/cli/commands.h"
#include "app/cli/runtime_setup.h"
#include "engine/api/engine.h"
#include "engine/api/error.h"
#include "engine/image/image_file.h"
#include "engine/pipeline/infotext.h"
#include "engine/pipeline/infotext_request.h"

namespace easel::cli {

namespace {

api::StopToken* g_stop = nullptr;

extern "C" void onInterrupt(int)
{
    if (g_stop)
        g_stop->requestStop();
}

std::vector<OptionSpec> generateSpecs()
{
    std::vector<OptionSpec> s = commonOptionSpecs();
    const std::vector<OptionSpec> own = {
        {"model", "m", true, false, "checkpoint file (.safetensors/.ckpt) or diffusers folder"},
        {"vae", "", true, false, "standalone VAE replacing the checkpoint's"},
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
        {"low-memory", "", false, false, "UNet/VAE weights in fp16, computed in fp32 (about half the memory)"},
        {"rng", "", true, false, "gpu (A1111 default, Philox) or cpu"},
        {"ensd", "", true, false, "eta noise seed delta"},
        {"eta", "", true, false, "ancestral/SDE noise multiplier (default 1)"},
        {"emphasis", "", true, false, "original | no-norm | none"},
        {"output", "o", true, false, "output file or pattern with {seed} {index} {date} {model} (default outputs/{date}/{index}-{seed}.png)"},
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

api::GenerationRequest buildRequest(const Args& args)
{
    api::GenerationRequest r;
    if (auto png = args.value("from-png")) {
        const std::string text = image::readParameters(*png);
        if (text.empty())
            throw api::Error(api::ErrorCode::InvalidRequest, "no generation parameters in this image", *png);
        r = pipeline::requestFromInfotext(pipeline::parseInfotext(text));
        r.model.clear(); // the infotext names a model, not a file: -m says which file
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
    if (r.model.empty())
        throw api::Error(api::ErrorCode::InvalidRequest, "no model: pass -m/--model FILE");
    return r;
}

std::string replaceAll(std::string s, const std::string& key, const std::string& value)
{
    for (size_t pos; (pos = s.find(key)) != std::string::npos;)
        s.replace(pos, key.size(), value);
    return s;
}

std::string outputPath(const std::string& pattern, int index, int count, std::int64_t seed, const std::string& model)
{
    std::time_t now = std::time(nullptr);
    std::ostringstream date;
    date << std::put_time(std::localtime(&now), "%Y-%m-%d");
    std::ostringstream idx;
    idx << std::setw(5) << std::setfill('0') << index;
    std::string path = pattern;
    const bool templated = path.find('{') != std::string::npos;
    path = replaceAll(path, "{seed}", std::to_string(seed));
    path = replaceAll(path, "{index}", idx.str());
    path = replaceAll(path, "{date}", date.str());
    path = replaceAll(path, "{model}", model);
    if (!templated && count > 1) {
        // One file name for several images: number them.
        std::filesystem::path p(path);
        path = (p.parent_path() / (p.stem().string() + "-" + idx.str() + p.extension().string())).string();
    }
    return path;
}

void drawProgress(const api::Progress& p)
{
    if (p.totalSteps <= 0 || p.stage == "loading" || p.stage == "text") {
        std::cerr << "\r" << p.stage << "…" << std::string(40, ' ') << std::flush;
        return;
    }
    const int width = 30;
    const int filled = std::clamp(p.step * width / std::max(1, p.totalSteps), 0, width);
    std::cerr << "\r" << p.stage << " [" << std::string(filled, '#') << std::string(width - filled, '.') << "] "
              << p.step << "/" << p.totalSteps << "  image " << (p.imageIndex + 1) << "/" << p.imageCount << "  "
              << std::fixed << std::setprecision(2) << p.secondsPerStep << " s/step  ETA " << std::setprecision(0)
              << p.etaSeconds << " s   " << std::flush;
}

int runGenerate(const std::vector<std::string>& argv)
{
    const auto specs = generateSpecs();
    const Args args(specs, argv);
    applyCommonOptions(args);
    api::GenerationRequest request = buildRequest(args);
    request.lowMemory = args.has("low-memory");
    if (auto d = args.value("device"); d && *d != "auto")
        request.device = *d == "cuda" ? "cuda:0" : *d;

    api::StopToken stop;
    g_stop = &stop;
    std::signal(SIGINT, onInterrupt);
    std::signal(SIGTERM, onInterrupt);

    api::Engine engine;
    const bool quiet = args.has("quiet") || args.has("json");
    const api::GenerationResult result =
        engine.generate(request, quiet ? api::ProgressCallback{} : api::ProgressCallback(drawProgress), &stop);
    if (!quiet)
        std::cerr << "\n";
    for (const auto& w : engine.warnings())
        std::cerr << "warning: " << w << "\n";

    // Everything is generated before anything is written: a cancel or failure leaves no files.
    const std::string pattern = args.value("output", "outputs/{date}/{index}-{seed}.png");
    const std::string modelName = std::filesystem::path(request.model).stem().string();
    nlohmann::json files = nlohmann::json::array();
    const int count = static_cast<int>(result.images.size());
    for (int i = 0; i < count; ++i) {
        const auto& img = result.images[i];
        const std::string path = outputPath(pattern, i, count, img.seed, modelName);
        if (std::filesystem::exists(path) && !args.has("json"))
            std::cerr << "note: replacing " << path << "\n";
        image::writeImageFile(img.image, path, img.infotext, args.intValue("quality", 95));
        files.push_back({{"path", path}, {"seed", img.seed}, {"width", img.image.width}, {"height", img.image.height},
                         {"infotext", img.infotext}});
        if (!args.has("json"))
            std::cout << path << "\n";
    }
    if (args.has("json")) {
        nlohmann::json j = {{"images", files}, {"seconds", result.seconds}, {"seed", result.firstSeed},
                            {"warnings", engine.warnings()}};
        std::cout << j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    }
    g_stop = nullptr;
    return 0;
}

const CommandRegistrar registrar{"generate", "txt2img / img2img / inpaint / hires fix to image files", &runGenerate};

} // namespace

} // namespace easel::cli
