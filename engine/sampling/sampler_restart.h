#pragma once
/// A1111's "Restart" sampler (Xu et al. 2023, "Restart Sampling for Improving Generative Processes").
/// Engine-internal; call from the engine thread.

#include <torch/torch.h>

#include "engine/sampling/sampler_types.h"

namespace easel::sampling {

/// Ref: A1111 modules/sd_samplers_extra.py restart_sampler with restart_list=None. Below 20 steps it
/// is Heun over `sigmas` (Euler on a final step to 0). From 20 steps on it replaces `sigmas` by a
/// Karras list of steps - R·K sigmas between the last nonzero and the first sigma, and after reaching
/// the sigma nearest 0.1 it re-noises back up to the sigma nearest 2 and walks down again
/// (R + 1 = 10 Karras points, K = 1 time; from 36 steps R = steps/4, K = 2). Re-noising draws from
/// ctx.noise. Two model calls per step, except one on a step to 0.
torch::Tensor sampleRestart(const SamplerContext& ctx, torch::Tensor x, const torch::Tensor& sigmas);

/// k-diffusion get_sigmas_karras(n, sigmaMin, sigmaMax, rho 7) with its final 0 (float32).
torch::Tensor karrasSigmas(int n, double sigmaMin, double sigmaMax, double rho = 7.0);

} // namespace easel::sampling
