// Ref: k-diffusion v0.0.16 sampling.py: PIDStepSizeController, DPMSolver (eps, dpm_solver_{1,2,3}_step,
// dpm_solver_fast, dpm_solver_adaptive), sample_dpm_fast, sample_dpm_adaptive. Times t = -log(sigma) are
// float32 0-dim tensors as in k-diffusion (torch.tensor(sigma) is float32 there).

#include "engine/sampling/samplers_dpm_solver.h"

#include <cmath>
#include <vector>

#include "engine/api/error.h"
#include "engine/sampling/sampler_support.h"

namespace easel::sampling {

using namespace detail;

namespace {

/// The eps evaluations of one step, reused between the low- and high-order solutions.
struct EpsCache {
    torch::Tensor eps, epsR1, epsR2;
};

class DpmSolver {
public:
    explicit DpmSolver(const SamplerContext& ctx)
        : m_ctx(ctx)
    {
    }

    static torch::Tensor sigma(const torch::Tensor& t) { return t.neg().exp(); }
    static torch::Tensor t(const torch::Tensor& sigma) { return sigma.log().neg(); }

    torch::Tensor eps(const torch::Tensor& x, const torch::Tensor& t) const
    {
        const torch::Tensor s = sigma(t);
        return (x - denoise(m_ctx, x, s)) / s;
    }

    torch::Tensor step1(const torch::Tensor& x, const torch::Tensor& t, const torch::Tensor& tNext, EpsCache& c) const
    {
        const torch::Tensor h = tNext - t;
        if (!c.eps.defined())
            c.eps = eps(x, t);
        return x - sigma(tNext) * h.expm1() * c.eps;
    }

    torch::Tensor step2(const torch::Tensor& x, const torch::Tensor& t, const torch::Tensor& tNext, double r1, EpsCache& c) const
    {
        const torch::Tensor h = tNext - t;
        if (!c.eps.defined())
            c.eps = eps(x, t);
        const torch::Tensor s1 = t + r1 * h;
        const torch::Tensor u1 = x - sigma(s1) * (r1 * h).expm1() * c.eps;
        if (!c.epsR1.defined())
            c.epsR1 = eps(u1, s1);
        return x - sigma(tNext) * h.expm1() * c.eps - sigma(tNext) / (2 * r1) * h.expm1() * (c.epsR1 - c.eps);
    }

    torch::Tensor step3(const torch::Tensor& x, const torch::Tensor& t, const torch::Tensor& tNext, EpsCache& c) const
    {
        const double r1 = 1.0 / 3, r2 = 2.0 / 3;
        const torch::Tensor h = tNext - t;
        if (!c.eps.defined())
            c.eps = eps(x, t);
        const torch::Tensor s1 = t + r1 * h;
        const torch::Tensor s2 = t + r2 * h;
        const torch::Tensor u1 = x - sigma(s1) * (r1 * h).expm1() * c.eps;
        if (!c.epsR1.defined())
            c.epsR1 = eps(u1, s1);
        const torch::Tensor u2 = x - sigma(s2) * (r2 * h).expm1() * c.eps
                                 - sigma(s2) * (r2 / r1) * ((r2 * h).expm1() / (r2 * h) - 1) * (c.epsR1 - c.eps);
        if (!c.epsR2.defined())
            c.epsR2 = eps(u2, s2);
        return x - sigma(tNext) * h.expm1() * c.eps - sigma(tNext) / r2 * (h.expm1() / h - 1) * (c.epsR2 - c.eps);
    }

