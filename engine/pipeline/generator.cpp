// api::Engine: request -> images. txt2img, img2img, inpaint (whole picture or only masked, with the
// four masked-content modes and 9-channel inpainting models) and hires fix, batch count × batch size.
// Ref (behaviour): A1111 modules/processing.py (StableDiffusionProcessingTxt2Img/Img2Img) and
// sd_samplers_kdiffusion.py (sample / sample_img2img).

#include "engine/api/engine.h"

#include <chrono>
#include <cmath>
#include <filesystem>
#include <map>
#include <random>

#include <torch/torch.h>

#include "engine/adapters/embedding_resolver.h"
#include "engine/adapters/lora_manager.h"
#include "engine/adapters/lora_resolver.h"
#include "engine/api/error.h"
#include "engine/api/logging.h"
#include "engine/api/runtime.h"
#include "engine/core/rng_image.h"
#include "engine/image/ops.h"
#include "engine/pipeline/cfg_denoiser.h"
#include "engine/pipeline/checkpoint.h"
#include "engine/pipeline/generation_inputs.h"
#include "engine/pipeline/infotext_request.h"
#include "engine/pipeline/latent_image.h"
#include "engine/pipeline/prompt_conditioning.h"
#include "engine/pipeline/sampler_bridge.h"
#include "engine/models/vae.h"
#include "engine/text/embeddings.h"
#include "engine/controlnet/control_session.h"

namespace easel::api {

using pipeline::Checkpoint;

struct Engine::Impl {
    EngineOptions options;
    std::shared_ptr<Checkpoint> checkpoint;
    std::string checkpointKey;
    std::unique_ptr<adapters::LoRAManager> loras; ///< the LoRA set merged into `checkpoint`
    std::vector<std::string> warnings;
    std::mt19937_64 random{std::random_device{}()};
    controlnet::ControlNetCache controlNets; ///< ControlNet models by path (engine thread)
    std::map<std::string, text::TextualInversion> embeddingFiles; ///< by path + mtime (small: vectors only)

    std::shared_ptr<Checkpoint> ensureCheckpoint(const GenerationRequest& r, const torch::Device& device)
    {
        const std::string key = r.model + "\n" + r.vae + "\n" + device.str() + (r.lowMemory ? "\nlow-memory" : "");
        if (checkpoint && checkpointKey == key)
            return checkpoint;
        loras.reset();
        checkpoint.reset(); // free the old weights before loading the new ones
        pipeline::CheckpointLoadOptions options;
        options.vaePath = r.vae;
        options.device = device;
        options.lowMemory = r.lowMemory;
        checkpoint = pipeline::loadCheckpoint(r.model, options);
        checkpointKey = key;
        return checkpoint;
    }

    /// Merges the request's LoRA set (panel entries + prompt tags) into the checkpoint, restoring the
    /// previous set first; nothing happens when the set is unchanged. Returns alias -> AutoV3.
    std::vector<std::pair<std::string, std::string>> applyLoRAs(const GenerationRequest& r,
                                                                const text::ExtraNetworkPrompt& tags)
    {
        adapters::LoRANameLookup lookup;
        if (options.nameLookup)
            lookup = [this](const std::string& name) { return options.nameLookup("lora", name); };
        const auto specs = adapters::loraSetFor(r.loras, tags, adapters::loraSearchFolders(checkpoint->path), lookup);
        if (!loras) {
            if (specs.empty())
                return {};
            std::vector<text::TextEncoder*> encoders;
            for (const auto& role : checkpoint->conditioner->roles())
                encoders.push_back(role.encoder.get());
            loras = std::make_unique<adapters::LoRAManager>(checkpoint->unet.get(), encoders, checkpoint->family());
        }
        const adapters::LoRAApplyReport report = loras->applySet(specs);
        warnings.insert(warnings.end(), report.warnings.begin(), report.warnings.end());
        if (report.changed && !specs.empty())
            logInfo("LoRA set applied: " + std::to_string(specs.size()) + " LoRA(s), " +
                    std::to_string(report.tensorsWritten) + " tensors in " + std::to_string(report.seconds) + " s");
        return report.hashes();
    }

