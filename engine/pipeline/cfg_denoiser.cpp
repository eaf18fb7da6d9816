#include "engine/pipeline/cfg_denoiser.h"

#include "engine/api/error.h"
#include "engine/models/timestep_embedding.h"

namespace easel::pipeline {

CfgDenoiser::CfgDenoiser(CfgDenoiserSetup setup)
    : m_setup(std::move(setup))
{
    if (!m_setup.unet || !m_setup.schedule || !m_setup.cond || !m_setup.uncond)
        throw api::Error(api::ErrorCode::Internal, "CFG denoiser set up without model, schedule or conditioning");
}

torch::Tensor CfgDenoiser::modelX0(const torch::Tensor& x, const torch::Tensor& sigma, const torch::Tensor& context,
                                   const torch::Tensor& pooled, const torch::Tensor& imageCond) const
{
    // Ref: k-diffusion external.py DiscreteEpsDDPMDenoiser / DiscreteVDDPMDenoiser.
    const int64_t n = x.size(0);
    const torch::Tensor s = sigma.reshape({-1}).to(torch::kFloat32).expand({n}).contiguous();
    const torch::Tensor s4 = s.view({n, 1, 1, 1});
    const torch::Tensor cIn = 1.0 / torch::sqrt(s4 * s4 + 1.0);
    const torch::Tensor t = m_setup.lcm ? m_setup.lcm->timesteps(s) : m_setup.schedule->sigmaToT(s);
    torch::Tensor xIn = x * cIn;
    if (imageCond.defined())
        xIn = torch::cat({xIn, imageCond.to(xIn.dtype())}, 1);
    torch::Tensor y;
    if (pooled.defined() && m_setup.unet->config().admInChannels > 0) {
        const torch::Tensor ids = m_setup.timeIds.to(torch::kFloat32).reshape({1, -1}).expand({n, -1});
        y = models::sdxlAdmVector(pooled.to(torch::kFloat32), ids, m_setup.unet->config().admInChannels);
    }
    std::optional<models::ControlResiduals> control;
    if (m_setup.control)
        control = m_setup.control(xIn, t, context, y, m_calls);
    const torch::Tensor out = m_setup.unet
                                  ->forward(xIn, t, context, y.defined() ? std::optional<torch::Tensor>(y) : std::nullopt,
                                            control ? &*control : nullptr, m_setup.padding)
                                  .to(torch::kFloat32);
    torch::Tensor x0;
    if (m_setup.vPrediction) {
        const torch::Tensor cSkip = 1.0 / (s4 * s4 + 1.0);
        const torch::Tensor cOut = -s4 / torch::sqrt(s4 * s4 + 1.0);
        x0 = out * cOut + x * cSkip;
    } else {
        x0 = x - out * s4; // eps: c_out = -sigma
    }
    // Ref: A1111 LCMCompVisDenoiser.forward → get_scaled_out, per half before the CFG combine.
    return m_setup.lcm ? m_setup.lcm->boundary(x0, x, s) : x0;
}

torch::Tensor CfgDenoiser::operator()(const torch::Tensor& x, const torch::Tensor& sigma)
{
    if (m_setup.stop && m_setup.stop->stopRequested())
        throw api::Error(api::ErrorCode::Cancelled, "cancelled");
    const int64_t b = x.size(0);
    const auto& uncond = m_setup.uncond->parts.front().at(m_calls);
    std::vector<const text::Conditioning*> conds;
    std::vector<double> weights;
    for (const auto& part : m_setup.cond->parts) {
        conds.push_back(&part.at(m_calls));
        weights.push_back(part.weight);
    }
    const size_t k = conds.size();

    auto rows = [b](const torch::Tensor& t) { return t.defined() ? t.expand({b, t.size(1), t.size(2)}) : t; };
    auto pooledRows = [b](const torch::Tensor& t) { return t.defined() ? t.expand({b, t.size(1)}) : t; };
    const torch::Tensor imageCond = m_setup.imageConditioning;

    // One batch when every context has the same token count (A1111: cond parts first, uncond last);
    // otherwise cond and uncond go through the model separately, as A1111 does without "pad conds".
    bool sameLength = true;
    for (const auto* c : conds)
        sameLength = sameLength && c->context.size(1) == uncond.context.size(1);

    std::vector<torch::Tensor> condX0(k);
    torch::Tensor uncondX0;
    if (sameLength) {
        std::vector<torch::Tensor> xs, ctx, pooled, imgs;
        for (size_t i = 0; i <= k; ++i) {
            const text::Conditioning& c = i < k ? *conds[i] : uncond;
            xs.push_back(x);
            ctx.push_back(rows(c.context));
            if (c.pooled.defined())
                pooled.push_back(pooledRows(c.pooled));
            if (imageCond.defined())
                imgs.push_back(imageCond);
        }
        const torch::Tensor sig = sigma.dim() == 0 ? sigma : sigma.repeat({static_cast<int64_t>(k + 1)});
        const torch::Tensor all = modelX0(torch::cat(xs), sig, torch::cat(ctx),
                                          pooled.empty() ? torch::Tensor() : torch::cat(pooled),
                                          imgs.empty() ? torch::Tensor() : torch::cat(imgs));
        for (size_t i = 0; i < k; ++i)
            condX0[i] = all.narrow(0, static_cast<int64_t>(i) * b, b);
        uncondX0 = all.narrow(0, static_cast<int64_t>(k) * b, b);
    } else {
        for (size_t i = 0; i < k; ++i)
            condX0[i] = modelX0(x, sigma, rows(conds[i]->context), pooledRows(conds[i]->pooled), imageCond);
        uncondX0 = modelX0(x, sigma, rows(uncond.context), pooledRows(uncond.pooled), imageCond);
    }

    // Ref: A1111 CFGDenoiser.combine_denoised — uncond + Σ w_i · scale · (cond_i − uncond).
    torch::Tensor denoised = uncondX0.clone();
    for (size_t i = 0; i < k; ++i)
        denoised += (condX0[i] - uncondX0) * (weights[i] * m_setup.cfgScale);

    if (m_setup.initLatent.defined() && m_setup.keepMask.defined())
        denoised = m_setup.initLatent * m_setup.keepMask + denoised * (1.0 - m_setup.keepMask);
    ++m_calls;
    return denoised;
}

} // namespace easel::pipeline
