#include "engine/sampling/denoiser.h"

namespace easel::sampling {

namespace {

torch::Tensor appendDims(const torch::Tensor& v, int64_t ndim)
{
    std::vector<int64_t> shape(v.sizes().begin(), v.sizes().end());
    while (static_cast<int64_t>(shape.size()) < ndim)
        shape.push_back(1);
    return v.view(shape);
}

} // namespace

DiscreteDenoiser::DiscreteDenoiser(TimestepModel model, DiscreteSchedule schedule, Prediction prediction, bool quantizeTimesteps)
    : m_model(std::move(model))
    , m_schedule(std::move(schedule))
    , m_prediction(prediction)
    , m_quantize(quantizeTimesteps)
{
}

torch::Tensor DiscreteDenoiser::operator()(const torch::Tensor& x, const torch::Tensor& sigma) const
{
    const torch::Tensor s = sigma.to(x.device(), torch::kFloat32);
    // The timestep table lives on the CPU; the conversion is a handful of scalars.
    torch::Tensor t = m_schedule.sigmaToT(sigma.to(torch::kCPU, torch::kFloat32), m_quantize);
    t = t.to(x.device(), torch::kFloat32);
    const torch::Tensor sigmaSq = s.pow(2) + 1.0;
    const torch::Tensor cIn = appendDims(sigmaSq.pow(0.5).reciprocal(), x.dim()).to(x.scalar_type());
    const torch::Tensor sView = appendDims(s, x.dim()).to(x.scalar_type());
    const torch::Tensor out = m_model(x * cIn, t);
    if (m_prediction == Prediction::Epsilon) {
        // Ref: DiscreteEpsDDPMDenoiser.forward: input + eps * c_out with c_out = -sigma.
        return x + out * (-sView);
    }
    // Ref: DiscreteVDDPMDenoiser.forward: v * c_out + input * c_skip.
    const torch::Tensor cSkip = appendDims(sigmaSq.reciprocal(), x.dim()).to(x.scalar_type());
    const torch::Tensor cOut = appendDims(-s / sigmaSq.pow(0.5), x.dim()).to(x.scalar_type());
    return out * cOut + x * cSkip;
}

Denoiser DiscreteDenoiser::asDenoiser() const
{
    DiscreteDenoiser copy = *this;
    return [copy](const torch::Tensor& x, const torch::Tensor& sigma) { return copy(x, sigma); };
}

torch::Tensor combineCfg(const torch::Tensor& denoisedUncond, const torch::Tensor& denoisedCond, double scale)
{
    // Ref: A1111 sd_samplers_cfg_denoiser.py combine_denoised (one cond of weight 1).
    return denoisedUncond + (denoisedCond - denoisedUncond) * scale;
}

Denoiser cfgDenoiser(Denoiser batched, double scale)
{
    return [batched = std::move(batched), scale](const torch::Tensor& x, const torch::Tensor& sigma) {
        const int64_t b = x.size(0);
        const torch::Tensor out = batched(torch::cat({x, x}), torch::cat({sigma, sigma}));
        return combineCfg(out.slice(0, 0, b), out.slice(0, b, 2 * b), scale);
    };
}

} // namespace easel::sampling
