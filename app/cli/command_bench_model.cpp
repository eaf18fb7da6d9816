// `easel-cli bench unet|vae|text|generate -m MODEL [-W 512 -H 512] [--repeats N] [--steps N]
//  [--device cpu|cuda] [--dtype fp32|fp16|bf16] [--no-cfg-batch] [--fast-path LIST] [--compare]
//  [--low-memory] [--profile] [--json]`

#include <iomanip>
#include <iostream>

#include "app/cli/args.h"
#include "app/cli/commands.h"
#include "app/cli/runtime_setup.h"
#include "engine/bench/model_benchmark.h"

namespace easel::cli {

namespace {

int runModelBench(const std::string& which, const std::vector<std::string>& argv)
{
    std::vector<OptionSpec> specs = commonOptionSpecs();
    const std::vector<OptionSpec> own = {
        {"model", "m", true, false, "checkpoint (e.g. from `easel-cli make-random-model --family sd15`)"},
        {"width", "W", true, false, "image width (default 512)"},
        {"height", "H", true, false, "image height (default 512)"},
        {"repeats", "", true, false, "timed runs per stage, median reported (default 3)"},
        {"steps", "", true, false, "sampling steps for `generate` (default 4)"},
        {"dtype", "", true, false, "fp32 | fp16 | bf16 (default fp16 on CUDA, fp32 on CPU)"},
        {"no-cfg-batch", "", false, false, "UNet on batch 1 instead of cond+uncond"},
        {"fast-path", "", true, false,
         "unet/vae switches: default, all, none, or a list of channels_last,fused_attention,onednn_linear"},
        {"compare", "", false, false, "unet/vae: time every switch off first, then --fast-path, in one run"},
        {"low-memory", "", false, false, "unet/vae/generate: fp16 weights, fp32 compute layer by layer"},
        {"profile", "", false, false, "unet/vae: time per layer kind"},
        {"json", "", false, false, "print JSON"},
    };
    specs.insert(specs.end(), own.begin(), own.end());
    const Args args(specs, argv);
    applyCommonOptions(args);
    api::BenchmarkOptions o;
    o.model = args.value("model", "");
    o.width = args.intValue("width", 512);
    o.height = args.intValue("height", 512);
    o.repeats = args.intValue("repeats", 3);
    o.steps = args.intValue("steps", 4);
    o.dtype = args.value("dtype", "");
    if (auto d = args.value("device"); d && *d != "auto")
        o.device = *d;
    o.cfgBatch = !args.has("no-cfg-batch");
    o.fastPath = args.value("fast-path", "default");
    o.compare = args.has("compare");
    o.lowMemory = args.has("low-memory");
    o.profile = args.has("profile");
    const api::BenchmarkResult r = api::runBenchmark(which, o);
    if (args.has("json")) {
        std::cout << api::benchmarkJson(r, o) << "\n";
        return 0;
    }
    std::cout << std::fixed << std::setprecision(3) << "bench " << which << ": " << r.family << " " << o.width << "x"
              << o.height << " on " << r.device << " " << r.dtype << ", " << r.threads << " threads\n"
              << "  GEMM 2048²: " << r.gemmGflops << " GFLOP/s\n";
    for (const api::BenchmarkVariant& b : r.baselines) {
        std::cout << "  baseline (" << b.fastPath << "): GEMM " << b.gemmGflops << " GFLOP/s, ";
        if (which == "unet")
            std::cout << "step " << b.stepSeconds << " s (" << 100 * b.gemmRatio << "% of GEMM)\n";
        else
            std::cout << "decode " << b.vaeDecodeSeconds << " s\n";
    }
    if (!r.fastPath.empty())
        std::cout << "  fast path: " << r.fastPath << "\n";
    if (r.stepSeconds > 0)
        std::cout << "  UNet step: " << r.stepSeconds << " s (" << r.unetGflops << " GFLOP/s, " << 100 * r.gemmRatio
                  << "% of GEMM)\n";
    if (r.vaeDecodeSeconds > 0)
        std::cout << "  VAE decode: " << r.vaeDecodeSeconds << " s\n";
    if (r.textSeconds > 0)
        std::cout << "  text: " << r.textSeconds << " s\n";
    if (r.totalSeconds > 0)
        std::cout << "  total: " << r.totalSeconds << " s\n";
    std::cout << "  peak RSS: " << r.peakRssMb << " MB\n";
    return 0;
}

int benchUnet(const std::vector<std::string>& a) { return runModelBench("unet", a); }
int benchVae(const std::vector<std::string>& a) { return runModelBench("vae", a); }
int benchText(const std::vector<std::string>& a) { return runModelBench("text", a); }
int benchGenerate(const std::vector<std::string>& a) { return runModelBench("generate", a); }

const CommandRegistrar unetRegistrar{"bench unet", "UNet step time and GFLOP/s vs a same-run GEMM", &benchUnet};
const CommandRegistrar vaeRegistrar{"bench vae", "VAE decode/encode time", &benchVae};
const CommandRegistrar textRegistrar{"bench text", "text conditioning time", &benchText};
const CommandRegistrar generateRegistrar{"bench generate", "whole txt2img: text, per step, decode, total, peak RSS",
                                         &benchGenerate};

} // namespace

} // namespace easel::cli
