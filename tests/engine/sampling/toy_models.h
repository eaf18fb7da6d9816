#pragma once
// Analytic toy models for sampler property tests (no golden data exists for DDIM, PLMS, UniPC, DPM
// fast/adaptive, Restart). Header-only so each test stays one executable.

#include <cmath>
#include <cstdint>
#include <memory>

#include <torch/torch.h>

#include "engine/sampling/sampler_types.h"

namespace easel::test {

/// Data x0 ~ N(mean, std^2) elementwise, in k-diffusion scaling x = x0 + sigma * eps. The ideal
/// denoiser is D(x, sigma) = mean + std^2 / (std^2 + sigma^2) (x - mean), and the probability-flow ODE
/// dx/dsigma = (x - D) / sigma keeps (x - mean) / sqrt(std^2 + sigma^2) constant: closed-form solution.
struct GaussianData {
    double mean = 0.5;
    double std = 0.8;

    torch::Tensor denoise(const torch::Tensor& x, const torch::Tensor& sigma) const
    {
        const torch::Tensor s2 = sigma.to(torch::kFloat64).view({-1, 1, 1, 1}).pow(2);
        const torch::Tensor xd = x.to(torch::kFloat64);
        return (mean + (xd - mean) * (std * std) / (s2 + std * std)).to(x.scalar_type());
    }

    /// Exact ODE solution from sigmaFrom to sigmaTo.
    torch::Tensor solve(const torch::Tensor& x, double sigmaFrom, double sigmaTo) const
    {
        const double k = std::sqrt(std * std + sigmaTo * sigmaTo) / std::sqrt(std * std + sigmaFrom * sigmaFrom);
        return (x.to(torch::kFloat64) - mean) * k + mean;
    }
};

/// Counts calls to an inner denoiser.
struct CallCounter {
    std::shared_ptr<int> calls = std::make_shared<int>(0);

    sampling::Denoiser wrap(sampling::Denoiser inner) const
    {
        auto c = calls;
        return [c, inner](const torch::Tensor& x, const torch::Tensor& sigma) {
            ++*c;
            return inner(x, sigma);
        };
    }
};

/// A fixed bank of noise tensors handed out in order (counts the draws).
struct NoiseBank {
    std::shared_ptr<int> draws = std::make_shared<int>(0);
    uint64_t seed = 7;

    sampling::NoiseSource source() const
    {
        auto d = draws;
        const uint64_t s = seed;
        return [d, s](const torch::Tensor& like) {
            torch::manual_seed(s + static_cast<uint64_t>(*d));
            ++*d;
            return torch::randn(like.sizes(), torch::kFloat32);
        };
    }
};

/// A smooth nonlinear toy denoiser (same form as the golden sampler tests).
inline torch::Tensor tanhDenoiser(const torch::Tensor& x, const torch::Tensor& sigma)
{
    const torch::Tensor s = sigma.view({-1, 1, 1, 1});
    return x * (1 + s * s).reciprocal() + (0.1 * torch::tanh(x)) * (s / (1 + s));
}

} // namespace easel::test