    /// Ancestral split of the step t -> tNext: {t to solve to, noise scale}.
    std::pair<torch::Tensor, torch::Tensor> ancestral(const torch::Tensor& t, const torch::Tensor& tNext,
                                                      const torch::Tensor& tEnd, double eta) const
    {
        if (eta == 0.0)
            return {tNext, torch::zeros_like(tNext)};
        const torch::Tensor sd = ancestralStep(sigma(t), sigma(tNext), eta).first;
        const torch::Tensor tNext_ = torch::minimum(tEnd, DpmSolver::t(sd));
        const torch::Tensor su = (sigma(tNext).pow(2) - sigma(tNext_).pow(2)).pow(0.5);
        return {tNext_, su};
    }

private:
    const SamplerContext& m_ctx;
};

/// Ref: k-diffusion PIDStepSizeController (double precision, as Python floats).
class PidController {
public:
    PidController(double h, double pcoeff, double icoeff, double dcoeff, double order, double acceptSafety)
        : m_h(h)
        , m_b1((pcoeff + icoeff + dcoeff) / order)
        , m_b2(-(pcoeff + 2 * dcoeff) / order)
        , m_b3(dcoeff / order)
        , m_acceptSafety(acceptSafety)
    {
    }

    double h() const { return m_h; }

    bool proposeStep(double error)
    {
        const double invError = 1.0 / (error + 1e-8);
        if (m_errs.empty())
            m_errs = {invError, invError, invError};
        m_errs[0] = invError;
        double factor = std::pow(m_errs[0], m_b1) * std::pow(m_errs[1], m_b2) * std::pow(m_errs[2], m_b3);
        factor = 1 + std::atan(factor - 1); // limiter
        const bool accept = factor >= m_acceptSafety;
        if (accept) {
            m_errs[2] = m_errs[1];
            m_errs[1] = m_errs[0];
        }
        m_h *= factor;
        return accept;
    }

private:
    double m_h, m_b1, m_b2, m_b3, m_acceptSafety;
    std::vector<double> m_errs;
};

/// A1111's sigma_min / sigma_max for these samplers: first sigma and last nonzero one.
std::pair<double, double> sigmaRange(const torch::Tensor& sigmas)
{
    const torch::Tensor c = sigmas.to(torch::kCPU, torch::kFloat32).contiguous();
    const float* p = c.data_ptr<float>();
    double sigmaMin = 0;
    for (int64_t i = 0; i < c.numel(); ++i)
        if (p[i] > 0)
            sigmaMin = p[i];
    const double sigmaMax = c.numel() > 0 ? p[0] : 0.0;
    if (sigmaMin <= 0 || sigmaMax <= 0)
        throw api::Error(api::ErrorCode::InvalidRequest, "DPM fast/adaptive need a nonzero sigma range; use more steps");
    return {sigmaMin, sigmaMax};
}

} // namespace

torch::Tensor sampleDpmFast(const SamplerContext& ctx, torch::Tensor x, const torch::Tensor& sigmas)
{
    const auto [sigmaMin, sigmaMax] = sigmaRange(sigmas);
    const int nfe = static_cast<int>(sigmas.size(0)) - 1;
    const DpmSolver solver(ctx);
    const torch::Tensor tStart = DpmSolver::t(torch::tensor(static_cast<float>(sigmaMax)));
    const torch::Tensor tEnd = DpmSolver::t(torch::tensor(static_cast<float>(sigmaMin)));
    const double eta = ctx.params.eta;

    const int m = nfe / 3 + 1;
    const torch::Tensor ts = torch::linspace(tStart.item<float>(), tEnd.item<float>(), m + 1, torch::kFloat32);
    std::vector<int> orders;
    if (nfe % 3 == 0) {
        orders.assign(static_cast<size_t>(std::max(m - 2, 0)), 3);
        orders.push_back(2);
        orders.push_back(1);
    } else {
        orders.assign(static_cast<size_t>(m - 1), 3);
        orders.push_back(nfe % 3);
    }
    const int steps = static_cast<int>(orders.size());
    for (int i = 0; i < steps; ++i) {
        EpsCache cache;
        const torch::Tensor t = ts[i];
        const torch::Tensor tNext = ts[i + 1];
        const auto [tNext_, su] = solver.ancestral(t, tNext, tEnd, eta);
        cache.eps = solver.eps(x, t);
        const torch::Tensor denoised = x - DpmSolver::sigma(t) * cache.eps;
        report(ctx, i, steps, x, denoised, DpmSolver::sigma(t), DpmSolver::sigma(t));
        if (orders[static_cast<size_t>(i)] == 1)
            x = solver.step1(x, t, tNext_, cache);
        else if (orders[static_cast<size_t>(i)] == 2)
            x = solver.step2(x, t, tNext_, 0.5, cache);
        else
            x = solver.step3(x, t, tNext_, cache);
        x = x + su * ctx.params.sNoise * drawNoise(ctx, x);
    }
    return x;
}

torch::Tensor dpmSolverAdaptive(const SamplerContext& ctx, torch::Tensor x, double sigmaMin, double sigmaMax,
                                const DpmAdaptiveOptions& o, DpmAdaptiveInfo* infoOut, int nominalSteps)
{
    if (o.order != 2 && o.order != 3)
        throw api::Error(api::ErrorCode::InvalidRequest, "DPM adaptive order must be 2 or 3");
    const DpmSolver solver(ctx);
    const torch::Tensor tStart = DpmSolver::t(torch::tensor(static_cast<float>(sigmaMax)));
    const torch::Tensor tEnd = DpmSolver::t(torch::tensor(static_cast<float>(sigmaMin)));
    const double eta = ctx.params.eta;
    const bool forward = (tEnd > tStart).item<bool>();
    if (!forward && eta != 0.0)
        throw api::Error(api::ErrorCode::InvalidRequest, "DPM adaptive: eta must be 0 for reverse sampling");
    const double hInit = std::abs(o.hInit) * (forward ? 1 : -1);
    const torch::Tensor atol = torch::tensor(static_cast<float>(o.atol));
    const torch::Tensor rtol = torch::tensor(static_cast<float>(o.rtol));
    torch::Tensor s = tStart;
    torch::Tensor xPrev = x;
    PidController pid(hInit, o.pcoeff, o.icoeff, o.dcoeff, eta != 0.0 ? 1.5 : o.order, o.acceptSafety);
    DpmAdaptiveInfo info;
    const double sqrtNumel = std::sqrt(static_cast<double>(x.numel()));

    auto notDone = [&] {
        return forward ? (s < tEnd - 1e-5).item<bool>() : (s > tEnd + 1e-5).item<bool>();
    };
    while (notDone()) {
        EpsCache cache;
        const torch::Tensor t = forward ? torch::minimum(tEnd, s + pid.h()) : torch::maximum(tEnd, s + pid.h());
        const auto [t_, su] = solver.ancestral(s, t, tEnd, eta);
        cache.eps = solver.eps(x, s);
        const torch::Tensor denoised = x - DpmSolver::sigma(s) * cache.eps;
        torch::Tensor xLow, xHigh;
        if (o.order == 2) {
            xLow = solver.step1(x, s, t_, cache);
            xHigh = solver.step2(x, s, t_, 0.5, cache);
        } else {
            xLow = solver.step2(x, s, t_, 1.0 / 3, cache);
            xHigh = solver.step3(x, s, t_, cache);
        }
        const torch::Tensor delta = torch::maximum(atol, rtol * torch::maximum(xLow.abs(), xPrev.abs()));
        const torch::Tensor error = ((xLow - xHigh) / delta).norm() / sqrtNumel;
        const bool accept = pid.proposeStep(error.item<double>());
        if (accept) {
            xPrev = xLow;
            x = xHigh + su * ctx.params.sNoise * drawNoise(ctx, x);
            s = t;
            ++info.accepted;
        } else {
            ++info.rejected;
        }
        info.nfe += o.order;
        ++info.steps;
        // k-diffusion reports after each attempt with the time reached so far.
        report(ctx, info.steps - 1, std::max(nominalSteps, info.steps), x, denoised, DpmSolver::sigma(s), DpmSolver::sigma(s));
    }
    if (infoOut)
        *infoOut = info;
    return x;
}

torch::Tensor sampleDpmAdaptive(const SamplerContext& ctx, torch::Tensor x, const torch::Tensor& sigmas)
{
    const auto [sigmaMin, sigmaMax] = sigmaRange(sigmas);
    return dpmSolverAdaptive(ctx, std::move(x), sigmaMin, sigmaMax, DpmAdaptiveOptions{}, nullptr,
                             static_cast<int>(sigmas.size(0)) - 1);
}

} // namespace easel::sampling
