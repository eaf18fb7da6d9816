#pragma once
/// Per-step cost of ControlNet units, behind `easel-cli bench generate|unet --control N`: one CFG
/// UNet step (batch 2) with 0, 1, …, N units of a random ControlNet built from the checkpoint's own
/// UNet config, timed in the same run so the overhead is comparable on shared, noisy machines.
/// The full-size SD1.5 figure: `easel-cli make-random-model --family sd15 -o sd15.safetensors`, then
/// `easel-cli bench generate -m sd15.safetensors --control 2`. Plain C++ header; call from one thread.

#include <string>
#include <vector>

namespace easel::controlnet {

struct ControlBenchmarkOptions {
    std::string model;        ///< checkpoint
    int width = 512, height = 512;
    int units = 2;            ///< measure 0..units units
    int repeats = 3;          ///< timed steps per unit count (median reported), after one warm-up
    std::string device;       ///< empty = runtime default
};

struct ControlBenchmarkRow {
    int units = 0;
    double stepSeconds = 0;   ///< median CFG step (UNet + ControlNets)
    double overheadSeconds = 0; ///< vs 0 units
    double overheadPercent = 0;
};

struct ControlBenchmarkResult {
    std::string family;
    std::string device;
    std::string dtype;
    double controlNetParameters = 0; ///< millions, one unit
    std::vector<ControlBenchmarkRow> rows;
};

/// Throws api::Error for unusable models or options.
ControlBenchmarkResult runControlNetBenchmark(const ControlBenchmarkOptions& options);

} // namespace easel::controlnet
