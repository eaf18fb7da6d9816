// Model benchmarks (issue 9). One GEMM is timed in the same process first; every stage reports its
// median over `repeats` runs after a warm-up run. unet/vae run under the requested fast-path
// switches; --compare first times the same stage with every switch off, in the same process, with
// its own GEMM, so "baseline vs optimised" is one command on one (noisy, shared) machine.

#include "engine/bench/model_benchmark.h"

#include <algorithm>
#include <chrono>
#include <fstream>

#include <sys/resource.h>

#include <ATen/Parallel.h>
#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include "engine/api/engine.h"
#include "engine/api/error.h"
#include "engine/api/runtime.h"
#include "engine/io/model_detect.h"
#include "engine/models/fast_path.h"
#include "engine/models/layers.h"
#include "engine/models/profile.h"
#include "engine/models/unet.h"
#include "engine/bench/unet_flops.h"
#include "engine/models/vae.h"
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

/// Process CPU time (all threads), user + system.
double cpuSeconds()
{
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return u.ru_utime.tv_sec + u.ru_stime.tv_sec + 1e-6 * (u.ru_utime.tv_usec + u.ru_stime.tv_usec);
}

/// Resets VmHWM to the current RSS (Linux ≥ 4.0), so a variant's peak is its own.
void resetPeakRss() { std::ofstream("/proc/self/clear_refs") << "5"; }

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
std::vector<double> timeRuns(int repeats, const torch::Device& device, F&& run, std::vector<double>* cpu = nullptr)
{
    run(); // warm-up: first touch of weights, allocator, oneDNN primitive creation
    synchronize(device);
    if (models::profilingEnabled())
        models::resetProfile(); // the profile covers the timed runs only
    std::vector<double> out;
    for (int i = 0; i < std::max(1, repeats); ++i) {
        const double c0 = cpuSeconds();
        const auto t0 = Clock::now();
        run();
        synchronize(device);
        out.push_back(seconds(t0));
        if (cpu)
            cpu->push_back(cpuSeconds() - c0);
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

/// Times `run` (a UNet step or a VAE decode) with `path` in force: conv weights re-laid out for it,
/// a GEMM measured just before, VmHWM reset, CPU time per run recorded.
template <typename F>
BenchmarkVariant measureVariant(const models::FastPath& path, pipeline::Checkpoint& ckpt, const torch::Device& device,
                                torch::ScalarType dtype, int repeats, F&& run)
{
    models::FastPathGuard guard(path);
    models::applyConvWeightLayout(*ckpt.unet, path.channelsLast);
    BenchmarkVariant v;
    v.fastPath = path.describe();
    v.gemmGflops = gemmGflops(device, dtype);
    resetPeakRss();
    std::vector<double> cpu;
    v.samples = timeRuns(repeats, device, run, &cpu);
    v.cpuSeconds = median(cpu);
    v.peakRssMb = peakRssMb();
    if (models::profilingEnabled())
        for (const models::ProfileEntry& e : models::profileTotals())
            v.profile.push_back({e.kind, e.seconds / v.samples.size(), e.cpuSeconds / v.samples.size(), e.calls});
    return v;
}

/// GFLOP/s and GEMM ratios of a UNet variant (wall and CPU time; the GEMM ran on all threads).
void rateUnet(BenchmarkVariant& v, double flops, int threads)
{
    v.stepSeconds = median(v.samples);
    v.unetGflops = flops / v.stepSeconds / 1e9;
    v.gemmRatio = v.unetGflops / v.gemmGflops;
    v.cpuGemmRatio = v.cpuSeconds > 0 ? (flops / v.cpuSeconds / 1e9) / (v.gemmGflops / std::max(1, threads)) : 0;
}

nlohmann::json variantJson(const BenchmarkVariant& v, const std::string& benchmark)
{
    nlohmann::json j = {{"fast_path", v.fastPath}, {"gemm_gflops", v.gemmGflops}, {"samples_s", v.samples},
                        {"cpu_s", v.cpuSeconds}, {"peak_rss_mb", v.peakRssMb}};
    if (benchmark == "unet") {
        j["step_s"] = v.stepSeconds;
        j["unet_gflops"] = v.unetGflops;
        j["gemm_ratio"] = v.gemmRatio;
        j["cpu_gemm_ratio"] = v.cpuGemmRatio;
    } else {
        j["vae_decode_s"] = v.vaeDecodeSeconds;
    }
    if (!v.profile.empty()) {
        nlohmann::json profile = nlohmann::json::array();
        for (const BenchmarkProfileEntry& e : v.profile)
            profile.push_back({{"kind", e.kind}, {"s", e.seconds}, {"cpu_s", e.cpuSeconds}, {"calls", e.calls}});
        j["profile"] = profile;
    }
    return j;
}

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
        req.lowMemory = o.lowMemory;
        std::vector<double> stepTimes;
        Clock::time_point last = Clock::now(), decodeStart{};
        std::string stage;
        ProgressCallback cb = [&](const Progress& p) {
            const auto now = Clock::now();
            const std::string current = stageName(p.stage);
            if (current != stage) {
                const double spent = std::chrono::duration<double>(now - last).count();
                if (stage == "loading")
                    r.loadSeconds = spent;
                if (stage == "text")
                    r.textSeconds = spent;
                if (p.stage == Stage::Decoding)
                    decodeStart = now;
                stage = current;
                last = now;
                return;
            }
            if (p.stage == Stage::Sampling && p.step > 0) {
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

    // Low-memory mode: weights stored in fp16 (or the asked half type), computed in fp32.
    const bool lowMemory = o.lowMemory && which != "text";
    const torch::ScalarType storage = lowMemory && dtype == torch::kFloat32 ? torch::kFloat16 : dtype;
    const torch::ScalarType compute = lowMemory ? torch::kFloat32 : dtype;
    const models::FastPath chosen = [&] {
        try {
            return models::FastPath::parse(o.fastPath);
        } catch (const std::invalid_argument& e) {
            throw Error(ErrorCode::InvalidRequest, e.what());
        }
    }();
    pipeline::CheckpointLoadOptions load;
    load.device = device;
    load.dtype = storage;
    const auto t0 = Clock::now();
    std::shared_ptr<pipeline::Checkpoint> ckpt;
    {
        models::FastPathGuard loadLayout(chosen);
        ckpt = pipeline::loadCheckpoint(o.model, load);
    }
    r.loadSeconds = seconds(t0);
    r.family = io::modelFamilyName(ckpt->family());
    if (lowMemory) {
        ckpt->unet->setComputeDtype(compute);
        ckpt->vae->setComputeDtype(compute);
        r.dtype = std::string(dtypeName(storage)) + " weights, fp32 compute (low memory)";
    }
    models::setProfiling(o.profile);
    const int64_t h = o.height / 8, w = o.width / 8;
    const auto fopts = torch::TensorOptions().device(device).dtype(compute);

    if (which == "unet") {
        const int64_t batch = o.cfgBatch ? 2 : 1;
        const io::UNetConfig& cfg = ckpt->detected.unet;
        const torch::Tensor x = torch::randn({batch, cfg.inChannels, h, w}, fopts);
        const torch::Tensor t = torch::full({batch}, 500.0, torch::TensorOptions().device(device));
        const torch::Tensor ctx = torch::randn({batch, 77, cfg.contextDim}, fopts);
        std::optional<torch::Tensor> y;
        if (cfg.admInChannels > 0)
            y = torch::randn({batch, cfg.admInChannels}, fopts);
        const double flops = models::unetWork(cfg, h, w).flops() * double(batch);
        auto step = [&] { (void)ckpt->unet->forward(x, t, ctx, y); };
        if (o.compare) {
            r.baselines.push_back(measureVariant(models::FastPath::none(), *ckpt, device, dtype, o.repeats, step));
            rateUnet(r.baselines.back(), flops, r.threads);
        }
        BenchmarkVariant main = measureVariant(chosen, *ckpt, device, dtype, o.repeats, step);
        rateUnet(main, flops, r.threads);
        r.gemmGflops = main.gemmGflops;
        r.samples = main.samples;
        r.stepSeconds = main.stepSeconds;
        r.unetTflopPerStep = flops / 1e12;
        r.unetGflops = main.unetGflops;
        r.gemmRatio = main.gemmRatio;
        r.cpuSeconds = main.cpuSeconds;
        r.cpuGemmRatio = main.cpuGemmRatio;
        r.runPeakRssMb = main.peakRssMb;
        r.profile = main.profile;
        r.fastPath = main.fastPath;
    } else if (which == "vae") {
        const torch::Tensor z = torch::randn({1, ckpt->vae->config().embedDim, h, w}, fopts);
        auto decode = [&] { (void)ckpt->vae->decode(z); };
        if (o.compare) {
            r.baselines.push_back(measureVariant(models::FastPath::none(), *ckpt, device, dtype, o.repeats, decode));
            r.baselines.back().vaeDecodeSeconds = median(r.baselines.back().samples);
        }
        BenchmarkVariant main = measureVariant(chosen, *ckpt, device, dtype, o.repeats, decode);
        r.gemmGflops = main.gemmGflops;
        r.samples = main.samples;
        r.vaeDecodeSeconds = median(main.samples);
        r.cpuSeconds = main.cpuSeconds;
        r.runPeakRssMb = main.peakRssMb;
        r.profile = main.profile;
        r.fastPath = main.fastPath;
        const torch::Tensor img = torch::rand({1, 3, o.height, o.width}, fopts) * 2 - 1;
        models::FastPathGuard guard(chosen);
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
    if (r.benchmark == "unet" || r.benchmark == "vae") {
        j["fast_path"] = r.fastPath;
        j["low_memory"] = o.lowMemory;
        j["cpu_s"] = r.cpuSeconds;
        j["run_peak_rss_mb"] = r.runPeakRssMb;
        if (r.benchmark == "unet")
            j["cpu_gemm_ratio"] = r.cpuGemmRatio;
        if (!r.baselines.empty()) {
            const BenchmarkVariant& base = r.baselines.front();
            j["baseline"] = variantJson(base, r.benchmark);
            const double baseTime = r.benchmark == "unet" ? base.stepSeconds : base.vaeDecodeSeconds;
            const double time = r.benchmark == "unet" ? r.stepSeconds : r.vaeDecodeSeconds;
            j["speedup"] = time > 0 ? baseTime / time : 0;
            j["cpu_speedup"] = r.cpuSeconds > 0 ? base.cpuSeconds / r.cpuSeconds : 0;
        }
        if (!r.profile.empty()) {
            BenchmarkVariant main;
            main.profile = r.profile;
            j["profile"] = variantJson(main, r.benchmark)["profile"];
        }
    }
    if (r.benchmark == "generate") {
        j["total_s"] = r.totalSeconds;
        j["low_memory"] = o.lowMemory;
        j["steps"] = o.steps;
        j["sampler"] = "Euler a";
        j["cfg_scale"] = 7;
    }
    return j.dump(2);
}

} // namespace easel::api
