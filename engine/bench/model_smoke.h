#pragma once
/// Loads a checkpoint's UNet and VAE and runs one UNet step and one VAE decode on random inputs,
/// timing them and reading the process's peak memory: a manual check that full-size files (e.g.
/// from writeRandomModel) load and run. Too slow for ctest. Plain C++ header; engine thread.

#include <cstdint>
#include <string>

namespace easel::models {

struct SmokeOptions {
    int64_t latentSize = 64; ///< 64 → 512² images for SD1/SD2 (128 for SDXL's 1024²)
    int64_t batch = 2;       ///< UNet batch (2 = cond + uncond)
    bool fp16 = false;       ///< weights and activations in fp16 (CUDA); fp32 otherwise
    std::string device = "cpu";
};

struct SmokeReport {
    std::string family;
    int64_t unetParameters = 0, vaeParameters = 0;
    double loadSeconds = 0, unetSeconds = 0, vaeSeconds = 0;
    double unetOutputStd = 0, imageStd = 0; ///< sanity: finite, non-zero outputs
    int64_t peakRssKiB = 0;                 ///< /proc/self/status VmHWM after the runs
    int64_t rssAfterLoadKiB = 0;            ///< VmHWM after loading
};

/// Throws api::Error for unreadable/unsupported files.
SmokeReport runModelSmoke(const std::string& path, const SmokeOptions& options = {});

/// A field of /proc/self/status in KiB ("VmHWM", "VmRSS"); 0 when unavailable.
int64_t procStatusKiB(const std::string& field);

} // namespace easel::models
