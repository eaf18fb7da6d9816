#pragma once
/// Sinusoidal embeddings of timesteps (UNet) and of SDXL's size/crop conditioning numbers.

#include <cstdint>

#include <torch/torch.h>

namespace easel::models {

/// [N] numbers (any dtype, 0-dim allowed) → [N, dim] float32 as [cos, sin] halves:
/// freq_i = exp(-ln(maxPeriod)·i/half), i < half (frequency shift 0).
/// Ref: LDM openaimodel timestep_embedding (= diffusers get_timestep_embedding with
/// flip_sin_to_cos=True, downscale_freq_shift=0).
torch::Tensor timestepEmbedding(const torch::Tensor& timesteps, int64_t dim, double maxPeriod = 10000.0);

/// SDXL `y` (adm) vector: cat(pooled text embedding [B, P], sinusoid(timeIds [B, 6]) as [B, 6·E]),
/// E = (admInChannels − P) / 6 (256 for SDXL base). time ids order: orig h, orig w, crop top,
/// crop left, target h, target w. Ref: sgm GeneralConditioner + ConcatTimestepEmbedderND.
torch::Tensor sdxlAdmVector(const torch::Tensor& pooled, const torch::Tensor& timeIds, int64_t admInChannels);

} // namespace easel::models
