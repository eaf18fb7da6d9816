// DDIM, PLMS and UniPC (A1111's timestep samplers) run over k-diffusion sigmas. Checked against
// reference implementations written here in LDM scaling over A1111's timesteps and alphas_cumprod
// (DDIM paper eq. 12; PLMS as in Liu et al. 2022), against Euler, against the exact ODE solution for
// Gaussian data, and for model-call counts and registry entries.

#include <QtTest>

#include <algorithm>
#include <cmath>
#include <deque>
#include <vector>

#include "engine/sampling/denoiser.h"
#include "engine/sampling/sampler_registry.h"
#include "engine/sampling/samplers.h"
#include "engine/sampling/samplers_timestep.h"
#include "tests/engine/sampling/toy_models.h"

using namespace easel;
using namespace easel::sampling;

namespace {

/// Toy eps network on LDM-scaled input: smooth in x and t.
torch::Tensor epsNet(const torch::Tensor& xIn, const torch::Tensor& t)
{
    return 0.3 * torch::tanh(xIn) + 0.05 * torch::sin(xIn) * (t.view({-1, 1, 1, 1}) / 1000.0);
}

/// Toy v network.
torch::Tensor vNet(const torch::Tensor& xIn, const torch::Tensor& t)
{
    return 0.2 * torch::tanh(xIn) - 0.1 + 0.02 * (t.view({-1, 1, 1, 1}) / 1000.0);
}

/// A1111 CompVisSampler.get_timesteps: clip(range(0, 1000, 1000 // steps) + 1, 0, 999).
std::vector<int> a1111Timesteps(int steps)
{
    std::vector<int> ts;
    for (int v = 0; v < 1000; v += 1000 / steps)
        ts.push_back(std::min(v + 1, 999));
    return ts;
}

double maxAbs(const torch::Tensor& a, const torch::Tensor& b)
{
    return (a.to(torch::kFloat64) - b.to(torch::kFloat64)).abs().max().item<double>();
}

} // namespace

class TestSamplersTimestep : public QObject {
    Q_OBJECT
    DiscreteSchedule m_schedule = DiscreteSchedule::stableDiffusion();

    double ac(int t) const { return m_schedule.alphasCumprod()[t].item<double>(); }

    /// eps of the reference: the network's eps, or A1111's v -> eps (sqrt(a) v + sqrt(1 - a) x).
    torch::Tensor refEps(const torch::Tensor& x, int t, bool vPred) const
    {
        const torch::Tensor tt = torch::full({x.size(0)}, static_cast<float>(t));
        if (!vPred)
            return epsNet(x, tt);
        return vNet(x, tt) * std::sqrt(ac(t)) + x * std::sqrt(1 - ac(t));
    }

    /// DDIM in LDM scaling over A1111's timesteps (DDIM paper eq. 12), from x_T = noise.
    torch::Tensor referenceDdim(torch::Tensor x, int steps, bool vPred, double eta, test::NoiseBank bank) const
    {
        const std::vector<int> ts = a1111Timesteps(steps);
        const auto noise = bank.source();
        for (size_t index = ts.size() - 1; index >= 1; --index) {
            const double a = ac(ts[index]);
            const double aPrev = ac(ts[index - 1]);
            const double sigma = eta * std::sqrt((1 - aPrev) / (1 - a)) * std::sqrt(1 - a / aPrev);
            const torch::Tensor eps = refEps(x, ts[index], vPred);
            const torch::Tensor x0 = (x - std::sqrt(1 - a) * eps) / std::sqrt(a);
            x = std::sqrt(aPrev) * x0 + std::sqrt(1 - aPrev - sigma * sigma) * eps + sigma * noise(x);
        }
        return x;
    }

    /// PLMS in LDM scaling: improved Euler first, then Adams-Bashforth 2, 3, 4 on eps.
    torch::Tensor referencePlms(torch::Tensor x, int steps) const
    {
        const std::vector<int> ts = a1111Timesteps(steps);
        auto ddimStep = [&](const torch::Tensor& xt, const torch::Tensor& eps, int t, int tPrev) {
            const double a = ac(t), aPrev = ac(tPrev);
            return std::sqrt(aPrev) * (xt - std::sqrt(1 - a) * eps) / std::sqrt(a) + std::sqrt(1 - aPrev) * eps;
        };
        std::vector<torch::Tensor> history;
        for (size_t index = ts.size() - 1; index >= 1; --index) {
            const int t = ts[index], tPrev = ts[index - 1];
            const torch::Tensor e = refEps(x, t, false);
            torch::Tensor ePrime;
            const size_t n = history.size();
            if (n == 0)
                ePrime = (e + refEps(ddimStep(x, e, t, tPrev), tPrev, false)) / 2;
            else if (n == 1)
                ePrime = (3 * e - history[n - 1]) / 2;
            else if (n == 2)
                ePrime = (23 * e - 16 * history[n - 1] + 5 * history[n - 2]) / 12;
            else
                ePrime = (55 * e - 59 * history[n - 1] + 37 * history[n - 2] - 9 * history[n - 3]) / 24;
            x = ddimStep(x, ePrime, t, tPrev);
            history.push_back(e);
        }
        return x;
    }

