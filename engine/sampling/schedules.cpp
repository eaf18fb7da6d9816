#include "engine/sampling/schedules.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>

#include "engine/api/error.h"

namespace easel::sampling {

namespace {

// Ref: A1111 sd_schedulers.py get_align_your_steps_sigmas (NVIDIA's published tables).
constexpr std::array<double, 11> kAysSd15 = {14.615, 6.475, 3.861, 2.697, 1.886, 1.396, 0.963, 0.652, 0.399, 0.152, 0.029};
constexpr std::array<double, 11> kAysSdxl = {14.615, 6.315, 3.771, 2.181, 1.342, 0.862, 0.555, 0.380, 0.234, 0.113, 0.029};

torch::Tensor fromDoubles(const std::vector<double>& values)
{
    std::vector<float> f(values.begin(), values.end());
    return torch::tensor(f, torch::kFloat32);
}

/// numpy.linspace(0, 1, n) as numpy computes it (i * step, last exactly 1).
std::vector<double> unitLinspace(int n)
{
    std::vector<double> xs(static_cast<size_t>(n));
    if (n == 1) {
        xs[0] = 0.0;
        return xs;
    }
    const double step = 1.0 / (n - 1);
    for (int i = 0; i < n; ++i)
        xs[static_cast<size_t>(i)] = i * step;
    xs.back() = 1.0;
    return xs;
}

/// numpy.interp for increasing xp.
double interp(double x, const std::vector<double>& xp, const std::vector<double>& fp)
{
    if (x <= xp.front())
        return fp.front();
    if (x >= xp.back())
        return fp.back();
    const size_t j = static_cast<size_t>(std::upper_bound(xp.begin(), xp.end(), x) - xp.begin()) - 1;
    if (xp[j] == x)
        return fp[j];
    const double slope = (fp[j + 1] - fp[j]) / (xp[j + 1] - xp[j]);
    return slope * (x - xp[j]) + fp[j];
}

torch::Tensor karras(int n, double sigmaMin, double sigmaMax, double rho)
{
    // Ref: k-diffusion sampling.py get_sigmas_karras (ramp and arithmetic in float32).
    const torch::Tensor ramp = torch::linspace(0, 1, n, torch::kFloat32);
    const double minInvRho = std::pow(sigmaMin, 1 / rho);
    const double maxInvRho = std::pow(sigmaMax, 1 / rho);
    return appendZero((ramp * (minInvRho - maxInvRho) + maxInvRho).pow(rho));
}

torch::Tensor exponential(int n, double sigmaMin, double sigmaMax)
{
    // Ref: k-diffusion sampling.py get_sigmas_exponential.
    return appendZero(torch::linspace(std::log(sigmaMax), std::log(sigmaMin), n, torch::kFloat32).exp());
}

torch::Tensor polyexponential(int n, double sigmaMin, double sigmaMax, double rho)
{
    // Ref: k-diffusion sampling.py get_sigmas_polyexponential.
    const torch::Tensor ramp = torch::linspace(1, 0, n, torch::kFloat32).pow(rho);
    return appendZero(torch::exp(ramp * (std::log(sigmaMax) - std::log(sigmaMin)) + std::log(sigmaMin)));
}

/// A1111 normal_scheduler / sgm_uniform: t_to_sigma of each timestep of a linspace between the
/// timesteps of the sigma ends, one 0-dim tensor at a time as A1111 does.
torch::Tensor timestepLinspace(int n, double sigmaMin, double sigmaMax, const DiscreteSchedule& schedule, bool sgm)
{
    const double start = schedule.sigmaToT(torch::tensor(static_cast<float>(sigmaMax))).item<double>();
    const double end = schedule.sigmaToT(torch::tensor(static_cast<float>(sigmaMin))).item<double>();
    torch::Tensor timesteps = torch::linspace(start, end, sgm ? n + 1 : n, torch::kFloat32);
    if (sgm)
        timesteps = timesteps.slice(0, 0, n);
    std::vector<float> sigmas;
    for (int64_t i = 0; i < timesteps.size(0); ++i)
        sigmas.push_back(schedule.tToSigma(timesteps[i]).item<float>());
    sigmas.push_back(0.0f);
    return torch::tensor(sigmas, torch::kFloat32);
}

torch::Tensor simple(int n, const DiscreteSchedule& schedule)
{
    // Ref: A1111 sd_schedulers.py simple_scheduler.
    const auto table = schedule.sigmas();
    const int64_t len = table.size(0);
    const double ss = static_cast<double>(len) / n;
    std::vector<float> sigmas;
    for (int x = 0; x < n; ++x)
        sigmas.push_back(table[len - 1 - static_cast<int64_t>(x * ss)].item<float>());
    sigmas.push_back(0.0f);
    return torch::tensor(sigmas, torch::kFloat32);
}

torch::Tensor ddim(int n, const DiscreteSchedule& schedule)
{
    // Ref: A1111 sd_schedulers.py ddim_scheduler.
    const auto table = schedule.sigmas();
    const int64_t len = table.size(0);
    const int64_t ss = std::max<int64_t>(len / n, 1);
    std::vector<float> sigmas;
    for (int64_t x = 1; x < len; x += ss)
        sigmas.push_back(table[x].item<float>());
    std::reverse(sigmas.begin(), sigmas.end());
    sigmas.push_back(0.0f);
    return torch::tensor(sigmas, torch::kFloat32);
}

torch::Tensor klOptimal(int n, double sigmaMin, double sigmaMax)
{
    // Ref: A1111 sd_schedulers.py kl_optimal (float32 tensors; ends at sigma_min, no zero).
    const torch::Tensor alphaMin = torch::atan(torch::tensor(static_cast<float>(sigmaMin)));
    const torch::Tensor alphaMax = torch::atan(torch::tensor(static_cast<float>(sigmaMax)));
    const torch::Tensor idx = torch::arange(n + 1, torch::kLong);
    const torch::Tensor frac = torch::div(idx, n);
    return torch::tan(frac * alphaMin + torch::rsub(frac, 1.0) * alphaMax);
}

torch::Tensor alignYourSteps(int n, bool sdxl)
{
    const auto& table = sdxl ? kAysSdxl : kAysSd15;
    std::vector<double> sigmas(table.begin(), table.end());
    if (n != static_cast<int>(table.size())) {
        // Log-linear interpolation of the reversed table (numpy float64), reversed back.
        const std::vector<double> xs = unitLinspace(static_cast<int>(table.size()));
        std::vector<double> ys;
        for (auto it = table.rbegin(); it != table.rend(); ++it)
            ys.push_back(std::log(*it));
        const std::vector<double> newXs = unitLinspace(n);
        sigmas.clear();
        for (const double x : newXs)
            sigmas.push_back(std::exp(interp(x, xs, ys)));
        std::reverse(sigmas.begin(), sigmas.end());
    }
    sigmas.push_back(0.0);
    return fromDoubles(sigmas);
}

torch::Tensor beta(int n, double sigmaMin, double sigmaMax, double a, double b)
{
    // Ref: A1111 sd_schedulers.py beta_scheduler (Lee et al. 2024), float64 then float32.
    std::vector<double> sigmas;
    for (const double x : unitLinspace(n)) {
        const double ts = betaPpf(1.0 - x, a, b);
        sigmas.push_back(sigmaMin + ts * (sigmaMax - sigmaMin));
    }
    sigmas.push_back(0.0);
    return fromDoubles(sigmas);
}

/// Continued fraction of the incomplete beta function (modified Lentz).
double betaContinuedFraction(double x, double a, double b)
{
    constexpr double kTiny = 1e-300;
    double c = 1.0;
    double d = 1.0 - (a + b) * x / (a + 1.0);
    if (std::abs(d) < kTiny)
        d = kTiny;
    d = 1.0 / d;
    double h = d;
    for (int m = 1; m <= 10000; ++m) {
        const double m2 = 2.0 * m;
        double num = m * (b - m) * x / ((a + m2 - 1.0) * (a + m2));
        d = 1.0 + num * d;
        c = 1.0 + num / c;
        d = 1.0 / (std::abs(d) < kTiny ? kTiny : d);
        c = std::abs(c) < kTiny ? kTiny : c;
        h *= d * c;
        num = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1.0));
        d = 1.0 + num * d;
        c = 1.0 + num / c;
        d = 1.0 / (std::abs(d) < kTiny ? kTiny : d);
        c = std::abs(c) < kTiny ? kTiny : c;
        const double delta = d * c;
        h *= delta;
        if (std::abs(delta - 1.0) < 1e-16)
            break;
    }
    return h;
}

