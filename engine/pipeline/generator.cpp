// api::Engine: request -> images, as a pipeline of small stages in the order diffusers' pipelines
// read: validated request -> models (checkpoint, LoRA) -> conditioning -> per batch: latent init per
// mode (txt2img / img2img / inpaint) -> one sampling pass (reused by the hires fix) -> decode and
// finish -> infotext. Each image is handed to GenerateOptions::imageReady the moment it is done.
// Ref (behaviour): A1111 modules/processing.py (StableDiffusionProcessingTxt2Img/Img2Img) and
// sd_samplers_kdiffusion.py (sample / sample_img2img).

#include "engine/api/engine.h"

#include <chrono>
#include <filesystem>
#include <optional>
#include <random>

#include <torch/torch.h>

#include "engine/api/error.h"
#include "engine/api/logging.h"
#include "engine/api/runtime.h"
#include "engine/controlnet/control_session.h"
#include "engine/core/rng_image.h"
#include "engine/image/ops.h"
#include "engine/models/vae.h"
#include "engine/pipeline/cfg_denoiser.h"
#include "engine/pipeline/generation_inputs.h"
#include "engine/pipeline/infotext_request.h"
#include "engine/pipeline/latent_image.h"
#include "engine/pipeline/model_session.h"
#include "engine/pipeline/progress_tracker.h"
#include "engine/pipeline/prompt_conditioning.h"
#include "engine/pipeline/request_validation.h"
#include "engine/pipeline/sampling_pass.h"
#include "engine/text/embeddings.h"

namespace easel::api {

using pipeline::Checkpoint;

struct Engine::Impl {
    EngineOptions options;
    pipeline::ModelSession models;
    std::vector<std::string> warnings;
    std::mt19937_64 random{std::random_device{}()};

    // A1111: seed -1 becomes int(random.randrange(4294967294)).
    std::int64_t randomSeed() { return static_cast<std::int64_t>(random() % 4294967294ULL); }
};

namespace {

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

/// Conditioning stage: embeddings, then the prompt and negative prompt as A1111 encodes them.
struct TextConditioning {
    pipeline::PromptEncodeOptions options;
    pipeline::PromptConditioning cond, uncond;
    pipeline::HashList tiHashes;
};

TextConditioning encodeText(pipeline::ModelSession& models, const Checkpoint& ckpt, const GenerationRequest& r,
                            text::EmbeddingLibrary& embeddings, std::vector<std::string>& warnings)
{
    TextConditioning t;
    t.tiHashes = models.loadEmbeddings(r, embeddings, warnings);
    t.options.steps = r.steps;
    t.options.conditioning.clipSkip = r.clipSkip;
    t.options.conditioning.emphasis = r.emphasis == Emphasis::NoNorm ? text::EmphasisMode::NoNorm
                                      : r.emphasis == Emphasis::None ? text::EmphasisMode::None
                                                                     : text::EmphasisMode::Original;
    if (!embeddings.empty()) {
        t.options.vocabulary = &embeddings.vocabulary();
        t.options.conditioning.embeddings = &embeddings;
    }
    t.cond = pipeline::encodePrompt(*ckpt.conditioner, r.prompt, t.options);
    t.options.allowMulticond = false;
    t.uncond = pipeline::encodePrompt(*ckpt.conditioner, r.negativePrompt, t.options);
    for (const auto& [kind, list] : t.cond.extraNetworks.networks)
        if (kind != "lora" && kind != "lyco")
            warnings.push_back("<" + kind + ":…> tags are not applied yet (" + std::to_string(list.size())
                               + " in the prompt); the image is generated without them");
    return t;
}

/// SDXL added conditioning: (orig h, orig w, crop top, crop left, target h, target w).
torch::Tensor timeIdsFor(int width, int height)
{
    return torch::tensor({double(height), double(width), 0.0, 0.0, double(height), double(width)}, torch::kFloat32);
}

/// Everything fixed for the whole job, shared by its batches.
struct Job {
    pipeline::ValidatedRequest v;
    const GenerationRequest& r; ///< = v.request
    std::optional<pipeline::PreparedInputs> inputs;
    std::int64_t seed = 0, subseed = 0;
    torch::Device device;
    std::shared_ptr<Checkpoint> ckpt;
    bool inpaintModel = false;
    pipeline::HashList loraHashes;
    TextConditioning text;
    sampling::DiscreteSchedule schedule = sampling::DiscreteSchedule::stableDiffusion();
    std::optional<sampling::LcmGrid> lcmGrid;
    controlnet::ControlSession control;
    int firstPassSteps = 0, secondPassSteps = 0;
    const StopToken* stop = nullptr;
    pipeline::ProgressTracker* tracker = nullptr;