    SamplerContext context(Prediction prediction, test::CallCounter counter = {}) const
    {
        SamplerContext ctx;
        const DiscreteDenoiser d(prediction == Prediction::V ? TimestepModel(vNet) : TimestepModel(epsNet), m_schedule, prediction);
        ctx.denoise = counter.wrap(d.asDenoiser());
        return ctx;
    }

private Q_SLOTS:
    void ddimGridIsA1111Timesteps()
    {
        for (const int steps : {1, 3, 4, 7, 9, 20, 50}) {
            const torch::Tensor sigmas = samplerSigmas(findSampler("DDIM"), ScheduleType::Automatic, steps, m_schedule);
            const std::vector<int> ts = a1111Timesteps(steps);
            QCOMPARE(sigmas.size(0), int64_t(ts.size() + 1));
            QVERIFY(sigmas.size(0) >= steps + 1); // img2img keeps the last t_enc + 2
            for (size_t i = 0; i < ts.size(); ++i)
                QCOMPARE(sigmas[static_cast<int64_t>(i)].item<float>(), m_schedule.sigmas()[ts[ts.size() - 1 - i]].item<float>());
            QCOMPARE(sigmas[-1].item<float>(), 0.0f);
        }
        // The k-diffusion "DDIM" schedule lacks the clipped timestep 999 when 999 % (1000 / steps) == 0.
        QCOMPARE(computeSigmas(ScheduleType::Ddim, 3, m_schedule).size(0), int64_t(4));
        QCOMPARE(a1111TimestepSigmas(ScheduleType::Ddim, 3, m_schedule, {}).size(0), int64_t(5));
        // Other schedules pass through.
        QVERIFY(torch::equal(a1111TimestepSigmas(ScheduleType::Karras, 6, m_schedule, {}),
                             computeSigmas(ScheduleType::Karras, 6, m_schedule)));
    }

    void ddimMatchesReferenceInLdmScaling_data()
    {
        QTest::addColumn<int>("steps");
        QTest::addColumn<bool>("vPred");
        QTest::addColumn<double>("eta");
        QTest::newRow("3 eps (clipped 999)") << 3 << false << 0.0;
        QTest::newRow("4 eps") << 4 << false << 0.0;
        QTest::newRow("9 v (clipped 999)") << 9 << true << 0.0;
        QTest::newRow("20 eps") << 20 << false << 0.0;
        QTest::newRow("7 v") << 7 << true << 0.0;
        QTest::newRow("10 eps eta 0.7") << 10 << false << 0.7;
        QTest::newRow("10 v eta 1") << 10 << true << 1.0;
    }

    void ddimMatchesReferenceInLdmScaling()
    {
        QFETCH(int, steps);
        QFETCH(bool, vPred);
        QFETCH(double, eta);
        // Both in float64, so the comparison checks the algorithm, not float32 rounding (in float32 the
        // two differ by up to ~2e-5 after 20 steps, from eps = (x - x0) / sigma cancellation).
        torch::manual_seed(1);
        const torch::Tensor noise = torch::randn({2, 4, 8, 8}, torch::kFloat64);
        const test::NoiseBank refBank, ourBank;
        const torch::Tensor want = referenceDdim(noise, steps, vPred, eta, refBank);

        test::CallCounter counter;
        SamplerContext ctx = context(vPred ? Prediction::V : Prediction::Epsilon, counter);
        ctx.params.ddimEta = eta;
        ctx.noise = ourBank.source();
        const SamplerInfo& info = findSampler("DDIM");
        const torch::Tensor sigmas = samplerSigmas(info, ScheduleType::Automatic, steps, m_schedule);
        // A1111 starts from the noise itself as x_T in LDM scaling.
        const torch::Tensor x = noise * txt2imgNoiseScale(info, sigmas[0].item<double>());
        const torch::Tensor got = info.function(ctx, x, sigmas);
        const double err = maxAbs(got, want);
        QVERIFY2(err <= 1e-5, qPrintable(QString("max abs err %1").arg(err)));
        const int intervals = static_cast<int>(a1111Timesteps(steps).size()) - 1;
        QCOMPARE(*counter.calls, intervals); // A1111 walks the intervals between its timesteps
        QCOMPARE(*ourBank.draws, intervals); // one randn_like per step, eta or not
    }