/// Regularised incomplete beta I_x(a, b).
double betaCdf(double x, double a, double b)
{
    if (x <= 0.0)
        return 0.0;
    if (x >= 1.0)
        return 1.0;
    const double logFront = std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) + a * std::log(x) + b * std::log1p(-x);
    if (x < (a + 1.0) / (a + b + 2.0))
        return std::exp(logFront) * betaContinuedFraction(x, a, b) / a;
    return 1.0 - std::exp(logFront) * betaContinuedFraction(1.0 - x, b, a) / b;
}

} // namespace

double betaPpf(double p, double a, double b)
{
    if (p <= 0.0)
        return 0.0;
    if (p >= 1.0)
        return 1.0;
    // The CDF is monotone: bisection to the last representable bit is slow-ish but exact enough
    // (schedules have tens of entries).
    double lo = 0.0;
    double hi = 1.0;
    for (int i = 0; i < 200 && lo < hi; ++i) {
        const double mid = 0.5 * (lo + hi);
        if (mid <= lo || mid >= hi)
            break;
        if (betaCdf(mid, a, b) < p)
            lo = mid;
        else
            hi = mid;
    }
    return 0.5 * (lo + hi);
}

torch::Tensor computeSigmas(ScheduleType type, int steps, const DiscreteSchedule& schedule, const ScheduleOptions& options)
{
    if (steps <= 0)
        throw api::Error(api::ErrorCode::InvalidRequest, "steps must be at least 1 (got " + std::to_string(steps) + ")");
    const int n = options.discardPenultimate ? steps + 1 : steps;
    const double sigmaMin = options.sigmaMin > 0 ? options.sigmaMin : schedule.sigmaMin();
    const double sigmaMax = options.sigmaMax > 0 ? options.sigmaMax : schedule.sigmaMax();
    torch::Tensor sigmas;
    switch (type) {
    case ScheduleType::Automatic:
    case ScheduleType::Uniform: sigmas = schedule.uniformSigmas(n); break;
    case ScheduleType::Karras: sigmas = karras(n, sigmaMin, sigmaMax, options.rho > 0 ? options.rho : 7.0); break;
    case ScheduleType::Exponential: sigmas = exponential(n, sigmaMin, sigmaMax); break;
    case ScheduleType::Polyexponential:
        sigmas = polyexponential(n, sigmaMin, sigmaMax, options.rho > 0 ? options.rho : 1.0);
        break;
    case ScheduleType::SgmUniform: sigmas = timestepLinspace(n, sigmaMin, sigmaMax, schedule, true); break;
    case ScheduleType::KlOptimal: sigmas = klOptimal(n, sigmaMin, sigmaMax); break;
    case ScheduleType::AlignYourSteps: sigmas = alignYourSteps(n, options.sdxl); break;
    case ScheduleType::Simple: sigmas = simple(n, schedule); break;
    case ScheduleType::Normal: sigmas = timestepLinspace(n, sigmaMin, sigmaMax, schedule, false); break;
    case ScheduleType::Ddim: sigmas = ddim(n, schedule); break;
    case ScheduleType::Beta: sigmas = beta(n, sigmaMin, sigmaMax, options.betaAlpha, options.betaBeta); break;
    }
    if (options.discardPenultimate && sigmas.size(0) >= 2) {
        const int64_t len = sigmas.size(0);
        sigmas = torch::cat({sigmas.slice(0, 0, len - 2), sigmas.slice(0, len - 1)});
    }
    return sigmas;
}

} // namespace easel::sampling