    /// The textual-inversion embeddings the prompts name (catalog lookup, then the embeddings
    /// folders) into `library`, skipping files this checkpoint's encoders cannot take (A1111 skips
    /// them too). Returns name -> "TI hashes" value.
    std::vector<std::pair<std::string, std::string>> loadEmbeddings(const GenerationRequest& r,
                                                                    text::EmbeddingLibrary& library)
    {
        adapters::EmbeddingNameLookup lookup;
        if (options.nameLookup)
            lookup = [this](const std::string& name) { return options.nameLookup("embedding", name); };
        const auto found = adapters::findEmbeddings({r.prompt, r.negativePrompt},
                                                    adapters::embeddingSearchFolders(checkpoint->path), lookup);
        std::vector<std::pair<std::string, std::string>> hashes;
        for (const adapters::EmbeddingFile& f : found) {
            try {
                std::error_code ec;
                const auto mtime = std::filesystem::last_write_time(f.path, ec).time_since_epoch().count();
                const std::string key = f.path + "\n" + std::to_string(mtime);
                auto it = embeddingFiles.find(key);
                if (it == embeddingFiles.end())
                    it = embeddingFiles.emplace(key, text::loadTextualInversion(f.path)).first;
                text::TextualInversion ti = it->second;
                ti.name = f.name; // the word as written (catalog lookups ignore case)
                for (const auto& role : checkpoint->conditioner->roles())
                    (void)ti.vectorsFor(role.embeddingKey, role.encoder->config().hidden); // throws when it does not fit
                hashes.emplace_back(f.name, adapters::embeddingHash(f.path));
                library.add(std::move(ti));
            } catch (const Error& e) {
                warnings.push_back("embedding '" + f.name + "' skipped: " + e.message());
            }
        }
        return hashes;
    }

    // A1111: seed -1 becomes int(random.randrange(4294967294)).
    std::int64_t randomSeed() { return static_cast<std::int64_t>(random() % 4294967294ULL); }
};

namespace {

/// Step bookkeeping across the whole job, for progress and ETA.
struct ProgressTracker {
    const ProgressCallback* callback = nullptr;
    int totalSteps = 0;
    int doneSteps = 0;
    int imageCount = 1;
    int previewEvery = 0;
    io::ModelFamily family = io::ModelFamily::SD1;
    std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();

    void stage(const std::string& name, int imageIndex)
    {
        // Step timing starts with the first sampling step, not with model loading.
        if (doneSteps == 0 && (name == "sampling" || name == "hires"))
            start = std::chrono::steady_clock::now();
        if (!callback || !*callback)
            return;
        Progress p;
        p.stage = name;
        p.imageIndex = imageIndex;
        p.imageCount = imageCount;
        p.totalSteps = totalSteps;
        p.step = doneSteps;
        (*callback)(p);
    }

