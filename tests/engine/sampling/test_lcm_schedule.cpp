// The LCM sampler's denoiser view of the schedule (A1111 sd_samplers_lcm.py LCMCompVisDenoiser),
// each property recomputed here from the full 1000-step table: the 50-entry sub-table, the sigma
// grid (timesteps 999 → 19 linear in the sub-table's index), quantised timesteps and the boundary
// scaling; and the registry routes "LCM" (Automatic = Uniform) to that grid.

#include <QtTest>

#include <cmath>

#include "engine/sampling/lcm_schedule.h"
#include "engine/sampling/sampler_registry.h"

using namespace easel::sampling;

class TestLcmSchedule : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void subTableIsEveryTwentiethTimestepEndingAt999()
    {
        const DiscreteSchedule full = DiscreteSchedule::stableDiffusion();
        const LcmGrid grid(full);
        QCOMPARE(grid.skip(), int64_t(20));
        QCOMPARE(grid.table().size(), int64_t(50));
        for (int64_t j = 0; j < 50; ++j)
            QCOMPARE(grid.table().sigmas()[j].item<float>(), full.sigmas()[19 + 20 * j].item<float>());
    }

    void sigmasInterpolateTheSubTableBetweenTimesteps999And19()
    {
        const DiscreteSchedule full = DiscreteSchedule::stableDiffusion();
        const torch::Tensor got = LcmGrid(full).sigmas(4);
        QCOMPARE(got.size(0), int64_t(5));
        QCOMPARE(got[4].item<double>(), 0.0);
        const auto logSigma = full.logSigmas();
        for (int i = 0; i < 4; ++i) {
            const double t = 999.0 + (19.0 - 999.0) * i / 3.0;  // linspace(999, 19, 4)
            const double index = (t - 19.0) / 20.0;              // position in the sub-table
            const int lo = static_cast<int>(std::floor(index)), hi = static_cast<int>(std::ceil(index));
            const double w = index - lo;
            const double expected = std::exp((1 - w) * logSigma[19 + 20 * lo].item<double>() +
                                             w * logSigma[19 + 20 * hi].item<double>());
            QVERIFY2(std::abs(got[i].item<double>() - expected) <= 1e-5 * expected, qPrintable(QString::number(i)));
        }
        QCOMPARE(got[0].item<float>(), full.sigmas()[999].item<float>());
        QCOMPARE(got[3].item<float>(), full.sigmas()[19].item<float>());
    }

    void timestepsSnapToTheNearestGridEntryInLogSigma()
    {
        const DiscreteSchedule full = DiscreteSchedule::stableDiffusion();
        const LcmGrid grid(full);
        for (int t : {0, 5, 19, 28, 30, 500, 731, 990, 999}) {
            const torch::Tensor sigma = full.sigmas()[t].reshape({1});
            double best = 1e9;
            int nearest = -1;
            for (int j = 0; j < 50; ++j) {
                const double d = std::abs(std::log(sigma.item<double>()) - full.logSigmas()[19 + 20 * j].item<double>());
                if (d < best)
                    best = d, nearest = 19 + 20 * j;
            }
            QCOMPARE(grid.timesteps(sigma).item<float>(), static_cast<float>(nearest));
        }
    }

    void boundaryScalingAtTenTimesTheTimestep()
    {
        const LcmGrid grid(DiscreteSchedule::stableDiffusion());
        const torch::Tensor x0 = torch::full({1, 4, 2, 2}, 2.0);
        const torch::Tensor x = torch::full({1, 4, 2, 2}, -3.0);
        const torch::Tensor sigma = grid.table().sigmas()[0].reshape({1}); // timestep 19
        const double s = 190.0, d = s * s + 0.25;
        const double expected = s / std::sqrt(d) * 2.0 + 0.25 / d * -3.0;
        QVERIFY(std::abs(grid.boundary(x0, x, sigma)[0][0][0][0].item<double>() - expected) < 1e-6);
        // c_skip < 1e-5 from timestep 19 on: the output is essentially x0.
        QVERIFY(0.25 / d < 1e-5);
    }

    void registryRunsLcmOnItsOwnGrid()
    {
        const SamplerInfo& lcm = findSampler("LCM");
        QVERIFY(lcm.lcmDenoiser);
        QVERIFY(!findSampler("Euler").lcmDenoiser);
        const DiscreteSchedule full = DiscreteSchedule::stableDiffusion();
        const torch::Tensor automatic = samplerSigmas(lcm, ScheduleType::Automatic, 6, full);
        QVERIFY(torch::equal(automatic, LcmGrid(full).sigmas(6)));
        // Another schedule type keeps its own grid.
        QVERIFY(!torch::equal(samplerSigmas(lcm, ScheduleType::Karras, 6, full), automatic));
    }
};

QTEST_GUILESS_MAIN(TestLcmSchedule)
#include "test_lcm_schedule.moc"
