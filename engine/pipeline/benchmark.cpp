// Model benchmarks (issue 9). One GEMM is timed in the same process first; every stage reports its
// median over `repeats` runs after a warm-up run. The fast-path switches, --compare and per-layer
// profiling of BenchmarkOptions are not implemented yet (work in progress on branch wip/session1).

#include "engine/api/benchmark.h"

#include <algorithm>
#include <chrono>
#include <fstream>

#include <ATen/Parallel.h>
#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include "engine/api/engine.h"
#include "engine/api/error.h"
#include "engine/api/runtime.h"
#include "engine/io/model_detect.h"
#include "engine/models/unet_flops.h"
#include "engine/pipeline/checkpoint.h"
#include "engine/pipeline/prompt_conditioning.h"

namespace easel::api {

namespace {

using Clock = std::chrono::steady_clock;

double seconds(Clock::time_point since) { return std::chrono::duration<double>(Clock::now() - since).count(); }

double median(std::vector<double> v)
{
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    return v.size() % 2 ? v[v.size() / 2] : 0.5 * (v[v.size() / 2 - 1] + v[v.size() / 2]);
}

double peakRssMb()
{
    std::ifstream status("/proc/self/status");
    std::string key;
    while (status >> key) {
        if (key == "VmHWM:") {
            double kb = 0;
            status >> kb;
            return kb / 1024.0;
        }
        status.ignore(4096, '\n');
    }
    return 0;
}

void synchronize(const torch::Device& device)
{
#if defined(EASEL_WITH_CUDA)
    if (device.is_cuda())
        torch::cuda::synchronize();
#else
    (void)device;
#endif
}

template <typename F>
std::vector<double> timeRuns(int repeats, const torch::Device& device, F&& run)
{
    run(); // warm-up: first touch of weights, allocator, oneDNN primitive creation
    synchronize(device);
    std::vector<double> out;
    for (int i = 0; i < std::max(1, repeats); ++i) {
        const auto t0 = Clock::now();
        run();
        synchronize(device);
        out.push_back(seconds(t0));
    }
    return out;
}

double gemmGflops(const torch::Device& device, torch::ScalarType dtype)
{
    const int64_t n = 2048;
    const auto opts = torch::TensorOptions().device(device).dtype(device.is_cuda() ? dtype : torch::kFloat32);
    const torch::Tensor a = torch::randn({n, n}, opts), b = torch::randn({n, n}, opts);
    torch::Tensor c;
    const auto times = timeRuns(3, device, [&] { c = torch::mm(a, b); });
    return 2.0 * n * n * n / *std::min_element(times.begin(), times.end()) / 1e9;
}

torch::ScalarType parseDtype(const std::string& text, const torch::Device& device)
{
    if (text.empty())
        return device.is_cuda() ? torch::kFloat16 : torch::kFloat32;
    if (text == "fp32")
        return torch::kFloat32;
    if (text == "fp16")
        return torch::kFloat16;
    if (text == "bf16")
        return torch::kBFloat16;
    throw Error(ErrorCode::InvalidRequest, "unknown dtype '" + text + "'; use fp32, fp16 or bf16");
}

const char* dtypeName(torch::ScalarType t) { return t == torch::kFloat16 ? "fp16" : t == torch::kBFloat16 ? "bf16" : "fp32"; }

} // namespace

BenchmarkResult runBenchmark(const std::string& which, const BenchmarkOptions& o)
{
    if (which != "unet" && which != "vae" && which != "text" && which != "generate")
        throw Error(ErrorCode::InvalidRequest, "unknown benchmark '" + which + "'; use unet, vae, text or generate");
    if (o.model.empty())
        throw Error(ErrorCode::InvalidRequest,
                    "no model: pass -m FILE (e.g. one written by `easel-cli make-random-model --family sd15`)");
    if (o.width % 8 || o.height % 8)
        throw Error(ErrorCode::InvalidRequest, "width and height must be multiples of 8");
    const torch::Device device(o.device.empty() ? activeDevice() : (o.device == "cuda" ? "cuda:0" : o.device));
    const torch::ScalarType dtype = parseDtype(o.dtype, device);
    c10::InferenceMode inference;

    BenchmarkResult r;
    r.benchmark = which;
    r.device = device.str();
    r.dtype = dtypeName(dtype);
    r.threads = at::get_num_threads();
    r.gemmGflops = gemmGflops(device, dtype);

    if (which == "generate") {
        Engine engine;
        GenerationRequest req;
        req.model = o.model;
        req.prompt = "a lighthouse on a cliff at dusk, dramatic clouds, highly detailed";
        req.negativePrompt = "blurry, lowres";
        req.sampler = "Euler a";
        req.steps = o.steps;
        req.cfgScale = 7;
        req.width = o.width;
        req.height = o.height;
        req.seed = 1;
        req.device = device.str();
        std::vector<double> stepTimes;
        Clock::time_point last = Clock::now(), decodeStart{};
        std::string stage;
        ProgressCallback cb = [&](const Progress& p) {
            const auto now = Clock::now();
            if (p.stage != stage) {
                const double spent = std::chrono::duration<double>(now - last).count();
                if (stage == "loading")
                    r.loadSeconds = spent;
                if (stage == "text")
                    r.textSeconds = spent;
                if (p.stage == "decoding")
                    decodeStart = now;
                stage = p.stage;
                last = now;
                return;
            }
            if (p.stage == "sampling" && p.step > 0) {
                stepTimes.push_back(std::chrono::duration<double>(now - last).count());
                last = now;
            }
        };
        const auto t0 = Clock::now();
        (void)engine.generate(req, cb);
        r.totalSeconds = seconds(t0);
        r.vaeDecodeSeconds = decodeStart == Clock::time_point{} ? 0 : seconds(decodeStart);
        r.samples = stepTimes;
        r.stepSeconds = median(stepTimes);
        const io::DetectedModel d = io::detectModelFile(o.model);
        r.family = io::modelFamilyName(d.family);
        const double flops = models::unetWork(d.unet, o.height / 8, o.width / 8).flops() * 2;
        r.unetTflopPerStep = flops / 1e12;
        r.unetGflops = r.stepSeconds > 0 ? flops / r.stepSeconds / 1e9 : 0;
        r.gemmRatio = r.unetGflops / r.gemmGflops;
        r.peakRssMb = peakRssMb();
        return r;
    }

    pipeline::CheckpointLoadOptions load;
    load.device = device;
    load.dtype = dtype;
    const auto t0 = Clock::now();
    const auto ckpt = pipeline::loadCheckpoint(o.model, load);
    r.loadSeconds = seconds(t0);
    r.family = io::modelFamilyName(ckpt->family());
    const int64_t h = o.height / 8, w = o.width / 8;
    const auto fopts = torch::TensorOptions().device(device).dtype(dtype);

    if (which == "unet") {
        const int64_t batch = o.cfgBatch ? 2 : 1;
        const io::UNetConfig& cfg = ckpt->detected.unet;
        const torch::Tensor x = torch::randn({batch, cfg.inChannels, h, w}, fopts);
        const torch::Tensor t = torch::full({batch}, 500.0, torch::TensorOptions().device(device));
        const torch::Tensor ctx = torch::randn({batch, 77, cfg.contextDim}, fopts);
        std::optional<torch::Tensor> y;
        if (cfg.admInChannels > 0)
            y = torch::randn({batch, cfg.admInChannels}, fopts);
        r.samples = timeRuns(o.repeats, device, [&] { (void)ckpt->unet->forward(x, t, ctx, y); });
        r.stepSeconds = median(r.samples);
        const double flops = models::unetWork(cfg, h, w).flops() * double(batch);
        r.unetTflopPerStep = flops / 1e12;
        r.unetGflops = flops / r.stepSeconds / 1e9;
        r.gemmRatio = r.unetGflops / r.gemmGflops;
    } else if (which == "vae") {
        const torch::Tensor z = torch::randn({1, ckpt->vae->config().embedDim, h, w}, fopts);
        r.samples = timeRuns(o.repeats, device, [&] { (void)ckpt->vae->decode(z); });
        r.vaeDecodeSeconds = median(r.samples);
        const torch::Tensor img = torch::rand({1, 3, o.height, o.width}, fopts) * 2 - 1;
        r.vaeEncodeSeconds = median(timeRuns(1, device, [&] { (void)ckpt->vae->encode(img); }));
    } else {
        pipeline::PromptEncodeOptions po;
        r.samples = timeRuns(o.repeats, device, [&] {
            (void)pipeline::encodePrompt(*ckpt->conditioner, "a lighthouse on a cliff at dusk, (dramatic clouds:1.2)", po);
        });
        r.textSeconds = median(r.samples);
    }
    r.peakRssMb = peakRssMb();
    return r;
}

std::string benchmarkJson(const BenchmarkResult& r, const BenchmarkOptions& o)
{
    nlohmann::json j = {
        {"benchmark", r.benchmark}, {"model", o.model}, {"family", r.family}, {"width", o.width},
        {"height", o.height}, {"device", r.device}, {"dtype", r.dtype}, {"threads", r.threads},
        {"repeats", o.repeats}, {"gemm_gflops", r.gemmGflops}, {"load_s", r.loadSeconds},
        {"peak_rss_mb", r.peakRssMb}, {"samples_s", r.samples},
    };
    if (r.benchmark == "unet" || r.benchmark == "generate") {
        j["step_s"] = r.stepSeconds;
        j["unet_gflops"] = r.unetGflops;
        j["gemm_ratio"] = r.gemmRatio;
        j["unet_tflop_per_step"] = r.unetTflopPerStep;
        j["cfg_batch"] = o.cfgBatch;
    }
    if (r.benchmark == "vae" || r.benchmark == "generate")
        j["vae_decode_s"] = r.vaeDecodeSeconds;
    if (r.benchmark == "vae")
        j["vae_encode_s"] = r.vaeEncodeSeconds;
    if (r.benchmark == "text" || r.benchmark == "generate")
        j["text_s"] = r.textSeconds;
    if (r.benchmark == "generate") {
        j["total_s"] = r.totalSeconds;
        j["steps"] = o.steps;
        j["sampler"] = "Euler a";
        j["cfg_scale"] = 7;
    }
    return j.dump(2);
}

} // namespace easel::api
