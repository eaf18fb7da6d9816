#pragma once
/// k-diffusion's DPM-Solver samplers "DPM fast" and "DPM adaptive" (v0.0.16 sampling.py DPMSolver,
/// sample_dpm_fast, sample_dpm_adaptive). Engine-internal; call from the engine thread.
///
/// They do not walk a sigma list: they solve from sigma_max to sigma_min in t = -log(sigma). As A1111
/// (sd_samplers_kdiffusion.py), sigma_max = sigmas[0] and sigma_min = the last nonzero sigma (for
/// txt2img with the default schedule these are the model table's ends), n = sigmas.size(0) - 1. The
/// result is x at sigma_min (k-diffusion never takes the last step to 0 here, and A1111 decodes it as is).
/// eta = ctx.params.eta (A1111 passes "Eta for ancestral samplers", default 1, so both are ancestral by
/// default); the noise comes from ctx.noise.

#include <torch/torch.h>

#include "engine/sampling/sampler_types.h"

namespace easel::sampling {

/// DPM-Solver-fast: n model calls in floor(n/3) + 1 steps of order 3 (last ones 2/1), uniform in t.
/// One noise tensor is drawn per step (also at eta 0, as k-diffusion).
torch::Tensor sampleDpmFast(const SamplerContext& ctx, torch::Tensor x, const torch::Tensor& sigmas);

/// DPM-Solver-23 with PID step size control (rtol 0.05, atol 0.0078, h_init 0.05, icoeff 1,
/// accept_safety 0.81): ignores n. A noise tensor is drawn per accepted step.
torch::Tensor sampleDpmAdaptive(const SamplerContext& ctx, torch::Tensor x, const torch::Tensor& sigmas);

/// What sampleDpmAdaptive did (k-diffusion's return_info).
struct DpmAdaptiveInfo {
    int steps = 0;
    int nfe = 0;
    int accepted = 0;
    int rejected = 0;
};

struct DpmAdaptiveOptions {
    int order = 3; ///< 2 or 3
    double rtol = 0.05;
    double atol = 0.0078;
    double hInit = 0.05;
    double pcoeff = 0.0;
    double icoeff = 1.0;
    double dcoeff = 0.0;
    double acceptSafety = 0.81;
};

/// The adaptive solver between two sigmas with explicit options; `info` (optional) receives the counts.
torch::Tensor dpmSolverAdaptive(const SamplerContext& ctx, torch::Tensor x, double sigmaMin, double sigmaMax,
                                const DpmAdaptiveOptions& options, DpmAdaptiveInfo* info = nullptr, int nominalSteps = 0);

} // namespace easel::sampling
