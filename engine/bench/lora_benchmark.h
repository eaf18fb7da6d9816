#pragma once
/// `easel-cli bench lora`: how long merging rank-r LoRAs into a full-size model takes, how long the
/// exact restore takes, switching from one set to another and back to a cached one, and what a UNet
/// step costs with 10 LoRAs merged vs none (same run, same weights shape, so it must be the same).
/// Weights are random, built in memory. Plain C++ header. Engine thread (it owns the models it builds).

#include <functional>
#include <string>
#include <vector>

namespace easel::adapters {

struct LoRABenchOptions {
    std::string family = "sd15";       ///< "sd15" or "sdxl"
    std::string device = "cpu";        ///< "cpu", "cuda", "cuda:N"
    bool fp16 = false;                 ///< model weights in fp16 (default fp32; CPU convs are slow in fp16)
    int rank = 32;
    std::vector<int> counts = {1, 5, 10};
    int latentSize = 64;               ///< UNet step input is [batch, 4, n, n] (64 = 512 px)
    int batch = 2;                     ///< cond + uncond
    int stepRepeats = 5;               ///< none/merged step pairs, alternating (median ratio reported)
    std::function<void(const std::string&)> log;
};

struct LoRABenchApply {
    int count = 0;
    double applySeconds = 0;           ///< set applied onto the clean model (the first includes taking backups)
    double restoreSeconds = 0;
    size_t tensors = 0;                ///< tensors written by the apply
};

struct LoRABenchResult {
    std::string family, device, dtype;
    long long unetParameters = 0;
    long long textParameters = 0;
    int loraModules = 0;               ///< layers per synthetic LoRA
    long long loraParameters = 0;      ///< parameters per synthetic LoRA
    double buildSeconds = 0;
    std::vector<LoRABenchApply> applies;
    double switchSeconds = 0;          ///< max-count set -> same set with one multiplier changed
    double switchSetSeconds = 0;       ///< max-count set -> another set of as many other LoRAs
    double switchCachedSetSeconds = 0; ///< ... and back to the first (recently used: cached)
    size_t cachedTensors = 0;          ///< tensors the switch back copied from the cache
    bool layoutKept = false;           ///< every merged parameter kept its storage, strides and dtype
    double stepNoneMedian = 0, stepNoneBest = 0;
    double stepMergedMedian = 0, stepMergedBest = 0;
    int stepMergedCount = 0;
    int stepPairs = 0;
    double stepNoneFaults = 0, stepMergedFaults = 0; ///< median minor page faults per step
    double stepRatio = 0;              ///< median over the pairs of merged / none
};

/// Throws api::Error (InvalidRequest for a bad family/device).
LoRABenchResult runLoRABenchmark(const LoRABenchOptions& options);

} // namespace easel::adapters
