#include "engine/sampling/sampler_support.h"

#include "engine/api/error.h"

namespace easel::sampling::detail {

torch::Tensor denoise(const SamplerContext& ctx, const torch::Tensor& x, const torch::Tensor& sigma)
{
    return ctx.denoise(x, sigma * x.new_ones({x.size(0)}));
}

torch::Tensor drawNoise(const SamplerContext& ctx, const torch::Tensor& like)
{
    if (ctx.noise)
        return ctx.noise(like).to(like.device(), like.scalar_type());
    return torch::randn_like(like);
}

void report(const SamplerContext& ctx, int step, int steps, const torch::Tensor& x, const torch::Tensor& denoised,
            const torch::Tensor& sigma, const torch::Tensor& sigmaHat)
{
    if (!ctx.callback)
        return;
    StepInfo info;
    info.step = step;
    info.steps = steps;
    info.x = x;
    info.denoised = denoised;
    info.sigma = sigma.item<double>();
    info.sigmaHat = sigmaHat.item<double>();
    if (!ctx.callback(info))
        throw api::Error(api::ErrorCode::Cancelled, "generation cancelled at step " + std::to_string(step + 1) + " of " + std::to_string(steps));
}

torch::Tensor toD(const torch::Tensor& x, const torch::Tensor& sigma, const torch::Tensor& denoised)
{
    return (x - denoised) / sigma;
}

std::pair<torch::Tensor, torch::Tensor> ancestralStep(const torch::Tensor& sigmaFrom, const torch::Tensor& sigmaTo, double eta)
{
    if (eta == 0.0)
        return {sigmaTo, torch::zeros_like(sigmaTo)};
    const torch::Tensor candidate = (sigmaTo.pow(2) * (sigmaFrom.pow(2) - sigmaTo.pow(2)) / sigmaFrom.pow(2)).pow(0.5) * eta;
    // Python's min(a, b) keeps a unless b < a.
    const torch::Tensor sigmaUp = (candidate < sigmaTo).item<bool>() ? candidate : sigmaTo;
    const torch::Tensor sigmaDown = (sigmaTo.pow(2) - sigmaUp.pow(2)).pow(0.5);
    return {sigmaDown, sigmaUp};
}

} // namespace easel::sampling::detail
