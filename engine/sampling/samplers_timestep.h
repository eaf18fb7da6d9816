#pragma once
/// A1111's timestep samplers (modules/sd_samplers_timesteps_impl.py: DDIM, PLMS, UniPC) expressed over
/// k-diffusion sigmas and an x0 denoiser. Engine-internal; call from the engine thread.
///
/// Scalings. A1111 runs these on x_ldm = sqrt(a)·x0 + sqrt(1 - a)·eps with a = alphas_cumprod[t];
/// k-diffusion's x = x0 + sigma·eps with sigma = sqrt((1 - a) / a). So a = 1 / (1 + sigma²),
/// x_ldm = x / sqrt(1 + sigma²) and eps = (x - denoise(x, sigma)) / sigma, for eps and v models alike
/// (A1111's v -> eps conversion sqrt(a)·v + sqrt(1 - a)·x_ldm is the same quantity). Each sampler takes x
/// in k-diffusion scaling at sigmas[0], works in LDM scaling as A1111 does, and returns x in LDM scaling
/// at the last point it reached, which is exactly the latent A1111 decodes (see each function).

#include <torch/torch.h>

#include "engine/sampling/sampler_types.h"
#include "engine/sampling/schedules.h"

namespace easel::sampling {

/// Ref: A1111 sd_samplers_timesteps_impl.py ddim (DDIM paper eq. 12, eta = ctx.params.ddimEta).
/// A1111 gets its timesteps (a1111TimestepSigmas below without the final 0: 1, 1 + 1000/steps, ...)
/// and walks the intervals between them, so it stops at timestep 1 and decodes x_ldm there, a latent
/// with sigma_1 ≈ 0.04 of noise left and scaled by sqrt(alphas_cumprod[1]) ≈ 0.999. A trailing 0 in
/// `sigmas` therefore means "stop at the sigma before it": one model call per remaining interval,
/// result = x_ldm at that sigma. One noise tensor is drawn per step even at eta 0 (A1111 calls
/// randn_like unconditionally).
torch::Tensor sampleDdim(const SamplerContext& ctx, torch::Tensor x, const torch::Tensor& sigmas);

/// Ref: A1111 sd_samplers_timesteps_impl.py plms: pseudo linear multistep on eps, DDIM updates. First
/// step pseudo improved Euler (two model calls), then Adams-Bashforth of order 2, 3 and 4 on the eps
/// history. Same stopping rule and result as sampleDdim.
torch::Tensor samplePlms(const SamplerContext& ctx, torch::Tensor x, const torch::Tensor& sigmas);

/// Ref: A1111 modules/models/diffusion/uni_pc/uni_pc.py UniPC.sample(method='multistep',
/// predict_x0=True), variant bh1/bh2, order and lower_order_final from ctx.params. Walks every interval
/// of `sigmas` (one model call per point except the last: `sigmas.size(0) - 1` calls) and returns x_ldm
/// at the last sigma. A final sigma of 0 is reached by the order-1 limit (x = last x0 prediction). The
/// order is clamped to the number of steps (A1111 refuses order > steps).
torch::Tensor sampleUniPc(const SamplerContext& ctx, torch::Tensor x, const torch::Tensor& sigmas);

/// UniPC's grid: A1111 solves from continuous time 1 to 1/1000, time-uniform, steps + 1 points, i.e.
/// timesteps linspace(999, 0, steps + 1) and no final 0. We return `type`'s sigmas for steps + 1 points
/// with the trailing 0 dropped (Uniform -> A1111's grid; any other schedule works the same way).
/// A1111 interpolates log alpha between table entries where we interpolate log sigma: the fractional
/// timesteps agree, the sigmas differ by well under 1e-5 relative.
/// DDIM's and PLMS's grid: for the DDIM schedule, A1111's CompVisSampler.get_timesteps,
/// clip(range(0, 1000, 1000 // steps) + 1, 0, 999), as table sigmas, descending, plus a final 0. It
/// differs from the DDIM schedule (sd_schedulers.ddim_scheduler) when 999 is a multiple of
/// 1000 // steps (steps 3, 9, 27, ...): then A1111 adds timestep 999 (clipped from 1000) and walks one
/// interval more. ceil(1000 / (1000 // steps)) >= steps timesteps, so at least steps + 1 values. Any
/// other schedule: computeSigmas.
torch::Tensor a1111TimestepSigmas(ScheduleType type, int steps, const DiscreteSchedule& schedule, const ScheduleOptions& options);

torch::Tensor uniPcSigmas(ScheduleType type, int steps, const DiscreteSchedule& schedule, const ScheduleOptions& options);

} // namespace easel::sampling
