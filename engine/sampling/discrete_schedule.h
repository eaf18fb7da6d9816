#pragma once
/// The noise table of a discrete-timestep diffusion model (SD: 1000 steps) and sigma <-> timestep
/// conversion by log-sigma interpolation, as k-diffusion's DiscreteSchedule. Engine-internal; immutable
/// after construction, so any thread may read it.

#include <torch/torch.h>

namespace easel::sampling {

/// LDM "linear" (diffusers "scaled_linear") betas in float64: linspace(sqrt(start), sqrt(end), n)^2.
torch::Tensor scaledLinearBetas(int64_t timesteps = 1000, double betaStart = 0.00085, double betaEnd = 0.012);

/// cumprod(1 - betas) in float64.
torch::Tensor alphasCumprodFromBetas(const torch::Tensor& betas);

/// Ref: A1111 rescale_zero_terminal_snr_abar (Lin et al. 2023): shifts sqrt(alpha_bar) so the last
/// step has zero SNR; the last value is then set to 4.8973451890853435e-08 to keep sigma finite.
torch::Tensor rescaleZeroTerminalSnr(const torch::Tensor& alphasCumprod);

class DiscreteSchedule {
public:
    /// SD 1.x/2.x/XL: scaled_linear 0.00085..0.012, 1000 steps, cumprod in float64 then float32 as the
    /// checkpoint holds it; optionally rescaled to zero terminal SNR.
    static DiscreteSchedule stableDiffusion(bool zeroTerminalSnr = false);

    /// From a model's alphas_cumprod (any float dtype; used as float32).
    explicit DiscreteSchedule(const torch::Tensor& alphasCumprod);

    const torch::Tensor& alphasCumprod() const { return m_alphasCumprod; }
    /// sqrt((1 - ac) / ac), float32, index = timestep.
    const torch::Tensor& sigmas() const { return m_sigmas; }
    const torch::Tensor& logSigmas() const { return m_logSigmas; }
    int64_t size() const { return m_sigmas.size(0); }
    /// Table ends as doubles (A1111: sigmas[0].item(), sigmas[-1].item()).
    double sigmaMin() const { return m_sigmaMin; }
    double sigmaMax() const { return m_sigmaMax; }

    /// Continuous timestep of each sigma (float32, same shape); quantize = nearest table index.
    torch::Tensor sigmaToT(const torch::Tensor& sigma, bool quantize = false) const;
    /// Sigma of each (fractional) timestep, interpolating log sigma linearly.
    torch::Tensor tToSigma(const torch::Tensor& t) const;
    /// k-diffusion get_sigmas(n): timesteps linspace(T-1, 0, n) converted, then a final 0.
    torch::Tensor uniformSigmas(int64_t n) const;

private:
    torch::Tensor m_alphasCumprod;
    torch::Tensor m_sigmas;
    torch::Tensor m_logSigmas;
    double m_sigmaMin = 0;
    double m_sigmaMax = 0;
};

/// Appends a single 0 (k-diffusion append_zero).
torch::Tensor appendZero(const torch::Tensor& sigmas);

} // namespace easel::sampling
