#pragma once
/// Model benchmarks behind `easel-cli bench unet|vae|text|generate` (issue 9). Times are medians of
/// `repeats` runs after one warm-up; throughput is compared with a GEMM measured in the same run,
/// because these machines are shared and noisy. Call from one thread (it owns the models it loads).

#include <string>
#include <vector>

namespace easel::api {

struct BenchmarkOptions {
    std::string model;        ///< checkpoint (e.g. from `easel-cli make-random-model`)
    int width = 512;
    int height = 512;
    int repeats = 3;          ///< timed runs per stage (median reported)
    int steps = 4;            ///< sampling steps for `generate`
    std::string device;       ///< empty = runtime default
    std::string dtype;        ///< "fp32", "fp16", "bf16"; empty = fp16 on CUDA, fp32 on CPU
    bool cfgBatch = true;     ///< UNet on batch 2 (cond + uncond), as one CFG step
    /// Model fast-path switches (models/fast_path.h): "default", "all", "none", or a comma list of
    /// channels_last, fused_attention, onednn_linear.
    std::string fastPath = "default";
    /// unet/vae: time the stage with every switch off first, then with `fastPath`, in one process.
    bool compare = false;
    /// unet/vae: weights stored in `dtype` (default fp16) but computed in fp32, each layer
    /// upcasting its own weights (models UNet/VAE::setComputeDtype).
    bool lowMemory = false;
    /// unet on CUDA: also time the step replayed from a CUDA graph (models/unet_cuda_graph.h).
    bool cudaGraphs = false;
    /// Per-layer-kind time totals of the timed runs (conv3x3, group_norm, attention, …).
    bool profile = false;
};

/// Per-layer-kind wall time summed over the timed runs and divided by their number.
struct BenchmarkProfileEntry {
    std::string kind;
    double seconds = 0;
    double cpuSeconds = 0;    ///< process CPU time (all threads) spent inside these layers
    long calls = 0;
};

/// One timed configuration of a stage (the baseline of --compare, or the main run).
struct BenchmarkVariant {
    std::string fastPath;     ///< switches in force ("none", "channels_last,fused_attention,…")
    double gemmGflops = 0;    ///< GEMM measured just before this variant
    double stepSeconds = 0;
    double unetGflops = 0;
    double gemmRatio = 0;
    double vaeDecodeSeconds = 0;
    double vaeEncodeSeconds = 0;
    double peakRssMb = 0;     ///< VmHWM reset before the variant (where the kernel allows)
    double cpuSeconds = 0;    ///< median process CPU time (all threads) of one timed run
    double cpuGemmRatio = 0;  ///< unet: GFLOP per CPU-second of the step / the same for the GEMM
    std::vector<double> samples;
    std::vector<BenchmarkProfileEntry> profile;
};

struct BenchmarkResult {
    std::string benchmark;    ///< "unet", "vae", "text", "generate"
    std::string device;
    std::string dtype;
    std::string family;
    int threads = 0;
    double gemmGflops = 0;    ///< 2048² fp32 matmul in this run
    double stepSeconds = 0;   ///< UNet step (batch 2 with CFG)
    double unetGflops = 0;    ///< analytic UNet FLOPs / step time
    double gemmRatio = 0;     ///< unetGflops / gemmGflops
    double unetTflopPerStep = 0;
    double vaeDecodeSeconds = 0;
    double vaeEncodeSeconds = 0;
    double textSeconds = 0;
    double loadSeconds = 0;
    double totalSeconds = 0;  ///< generate: whole txt2img
    double peakRssMb = 0;     ///< VmHWM of the process (loading included)
    double runPeakRssMb = 0;  ///< VmHWM of the main timed run alone (reset before it)
    std::vector<double> samples; ///< raw timings of the main stage
    std::string fastPath;     ///< switches of the main run
    double cpuSeconds = 0;    ///< unet/vae: median process CPU time of one timed run (load-independent-ish)
    double cpuGemmRatio = 0;  ///< unet: gemmRatio computed from CPU time instead of wall time
    double graphStepSeconds = 0; ///< unet --cuda-graphs: step replayed from a captured CUDA graph
    std::vector<BenchmarkProfileEntry> profile; ///< main run, when BenchmarkOptions::profile
    std::vector<BenchmarkVariant> baselines; ///< --compare: the all-off run (timed before the main one)
};

/// Runs one benchmark. Throws api::Error for unusable models or options.
BenchmarkResult runBenchmark(const std::string& which, const BenchmarkOptions& options);

/// JSON with the field names (step_s, gemm_gflops, unet_gflops, gemm_ratio, vae_decode_s, peak_rss_mb, …).
std::string benchmarkJson(const BenchmarkResult& result, const BenchmarkOptions& options);

} // namespace easel::api
