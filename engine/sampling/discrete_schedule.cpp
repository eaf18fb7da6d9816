#include "engine/sampling/discrete_schedule.h"

#include <cmath>

namespace easel::sampling {

torch::Tensor scaledLinearBetas(int64_t timesteps, double betaStart, double betaEnd)
{
    // Ref: ldm/modules/diffusionmodules/util.py make_beta_schedule("linear").
    return torch::linspace(std::sqrt(betaStart), std::sqrt(betaEnd), timesteps, torch::kFloat64).pow(2);
}

torch::Tensor alphasCumprodFromBetas(const torch::Tensor& betas)
{
    return torch::cumprod(1.0 - betas.to(torch::kFloat64), 0);
}

torch::Tensor rescaleZeroTerminalSnr(const torch::Tensor& alphasCumprod)
{
    torch::Tensor root = alphasCumprod.sqrt();
    const torch::Tensor first = root[0].clone();
    const torch::Tensor last = root[-1].clone();
    root -= last;
    root *= first / (first - last);
    torch::Tensor out = root.pow(2);
    out[-1] = 4.8973451890853435e-08;
    return out;
}

torch::Tensor appendZero(const torch::Tensor& sigmas)
{
    return torch::cat({sigmas, sigmas.new_zeros({1})});
}

DiscreteSchedule DiscreteSchedule::stableDiffusion(bool zeroTerminalSnr)
{
    torch::Tensor ac = alphasCumprodFromBetas(scaledLinearBetas()).to(torch::kFloat32);
    if (zeroTerminalSnr)
        ac = rescaleZeroTerminalSnr(ac);
    return DiscreteSchedule(ac);
}

DiscreteSchedule::DiscreteSchedule(const torch::Tensor& alphasCumprod)
    : m_alphasCumprod(alphasCumprod.to(torch::kCPU, torch::kFloat32).contiguous())
{
    // Ref: k-diffusion external.py DiscreteEpsDDPMDenoiser.__init__ (float32 table).
    m_sigmas = ((1 - m_alphasCumprod) / m_alphasCumprod).pow(0.5);
    m_logSigmas = m_sigmas.log();
    m_sigmaMin = m_sigmas[0].item<double>();
    m_sigmaMax = m_sigmas[-1].item<double>();
}

torch::Tensor DiscreteSchedule::sigmaToT(const torch::Tensor& sigma, bool quantize) const
{
    // Ref: k-diffusion external.py DiscreteSchedule.sigma_to_t.
    const torch::Tensor logSigma = sigma.to(torch::kFloat32).log();
    const torch::Tensor dists = logSigma - m_logSigmas.unsqueeze(1);
    if (quantize)
        return dists.abs().argmin(0).view(sigma.sizes());
    const torch::Tensor lowIdx = dists.ge(0).cumsum(0).argmax(0).clamp_max(m_logSigmas.size(0) - 2);
    const torch::Tensor highIdx = lowIdx + 1;
    const torch::Tensor low = m_logSigmas.index({lowIdx});
    const torch::Tensor high = m_logSigmas.index({highIdx});
    torch::Tensor w = (low - logSigma) / (low - high);
    w = w.clamp(0, 1);
    const torch::Tensor t = torch::rsub(w, 1) * lowIdx + w * highIdx;
    return t.view(sigma.sizes());
}

torch::Tensor DiscreteSchedule::tToSigma(const torch::Tensor& t) const
{
    // Ref: k-diffusion external.py DiscreteSchedule.t_to_sigma.
    const torch::Tensor tf = t.to(torch::kFloat32);
    const torch::Tensor lowIdx = tf.floor().to(torch::kLong);
    const torch::Tensor highIdx = tf.ceil().to(torch::kLong);
    const torch::Tensor w = tf.frac();
    const torch::Tensor logSigma = torch::rsub(w, 1) * m_logSigmas.index({lowIdx}) + w * m_logSigmas.index({highIdx});
    return logSigma.exp();
}

torch::Tensor DiscreteSchedule::uniformSigmas(int64_t n) const
{
    const torch::Tensor t = torch::linspace(static_cast<double>(size() - 1), 0.0, n, torch::kFloat32);
    return appendZero(tToSigma(t));
}

} // namespace easel::sampling
