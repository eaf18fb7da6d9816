#pragma once
// Shared pieces of the sampler implementations (k-diffusion sampling.py helpers). Internal to
// engine/sampling.

#include <utility>

#include <torch/torch.h>

#include "engine/sampling/sampler_types.h"

namespace easel::sampling::detail {

/// model(x, sigma * ones([B])).
torch::Tensor denoise(const SamplerContext& ctx, const torch::Tensor& x, const torch::Tensor& sigma);
/// ctx.noise(like), or randn_like when no source was given.
torch::Tensor drawNoise(const SamplerContext& ctx, const torch::Tensor& like);
/// Calls the callback; throws api::Error(Cancelled) when it returns false.
void report(const SamplerContext& ctx, int step, int steps, const torch::Tensor& x, const torch::Tensor& denoised,
            const torch::Tensor& sigma, const torch::Tensor& sigmaHat);
/// Ref: k-diffusion to_d: (x - denoised) / sigma.
torch::Tensor toD(const torch::Tensor& x, const torch::Tensor& sigma, const torch::Tensor& denoised);
/// Ref: k-diffusion get_ancestral_step -> (sigma_down, sigma_up), 0-dim tensors.
std::pair<torch::Tensor, torch::Tensor> ancestralStep(const torch::Tensor& sigmaFrom, const torch::Tensor& sigmaTo, double eta);
/// sigma -> t = -log(sigma) and back (DPM-Solver time).
inline torch::Tensor tFn(const torch::Tensor& sigma) { return sigma.log().neg(); }
inline torch::Tensor sigmaFn(const torch::Tensor& t) { return t.neg().exp(); }
inline bool isZero(const torch::Tensor& t) { return t.item<float>() == 0.0f; }
inline bool isPositive(const torch::Tensor& t) { return t.item<float>() > 0.0f; }

} // namespace easel::sampling::detail
