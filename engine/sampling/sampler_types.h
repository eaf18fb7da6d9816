#pragma once
/// What every sampler works with: a denoiser x -> x0, a noise source and a per-step callback.
/// Samplers never see a UNet (DESIGN.md). Engine-internal; call from the engine thread.

#include <functional>
#include <limits>

#include <torch/torch.h>

namespace easel::sampling {

/// Denoised estimate x0 of `x` at noise level `sigma` ([B] float32, one per batch item).
using Denoiser = std::function<torch::Tensor(const torch::Tensor& x, const torch::Tensor& sigma)>;

/// A standard-normal tensor shaped like `like` (ImageRNG::next() in a generation: one generator per
/// image, so the batch size never changes an image).
using NoiseSource = std::function<torch::Tensor(const torch::Tensor& like)>;

/// What k-diffusion passes to its callback after the first model call of a step.
struct StepInfo {
    int step = 0;          ///< 0-based
    int steps = 0;         ///< total
    torch::Tensor x;       ///< x at the start of the step (as passed to the model)
    torch::Tensor denoised;
    double sigma = 0;
    double sigmaHat = 0;
};

/// Return false to stop: the sampler then throws api::Error(Cancelled).
using StepCallback = std::function<bool(const StepInfo&)>;

enum class SdeSolver { Midpoint, Heun };

/// UniPC's B(h) choice (A1111 setting "UniPC variant"; "vary_coeff" is not offered).
enum class UniPcVariant { Bh1, Bh2 };

/// k-diffusion keyword arguments with A1111's defaults.
struct SamplerParams {
    double eta = 1.0;      ///< ancestral / SDE noise amount (A1111 "Eta for ancestral samplers")
    double sNoise = 1.0;
    double sChurn = 0.0;
    double sTmin = 0.0;
    double sTmax = std::numeric_limits<double>::infinity();
    double r = 0.5;        ///< DPM++ SDE midpoint ratio
    int lmsOrder = 4;
    SdeSolver solver = SdeSolver::Midpoint;
    double ddimEta = 0.0;  ///< DDIM eta (A1111 "Eta for DDIM")
    int uniPcOrder = 3;    ///< A1111 "UniPC order" (clamped to the step count)
    UniPcVariant uniPcVariant = UniPcVariant::Bh1; ///< A1111 "UniPC variant" (default bh1)
    bool uniPcLowerOrderFinal = true;              ///< A1111 "UniPC lower order final"
};

struct SamplerContext {
    Denoiser denoise;
    NoiseSource noise;     ///< empty: unseeded torch::randn_like
    StepCallback callback; ///< may be empty
    SamplerParams params;
};

/// A k-diffusion style sampler: walks `sigmas` (descending, usually ending in 0) from x.
using SamplerFunction = std::function<torch::Tensor(const SamplerContext&, torch::Tensor x, const torch::Tensor& sigmas)>;

} // namespace easel::sampling
