// Ref: k-diffusion v0.0.16 sampling.py (sample_dpmpp_2s_ancestral, sample_dpmpp_sde, sample_dpmpp_2m,
// sample_dpmpp_2m_sde, sample_dpmpp_3m_sde), operation order and float32 0-dim tensors kept.
// Noise: k-diffusion gives the SDE samplers a Brownian-tree noise sampler (torchsde); here every
// draw is ctx.noise (A1111 routes randn_like to ImageRNG; the golden data uses the same rule).

#include "engine/sampling/sampler_support.h"
#include "engine/sampling/samplers.h"

namespace easel::sampling {

using namespace detail;

torch::Tensor sampleDpmpp2sAncestral(const SamplerContext& ctx, torch::Tensor x, const torch::Tensor& sigmas)
{
    const int steps = static_cast<int>(sigmas.size(0)) - 1;
    for (int i = 0; i < steps; ++i) {
        const torch::Tensor denoised = denoise(ctx, x, sigmas[i]);
        const auto [sigmaDown, sigmaUp] = ancestralStep(sigmas[i], sigmas[i + 1], ctx.params.eta);
        report(ctx, i, steps, x, denoised, sigmas[i], sigmas[i]);
        if (isZero(sigmaDown)) {
            const torch::Tensor d = toD(x, sigmas[i], denoised);
            const torch::Tensor dt = sigmaDown - sigmas[i];
            x = x + d * dt;
        } else {
            // DPM-Solver++(2S)
            const torch::Tensor t = tFn(sigmas[i]);
            const torch::Tensor tNext = tFn(sigmaDown);
            const double r = 0.5;
            const torch::Tensor h = tNext - t;
            const torch::Tensor s = t + r * h;
            const torch::Tensor x2 = (sigmaFn(s) / sigmaFn(t)) * x - (-h * r).expm1() * denoised;
            const torch::Tensor denoised2 = denoise(ctx, x2, sigmaFn(s));
            x = (sigmaFn(tNext) / sigmaFn(t)) * x - (-h).expm1() * denoised2;
        }
        if (isPositive(sigmas[i + 1]))
            x = x + drawNoise(ctx, x) * ctx.params.sNoise * sigmaUp;
    }
    return x;
}

torch::Tensor sampleDpmppSde(const SamplerContext& ctx, torch::Tensor x, const torch::Tensor& sigmas)
{
    const int steps = static_cast<int>(sigmas.size(0)) - 1;
    const double eta = ctx.params.eta;
    const double r = ctx.params.r;
    for (int i = 0; i < steps; ++i) {
        const torch::Tensor denoised = denoise(ctx, x, sigmas[i]);
        report(ctx, i, steps, x, denoised, sigmas[i], sigmas[i]);
        if (isZero(sigmas[i + 1])) {
            const torch::Tensor d = toD(x, sigmas[i], denoised);
            const torch::Tensor dt = sigmas[i + 1] - sigmas[i];
            x = x + d * dt;
            continue;
        }
        const torch::Tensor t = tFn(sigmas[i]);
        const torch::Tensor tNext = tFn(sigmas[i + 1]);
        const torch::Tensor h = tNext - t;
        const torch::Tensor s = t + h * r;
        const double fac = 1 / (2 * r);

        // Step 1: to the midpoint s, with its share of the noise.
        auto [sd, su] = ancestralStep(sigmaFn(t), sigmaFn(s), eta);
        const torch::Tensor s_ = tFn(sd);
        torch::Tensor x2 = (sigmaFn(s_) / sigmaFn(t)) * x - (t - s_).expm1() * denoised;
        x2 = x2 + drawNoise(ctx, x) * ctx.params.sNoise * su;
        const torch::Tensor denoised2 = denoise(ctx, x2, sigmaFn(s));

        // Step 2: the full step with the blended estimate.
        std::tie(sd, su) = ancestralStep(sigmaFn(t), sigmaFn(tNext), eta);
        const torch::Tensor tNext_ = tFn(sd);
        const torch::Tensor denoisedD = (1 - fac) * denoised + fac * denoised2;
        x = (sigmaFn(tNext_) / sigmaFn(t)) * x - (t - tNext_).expm1() * denoisedD;
        x = x + drawNoise(ctx, x) * ctx.params.sNoise * su;
    }
    return x;
}

torch::Tensor sampleDpmpp2m(const SamplerContext& ctx, torch::Tensor x, const torch::Tensor& sigmas)
{
    const int steps = static_cast<int>(sigmas.size(0)) - 1;
    torch::Tensor oldDenoised;
    for (int i = 0; i < steps; ++i) {
        const torch::Tensor denoised = denoise(ctx, x, sigmas[i]);
        report(ctx, i, steps, x, denoised, sigmas[i], sigmas[i]);
        const torch::Tensor t = tFn(sigmas[i]);
        const torch::Tensor tNext = tFn(sigmas[i + 1]);
        const torch::Tensor h = tNext - t;
        if (!oldDenoised.defined() || isZero(sigmas[i + 1])) {
            x = (sigmaFn(tNext) / sigmaFn(t)) * x - (-h).expm1() * denoised;
        } else {
            const torch::Tensor hLast = t - tFn(sigmas[i - 1]);
            const torch::Tensor r = hLast / h;
            const torch::Tensor denoisedD = (1 + 1 / (2 * r)) * denoised - (1 / (2 * r)) * oldDenoised;
            x = (sigmaFn(tNext) / sigmaFn(t)) * x - (-h).expm1() * denoisedD;
        }
        oldDenoised = denoised;
    }
    return x;
}

torch::Tensor sampleDpmpp2mSde(const SamplerContext& ctx, torch::Tensor x, const torch::Tensor& sigmas)
{
    const int steps = static_cast<int>(sigmas.size(0)) - 1;
    const double eta = ctx.params.eta;
    torch::Tensor oldDenoised;
    torch::Tensor hLast;
    torch::Tensor h;
    for (int i = 0; i < steps; ++i) {
        const torch::Tensor denoised = denoise(ctx, x, sigmas[i]);
        report(ctx, i, steps, x, denoised, sigmas[i], sigmas[i]);
        if (isZero(sigmas[i + 1])) {
            x = denoised; // denoising step
        } else {
            const torch::Tensor t = sigmas[i].log().neg();
            const torch::Tensor s = sigmas[i + 1].log().neg();
            h = s - t;
            const torch::Tensor etaH = eta * h;
            x = sigmas[i + 1] / sigmas[i] * (-etaH).exp() * x + (-h - etaH).expm1().neg() * denoised;
            if (oldDenoised.defined()) {
                const torch::Tensor r = hLast / h;
                if (ctx.params.solver == SdeSolver::Heun)
                    x = x + ((-h - etaH).expm1().neg() / (-h - etaH) + 1) * r.reciprocal() * (denoised - oldDenoised);
                else
                    x = x + 0.5 * (-h - etaH).expm1().neg() * r.reciprocal() * (denoised - oldDenoised);
            }
            if (eta != 0.0)
                x = x + drawNoise(ctx, x) * sigmas[i + 1] * (-2 * etaH).expm1().neg().sqrt() * ctx.params.sNoise;
        }
        oldDenoised = denoised;
        hLast = h;
    }
    return x;
}

torch::Tensor sampleDpmpp3mSde(const SamplerContext& ctx, torch::Tensor x, const torch::Tensor& sigmas)
{
    const int steps = static_cast<int>(sigmas.size(0)) - 1;
    const double eta = ctx.params.eta;
    torch::Tensor denoised1, denoised2;
    torch::Tensor h, h1, h2;
    for (int i = 0; i < steps; ++i) {
        const torch::Tensor denoised = denoise(ctx, x, sigmas[i]);
        report(ctx, i, steps, x, denoised, sigmas[i], sigmas[i]);
        if (isZero(sigmas[i + 1])) {
            x = denoised; // denoising step
        } else {
            const torch::Tensor t = sigmas[i].log().neg();
            const torch::Tensor s = sigmas[i + 1].log().neg();
            h = s - t;
            const torch::Tensor hEta = h * (eta + 1);
            x = torch::exp(-hEta) * x + (-hEta).expm1().neg() * denoised;
            if (h2.defined()) {
                const torch::Tensor r0 = h1 / h;
                const torch::Tensor r1 = h2 / h;
                const torch::Tensor d10 = (denoised - denoised1) / r0;
                const torch::Tensor d11 = (denoised1 - denoised2) / r1;
                const torch::Tensor d1 = d10 + (d10 - d11) * r0 / (r0 + r1);
                const torch::Tensor d2 = (d10 - d11) / (r0 + r1);
                const torch::Tensor phi2 = hEta.neg().expm1() / hEta + 1;
                const torch::Tensor phi3 = phi2 / hEta - 0.5;
                x = x + phi2 * d1 - phi3 * d2;
            } else if (h1.defined()) {
                const torch::Tensor r = h1 / h;
                const torch::Tensor d = (denoised - denoised1) / r;
                const torch::Tensor phi2 = hEta.neg().expm1() / hEta + 1;
                x = x + phi2 * d;
            }
            if (eta != 0.0)
                x = x + drawNoise(ctx, x) * sigmas[i + 1] * (-2 * h * eta).expm1().neg().sqrt() * ctx.params.sNoise;
        }
        denoised2 = denoised1;
        denoised1 = denoised;
        h2 = h1;
        h1 = h;
    }
    return x;
}

} // namespace easel::sampling