    void ddimEta0IsEulerInKDiffusionScaling()
    {
        // DDIM with eta 0 is Euler on the probability-flow ODE: x_prev = x + (sigma_prev - sigma) eps.
        torch::manual_seed(2);
        const torch::Tensor sigmas = computeSigmas(ScheduleType::Karras, 12, m_schedule);
        const torch::Tensor x = torch::randn({1, 4, 6, 6}) * sigmas[0];
        SamplerContext ctx;
        ctx.denoise = test::tanhDenoiser;
        const torch::Tensor ddim = sampleDdim(ctx, x, sigmas);
        const torch::Tensor upToLast = sigmas.narrow(0, 0, sigmas.size(0) - 1);
        const double last = upToLast[-1].item<double>();
        const torch::Tensor euler = sampleEuler(ctx, x, upToLast) / std::sqrt(1 + last * last);
        const double err = maxAbs(ddim, euler);
        QVERIFY2(err <= 1e-5, qPrintable(QString("max abs err %1").arg(err)));
    }

    void deterministicSamplersConvergeToTheExactOdeSolution()
    {
        const test::GaussianData data;
        SamplerContext ctx;
        ctx.denoise = [&](const torch::Tensor& x, const torch::Tensor& s) { return data.denoise(x, s); };
        torch::manual_seed(3);
        const torch::Tensor noise = torch::randn({1, 4, 8, 8});
        struct Case {
            const char* name;
            int steps;
            double tolerance;
        };
        // DDIM is first order (Euler) on a grid uniform in timesteps: ~1.5e-2 at 250 steps, ~7e-3 at
        // 500. PLMS's pseudo multistep reaches ~2e-3 at 100 steps. UniPC's time-uniform grid ends with a large
        // log-sigma step taken at order 1: ~2e-2 at 50 steps (see uniPcConvergesOneOrderAboveItsPredictor).
        for (const Case c : {Case{"DDIM", 250, 3e-2}, Case{"DDIM", 500, 1.5e-2}, Case{"PLMS", 100, 5e-3}, Case{"UniPC", 50, 3e-2}}) {
            const SamplerInfo& info = findSampler(c.name);
            const torch::Tensor sigmas = samplerSigmas(info, ScheduleType::Automatic, c.steps, m_schedule);
            const double first = sigmas[0].item<double>();
            // The last point each one reaches: DDIM/PLMS stop before a trailing 0.
            double last = sigmas[-1].item<double>();
            if (last == 0.0)
                last = sigmas[-2].item<double>();
            const torch::Tensor x = noise * first;
            const torch::Tensor want = data.solve(x, first, last) / std::sqrt(1 + last * last);
            const double err = maxAbs(info.function(ctx, x, sigmas), want);
            QVERIFY2(err <= c.tolerance, qPrintable(QString("%1: max abs err %2").arg(c.name).arg(err)));
        }
    }

    void plmsMatchesReferenceIncludingWarmUp_data()
    {
        QTest::addColumn<int>("steps");
        QTest::newRow("2 (improved Euler only)") << 2;
        QTest::newRow("3 (+AB2)") << 3;
        QTest::newRow("4 (+AB3)") << 4;
        QTest::newRow("5 (+AB4)") << 5;
        QTest::newRow("9 (+AB4, clipped 999)") << 9;
    }

    void plmsMatchesReferenceIncludingWarmUp()
    {
        QFETCH(int, steps);
        torch::manual_seed(4);
        const torch::Tensor noise = torch::randn({1, 4, 8, 8}, torch::kFloat64);
        const torch::Tensor want = referencePlms(noise, steps);
        test::CallCounter counter;
        const SamplerContext ctx = context(Prediction::Epsilon, counter);
        const SamplerInfo& info = findSampler("plms");
        const torch::Tensor sigmas = samplerSigmas(info, ScheduleType::Automatic, steps, m_schedule);
        const torch::Tensor got = info.function(ctx, noise * txt2imgNoiseScale(info, sigmas[0].item<double>()), sigmas);
        const double err = maxAbs(got, want);
        QVERIFY2(err <= 1e-5, qPrintable(QString("max abs err %1").arg(err)));
        // One call per interval, two on the first.
        QCOMPARE(*counter.calls, static_cast<int>(a1111Timesteps(steps).size()));
    }

