// Ref: A1111 modules/sd_samplers_timesteps_impl.py (ddim, plms, unipc) and
// modules/models/diffusion/uni_pc/uni_pc.py (UniPC multistep, B(h) variants). See samplers_timestep.h for
// how the LDM-scaled formulas map onto k-diffusion sigmas.

#include "engine/sampling/samplers_timestep.h"

#include <algorithm>
#include <cmath>
#include <deque>
#include <vector>

#include "engine/sampling/sampler_support.h"

namespace easel::sampling {

using namespace detail;

namespace {

std::vector<double> toDoubles(const torch::Tensor& sigmas)
{
    const torch::Tensor c = sigmas.to(torch::kCPU, torch::kFloat32).contiguous();
    return std::vector<double>(c.data_ptr<float>(), c.data_ptr<float>() + c.numel());
}

/// alphas_cumprod of a sigma: 1 / (1 + sigma^2).
double alphaBar(double sigma)
{
    return 1.0 / (1.0 + sigma * sigma);
}

/// Number of intervals a DDIM/PLMS run walks: all of them, except a final step to sigma 0 (A1111 stops
/// at its last timestep, see samplers_timestep.h).
int timestepIntervals(const std::vector<double>& s)
{
    const int intervals = static_cast<int>(s.size()) - 1;
    return (intervals > 0 && s.back() == 0.0) ? intervals - 1 : std::max(intervals, 0);
}

struct EpsOut {
    torch::Tensor eps;
    torch::Tensor xk;       ///< the k-diffusion x the denoiser saw
    torch::Tensor denoised;
};

/// A1111's eps model on x_ldm at sigma, through our x0 denoiser.
EpsOut epsAt(const SamplerContext& ctx, const torch::Tensor& xLdm, const torch::Tensor& sigmaT, double sigma)
{
    EpsOut out;
    out.xk = xLdm * std::sqrt(1.0 + sigma * sigma);
    out.denoised = denoise(ctx, out.xk, sigmaT);
    out.eps = (out.xk - out.denoised) / sigma;
    return out;
}

/// One DDIM update in LDM scaling from alphas_cumprod a to aPrev with noise scale sigmaT (eta term).
/// Returns {x_prev, pred_x0}.
std::pair<torch::Tensor, torch::Tensor> ddimUpdate(const torch::Tensor& x, const torch::Tensor& eps, double a, double aPrev,
                                                   double sigmaT, const torch::Tensor& noise)
{
    const torch::Tensor predX0 = (x - eps * std::sqrt(1.0 - a)) / std::sqrt(a);
    const torch::Tensor dirXt = eps * std::sqrt(1.0 - aPrev - sigmaT * sigmaT);
    torch::Tensor next = predX0 * std::sqrt(aPrev) + dirXt;
    if (noise.defined())
        next = next + noise * sigmaT;
    return {next, predX0};
}

} // namespace

torch::Tensor sampleDdim(const SamplerContext& ctx, torch::Tensor x, const torch::Tensor& sigmas)
{
    const std::vector<double> s = toDoubles(sigmas);
    const int steps = timestepIntervals(s);
    const double eta = ctx.params.ddimEta;
    torch::Tensor xl = x / std::sqrt(1.0 + s[0] * s[0]);
    for (int i = 0; i < steps; ++i) {
        const double a = alphaBar(s[i]);
        const double aPrev = alphaBar(s[i + 1]);
        // DDIM paper eq. 16: sigma_t = eta sqrt((1 - a_prev) / (1 - a) (1 - a / a_prev)).
        const double sigmaT = eta * std::sqrt((1.0 - aPrev) / (1.0 - a) * (1.0 - a / aPrev));
        const EpsOut e = epsAt(ctx, xl, sigmas[i], s[i]);
        const torch::Tensor noise = drawNoise(ctx, xl);
        auto [next, predX0] = ddimUpdate(xl, e.eps, a, aPrev, sigmaT, noise);
        report(ctx, i, steps, e.xk, predX0, sigmas[i], sigmas[i]);
        xl = next;
    }
    return xl;
}

torch::Tensor samplePlms(const SamplerContext& ctx, torch::Tensor x, const torch::Tensor& sigmas)
{
    const std::vector<double> s = toDoubles(sigmas);
    const int steps = timestepIntervals(s);
    torch::Tensor xl = x / std::sqrt(1.0 + s[0] * s[0]);
    std::deque<torch::Tensor> oldEps; // newest last, at most 3
    for (int i = 0; i < steps; ++i) {
        const double a = alphaBar(s[i]);
        const double aPrev = alphaBar(s[i + 1]);
        const EpsOut e = epsAt(ctx, xl, sigmas[i], s[i]);
        torch::Tensor epsPrime;
        const size_t n = oldEps.size();
        if (n == 0) {
            // Pseudo improved Euler: average eps here and at the DDIM prediction of the next point.
            const torch::Tensor xPrev = ddimUpdate(xl, e.eps, a, aPrev, 0.0, {}).first;
            const torch::Tensor epsNext = epsAt(ctx, xPrev, sigmas[i + 1], s[i + 1]).eps;
            epsPrime = (e.eps + epsNext) / 2;
        } else if (n == 1) {
            epsPrime = (e.eps * 3 - oldEps[n - 1]) / 2;
        } else if (n == 2) {
            epsPrime = (e.eps * 23 - oldEps[n - 1] * 16 + oldEps[n - 2] * 5) / 12;
        } else {
            epsPrime = (e.eps * 55 - oldEps[n - 1] * 59 + oldEps[n - 2] * 37 - oldEps[n - 3] * 9) / 24;
        }
        auto [next, predX0] = ddimUpdate(xl, epsPrime, a, aPrev, 0.0, {});
        oldEps.push_back(e.eps);
        if (oldEps.size() >= 4)
            oldEps.pop_front();
        report(ctx, i, steps, e.xk, predX0, sigmas[i], sigmas[i]);
        xl = next;
    }
    return xl;
}

namespace {

/// Solves A y = b (n <= a few) by Gaussian elimination with partial pivoting, in double.
std::vector<double> solveSmall(std::vector<std::vector<double>> A, std::vector<double> b)
{
    const size_t n = b.size();
    for (size_t c = 0; c < n; ++c) {
        size_t p = c;
        for (size_t r = c + 1; r < n; ++r)
            if (std::abs(A[r][c]) > std::abs(A[p][c]))
                p = r;
        std::swap(A[c], A[p]);
        std::swap(b[c], b[p]);
        for (size_t r = c + 1; r < n; ++r) {
            const double f = A[r][c] / A[c][c];
            for (size_t k = c; k < n; ++k)
                A[r][k] -= f * A[c][k];
            b[r] -= f * b[c];
        }
    }
    std::vector<double> y(n);
    for (size_t i = n; i-- > 0;) {
        double acc = b[i];
        for (size_t k = i + 1; k < n; ++k)
            acc -= A[i][k] * y[k];
        y[i] = acc / A[i][i];
    }
    return y;
}

/// The VP quantities of one grid point: alpha_t = 1/sqrt(1+s^2), sigma_t = s/sqrt(1+s^2), lambda = -log s.
struct VpPoint {
    double alpha = 1, sigma = 0, lambda = 0;
    bool zero = false;
};

VpPoint vpOf(double s)
{
    VpPoint p;
    p.zero = s == 0.0;
    p.alpha = 1.0 / std::sqrt(1.0 + s * s);
    p.sigma = s * p.alpha;
    p.lambda = p.zero ? INFINITY : -std::log(s);
    return p;
}

class UniPcRun {
public:
    UniPcRun(const SamplerContext& ctx, const torch::Tensor& sigmas)
        : m_ctx(ctx)
        , m_sigmas(sigmas)
        , m_s(toDoubles(sigmas))
    {
        for (const double v : m_s)
            m_vp.push_back(vpOf(v));
    }

