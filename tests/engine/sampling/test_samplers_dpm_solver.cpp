// DPM fast and DPM adaptive (k-diffusion DPMSolver): exact ODE solution for Gaussian data, the
// fast solver's order pattern and model-call budget, the adaptive solver's error control, ancestral
// noise draws, and registry entries.

#include <QtTest>

#include <cmath>

#include "engine/sampling/sampler_registry.h"
#include "engine/sampling/samplers_dpm_solver.h"
#include "tests/engine/sampling/toy_models.h"

using namespace easel;
using namespace easel::sampling;

namespace {

double maxAbs(const torch::Tensor& a, const torch::Tensor& b)
{
    return (a.to(torch::kFloat64) - b.to(torch::kFloat64)).abs().max().item<double>();
}

} // namespace

class TestSamplersDpmSolver : public QObject {
    Q_OBJECT
    DiscreteSchedule m_schedule = DiscreteSchedule::stableDiffusion();
    test::GaussianData m_data;

    SamplerContext gaussianContext(test::CallCounter counter = {}) const
    {
        SamplerContext ctx;
        const test::GaussianData data = m_data;
        ctx.denoise = counter.wrap([data](const torch::Tensor& x, const torch::Tensor& s) { return data.denoise(x, s); });
        ctx.params.eta = 0.0;
        return ctx;
    }

private Q_SLOTS:
    void fastSolvesTheOdeBetweenTheSigmaEnds_data()
    {
        QTest::addColumn<int>("n");
        QTest::addColumn<double>("tolerance");
        QTest::newRow("n 10") << 10 << 1e-2;
        QTest::newRow("n 30") << 30 << 5e-4;
        // The last step is order 1 (n % 3 == 1), which dominates the error: ~1.2e-4.
        QTest::newRow("n 61") << 61 << 2e-4;
    }

    void fastSolvesTheOdeBetweenTheSigmaEnds()
    {
        QFETCH(int, n);
        QFETCH(double, tolerance);
        test::CallCounter counter;
        const SamplerContext ctx = gaussianContext(counter);
        const torch::Tensor sigmas = computeSigmas(ScheduleType::Uniform, n, m_schedule);
        const double sMax = sigmas[0].item<double>();
        const double sMin = sigmas[-2].item<double>(); // last nonzero: the table's sigma_min
        torch::manual_seed(1);
        // float64 x: the solver's times stay float32 as in k-diffusion, the state does not round.
        const torch::Tensor x = torch::randn({1, 4, 8, 8}, torch::kFloat64) * sMax;
        const torch::Tensor got = sampleDpmFast(ctx, x, sigmas);
        const double err = maxAbs(got, m_data.solve(x, sMax, sMin));
        QVERIFY2(err <= tolerance, qPrintable(QString("max abs err %1").arg(err)));
        QCOMPARE(*counter.calls, n); // k-diffusion spends exactly nfe = n model calls
    }

    void fastStepsFollowTheOrderPattern()
    {
        // floor(n/3) + 1 steps (all order 3 but the last, n % 3, or the last two, 2 and 1, when 3
        // divides n), n model calls in all; the callback fires once per step.
        for (const int n : {1, 2, 3, 4, 5, 6, 20}) {
            test::CallCounter counter;
            SamplerContext ctx = gaussianContext(counter);
            int callbacks = 0;
            ctx.callback = [&](const StepInfo&) {
                ++callbacks;
                return true;
            };
            const torch::Tensor sigmas = torch::cat({torch::linspace(10.0, 0.1, n, torch::kFloat32), torch::zeros({1})});
            (void)sampleDpmFast(ctx, torch::randn({1, 4, 2, 2}) * 10, sigmas);
            QCOMPARE(callbacks, n / 3 + 1);
            QCOMPARE(*counter.calls, n);
        }
    }

