#pragma once
/// Full-size Stable Diffusion checkpoints with random weights, in the exact single-file LDM layout
/// (UNet `model.diffusion_model.*`, VAE `first_stage_model.*`, the family's text encoders, SD1/SD2
/// DDPM schedule buffers): what a real file looks like minus the training, for load tests and
/// benchmarks on machines without real weights. Plain C++ header (no torch); any thread.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace easel::models {

enum class RandomModelFamily { SD15, SD2, SDXL };

/// "sd15" | "sd1" | "sd2" | "sdxl"; nullopt otherwise.
std::optional<RandomModelFamily> parseRandomModelFamily(const std::string& text);

struct RandomModelOptions {
    RandomModelFamily family = RandomModelFamily::SD15;
    std::string path;
    bool fp16 = true;   ///< float tensors as F16 (like pruned downloads), else F32
    uint64_t seed = 0;
    /// Called after each tensor: (tensors written, total tensors).
    std::function<void(size_t, size_t)> progress;
};

struct RandomModelSummary {
    size_t tensors = 0;
    uint64_t parameters = 0; ///< scalar count over all tensors
    uint64_t bytes = 0;      ///< file size
};

/// Writes the file tensor by tensor (memory stays at the largest single tensor), atomically
/// (temporary beside it, then renamed). Weights: N(0, 1/fan_in) for ≥2-D tensors, norm scales
/// 1 + 0.02·N, biases 0.02·N. Throws api::Error (FileUnreadable when it cannot be written).
RandomModelSummary writeRandomModel(const RandomModelOptions& options);

} // namespace easel::models
