// Ref: k-diffusion v0.0.16 sampling.py (sample_euler, sample_euler_ancestral, sample_heun,
// sample_dpm_2, sample_dpm_2_ancestral, sample_lms) and A1111 sd_samplers_lcm.py (sample_lcm).
// Every operation keeps k-diffusion's order and float32 0-dim tensors, so results match bit for bit.

#include <algorithm>
#include <cmath>
#include <deque>

#include "engine/sampling/sampler_support.h"
#include "engine/sampling/samplers.h"

namespace easel::sampling {

using namespace detail;

namespace {

int stepCount(const torch::Tensor& sigmas)
{
    return static_cast<int>(sigmas.size(0)) - 1;
}

/// Karras et al. churn: sigma_hat and (when gamma > 0) the noised x. The noise is drawn every step.
torch::Tensor churn(const SamplerContext& ctx, torch::Tensor& x, const torch::Tensor& sigmas, int i)
{
    const SamplerParams& p = ctx.params;
    const double s = sigmas[i].item<double>();
    const double gamma = (p.sTmin <= s && s <= p.sTmax) ? std::min(p.sChurn / stepCount(sigmas), std::sqrt(2.0) - 1) : 0.0;
    const torch::Tensor eps = drawNoise(ctx, x) * p.sNoise;
    const torch::Tensor sigmaHat = sigmas[i] * (gamma + 1);
    if (gamma > 0)
        x = x + eps * (sigmaHat.pow(2) - sigmas[i].pow(2)).pow(0.5);
    return sigmaHat;
}

} // namespace

torch::Tensor sampleEuler(const SamplerContext& ctx, torch::Tensor x, const torch::Tensor& sigmas)
{
    const int steps = stepCount(sigmas);
    for (int i = 0; i < steps; ++i) {
        const torch::Tensor sigmaHat = churn(ctx, x, sigmas, i);
        const torch::Tensor denoised = denoise(ctx, x, sigmaHat);
        const torch::Tensor d = toD(x, sigmaHat, denoised);
        report(ctx, i, steps, x, denoised, sigmas[i], sigmaHat);
        const torch::Tensor dt = sigmas[i + 1] - sigmaHat;
        x = x + d * dt;
    }
    return x;
}

torch::Tensor sampleEulerAncestral(const SamplerContext& ctx, torch::Tensor x, const torch::Tensor& sigmas)
{
    const int steps = stepCount(sigmas);
    for (int i = 0; i < steps; ++i) {
        const torch::Tensor denoised = denoise(ctx, x, sigmas[i]);
        const auto [sigmaDown, sigmaUp] = ancestralStep(sigmas[i], sigmas[i + 1], ctx.params.eta);
        report(ctx, i, steps, x, denoised, sigmas[i], sigmas[i]);
        const torch::Tensor d = toD(x, sigmas[i], denoised);
        const torch::Tensor dt = sigmaDown - sigmas[i];
        x = x + d * dt;
        if (isPositive(sigmas[i + 1]))
            x = x + drawNoise(ctx, x) * ctx.params.sNoise * sigmaUp;
    }
    return x;
}

torch::Tensor sampleHeun(const SamplerContext& ctx, torch::Tensor x, const torch::Tensor& sigmas)
{
    const int steps = stepCount(sigmas);
    for (int i = 0; i < steps; ++i) {
        const torch::Tensor sigmaHat = churn(ctx, x, sigmas, i);
        const torch::Tensor denoised = denoise(ctx, x, sigmaHat);
        const torch::Tensor d = toD(x, sigmaHat, denoised);
        report(ctx, i, steps, x, denoised, sigmas[i], sigmaHat);
        const torch::Tensor dt = sigmas[i + 1] - sigmaHat;
        if (isZero(sigmas[i + 1])) {
            x = x + d * dt; // Euler on the last step
        } else {
            const torch::Tensor x2 = x + d * dt;
            const torch::Tensor denoised2 = denoise(ctx, x2, sigmas[i + 1]);
            const torch::Tensor d2 = toD(x2, sigmas[i + 1], denoised2);
            const torch::Tensor dPrime = (d + d2) / 2;
            x = x + dPrime * dt;
        }
    }
    return x;
}

torch::Tensor sampleDpm2(const SamplerContext& ctx, torch::Tensor x, const torch::Tensor& sigmas)
{
    const int steps = stepCount(sigmas);
    for (int i = 0; i < steps; ++i) {
        const torch::Tensor sigmaHat = churn(ctx, x, sigmas, i);
        const torch::Tensor denoised = denoise(ctx, x, sigmaHat);
        const torch::Tensor d = toD(x, sigmaHat, denoised);
        report(ctx, i, steps, x, denoised, sigmas[i], sigmaHat);
        if (isZero(sigmas[i + 1])) {
            const torch::Tensor dt = sigmas[i + 1] - sigmaHat;
            x = x + d * dt;
        } else {
            // DPM-Solver-2: midpoint in log sigma.
            const torch::Tensor sigmaMid = sigmaHat.log().lerp(sigmas[i + 1].log(), 0.5).exp();
            const torch::Tensor dt1 = sigmaMid - sigmaHat;
            const torch::Tensor dt2 = sigmas[i + 1] - sigmaHat;
            const torch::Tensor x2 = x + d * dt1;
            const torch::Tensor denoised2 = denoise(ctx, x2, sigmaMid);
            const torch::Tensor d2 = toD(x2, sigmaMid, denoised2);
            x = x + d2 * dt2;
        }
    }
    return x;
}

torch::Tensor sampleDpm2Ancestral(const SamplerContext& ctx, torch::Tensor x, const torch::Tensor& sigmas)
{
    const int steps = stepCount(sigmas);
    for (int i = 0; i < steps; ++i) {
        const torch::Tensor denoised = denoise(ctx, x, sigmas[i]);
        const auto [sigmaDown, sigmaUp] = ancestralStep(sigmas[i], sigmas[i + 1], ctx.params.eta);
        report(ctx, i, steps, x, denoised, sigmas[i], sigmas[i]);
        const torch::Tensor d = toD(x, sigmas[i], denoised);
        if (isZero(sigmaDown)) {
            const torch::Tensor dt = sigmaDown - sigmas[i];
            x = x + d * dt;
        } else {
            const torch::Tensor sigmaMid = sigmas[i].log().lerp(sigmaDown.log(), 0.5).exp();
            const torch::Tensor dt1 = sigmaMid - sigmas[i];
            const torch::Tensor dt2 = sigmaDown - sigmas[i];
            const torch::Tensor x2 = x + d * dt1;
            const torch::Tensor denoised2 = denoise(ctx, x2, sigmaMid);
            const torch::Tensor d2 = toD(x2, sigmaMid, denoised2);
            x = x + d2 * dt2;
            x = x + drawNoise(ctx, x) * ctx.params.sNoise * sigmaUp;
        }
    }
    return x;
}

double lmsCoefficient(int order, const std::vector<float>& sigmas, int i, int j)
{
    // The integrand prod_{k != j} (tau - s_{i-k}) / (s_{i-j} - s_{i-k}) is a polynomial of degree
    // order - 1 <= 3 (k-diffusion caps the order at 4 by default; any order works here): Gauss-Legendre
    // with `order` nodes integrates it exactly. Denominators are float32 differences as in k-diffusion.
    auto integrand = [&](double tau) {
        double prod = 1.0;
        for (int k = 0; k < order; ++k) {
            if (k == j)
                continue;
            const float denom = sigmas[static_cast<size_t>(i - j)] - sigmas[static_cast<size_t>(i - k)];
            prod *= (tau - static_cast<double>(sigmas[static_cast<size_t>(i - k)])) / static_cast<double>(denom);
        }
        return prod;
    };
    // 5-point Gauss-Legendre: exact up to degree 9.
    static const double nodes[5] = {0.0, -0.5384693101056831, 0.5384693101056831, -0.9061798459386640, 0.9061798459386640};
    static const double weights[5] = {0.5688888888888889, 0.4786286704993665, 0.4786286704993665, 0.2369268850561891, 0.2369268850561891};
    const double a = sigmas[static_cast<size_t>(i)];
    const double b = sigmas[static_cast<size_t>(i + 1)];
    const double half = 0.5 * (b - a);
    const double mid = 0.5 * (a + b);
    double sum = 0.0;
    for (int q = 0; q < 5; ++q)
        sum += weights[q] * integrand(mid + half * nodes[q]);
    return sum * half;
}

torch::Tensor sampleLms(const SamplerContext& ctx, torch::Tensor x, const torch::Tensor& sigmas)
{
    const int steps = stepCount(sigmas);
    const int order = std::max(1, ctx.params.lmsOrder);
    const torch::Tensor sigmasCpu = sigmas.to(torch::kCPU, torch::kFloat32).contiguous();
    const std::vector<float> s(sigmasCpu.data_ptr<float>(), sigmasCpu.data_ptr<float>() + sigmasCpu.numel());
    std::deque<torch::Tensor> ds;
    for (int i = 0; i < steps; ++i) {
        const torch::Tensor denoised = denoise(ctx, x, sigmas[i]);
        ds.push_back(toD(x, sigmas[i], denoised));
        if (static_cast<int>(ds.size()) > order)
            ds.pop_front();
        report(ctx, i, steps, x, denoised, sigmas[i], sigmas[i]);
        const int curOrder = std::min(i + 1, order);
        // Python sum(): 0 + c0*d_newest + c1*d_previous + ...
        torch::Tensor update;
        for (int j = 0; j < curOrder; ++j) {
            const torch::Tensor term = ds[ds.size() - 1 - static_cast<size_t>(j)] * lmsCoefficient(curOrder, s, i, j);
            update = update.defined() ? update + term : term;
        }
        x = x + update;
    }
    return x;
}

torch::Tensor sampleLcm(const SamplerContext& ctx, torch::Tensor x, const torch::Tensor& sigmas)
{
    const int steps = stepCount(sigmas);
    for (int i = 0; i < steps; ++i) {
        const torch::Tensor denoised = denoise(ctx, x, sigmas[i]);
        report(ctx, i, steps, x, denoised, sigmas[i], sigmas[i]);
        x = denoised;
        if (isPositive(sigmas[i + 1]))
            x = x + sigmas[i + 1] * drawNoise(ctx, x);
    }
    return x;
}

} // namespace easel::sampling
