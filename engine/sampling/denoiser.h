#pragma once
/// Turning a discrete-timestep network (eps- or v-prediction, e.g. the SD UNet) into the x0 denoiser
/// the samplers call, and classifier-free guidance with cond/uncond batched in one call.
/// Engine-internal; call from the engine thread.

#include <functional>

#include <torch/torch.h>

#include "engine/sampling/discrete_schedule.h"
#include "engine/sampling/sampler_types.h"

namespace easel::sampling {

enum class Prediction { Epsilon, V };

/// The network: scaled input x*c_in and float32 timesteps [B] -> eps or v. Conditioning is captured
/// by the caller.
using TimestepModel = std::function<torch::Tensor(const torch::Tensor& xIn, const torch::Tensor& t)>;

/// Ref: k-diffusion external.py DiscreteEpsDDPMDenoiser / DiscreteVDDPMDenoiser (sigma_data = 1):
/// eps: x0 = x - sigma * eps(x * c_in, t); v: x0 = x * c_skip + v(x * c_in, t) * c_out, with
/// c_in = 1/sqrt(sigma^2 + 1), c_skip = 1/(sigma^2 + 1), c_out = -sigma/sqrt(sigma^2 + 1), t = sigma_to_t(sigma).
class DiscreteDenoiser {
public:
    DiscreteDenoiser(TimestepModel model, DiscreteSchedule schedule, Prediction prediction = Prediction::Epsilon,
                     bool quantizeTimesteps = false);

    torch::Tensor operator()(const torch::Tensor& x, const torch::Tensor& sigma) const;
    /// The same, as a Denoiser (copies this object into the function).
    Denoiser asDenoiser() const;

    const DiscreteSchedule& schedule() const { return m_schedule; }
    Prediction prediction() const { return m_prediction; }

private:
    TimestepModel m_model;
    DiscreteSchedule m_schedule;
    Prediction m_prediction;
    bool m_quantize;
};

/// Classifier-free guidance: `batched` is called once on cat[x, x] / cat[sigma, sigma] (its
/// conditioning must be cat[uncond, cond] in that order) and the halves are combined as A1111 does:
/// uncond + (cond - uncond) * scale.
Denoiser cfgDenoiser(Denoiser batched, double scale);

/// A1111's combine step on its own (for callers that run the halves differently).
torch::Tensor combineCfg(const torch::Tensor& denoisedUncond, const torch::Tensor& denoisedCond, double scale);

} // namespace easel::sampling