    Job(pipeline::ValidatedRequest validated, torch::Device d)
        : v(std::move(validated)), r(v.request), device(d)
    {
        lcmGrid.emplace(schedule);
    }

    double scale() const { return ckpt->vae->scalingFactor(); }
    bool sdxl() const { return ckpt->family() == io::ModelFamily::SDXL; }
    /// Ref: A1111 processing.py process_images_inner → sd_hijack apply_circular(p.tiling): UNet
    /// and VAE convs wrap around for the whole job (both passes, every encode and decode).
    models::ConvPadding padding() const { return r.tiling ? models::ConvPadding::Circular : models::ConvPadding::Zeros; }

    /// VAE encode to a scaled latent: the posterior's mean, or a sample of it when `generator` is
    /// given (A1111 get_first_stage_encoding samples; its noise comes from torch's global generator,
    /// ours from a generator seeded with the batch's seed so the image is reproducible).
    torch::Tensor encode(const torch::Tensor& pixels, std::optional<torch::Generator> generator = std::nullopt) const
    {
        const models::LatentDistribution dist = ckpt->vae->encode(pixels.to(device).to(ckpt->dtype), padding());
        const torch::Tensor latent = generator ? dist.sample(generator) : dist.mean;
        return latent.to(torch::kFloat32) * scale();
    }

    torch::Tensor decode(const torch::Tensor& latent) const
    {
        return ckpt->vae->decode((latent / scale()).to(device).to(ckpt->dtype), padding())
            .to(torch::kCPU)
            .to(torch::kFloat32);
    }
};

/// One batch: its seeds, noise source and denoiser setup.
struct Batch {
    int firstIndex = 0;
    std::vector<int64_t> seeds, subseeds;
    std::optional<core::ImageRNG> rng;
    pipeline::CfgDenoiserSetup setup;