    /// Data prediction x0 at grid point i for x in LDM scaling.
    torch::Tensor modelFn(const torch::Tensor& xl, int i) const
    {
        return denoise(m_ctx, xl / m_vp[i].alpha, m_sigmas[i]);
    }

    /// Ref: uni_pc.py multistep_uni_pc_bh_update with predict_x0. `prev` are grid indices (oldest first),
    /// `models` their x0 predictions; returns {x_t, model_t (undefined without corrector)}.
    std::pair<torch::Tensor, torch::Tensor> update(const torch::Tensor& x, const std::vector<torch::Tensor>& models,
                                                   const std::vector<int>& prev, int t, int order, bool useCorrector) const
    {
        const VpPoint& p0 = m_vp[prev.back()];
        const VpPoint& pt = m_vp[t];
        const torch::Tensor& m0 = models.back();
        if (pt.zero) {
            // lambda_t = inf: the first-order update x_t = sigma_t/sigma_0 x + alpha_t (1 - e^-h) m0 -> m0.
            return {m0, {}};
        }
        const double h = pt.lambda - p0.lambda;
        std::vector<double> rks;
        std::vector<torch::Tensor> d1s;
        for (int i = 1; i < order; ++i) {
            const size_t k = prev.size() - 1 - static_cast<size_t>(i);
            const double rk = (m_vp[prev[k]].lambda - p0.lambda) / h;
            rks.push_back(rk);
            d1s.push_back((models[k] - m0) / rk);
        }
        rks.push_back(1.0);

        const double hh = -h; // predict_x0
        const double hPhi1 = std::expm1(hh);
        double hPhiK = hPhi1 / hh - 1.0;
        double factorial = 1.0;
        const double bH = m_ctx.params.uniPcVariant == UniPcVariant::Bh2 ? std::expm1(hh) : hh;
        std::vector<std::vector<double>> R;
        std::vector<double> b;
        for (int i = 1; i <= order; ++i) {
            std::vector<double> row;
            for (const double r : rks)
                row.push_back(std::pow(r, i - 1));
            R.push_back(row);
            b.push_back(hPhiK * factorial / bH);
            factorial *= (i + 1);
            hPhiK = hPhiK / hh - 1.0 / factorial;
        }

        const torch::Tensor xT0 = x * (pt.sigma / p0.sigma) - m0 * (pt.alpha * hPhi1);
        torch::Tensor xT = xT0;
        if (!d1s.empty()) {
            std::vector<double> rhosP;
            if (order == 2) {
                rhosP = {0.5};
            } else {
                std::vector<std::vector<double>> Rp(R.begin(), R.end() - 1);
                for (auto& row : Rp)
                    row.pop_back();
                rhosP = solveSmall(Rp, std::vector<double>(b.begin(), b.end() - 1));
            }
            torch::Tensor predRes = d1s[0] * rhosP[0];
            for (size_t k = 1; k < d1s.size(); ++k)
                predRes = predRes + d1s[k] * rhosP[k];
            xT = xT0 - predRes * (pt.alpha * bH);
        }
        if (!useCorrector)
            return {xT, {}};
        const std::vector<double> rhosC = order == 1 ? std::vector<double>{0.5} : solveSmall(R, b);
        const torch::Tensor modelT = modelFn(xT, t);
        torch::Tensor corr = (modelT - m0) * rhosC.back();
        for (size_t k = 0; k < d1s.size(); ++k)
            corr = corr + d1s[k] * rhosC[k];
        return {xT0 - corr * (pt.alpha * bH), modelT};
    }

