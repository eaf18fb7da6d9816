// The Restart sampler (A1111 sd_samplers_extra.restart_sampler): Heun below 20 steps, the restart
// segment's step and noise counts from 20 and 36 steps on, and its registry entry.

#include <QtTest>

#include "engine/sampling/sampler_registry.h"
#include "engine/sampling/sampler_restart.h"
#include "engine/sampling/samplers.h"
#include "tests/engine/sampling/toy_models.h"

using namespace easel;
using namespace easel::sampling;

class TestSamplerRestart : public QObject {
    Q_OBJECT
    DiscreteSchedule m_schedule = DiscreteSchedule::stableDiffusion();

private Q_SLOTS:
    void belowTwentyStepsItIsHeun()
    {
        const torch::Tensor sigmas = computeSigmas(ScheduleType::Karras, 12, m_schedule);
        torch::manual_seed(1);
        const torch::Tensor x = torch::randn({1, 4, 8, 8}) * sigmas[0];
        test::CallCounter counter;
        SamplerContext ctx;
        ctx.denoise = counter.wrap(test::tanhDenoiser);
        const torch::Tensor restart = sampleRestart(ctx, x, sigmas);
        QCOMPARE(*counter.calls, 2 * 12 - 1); // Euler on the step to 0
        SamplerContext heunCtx;
        heunCtx.denoise = test::tanhDenoiser;
        QVERIFY(torch::equal(restart, sampleHeun(heunCtx, x, sigmas)));
    }

    void karrasSigmasAreKDiffusions()
    {
        const torch::Tensor ours = karrasSigmas(10, m_schedule.sigmaMin(), m_schedule.sigmaMax());
        const torch::Tensor schedule = computeSigmas(ScheduleType::Karras, 10, m_schedule);
        QVERIFY(torch::equal(ours, schedule));
    }

    void restartSegmentCounts_data()
    {
        QTest::addColumn<int>("steps");
        QTest::addColumn<int>("walked");
        QTest::addColumn<int>("renoised");
        // 20 steps: Karras(20 - 9) = 11 intervals + one restart of 10 points (9 intervals).
        QTest::newRow("20") << 20 << 20 << 1;
        // 36 steps: R = 9, K = 2: Karras(18) + 2 x 9 intervals.
        QTest::newRow("36") << 36 << 36 << 2;
        // 40 steps: R = 10, K = 2: Karras(20) + 2 x 10.
        QTest::newRow("40") << 40 << 40 << 2;
    }

    void restartSegmentCounts()
    {
        QFETCH(int, steps);
        QFETCH(int, walked);
        QFETCH(int, renoised);
        const torch::Tensor sigmas = computeSigmas(ScheduleType::Karras, steps, m_schedule);
        test::CallCounter counter;
        test::NoiseBank bank;
        SamplerContext ctx;
        ctx.denoise = counter.wrap(test::tanhDenoiser);
        ctx.noise = bank.source();
        int callbacks = 0;
        double lastSigma = 1e9;
        int upward = 0;
        ctx.callback = [&](const StepInfo& s) {
            ++callbacks;
            if (s.sigmaHat > lastSigma)
                ++upward;
            lastSigma = s.sigma;
            return true;
        };
        const torch::Tensor out = sampleRestart(ctx, torch::randn({1, 4, 4, 4}) * sigmas[0], sigmas);
        QVERIFY(torch::isfinite(out).all().item<bool>());
        QCOMPARE(callbacks, walked);
        QCOMPARE(*counter.calls, 2 * walked - 1);
        QCOMPARE(*bank.draws, renoised);
        QCOMPARE(upward, renoised); // each restart jumps back up once
    }

    void registryEntry()
    {
        const SamplerInfo& r = findSampler("restart");
        QCOMPARE(r.label, std::string("Restart"));
        QCOMPARE(r.defaultSchedule, ScheduleType::Karras);
        QVERIFY(r.secondOrder);
        const auto& reg = samplerRegistry();
        for (size_t i = 1; i < reg.size(); ++i)
            if (reg[i].label == "Restart")
                QCOMPARE(reg[i - 1].label, std::string("DPM adaptive"));
    }
};

QTEST_GUILESS_MAIN(TestSamplerRestart)
#include "test_sampler_restart.moc"