    pipeline::NoiseFn noiseFn()
    {
        return [this](const torch::Tensor& like) { return rng->next().to(like.device()).to(like.dtype()); };
    }
};

core::RngSource rngSource(const GenerationRequest& r)
{
    return r.rng == RngSource::Cpu ? core::RngSource::Cpu : core::RngSource::Gpu;
}

pipeline::StepFn stepReporter(Job& job, const Batch& batch, Stage stage)
{
    return [&job, &batch, stage](int k, int n, const torch::Tensor&, const torch::Tensor& denoised) {
        job.control.stepDone(k); // ControlNet windows follow A1111's sampling_step
        checkStop(job.stop);
        job.tracker->step(stage, batch.firstIndex, k, n, denoised);
    };
}

Batch startBatch(Job& job, int batchNumber)
{
    const GenerationRequest& r = job.r;
    Batch b;
    b.firstIndex = batchNumber * r.batchSize;
    for (int i = 0; i < r.batchSize; ++i) {
        b.seeds.push_back(job.seed + b.firstIndex + i);
        b.subseeds.push_back(job.subseed + b.firstIndex + i);
    }
    b.rng.emplace(std::vector<int64_t>{4, r.height / 8, r.width / 8}, b.seeds, b.subseeds, r.subseedStrength,
                  rngSource(r), r.ensd, r.seedResizeFromW, r.seedResizeFromH);
    pipeline::CfgDenoiserSetup& s = b.setup;
    s.unet = job.ckpt->unet.get();
    s.schedule = &job.schedule;
    s.vPrediction = job.ckpt->prediction() == io::Prediction::VPrediction;
    s.cond = &job.text.cond;
    s.uncond = &job.text.uncond;
    s.cfgScale = r.cfgScale;
    s.timeIds = timeIdsFor(r.width, r.height);
    s.stop = job.stop;
    s.lcm = pipeline::usesLcmDenoiser(job.v.choice) ? &*job.lcmGrid : nullptr;
    s.padding = job.padding(); // the hires pass copies this setup, so it wraps too
    s.control = job.control.attach({pipeline::condParts(s), r.batchSize, r.width, r.height, job.firstPassSteps, false});
    return b;
}

pipeline::SamplingPass passFor(Job& job, Batch& batch, const pipeline::SamplerChoice& choice, int steps)
{
    pipeline::SamplingPass pass;
    pass.choice = &choice;
    pass.schedule = &job.schedule;
    pass.setup = batch.setup;
    pass.steps = steps;
    pass.sdxl = job.sdxl();
    pass.eta = job.r.eta;
    pass.noiseFn = batch.noiseFn();
    return pass;
}

/// Latent init + first pass for txt2img (inpainting models get A1111's txt2img image conditioning).
torch::Tensor firstPassTxt2img(Job& job, Batch& batch)
{
    const GenerationRequest& r = job.r;
    const int64_t b = r.batchSize, h = r.height / 8, w = r.width / 8;
    const torch::Tensor noise = batch.rng->next();
    if (job.inpaintModel) {
        // A1111 txt2img_image_conditioning for inpainting models: mask of ones + a gray image.
        const torch::Tensor gray = torch::zeros({b, 3, r.height, r.width});
        batch.setup.imageConditioning = torch::cat({torch::ones({b, 1, h, w}), job.encode(gray)}, 1).to(torch::kFloat32);
    }
    pipeline::SamplingPass pass = passFor(job, batch, job.v.choice, r.steps);
    pass.noise = noise;
    pass.onStep = stepReporter(job, batch, Stage::Sampling);
    job.tracker->stage(Stage::Sampling, batch.firstIndex);
    return pipeline::runSamplingPass(pass);
}

/// Latent init + first pass for img2img and inpaint (A1111 StableDiffusionProcessingImg2Img).
torch::Tensor firstPassImg2img(Job& job, Batch& batch)
{
    const GenerationRequest& r = job.r;
    const int64_t b = r.batchSize, h = r.height / 8, w = r.width / 8;
    const pipeline::PreparedInputs& in = *job.inputs;
    const torch::Tensor pixels = pipeline::imageToTensor(in.processImage).expand({b, 3, r.height, r.width});
    torch::Tensor initLatent = job.encode(pixels, at::detail::createCPUGenerator(static_cast<uint64_t>(batch.seeds[0])));
    const torch::Tensor noise = batch.rng->next();
    pipeline::CfgDenoiserSetup& s = batch.setup;
    if (in.latentMask.defined()) {
        // keep = 1 outside the (rounded) latent mask (A1111 self.mask / self.nmask).
        const torch::Tensor keep = 1.0 - in.latentMask;
        if (r.inpaint->maskedContent == MaskedContent::LatentNoise)
            initLatent = initLatent * keep + noise * (1.0 - keep);
        else if (r.inpaint->maskedContent == MaskedContent::LatentNothing)
            initLatent = initLatent * keep;
        s.initLatent = initLatent;
        s.keepMask = keep;
        if (job.inpaintModel) {
            // A1111 inpainting_image_conditioning: [mask, VAE(image · (1 − mask))], mask rounded.
            const torch::Tensor pixelMask = torch::round(in.pixelMask).expand({b, 1, r.height, r.width});
            const torch::Tensor masked = pixels * (1.0 - pixelMask);
            const torch::Tensor smallMask = torch::nn::functional::interpolate(
                pixelMask,
                torch::nn::functional::InterpolateFuncOptions().size(std::vector<int64_t>{h, w}).mode(torch::kNearest));
            s.imageConditioning = torch::cat({smallMask, job.encode(masked)}, 1);
        }
    } else if (job.inpaintModel) {
        s.imageConditioning = torch::cat({torch::ones({b, 1, h, w}), initLatent}, 1);
    }
    pipeline::SamplingPass pass = passFor(job, batch, job.v.choice, r.steps);
    pass.strength = job.v.strength;
    pass.start = initLatent;
    pass.noise = noise;
    pass.onStep = stepReporter(job, batch, Stage::Sampling);
    job.tracker->stage(Stage::Sampling, batch.firstIndex);
    return pipeline::runSamplingPass(pass);
}

/// The latent at the hires size: bilinear on the latent ("Latent"), or decode → Lanczos → encode.
torch::Tensor upscaleForHires(const Job& job, const torch::Tensor& latent, int outW, int outH)
{
    const int64_t h2 = outH / 8, w2 = outW / 8;
    if (job.r.hires.upscaler.rfind("Latent", 0) == 0) {
        // A1111 "Latent": bilinear, no antialias, on the latent.
        return torch::nn::functional::interpolate(latent, torch::nn::functional::InterpolateFuncOptions()
                                                              .size(std::vector<int64_t>{h2, w2})
                                                              .mode(torch::kBilinear)
                                                              .align_corners(false));
    }
    std::vector<torch::Tensor> encoded;
    const torch::Tensor decoded = job.decode(latent);
    for (int64_t i = 0; i < decoded.size(0); ++i) {
        const api::Image big = image::resize(pipeline::tensorToImage(decoded[i]), outW, outH);
        encoded.push_back(job.encode(pipeline::imageToTensor(big)));
    }
    return torch::cat(encoded);
}

/// Hires fix: the same sampling pass at the upscaled size with its own noise, prompts re-encoded
/// for the hires steps (prompt-editing schedules count them), strength = hires denoising.
torch::Tensor hiresPass(Job& job, Batch& batch, const torch::Tensor& latent, int outW, int outH)
{
    const GenerationRequest& r = job.r;
    const int64_t b = r.batchSize, h2 = outH / 8, w2 = outW / 8;
    const torch::Tensor upscaled = upscaleForHires(job, latent, outW, outH);
    Batch hires;
    hires.firstIndex = batch.firstIndex;
    hires.rng.emplace(std::vector<int64_t>{4, h2, w2}, batch.seeds, batch.subseeds, r.subseedStrength, rngSource(r),
                      r.ensd, r.seedResizeFromW, r.seedResizeFromH);
    const pipeline::SamplerChoice choice =
        r.hires.sampler.empty() && r.hires.scheduler.empty()
            ? job.v.choice
            : pipeline::resolveSampler(r.hires.sampler.empty() ? r.sampler : r.hires.sampler,
                                       r.hires.scheduler.empty() ? r.scheduler : r.hires.scheduler);
    pipeline::PromptEncodeOptions options = job.text.options;
    options.hiresSteps = job.v.hiresSteps;
    options.allowMulticond = true;
    const auto cond = pipeline::encodePrompt(*job.ckpt->conditioner, r.prompt, options);
    options.allowMulticond = false;
    const auto uncond = pipeline::encodePrompt(*job.ckpt->conditioner, r.negativePrompt, options);
    hires.setup = batch.setup;
    pipeline::CfgDenoiserSetup& s = hires.setup;
    s.cond = &cond;
    s.uncond = &uncond;
    s.timeIds = timeIdsFor(outW, outH);
    s.initLatent = torch::Tensor();
    s.keepMask = torch::Tensor();
    if (job.inpaintModel)
        s.imageConditioning = torch::cat({torch::ones({b, 1, h2, w2}), upscaled}, 1);
    s.lcm = pipeline::usesLcmDenoiser(choice) ? &*job.lcmGrid : nullptr;
    s.control = job.control.attach({pipeline::condParts(s), r.batchSize, outW, outH, job.secondPassSteps, true});
    pipeline::SamplingPass pass = passFor(job, hires, choice, job.v.hiresSteps);
    pass.strength = r.hires.denoisingStrength;
    pass.start = upscaled;
    pass.noise = hires.rng->next();
    pass.onStep = stepReporter(job, hires, Stage::Hires);
    job.tracker->stage(Stage::Hires, batch.firstIndex);
    return pipeline::runSamplingPass(pass);
}

/// Decode and finish: pixels, the inpaint composite, and each image's infotext.
std::vector<GeneratedImage> finishBatch(Job& job, const Batch& batch, const torch::Tensor& latent)
{
    const GenerationRequest& r = job.r;
    job.tracker->stage(Stage::Decoding, batch.firstIndex);
    const torch::Tensor decoded = job.decode(latent);
    std::vector<GeneratedImage> images;
    for (int64_t i = 0; i < decoded.size(0); ++i) {
        GeneratedImage out;
        out.image = pipeline::tensorToImage(decoded[i]);
        if (job.inputs)
            out.image = pipeline::finishInpaint(*job.inputs, out.image);
        out.seed = batch.seeds[i];
        out.subseed = batch.subseeds[i];
        pipeline::ImageFacts facts;
        facts.seed = out.seed;
        facts.subseed = out.subseed;
        facts.resolvedScheduler = job.v.choice.scheduleLabel;
        facts.modelName = job.ckpt->name;
        facts.modelHash = pipeline::modelHash(job.ckpt->path);
        facts.loraHashes = job.loraHashes;
        facts.tiHashes = job.text.tiHashes;
        if (!r.vae.empty()) {
            facts.vaeName = std::filesystem::path(r.vae).stem().string();
            facts.vaeHash = pipeline::modelHash(r.vae);
        }
        facts.controlNetUnits = job.control.infotextUnits();
        GenerationRequest recorded = r;
        recorded.seed = out.seed;
        out.infotext = pipeline::formatInfotext(pipeline::infotextFromRequest(recorded, facts));
        images.push_back(std::move(out));
    }
    return images;
}

} // namespace

Engine::Engine(EngineOptions options)
    : m_impl(std::make_unique<Impl>())
{
    m_impl->options = options;
    m_impl->models.nameLookup = options.nameLookup;
}

Engine::~Engine() = default;

void Engine::unloadModels() { m_impl->models.unload(); }

void Engine::setNameLookup(ModelNameLookup lookup)
{
    m_impl->options.nameLookup = lookup;
    m_impl->models.nameLookup = std::move(lookup);
}

const std::vector<std::string>& Engine::warnings() const { return m_impl->warnings; }

GenerationResult Engine::generate(const GenerationRequest& request, const ProgressCallback& progress,
                                  const StopToken* stop)
{
    GenerateOptions options;
    options.progress = progress;
    options.stop = stop;
    return generate(request, options);
}

GenerationResult Engine::generate(const GenerationRequest& request, const GenerateOptions& options)
{
    const auto started = std::chrono::steady_clock::now();
    Impl& impl = *m_impl;
    impl.warnings.clear();
    const StopToken* stop = options.stop;

    // --- validated request; inputs read before any model work so a missing file fails fast --------
    Job job(pipeline::validateRequest(request, impl.warnings), resolveDevice(request));
    const GenerationRequest& r = job.r;
    if (job.v.img2img)
        job.inputs = pipeline::prepareInputs(r, impl.warnings);
    checkStop(stop);
    job.seed = r.seed < 0 ? impl.randomSeed() : r.seed;
    job.subseed = r.subseed < 0 ? impl.randomSeed() : r.subseed;
    job.stop = stop;
    c10::InferenceMode inference;

    const int previewEvery = options.previewEverySteps >= 0 ? options.previewEverySteps : impl.options.previewEverySteps;
    pipeline::ProgressTracker tracker(&options.progress, r.batchCount * r.batchSize, previewEvery);
    job.tracker = &tracker;

    // --- models ------------------------------------------------------------------------------------
    tracker.stage(Stage::Loading, 0);
    job.ckpt = impl.models.checkpointFor(r, job.device);
    tracker.setFamily(job.ckpt->family());
    checkStop(stop);
    const int unetIn = job.ckpt->detected.unet.inChannels;
    job.inpaintModel = unetIn == 9;
    if (unetIn == 8)
        throw Error(ErrorCode::UnsupportedFormat, "instruct-pix2pix checkpoints are not supported yet", r.model);
    // LoRA before text encoding: text-encoder multipliers change the conditioning.
    job.loraHashes = impl.models.applyLoRAs(r, text::parseExtraNetworks(r.prompt), impl.warnings);
    checkStop(stop);

    // --- conditioning --------------------------------------------------------------------------------
    tracker.stage(Stage::Text, 0);
    text::EmbeddingLibrary embeddings;
    job.text = encodeText(impl.models, *job.ckpt, r, embeddings, impl.warnings);
    checkStop(stop);

    // ControlNet units: models checked against the checkpoint, pictures preprocessed once.
    const controlnet::PrepareOptions controlOptions{r.width, r.height, static_cast<std::uint64_t>(job.seed)};
    job.control = controlnet::ControlSession(controlnet::prepareUnits(r.controlNets, job.ckpt->path, job.ckpt->detected,
                                                                      job.device, job.ckpt->dtype,
                                                                      impl.models.controlNets(), controlOptions));
    checkStop(stop);

    job.firstPassSteps = pipeline::stepsRun(r.steps, job.v.img2img ? job.v.strength : -1);
    job.secondPassSteps = job.v.hiresSteps > 0 ? pipeline::stepsRun(job.v.hiresSteps, r.hires.denoisingStrength) : 0;
    tracker.setTotalSteps(r.batchCount * (job.firstPassSteps + job.secondPassSteps));

    // --- per batch: latent init per mode -> sampling pass (-> hires pass) -> decode --------------------
    GenerationResult result;
    result.firstSeed = job.seed;
    for (int batchNumber = 0; batchNumber < r.batchCount; ++batchNumber) {
        checkStop(stop);
        Batch batch = startBatch(job, batchNumber);
        torch::Tensor latent = job.v.img2img ? firstPassImg2img(job, batch) : firstPassTxt2img(job, batch);
        if (job.v.hiresSteps > 0) {
            checkStop(stop);
            const int outW = r.hires.resizeX > 0 ? pipeline::roundTo8(r.hires.resizeX)
                                                 : pipeline::roundTo8(static_cast<int>(r.width * r.hires.scale));
            const int outH = r.hires.resizeY > 0 ? pipeline::roundTo8(r.hires.resizeY)
                                                 : pipeline::roundTo8(static_cast<int>(r.height * r.hires.scale));
            latent = hiresPass(job, batch, latent, outW, outH);
        }
        checkStop(stop);
        for (GeneratedImage& image : finishBatch(job, batch, latent)) {
            if (options.imageReady)
                options.imageReady(image, static_cast<int>(result.images.size()));
            result.images.push_back(std::move(image));
        }
    }
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    for (const auto& w : impl.warnings)
        logWarning(w);
    return result;
}

} // namespace easel::api
