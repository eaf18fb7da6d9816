#pragma once
/// k-diffusion samplers (v0.0.16, the version A1111 pins) and A1111's LCM, as free functions over a
/// denoiser. Each walks `sigmas` from `x` (already scaled: txt2img passes noise * sigmas[0]) and
/// returns the final x. Engine-internal; call from the engine thread.

#include <vector>

#include <torch/torch.h>

#include "engine/sampling/sampler_types.h"

namespace easel::sampling {

// First-order and Karras-style samplers (samplers_euler.cpp). Euler, Heun and DPM2 draw one noise
// tensor per step for s_churn even when it is 0, as k-diffusion does (it consumes ImageRNG draws).
torch::Tensor sampleEuler(const SamplerContext& ctx, torch::Tensor x, const torch::Tensor& sigmas);
torch::Tensor sampleEulerAncestral(const SamplerContext& ctx, torch::Tensor x, const torch::Tensor& sigmas);
torch::Tensor sampleHeun(const SamplerContext& ctx, torch::Tensor x, const torch::Tensor& sigmas);
torch::Tensor sampleDpm2(const SamplerContext& ctx, torch::Tensor x, const torch::Tensor& sigmas);
torch::Tensor sampleDpm2Ancestral(const SamplerContext& ctx, torch::Tensor x, const torch::Tensor& sigmas);
torch::Tensor sampleLms(const SamplerContext& ctx, torch::Tensor x, const torch::Tensor& sigmas);
/// Ref: A1111 sd_samplers_lcm.py sample_lcm: x = denoised (+ sigma_next * noise).
torch::Tensor sampleLcm(const SamplerContext& ctx, torch::Tensor x, const torch::Tensor& sigmas);

/// LMS coefficient j of step i (order `order`) on the float32 sigma list: the integral over
/// [s_i, s_{i+1}] of the Lagrange basis polynomial, computed exactly (k-diffusion uses adaptive quad).
double lmsCoefficient(int order, const std::vector<float>& sigmas, int i, int j);

// DPM-Solver++ family (samplers_dpmpp.cpp). The SDE variants take their noise from ctx.noise
// (per-image ImageRNG draws) instead of k-diffusion's Brownian tree.
torch::Tensor sampleDpmpp2sAncestral(const SamplerContext& ctx, torch::Tensor x, const torch::Tensor& sigmas);
torch::Tensor sampleDpmppSde(const SamplerContext& ctx, torch::Tensor x, const torch::Tensor& sigmas);
torch::Tensor sampleDpmpp2m(const SamplerContext& ctx, torch::Tensor x, const torch::Tensor& sigmas);
torch::Tensor sampleDpmpp2mSde(const SamplerContext& ctx, torch::Tensor x, const torch::Tensor& sigmas);
torch::Tensor sampleDpmpp3mSde(const SamplerContext& ctx, torch::Tensor x, const torch::Tensor& sigmas);

} // namespace easel::sampling
