// The eps/v wrappers follow k-diffusion's scalings, and CFG batches uncond first and combines as
// A1111 does.

#include <QtTest>

#include "engine/sampling/denoiser.h"

using namespace easel::sampling;

class TestDenoiser : public QObject {
    Q_OBJECT
    DiscreteSchedule m_schedule = DiscreteSchedule::stableDiffusion();

private Q_SLOTS:
    void epsModelGivesXMinusSigmaEps()
    {
        torch::Tensor seenInput, seenT;
        const torch::Tensor eps = torch::full({1, 4, 2, 2}, 0.5f);
        DiscreteDenoiser d([&](const torch::Tensor& xIn, const torch::Tensor& t) {
            seenInput = xIn;
            seenT = t;
            return eps;
        }, m_schedule);
        const torch::Tensor x = torch::full({1, 4, 2, 2}, 3.0f);
        const torch::Tensor sigma = torch::tensor({2.0f});
        const torch::Tensor x0 = d(x, sigma);
        QVERIFY(torch::allclose(x0, x - 2.0f * eps));
        QVERIFY(torch::allclose(seenInput, x / std::sqrt(5.0f)));
        QVERIFY(torch::allclose(seenT, m_schedule.sigmaToT(sigma)));
    }

    void vModelUsesCSkipAndCOut()
    {
        const torch::Tensor v = torch::full({1, 4, 2, 2}, -1.0f);
        DiscreteDenoiser d([&](const torch::Tensor&, const torch::Tensor&) { return v; }, m_schedule, Prediction::V);
        const torch::Tensor x = torch::full({1, 4, 2, 2}, 3.0f);
        const float s = 2.0f;
        const torch::Tensor x0 = d(x, torch::tensor({s}));
        const float want = 3.0f / (s * s + 1) + (-1.0f) * (-s / std::sqrt(s * s + 1));
        QVERIFY(torch::allclose(x0, torch::full_like(x, want)));
    }

    void cfgBatchesUncondFirst()
    {
        // The batched denoiser returns 1 for the first half (uncond) and 3 for the second (cond).
        int calls = 0;
        Denoiser batched = [&](const torch::Tensor& x, const torch::Tensor& sigma) {
            ++calls;
            const int64_t b = x.size(0) / 2;
            [&] { QCOMPARE(sigma.size(0), 2 * b); }();
            return torch::cat({torch::ones({b, 4, 2, 2}), torch::full({b, 4, 2, 2}, 3.0f)});
        };
        const Denoiser cfg = cfgDenoiser(batched, 7.0);
        const torch::Tensor out = cfg(torch::zeros({2, 4, 2, 2}), torch::tensor({1.0f, 1.0f}));
        QCOMPARE(calls, 1);
        QVERIFY(torch::allclose(out, torch::full({2, 4, 2, 2}, 1.0f + 7.0f * 2.0f)));
    }
};

QTEST_GUILESS_MAIN(TestDenoiser)
#include "test_denoiser.moc"
