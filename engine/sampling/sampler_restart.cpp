// Ref: A1111 modules/sd_samplers_extra.py restart_sampler; k-diffusion get_sigmas_karras, to_d.

#include "engine/sampling/sampler_restart.h"

#include <cmath>
#include <map>
#include <tuple>
#include <utility>
#include <vector>

#include "engine/sampling/sampler_support.h"

namespace easel::sampling {

using namespace detail;

torch::Tensor karrasSigmas(int n, double sigmaMin, double sigmaMax, double rho)
{
    const torch::Tensor ramp = torch::linspace(0, 1, n, torch::kFloat32);
    const double minInvRho = std::pow(sigmaMin, 1 / rho);
    const double maxInvRho = std::pow(sigmaMax, 1 / rho);
    const torch::Tensor sigmas = (ramp * (minInvRho - maxInvRho) + maxInvRho).pow(rho);
    return torch::cat({sigmas, sigmas.new_zeros({1})});
}

namespace {

/// int(torch.argmin(abs(sigmas - value))).
int64_t nearestIndex(const torch::Tensor& sigmas, double value)
{
    return (sigmas - value).abs().argmin(0).item<int64_t>();
}

} // namespace

torch::Tensor sampleRestart(const SamplerContext& ctx, torch::Tensor x, const torch::Tensor& sigmasIn)
{
    torch::Tensor sigmas = sigmasIn.to(torch::kCPU, torch::kFloat32);
    const int steps = static_cast<int>(sigmas.size(0)) - 1;
    // restart_list: {index of the sigma nearest 0.1: (restart points, times, restart max sigma)}.
    std::map<int64_t, std::tuple<int, int, double>> restartList;
    if (steps >= 20) {
        int restartSteps = 9;
        int restartTimes = 1;
        if (steps >= 36) {
            restartSteps = steps / 4;
            restartTimes = 2;
        }
        sigmas = karrasSigmas(steps - restartSteps * restartTimes, sigmas[steps - 1].item<double>(), sigmas[0].item<double>());
        restartList[nearestIndex(sigmas, 0.1)] = {restartSteps + 1, restartTimes, 2.0};
    }

    std::vector<std::pair<torch::Tensor, torch::Tensor>> stepList;
    const int64_t len = sigmas.size(0);
    for (int64_t i = 0; i + 1 < len; ++i) {
        stepList.emplace_back(sigmas[i], sigmas[i + 1]);
        const auto it = restartList.find(i + 1);
        if (it == restartList.end())
            continue;
        auto [restartSteps, restartTimes, restartMax] = it->second;
        const int64_t minIdx = i + 1;
        const int64_t maxIdx = nearestIndex(sigmas, restartMax);
        if (maxIdx < minIdx) {
            const torch::Tensor full = karrasSigmas(restartSteps, sigmas[minIdx].item<double>(), sigmas[maxIdx].item<double>());
            const torch::Tensor restart = full.slice(0, 0, full.size(0) - 1);
            while (restartTimes-- > 0)
                for (int64_t k = 0; k + 1 < restart.size(0); ++k)
                    stepList.emplace_back(restart[k], restart[k + 1]);
        }
    }

    const int total = static_cast<int>(stepList.size());
    torch::Tensor lastSigma;
    for (int id = 0; id < total; ++id) {
        const torch::Tensor oldSigma = stepList[static_cast<size_t>(id)].first.to(x.device());
        const torch::Tensor newSigma = stepList[static_cast<size_t>(id)].second.to(x.device());
        if (!lastSigma.defined())
            lastSigma = oldSigma;
        else if ((lastSigma < oldSigma).item<bool>())
            x = x + drawNoise(ctx, x) * ctx.params.sNoise * (oldSigma.pow(2) - lastSigma.pow(2)).pow(0.5);
        // heun_step
        const torch::Tensor denoised = denoise(ctx, x, oldSigma);
        const torch::Tensor d = toD(x, oldSigma, denoised);
        report(ctx, id, total, x, denoised, newSigma, oldSigma);
        const torch::Tensor dt = newSigma - oldSigma;
        if (isZero(newSigma)) {
            x = x + d * dt;
        } else {
            const torch::Tensor x2 = x + d * dt;
            const torch::Tensor denoised2 = denoise(ctx, x2, newSigma);
            const torch::Tensor d2 = toD(x2, newSigma, denoised2);
            x = x + (d + d2) / 2 * dt;
        }
        lastSigma = newSigma;
    }
    return x;
}

} // namespace easel::sampling
