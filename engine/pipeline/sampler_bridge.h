#pragma once
// The pipeline's view of engine/sampling: resolve the user's sampler and schedule names (A1111
// labels or ComfyUI aliases), compute the sigmas, run the chosen sampler. Engine thread only.

#include <functional>
#include <string>

#include <torch/torch.h>

#include "engine/sampling/discrete_schedule.h"

namespace easel::pipeline {

class CfgDenoiser;

struct SamplerChoice {
    std::string samplerLabel;   ///< A1111 label, for infotext ("DPM++ 2M")
    std::string scheduleLabel;  ///< resolved schedule label ("Karras"); "Automatic" resolved
    std::string requestedSchedule; ///< what the user asked for ("Automatic" stays)
    int samplerIndex = -1;      ///< opaque handle into engine/sampling
    int scheduleIndex = -1;
};

/// Throws api::Error(InvalidRequest) listing the valid names when one is unknown.
SamplerChoice resolveSampler(const std::string& sampler, const std::string& schedule);

/// n + 1 sigmas (last 0) for `steps` steps of the chosen schedule.
torch::Tensor samplerSigmas(const SamplerChoice& choice, int steps, const sampling::DiscreteSchedule& schedule,
                            bool sdxl = false);

/// What txt2img multiplies its unit noise by to start at sigmas[0]: σ0 for the k-diffusion
/// samplers; √(1+σ0²) for the timestep samplers (DDIM, PLMS, UniPC), which A1111 starts from
/// unit-variance noise in the variance-preserving space (x_VP = noise, x = x_VP·√(1+σ²)).
double txt2imgNoiseScale(const SamplerChoice& choice, double sigma0);

/// True for samplers A1111 runs through the LCM denoiser (CfgDenoiserSetup::lcm).
bool usesLcmDenoiser(const SamplerChoice& choice);

using NoiseFn = std::function<torch::Tensor(const torch::Tensor& like)>;
/// Called after every sampler step: (1-based step, total, current x, denoised).
using StepFn = std::function<void(int, int, const torch::Tensor&, const torch::Tensor&)>;

/// Runs the sampler from x (already noised to sigmas[0]) over `sigmas`.
torch::Tensor runSampler(const SamplerChoice& choice, CfgDenoiser& denoiser, const torch::Tensor& x,
                         const torch::Tensor& sigmas, const sampling::DiscreteSchedule& schedule, const NoiseFn& noise,
                         const StepFn& onStep, double eta);

} // namespace easel::pipeline