    void step(const std::string& stageName, int imageIndex, int stepInStage, int stageTotal, const torch::Tensor& denoised)
    {
        ++doneSteps;
        if (!callback || !*callback)
            return;
        const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        Progress p;
        p.stage = stageName;
        p.step = stepInStage;
        p.totalSteps = stageTotal;
        p.imageIndex = imageIndex;
        p.imageCount = imageCount;
        p.secondsPerStep = elapsed / std::max(1, doneSteps);
        p.etaSeconds = p.secondsPerStep * std::max(0, totalSteps - doneSteps);
        if (previewEvery > 0 && (stepInStage % previewEvery == 0 || stepInStage == stageTotal))
            p.preview = pipeline::latentPreview(denoised[0], family);
        (*callback)(p);
    }
};

int roundTo8(int v) { return std::max(8, (v + 4) / 8 * 8); }

void checkStop(const StopToken* stop)
{
    if (stop && stop->stopRequested())
        throw Error(ErrorCode::Cancelled, "cancelled");
}

torch::Device resolveDevice(const GenerationRequest& r)
{
    const std::string name = r.device.empty() ? activeDevice() : (r.device == "cuda" ? "cuda:0" : r.device);
    if (name.rfind("cuda", 0) == 0 && !torch::cuda::is_available())
        throw Error(ErrorCode::InvalidRequest, "CUDA was requested but is not available; use --device cpu");
    return torch::Device(name);
}

} // namespace

Engine::Engine(EngineOptions options)
    : m_impl(std::make_unique<Impl>())
{
    m_impl->options = options;
}

Engine::~Engine() = default;

void Engine::unloadModels()
{
    m_impl->loras.reset();
    m_impl->checkpoint.reset();
    m_impl->checkpointKey.clear();
    m_impl->controlNets.clear();
}

const std::vector<std::string>& Engine::warnings() const { return m_impl->warnings; }

GenerationResult Engine::generate(const GenerationRequest& original, const ProgressCallback& progress,
                                  const StopToken* stop)
{
    const auto started = std::chrono::steady_clock::now();
    Impl& impl = *m_impl;
    impl.warnings.clear();
    GenerationRequest r = original;

    // --- validate --------------------------------------------------------------------------------
    if (r.model.empty())
        throw Error(ErrorCode::InvalidRequest, "no checkpoint chosen; pick a model (-m/--model)");
    if (r.steps <= 0)
        throw Error(ErrorCode::InvalidRequest, "steps must be at least 1 (got " + std::to_string(r.steps) + ")");
    if (r.batchCount < 1 || r.batchSize < 1)
        throw Error(ErrorCode::InvalidRequest, "batch count and batch size must be at least 1");
    if (r.width < 8 || r.height < 8 || r.width > 8192 || r.height > 8192)
        throw Error(ErrorCode::InvalidRequest, "width and height must be between 8 and 8192 pixels");
    if (r.width % 8 || r.height % 8) {
        const int w = roundTo8(r.width), h = roundTo8(r.height);
        impl.warnings.push_back("size " + std::to_string(r.width) + "x" + std::to_string(r.height)
                                + " is not a multiple of 8; using " + std::to_string(w) + "x" + std::to_string(h));
        r.width = w;
        r.height = h;
    }
    if (r.clipSkip < 1)
        r.clipSkip = 1;
    const pipeline::SamplerChoice choice = pipeline::resolveSampler(r.sampler, r.scheduler);
    r.sampler = choice.samplerLabel;
    const bool img2img = !r.initImage.empty();
    if (r.inpaint && !img2img)
        throw Error(ErrorCode::InvalidRequest, "a mask needs an init image (--init-img)");
    const double strength = std::clamp(r.denoisingStrength, 0.0, 1.0);

    // Inputs are read before any model work so a missing file fails fast.
    std::optional<pipeline::PreparedInputs> inputs;
    if (img2img)
        inputs = pipeline::prepareInputs(r, impl.warnings);
    checkStop(stop);

    // --- seeds -----------------------------------------------------------------------------------
    const std::int64_t seed = r.seed < 0 ? impl.randomSeed() : r.seed;
    const std::int64_t subseed = r.subseed < 0 ? impl.randomSeed() : r.subseed;

    const torch::Device device = resolveDevice(r);
    c10::InferenceMode inference;

    ProgressTracker tracker;
    tracker.callback = &progress;
    tracker.imageCount = r.batchCount * r.batchSize;
    tracker.previewEvery = impl.options.previewEverySteps;
    tracker.stage("loading", 0);
    auto ckpt = impl.ensureCheckpoint(r, device);
    tracker.family = ckpt->family();
    checkStop(stop);

    const int unetIn = ckpt->detected.unet.inChannels;
    const bool inpaintModel = unetIn == 9;
    if (unetIn == 8)
        throw Error(ErrorCode::UnsupportedFormat, "instruct-pix2pix checkpoints are not supported yet", r.model);

    // --- LoRA (before text encoding: text-encoder multipliers change the conditioning) ------------
    const auto loraHashes = impl.applyLoRAs(r, text::parseExtraNetworks(r.prompt));
    checkStop(stop);

    // --- text ------------------------------------------------------------------------------------
    tracker.stage("text", 0);
    text::EmbeddingLibrary embeddings;
    const auto tiHashes = impl.loadEmbeddings(r, embeddings);
    const int hiresSteps = r.hires.enabled && !img2img ? (r.hires.steps > 0 ? r.hires.steps : r.steps) : 0;
    pipeline::PromptEncodeOptions promptOptions;
    promptOptions.steps = r.steps;
    promptOptions.conditioning.clipSkip = r.clipSkip;
    promptOptions.conditioning.emphasis = r.emphasis == Emphasis::NoNorm ? text::EmphasisMode::NoNorm
                                          : r.emphasis == Emphasis::None ? text::EmphasisMode::None
                                                                         : text::EmphasisMode::Original;
    if (!embeddings.empty()) {
        promptOptions.vocabulary = &embeddings.vocabulary();
        promptOptions.conditioning.embeddings = &embeddings;
    }
    const pipeline::PromptConditioning cond = pipeline::encodePrompt(*ckpt->conditioner, r.prompt, promptOptions);
    promptOptions.allowMulticond = false;
    const pipeline::PromptConditioning uncond =
        pipeline::encodePrompt(*ckpt->conditioner, r.negativePrompt, promptOptions);
    for (const auto& [kind, list] : cond.extraNetworks.networks)
        if (kind != "lora" && kind != "lyco")
            impl.warnings.push_back("<" + kind + ":…> tags are not applied yet (" + std::to_string(list.size())
                                    + " in the prompt); the image is generated without them");
    checkStop(stop);

    const sampling::DiscreteSchedule schedule = sampling::DiscreteSchedule::stableDiffusion();
    const int64_t h = r.height / 8, w = r.width / 8;

    // --- ControlNet units: models checked against the checkpoint, pictures preprocessed once -------
    const controlnet::PrepareOptions controlOptions{r.width, r.height, static_cast<std::uint64_t>(seed)};
    controlnet::ControlSession control(controlnet::prepareUnits(r.controlNets, ckpt->path, ckpt->detected, device,
                                                                ckpt->dtype, impl.controlNets, controlOptions));
    checkStop(stop);

    // Steps actually run per image, for the ETA.
    const int firstPassSteps = img2img ? static_cast<int>(std::min(strength, 0.999) * r.steps) + 1 : r.steps;
    const int secondPassSteps =
        hiresSteps > 0 ? static_cast<int>(std::min(r.hires.denoisingStrength, 0.999) * hiresSteps) + 1 : 0;
    tracker.totalSteps = r.batchCount * (firstPassSteps + secondPassSteps);

    const double scale = ckpt->vae->scalingFactor();
    auto encodeImage = [&](const torch::Tensor& pixels, core::ImageRNG* rng) {
        // A1111 samples the latent distribution (not the mean) for img2img init latents; the sample
        // noise comes from torch's global generator there, ours from a seeded CPU generator.
        const models::LatentDistribution dist = ckpt->vae->encode(pixels.to(device).to(ckpt->dtype));
        (void)rng;
        return dist.mean.to(torch::kFloat32) * scale;
    };
    auto decodeLatent = [&](const torch::Tensor& latent) {
        return ckpt->vae->decode((latent / scale).to(device).to(ckpt->dtype)).to(torch::kCPU).to(torch::kFloat32);
    };

    // SDXL added conditioning: (orig h, orig w, crop top, crop left, target h, target w).
    auto timeIdsFor = [](int width, int height) {
        return torch::tensor({double(height), double(width), 0.0, 0.0, double(height), double(width)}, torch::kFloat32);
    };

    GenerationResult result;
    result.firstSeed = seed;
    const auto vp = ckpt->prediction() == io::Prediction::VPrediction;
    const bool sdxl = ckpt->family() == io::ModelFamily::SDXL;

    for (int batch = 0; batch < r.batchCount; ++batch) {
        checkStop(stop);
        const int firstIndex = batch * r.batchSize;
        std::vector<int64_t> seeds, subseeds;
        for (int i = 0; i < r.batchSize; ++i) {
            seeds.push_back(seed + firstIndex + i);
            subseeds.push_back(subseed + firstIndex + i);
        }
        const core::RngSource source = r.rng == RngSource::Cpu ? core::RngSource::Cpu : core::RngSource::Gpu;
        core::ImageRNG rng({4, h, w}, seeds, subseeds, r.subseedStrength, source, r.ensd, r.seedResizeFromW,
                           r.seedResizeFromH);
        const int64_t b = r.batchSize;

        pipeline::CfgDenoiserSetup setup;
        setup.unet = ckpt->unet.get();
        setup.schedule = &schedule;
        setup.vPrediction = vp;
        setup.cond = &cond;
        setup.uncond = &uncond;
        setup.cfgScale = r.cfgScale;
        setup.timeIds = timeIdsFor(r.width, r.height);
        setup.stop = stop;
        const sampling::LcmGrid lcmGrid(schedule);
        setup.lcm = pipeline::usesLcmDenoiser(choice) ? &lcmGrid : nullptr;
        control.attach(setup, r.batchSize, r.width, r.height, firstPassSteps, false);

        auto noiseFn = [&rng](const torch::Tensor& like) { return rng.next().to(like.device()).to(like.dtype()); };
        auto stepFn = [&](const char* stage) {
            return [&, stage](int k, int n, const torch::Tensor&, const torch::Tensor& denoised) {
                control.stepDone(k); // ControlNet windows follow A1111's sampling_step
                checkStop(stop);
                tracker.step(stage, firstIndex, k, n, denoised);
            };
        };

        torch::Tensor latent;
        if (!img2img) {
            const torch::Tensor noise = rng.next();
            if (inpaintModel) {
                // A1111 txt2img_image_conditioning for inpainting models: mask of ones + a gray image.
                const torch::Tensor gray = torch::zeros({b, 3, r.height, r.width});
                setup.imageConditioning =
                    torch::cat({torch::ones({b, 1, h, w}), encodeImage(gray, nullptr)}, 1).to(torch::kFloat32);
            }
            pipeline::CfgDenoiser denoiser(setup);
            const torch::Tensor sigmas = pipeline::samplerSigmas(choice, r.steps, schedule, sdxl);
            tracker.stage("sampling", firstIndex);
            const double startScale = pipeline::txt2imgNoiseScale(choice, sigmas[0].item<double>());
            latent = pipeline::runSampler(choice, denoiser, noise * startScale, sigmas, schedule,
                                          noiseFn, stepFn("sampling"), r.eta);
        } else {
            const pipeline::PreparedInputs& in = *inputs;
            torch::Tensor pixels = pipeline::imageToTensor(in.processImage).expand({b, 3, r.height, r.width});
            torch::Tensor initLatent = encodeImage(pixels, &rng);
            const torch::Tensor noise = rng.next();
            if (in.latentMask.defined()) {
                // keep = 1 outside the (rounded) latent mask (A1111 self.mask / self.nmask).
                const torch::Tensor keep = 1.0 - in.latentMask;
                if (r.inpaint->maskedContent == MaskedContent::LatentNoise)
                    initLatent = initLatent * keep + noise * (1.0 - keep);
                else if (r.inpaint->maskedContent == MaskedContent::LatentNothing)
                    initLatent = initLatent * keep;
                setup.initLatent = initLatent;
                setup.keepMask = keep;
                if (inpaintModel) {
                    // A1111 inpainting_image_conditioning: [mask, VAE(image · (1 − mask))], mask rounded.
                    const torch::Tensor pixelMask = torch::round(in.pixelMask).expand({b, 1, r.height, r.width});
                    const torch::Tensor masked = pixels * (1.0 - pixelMask);
                    const torch::Tensor smallMask =
                        torch::nn::functional::interpolate(pixelMask, torch::nn::functional::InterpolateFuncOptions()
                                                                          .size(std::vector<int64_t>{h, w})
                                                                          .mode(torch::kNearest));
                    setup.imageConditioning = torch::cat({smallMask, encodeImage(masked, nullptr)}, 1);
                }
            } else if (inpaintModel) {
                setup.imageConditioning = torch::cat({torch::ones({b, 1, h, w}), initLatent}, 1);
            }
            pipeline::CfgDenoiser denoiser(setup);
            // Ref: A1111 sample_img2img with img2img_fix_steps off: t_enc = int(min(s, .999) · steps),
            // sigmas of `steps`, keep the last t_enc + 1 of them.
            const int tEnc = static_cast<int>(std::min(strength, 0.999) * r.steps);
            const torch::Tensor all = pipeline::samplerSigmas(choice, r.steps, schedule, sdxl);
            const torch::Tensor sigmas = all.narrow(0, r.steps - tEnc - 1, tEnc + 2);
            tracker.stage("sampling", firstIndex);
            const torch::Tensor x = initLatent + noise * sigmas[0].item<double>();
            latent = pipeline::runSampler(choice, denoiser, x, sigmas, schedule, noiseFn, stepFn("sampling"), r.eta);
        }

        // --- hires fix ---------------------------------------------------------------------------
        int outW = r.width, outH = r.height;
        if (hiresSteps > 0) {
            checkStop(stop);
            outW = r.hires.resizeX > 0 ? roundTo8(r.hires.resizeX) : roundTo8(static_cast<int>(r.width * r.hires.scale));
            outH = r.hires.resizeY > 0 ? roundTo8(r.hires.resizeY) : roundTo8(static_cast<int>(r.height * r.hires.scale));
            const int64_t h2 = outH / 8, w2 = outW / 8;
            torch::Tensor upscaled;
            if (r.hires.upscaler.rfind("Latent", 0) == 0) {
                // A1111 "Latent": bilinear, no antialias, on the latent.
                upscaled = torch::nn::functional::interpolate(latent, torch::nn::functional::InterpolateFuncOptions()
                                                                          .size(std::vector<int64_t>{h2, w2})
                                                                          .mode(torch::kBilinear)
                                                                          .align_corners(false));
            } else {
                // Pixel upscaler: decode, resize with Lanczos, encode again.
                std::vector<torch::Tensor> encoded;
                const torch::Tensor decoded = decodeLatent(latent);
                for (int64_t i = 0; i < decoded.size(0); ++i) {
                    const api::Image big = image::resize(pipeline::tensorToImage(decoded[i]), outW, outH);
                    encoded.push_back(encodeImage(pipeline::imageToTensor(big), nullptr));
                }
                upscaled = torch::cat(encoded);
            }
            core::ImageRNG hiresRng({4, h2, w2}, seeds, subseeds, r.subseedStrength, source, r.ensd,
                                    r.seedResizeFromW, r.seedResizeFromH);
            const pipeline::SamplerChoice hiresChoice = r.hires.sampler.empty() && r.hires.scheduler.empty()
                                                            ? choice
                                                            : pipeline::resolveSampler(
                                                                  r.hires.sampler.empty() ? r.sampler : r.hires.sampler,
                                                                  r.hires.scheduler.empty() ? r.scheduler : r.hires.scheduler);
            promptOptions.hiresSteps = hiresSteps;
            promptOptions.allowMulticond = true;
            const auto hiresCond = pipeline::encodePrompt(*ckpt->conditioner, r.prompt, promptOptions);
            promptOptions.allowMulticond = false;
            const auto hiresUncond = pipeline::encodePrompt(*ckpt->conditioner, r.negativePrompt, promptOptions);
            pipeline::CfgDenoiserSetup hiresSetup = setup;
            hiresSetup.cond = &hiresCond;
            hiresSetup.uncond = &hiresUncond;
            hiresSetup.timeIds = timeIdsFor(outW, outH);
            hiresSetup.initLatent = torch::Tensor();
            hiresSetup.keepMask = torch::Tensor();
            if (inpaintModel)
                hiresSetup.imageConditioning = torch::cat({torch::ones({b, 1, h2, w2}), upscaled}, 1);
            hiresSetup.lcm = pipeline::usesLcmDenoiser(hiresChoice) ? &lcmGrid : nullptr;
            control.attach(hiresSetup, r.batchSize, outW, outH, secondPassSteps, true);
            pipeline::CfgDenoiser denoiser(hiresSetup);
            const int tEnc = static_cast<int>(std::min(r.hires.denoisingStrength, 0.999) * hiresSteps);
            const torch::Tensor all = pipeline::samplerSigmas(hiresChoice, hiresSteps, schedule, sdxl);
            const torch::Tensor sigmas = all.narrow(0, hiresSteps - tEnc - 1, tEnc + 2);
            const torch::Tensor noise = hiresRng.next();
            auto hiresNoise = [&hiresRng](const torch::Tensor& like) {
                return hiresRng.next().to(like.device()).to(like.dtype());
            };
            tracker.stage("hires", firstIndex);
            latent = pipeline::runSampler(hiresChoice, denoiser, upscaled + noise * sigmas[0].item<double>(), sigmas,
                                          schedule, hiresNoise, stepFn("hires"), r.eta);
        }

        // --- decode and finish ---------------------------------------------------------------------
        checkStop(stop);
        tracker.stage("decoding", firstIndex);
        const torch::Tensor decoded = decodeLatent(latent);
        for (int64_t i = 0; i < decoded.size(0); ++i) {
            GeneratedImage out;
            out.image = pipeline::tensorToImage(decoded[i]);
            if (inputs)
                out.image = pipeline::finishInpaint(*inputs, out.image);
            out.seed = seeds[i];
            out.subseed = subseeds[i];
            pipeline::ImageFacts facts;
            facts.seed = out.seed;
            facts.subseed = out.subseed;
            facts.resolvedScheduler = choice.scheduleLabel;
            facts.modelName = ckpt->name;
            facts.modelHash = pipeline::modelHash(ckpt->path);
            facts.loraHashes = loraHashes;
            facts.tiHashes = tiHashes;
            if (!r.vae.empty()) {
                facts.vaeName = std::filesystem::path(r.vae).stem().string();
                facts.vaeHash = pipeline::modelHash(r.vae);
            }
            facts.controlNetUnits = control.infotextUnits();
            GenerationRequest recorded = r;
            recorded.seed = out.seed;
            out.infotext = pipeline::formatInfotext(pipeline::infotextFromRequest(recorded, facts));
            result.images.push_back(std::move(out));
        }
    }
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    for (const auto& w : impl.warnings)
        logWarning(w);
    return result;
}

} // namespace easel::api