    void uniPcConvergesOneOrderAboveItsPredictor()
    {
        // On a grid uniform in log sigma (lambda) ending at a nonzero sigma, UniPC-p with its corrector
        // converges at order p + 1: doubling the steps divides the error by ~4 (p = 1) and ~9 (p = 2);
        // p = 3 is ~1e-4 by 20 steps. (On A1111's time-uniform grid the large last lambda step, taken at
        // order 1, dominates: ~2e-2 at 50 steps.)
        const test::GaussianData data;
        SamplerContext ctx;
        ctx.denoise = [&](const torch::Tensor& x, const torch::Tensor& s) { return data.denoise(x, s); };
        torch::manual_seed(3);
        const torch::Tensor noise = torch::randn({1, 4, 8, 8}, torch::kFloat64);
        auto error = [&](int steps, int order) {
            ctx.params.uniPcOrder = order;
            const torch::Tensor sigmas =
                torch::linspace(std::log(14.6), std::log(0.03), steps + 1, torch::kFloat64).exp().to(torch::kFloat32);
            const double first = sigmas[0].item<double>(), last = sigmas[-1].item<double>();
            const torch::Tensor x = noise * first;
            return maxAbs(sampleUniPc(ctx, x, sigmas), data.solve(x, first, last) / std::sqrt(1 + last * last));
        };
        QVERIFY(error(20, 1) / error(40, 1) > 3.5);
        QVERIFY(error(20, 2) / error(40, 2) > 7.0);
        QVERIFY(error(20, 3) < 5e-4);
        QVERIFY(error(40, 3) < 2e-4);
    }

    void uniPcWarmUpFollowsThePredictorCorrectorFormulas_data()
    {
        QTest::addColumn<bool>("bh2");
        QTest::newRow("bh1") << false;
        QTest::newRow("bh2") << true;
    }

    void uniPcWarmUpFollowsThePredictorCorrectorFormulas()
    {
        // Two steps: step 1 is order 1 with the corrector (rho_c = 1/2), step 2 is the lower-order final
        // step without corrector. In LDM scaling with alpha = 1/sqrt(1+s^2), sigma_vp = s alpha,
        // lambda = -log s, and B(h) = -h (bh1) or expm1(-h) (bh2).
        QFETCH(bool, bh2);
        const test::GaussianData data;
        test::CallCounter counter;
        SamplerContext ctx;
        ctx.denoise = counter.wrap([&](const torch::Tensor& x, const torch::Tensor& s) { return data.denoise(x, s); });
        ctx.params.uniPcVariant = bh2 ? UniPcVariant::Bh2 : UniPcVariant::Bh1;
        const std::vector<double> s{6.0, 1.5, 0.3};
        const torch::Tensor sigmas = torch::tensor(std::vector<float>(s.begin(), s.end()));
        std::vector<double> alpha, sigmaVp, lambda;
        for (size_t i = 0; i < 3; ++i) {
            const double sf = sigmas[static_cast<int64_t>(i)].item<double>();
            alpha.push_back(1 / std::sqrt(1 + sf * sf));
            sigmaVp.push_back(sf * alpha.back());
            lambda.push_back(-std::log(sf));
        }
        torch::manual_seed(5);
        const torch::Tensor x = torch::randn({1, 4, 4, 4}).to(torch::kFloat64) * sigmas[0].item<double>();
        auto model = [&](const torch::Tensor& xl, int i) { return data.denoise(xl / alpha[i], sigmas[i].unsqueeze(0)).to(torch::kFloat64); };
        const torch::Tensor xl0 = x * alpha[0];
        const torch::Tensor m0 = model(xl0, 0);
        const double h1 = lambda[1] - lambda[0];
        const double bh = bh2 ? std::expm1(-h1) : -h1;
        const torch::Tensor pred = sigmaVp[1] / sigmaVp[0] * xl0 - alpha[1] * std::expm1(-h1) * m0;
        const torch::Tensor m1 = model(pred, 1);
        const torch::Tensor xl1 = pred - alpha[1] * bh * 0.5 * (m1 - m0);
        const double h2 = lambda[2] - lambda[1];
        const torch::Tensor want = sigmaVp[2] / sigmaVp[1] * xl1 - alpha[2] * std::expm1(-h2) * m1;

        const torch::Tensor got = sampleUniPc(ctx, x.to(torch::kFloat32), sigmas);
        const double err = maxAbs(got, want);
        QVERIFY2(err <= 1e-5, qPrintable(QString("max abs err %1").arg(err)));
        QCOMPARE(*counter.calls, 2);
    }