    torch::Tensor run(torch::Tensor x) const
    {
        const int steps = static_cast<int>(m_s.size()) - 1;
        if (steps <= 0)
            return x / std::sqrt(1.0 + m_s[0] * m_s[0]);
        const int order = std::clamp(m_ctx.params.uniPcOrder, 1, steps);
        torch::Tensor xl = x * m_vp[0].alpha;
        std::vector<torch::Tensor> models{modelFn(xl, 0)};
        std::vector<int> prev{0};
        int reported = 0;
        auto step = [&](int t, int stepOrder, bool useCorrector) {
            report(m_ctx, reported, steps, xl / m_vp[prev.back()].alpha, models.back(), m_sigmas[prev.back()],
                   m_sigmas[prev.back()]);
            ++reported;
            auto [next, modelT] = update(xl, models, prev, t, stepOrder, useCorrector);
            xl = next;
            return modelT;
        };
        // Warm-up: the first order - 1 steps at increasing order, always with the corrector.
        for (int initOrder = 1; initOrder < order; ++initOrder) {
            torch::Tensor modelX = step(initOrder, initOrder, true);
            if (!modelX.defined())
                modelX = modelFn(xl, initOrder);
            models.push_back(modelX);
            prev.push_back(initOrder);
        }
        for (int t = order; t <= steps; ++t) {
            const int stepOrder = m_ctx.params.uniPcLowerOrderFinal ? std::min(order, steps + 1 - t) : order;
            const bool useCorrector = t != steps; // no model call after the last point
            torch::Tensor modelX = step(t, stepOrder, useCorrector);
            models.erase(models.begin());
            prev.erase(prev.begin());
            prev.push_back(t);
            if (t < steps) {
                if (!modelX.defined())
                    modelX = modelFn(xl, t);
                models.push_back(modelX);
            } else {
                models.push_back(torch::Tensor());
            }
        }
        return xl;
    }

private:
    const SamplerContext& m_ctx;
    torch::Tensor m_sigmas;
    std::vector<double> m_s;
    std::vector<VpPoint> m_vp;
};

} // namespace

torch::Tensor sampleUniPc(const SamplerContext& ctx, torch::Tensor x, const torch::Tensor& sigmas)
{
    return UniPcRun(ctx, sigmas).run(std::move(x));
}

torch::Tensor a1111TimestepSigmas(ScheduleType type, int steps, const DiscreteSchedule& schedule, const ScheduleOptions& options)
{
    if (type != ScheduleType::Ddim)
        return computeSigmas(type, steps, schedule, options);
    const torch::Tensor check = computeSigmas(type, steps, schedule, options); // validates steps
    (void)check;
    const int64_t len = schedule.size();
    const int64_t stride = std::max<int64_t>(len / steps, 1);
    std::vector<float> sigmas;
    for (int64_t v = 0; v < len; v += stride)
        sigmas.push_back(schedule.sigmas()[std::min(v + 1, len - 1)].item<float>());
    std::reverse(sigmas.begin(), sigmas.end());
    sigmas.push_back(0.0f);
    return torch::tensor(sigmas, torch::kFloat32);
}

torch::Tensor uniPcSigmas(ScheduleType type, int steps, const DiscreteSchedule& schedule, const ScheduleOptions& options)
{
    const torch::Tensor own = computeSigmas(type, steps, schedule, options);
    if (own.size(0) == steps + 1 && own[steps].item<float>() != 0.0f)
        return own; // already ends at a nonzero sigma (KL Optimal)
    const torch::Tensor longer = computeSigmas(type, steps + 1, schedule, options);
    return longer.narrow(0, 0, steps + 1).contiguous();
}

} // namespace easel::sampling