    void adaptiveMeetsItsTolerance()
    {
        test::CallCounter counter;
        const SamplerContext ctx = gaussianContext(counter);
        const torch::Tensor sigmas = computeSigmas(ScheduleType::Uniform, 20, m_schedule);
        const double sMax = sigmas[0].item<double>();
        const double sMin = sigmas[-2].item<double>();
        torch::manual_seed(2);
        const torch::Tensor x = torch::randn({1, 4, 8, 8}) * sMax;
        DpmAdaptiveInfo info;
        const torch::Tensor got = dpmSolverAdaptive(ctx, x, sMin, sMax, DpmAdaptiveOptions{}, &info);
        const double err = maxAbs(got, m_data.solve(x, sMax, sMin));
        qInfo("DPM adaptive: %d attempts, %d accepted, %d rejected, %d model calls, max abs err %.3g", info.steps,
              info.accepted, info.rejected, info.nfe, err);
        QVERIFY2(err <= 0.15, qPrintable(QString("max abs err %1").arg(err)));
        QCOMPARE(info.nfe, 3 * info.steps); // order 3: three evaluations per attempt
        QCOMPARE(*counter.calls, info.nfe);
        QCOMPARE(info.accepted + info.rejected, info.steps);

        // A tighter tolerance takes more steps and lands closer.
        DpmAdaptiveOptions tight;
        tight.rtol = 1e-4;
        tight.atol = 1e-5;
        DpmAdaptiveInfo tightInfo;
        const torch::Tensor better = dpmSolverAdaptive(ctx, x, sMin, sMax, tight, &tightInfo);
        const double tightErr = maxAbs(better, m_data.solve(x, sMax, sMin));
        QVERIFY2(tightErr <= 5e-3 && tightErr < err / 10, qPrintable(QString("tight max abs err %1").arg(tightErr)));
        QVERIFY(tightInfo.accepted > info.accepted);

        // Order 2: two evaluations per attempt.
        DpmAdaptiveOptions second;
        second.order = 2;
        DpmAdaptiveInfo secondInfo;
        (void)dpmSolverAdaptive(ctx, x, sMin, sMax, second, &secondInfo);
        QCOMPARE(secondInfo.nfe, 2 * secondInfo.steps);
    }

    void ancestralDrawsNoiseAndStaysFinite()
    {
        // A1111 passes eta = 1: one draw per fast step, one per accepted adaptive step.
        const torch::Tensor sigmas = computeSigmas(ScheduleType::Uniform, 12, m_schedule);
        const torch::Tensor x = torch::randn({1, 4, 4, 4}) * sigmas[0];
        test::NoiseBank bank;
        SamplerContext ctx = gaussianContext();
        ctx.params.eta = 1.0;
        ctx.noise = bank.source();
        const torch::Tensor fast = sampleDpmFast(ctx, x, sigmas);
        QVERIFY(torch::isfinite(fast).all().item<bool>());
        QCOMPARE(*bank.draws, 12 / 3 + 1);
        // The result differs from the deterministic one (noise was added).
        SamplerContext det = gaussianContext();
        QVERIFY(maxAbs(sampleDpmFast(det, x, sigmas), fast) > 1e-3);

        test::NoiseBank bank2;
        ctx.noise = bank2.source();
        DpmAdaptiveInfo info;
        const torch::Tensor adaptive = dpmSolverAdaptive(ctx, x, sigmas[-2].item<double>(), sigmas[0].item<double>(), {}, &info);
        QVERIFY(torch::isfinite(adaptive).all().item<bool>());
        QCOMPARE(*bank2.draws, info.accepted);
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
        // A1111 menu: ... DPM2 a, DPM fast, DPM adaptive, Restart, ...
        QCOMPARE(indexOf("DPM fast"), indexOf("DPM2 a") + 1);
        QCOMPARE(indexOf("DPM adaptive"), indexOf("DPM fast") + 1);
        QCOMPARE(findSampler("k_dpm_fast").label, std::string("DPM fast"));
        QCOMPARE(findSampler("k_dpm_ad").label, std::string("DPM adaptive"));
        QCOMPARE(findSampler("dpm_adaptive").label, std::string("DPM adaptive"));
        QCOMPARE(findSampler("DPM fast").defaultSchedule, ScheduleType::Uniform);
        QVERIFY(findSampler("DPM fast").usesNoise);
    }
};

QTEST_GUILESS_MAIN(TestSamplersDpmSolver)
#include "test_samplers_dpm_solver.moc"