    void uniPcOneModelCallPerStepAndItsOwnGrid()
    {
        const SamplerInfo& info = findSampler("uni_pc");
        for (const int steps : {1, 2, 3, 10}) {
            const torch::Tensor sigmas = samplerSigmas(info, ScheduleType::Automatic, steps, m_schedule);
            QCOMPARE(sigmas.size(0), int64_t(steps + 1)); // img2img cuts the last t_enc + 2 of steps + 1
            QVERIFY(sigmas[-1].item<float>() > 0.0f);
            test::CallCounter counter;
            SamplerContext ctx;
            ctx.denoise = counter.wrap(test::tanhDenoiser);
            const torch::Tensor out = info.function(ctx, torch::randn({1, 4, 4, 4}) * sigmas[0], sigmas);
            QVERIFY(torch::isfinite(out).all().item<bool>());
            QCOMPARE(*counter.calls, steps);
        }
        // A trailing 0 (an explicit k-diffusion list) is reached as the last x0 prediction.
        const torch::Tensor withZero = computeSigmas(ScheduleType::Karras, 8, m_schedule);
        SamplerContext ctx;
        ctx.denoise = test::tanhDenoiser;
        QVERIFY(torch::isfinite(sampleUniPc(ctx, torch::randn({1, 4, 4, 4}) * withZero[0], withZero)).all().item<bool>());
    }

    void uniPcGridIsA1111TimeUniform()
    {
        // A1111: continuous t = linspace(1, 1/1000, steps + 1), log alpha interpolated linearly over
        // t_k = (k + 1) / 1000 with values 0.5 log(alphas_cumprod[k]); sigma = sqrt(1 - alpha^2) / alpha.
        const int steps = 15;
        const torch::Tensor ours = uniPcSigmas(ScheduleType::Uniform, steps, m_schedule, {});
        double worst = 0;
        for (int i = 0; i <= steps; ++i) {
            const double t = 1.0 + (0.001 - 1.0) * i / steps;
            const double k = t * 1000 - 1; // fractional table index
            const int lo = std::clamp(static_cast<int>(std::floor(k)), 0, 998);
            const double f = k - lo;
            const double logAlpha = 0.5 * ((1 - f) * std::log(ac(lo)) + f * std::log(ac(lo + 1)));
            const double sigma = std::sqrt(std::exp(-2 * logAlpha) - 1);
            worst = std::max(worst, std::abs(ours[i].item<double>() / sigma - 1));
        }
        qInfo("UniPC grid vs A1111 log-alpha interpolation: max relative sigma difference %.3g", worst);
        QVERIFY(worst < 1e-4);
    }

    void registryEntries()
    {
        const auto& reg = samplerRegistry();
        auto indexOf = [&](const std::string& label) {
            for (size_t i = 0; i < reg.size(); ++i)
                if (reg[i].label == label)
                    return static_cast<int>(i);
            return -1;
        };
        // A1111 menu: ... Restart, DDIM, PLMS, UniPC, LCM.
        QCOMPARE(indexOf("PLMS"), indexOf("DDIM") + 1);
        QCOMPARE(indexOf("UniPC"), indexOf("PLMS") + 1);
        QCOMPARE(indexOf("LCM"), indexOf("UniPC") + 1);
        QCOMPARE(findSampler("ddim").label, std::string("DDIM"));
        QCOMPARE(findSampler("unipc").label, std::string("UniPC"));
        QCOMPARE(findSampler("UNI_PC").label, std::string("UniPC"));
        QCOMPARE(findSampler("DDIM").defaultSchedule, ScheduleType::Ddim);
        QCOMPARE(findSampler("PLMS").defaultSchedule, ScheduleType::Ddim);
        QCOMPARE(findSampler("UniPC").defaultSchedule, ScheduleType::Uniform);
        QVERIFY(findSampler("DDIM").timestepSampler);
        QVERIFY(!findSampler("Euler").timestepSampler);
        QCOMPARE(txt2imgNoiseScale(findSampler("Euler"), 3.0), 3.0);
        QCOMPARE(txt2imgNoiseScale(findSampler("DDIM"), 3.0), std::sqrt(10.0));
        // "DDIM" is also a schedule label; as a sampler name it is the sampler.
        QCOMPARE(parseSamplerName("DDIM").sampler->label, std::string("DDIM"));
        QVERIFY(!parseSamplerName("DDIM").schedule);
    }
};

QTEST_GUILESS_MAIN(TestSamplersTimestep)
#include "test_samplers_timestep.moc"
