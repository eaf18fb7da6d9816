// The SD discrete schedule, sigma <-> timestep conversion and every A1111 schedule type reproduce
// tests/data/golden/sampling/sigmas.json. Schedule names in the file are "<id>_<steps>" with an
// optional "_discard_penultimate"; every one is checked, so a new case needs no code.

#include <QtTest>

#include <regex>

#include "engine/api/error.h"
#include "engine/sampling/discrete_schedule.h"
#include "engine/sampling/schedules.h"
#include "tests/engine/sampling/golden_tensors.h"
#include "tests/support/golden.h"

using namespace easel;
using namespace easel::sampling;

namespace {

/// Largest |a-b| / max(|b|, 1e-3): schedules span 0.03..14.6, so compare relatively.
double maxRelDiff(const torch::Tensor& got, const std::vector<float>& want)
{
    if (got.numel() != static_cast<int64_t>(want.size()))
        return INFINITY;
    const auto g = test::flatValues(got);
    double worst = 0;
    for (size_t i = 0; i < want.size(); ++i)
        worst = std::max(worst, std::abs(double(g[i]) - double(want[i])) / std::max(std::abs(double(want[i])), 1e-3));
    return worst;
}

} // namespace

class TestSchedulesGolden : public QObject {
    Q_OBJECT
    nlohmann::json m_doc;
    DiscreteSchedule m_schedule = DiscreteSchedule::stableDiffusion();

private Q_SLOTS:
    void initTestCase() { m_doc = test::readJson(test::goldenPath("sampling/sigmas.json")); }

    void betasAndAlphasCumprod()
    {
        const torch::Tensor betas = scaledLinearBetas();
        const torch::Tensor ac = alphasCumprodFromBetas(betas);
        const auto wantBetas = m_doc.at("betas_f64").get<std::vector<double>>();
        const auto wantAc = m_doc.at("alphas_cumprod_f64").get<std::vector<double>>();
        QCOMPARE(betas.numel(), int64_t(wantBetas.size()));
        double worstBeta = 0, worstAc = 0;
        for (size_t i = 0; i < wantBetas.size(); ++i) {
            worstBeta = std::max(worstBeta, std::abs(betas[i].item<double>() - wantBetas[i]) / wantBetas[i]);
            worstAc = std::max(worstAc, std::abs(ac[i].item<double>() - wantAc[i]) / wantAc[i]);
        }
        qInfo("betas rel err %.3g, alphas_cumprod rel err %.3g", worstBeta, worstAc);
        QVERIFY(worstBeta < 1e-12);
        QVERIFY(worstAc < 1e-12);
        // The float32 table the checkpoint holds must be bit-exact.
        const auto wantF32 = test::floats(m_doc.at("alphas_cumprod_f32"));
        QCOMPARE(test::maxUlpDiff(test::flatValues(m_schedule.alphasCumprod()), wantF32), int64_t(0));
    }

    void sigmaTable()
    {
        const auto sigmas = test::floats(m_doc.at("sigmas_f32"));
        const auto logs = test::floats(m_doc.at("log_sigmas_f32"));
        QVERIFY(test::maxUlpDiff(test::flatValues(m_schedule.sigmas()), sigmas) <= 1);
        QVERIFY(test::maxUlpDiff(test::flatValues(m_schedule.logSigmas()), logs) <= 1);
        QCOMPARE(float(m_schedule.sigmaMin()), float(m_doc.at("sigma_min").get<double>()));
        QCOMPARE(float(m_schedule.sigmaMax()), float(m_doc.at("sigma_max").get<double>()));
    }

    void sigmaToT()
    {
        int passed = 0;
        for (const auto& c : m_doc.at("sigma_to_t")) {
            const torch::Tensor sigma = torch::tensor({float(c.at("sigma").get<double>())});
            const float t = m_schedule.sigmaToT(sigma)[0].item<float>();
            const float tq = float(m_schedule.sigmaToT(sigma, true)[0].item<int64_t>());
            const float wantT = float(c.at("t").get<double>());
            QVERIFY2(std::abs(t - wantT) <= 1e-4f * std::max(1.0f, std::abs(wantT)), qPrintable(QString("sigma %1: t %2 != %3").arg(sigma[0].item<float>()).arg(t).arg(wantT)));
            QCOMPARE(tq, float(c.at("t_quantized").get<double>()));
            ++passed;
        }
        qInfo("sigma_to_t: %d/%d", passed, int(m_doc.at("sigma_to_t").size()));
    }

    void tToSigma()
    {
        int passed = 0;
        for (const auto& c : m_doc.at("t_to_sigma")) {
            const torch::Tensor t = torch::tensor({float(c.at("t").get<double>())});
            const float sigma = m_schedule.tToSigma(t)[0].item<float>();
            const float want = float(c.at("sigma").get<double>());
            QVERIFY2(std::abs(sigma - want) <= 2e-6f * want, qPrintable(QString("t %1: %2 != %3").arg(t[0].item<float>()).arg(sigma).arg(want)));
            ++passed;
        }
        qInfo("t_to_sigma: %d/%d", passed, int(m_doc.at("t_to_sigma").size()));
    }

    void everySchedule()
    {
        const std::regex pattern(R"(^(.+?)_(\d+)(_discard_penultimate)?$)");
        int passed = 0;
        QStringList failures;
        for (const auto& [name, values] : m_doc.at("schedules").items()) {
            std::smatch m;
            QVERIFY2(std::regex_match(name, m, pattern), qPrintable(QString::fromStdString("unparsed schedule name " + name)));
            ScheduleOptions options;
            options.discardPenultimate = m[3].matched;
            int steps = std::stoi(m[2]);
            if (options.discardPenultimate)
                steps -= 1; // the name gives the count it was computed for (steps + 1)
            const ScheduleType type = parseScheduleType(m[1]);
            const torch::Tensor got = computeSigmas(type, steps, m_schedule, options);
            const auto want = test::floats(values);
            const double rel = maxRelDiff(got, want);
            const int64_t ulps = test::maxUlpDiff(test::flatValues(got), want);
            qInfo("%-40s len %3d  max rel err %.3g  max ulp %lld", name.c_str(), int(want.size()), rel, (long long)ulps);
            if (rel <= 1e-6)
                ++passed;
            else
                failures << QString::fromStdString(name) + QString(": relative error %1").arg(rel);
        }
        qInfo("schedules: %d/%d pass", passed, int(m_doc.at("schedules").size()));
        QVERIFY2(failures.isEmpty(), qPrintable(failures.join("\n")));
    }

    void namesParseCaseInsensitively()
    {
        QVERIFY(parseScheduleType("Karras") == ScheduleType::Karras);
        QVERIFY(parseScheduleType("karras") == ScheduleType::Karras);
        QVERIFY(parseScheduleType("sgm_uniform") == ScheduleType::SgmUniform);
        QVERIFY(parseScheduleType("SGM Uniform") == ScheduleType::SgmUniform);
        QVERIFY(parseScheduleType("SGMUniform") == ScheduleType::SgmUniform);
        QVERIFY(parseScheduleType("Align Your Steps") == ScheduleType::AlignYourSteps);
        QVERIFY(parseScheduleType("KL_OPTIMAL") == ScheduleType::KlOptimal);
        QVERIFY(parseScheduleType("ddim_uniform") == ScheduleType::Ddim);
        for (const ScheduleType type : allScheduleTypes()) {
            QVERIFY(parseScheduleType(scheduleLabel(type)) == type);
            QVERIFY(parseScheduleType(scheduleId(type)) == type);
        }
    }

    void unknownScheduleListsValidNames()
    {
        try {
            parseScheduleType("cosine");
            QFAIL("expected an error");
        } catch (const api::Error& e) {
            QCOMPARE(e.code(), api::ErrorCode::InvalidRequest);
            QVERIFY(std::string(e.what()).find("Karras") != std::string::npos);
            QVERIFY(std::string(e.what()).find("sgm_uniform") != std::string::npos);
        }
    }

    void zeroTerminalSnrEndsAtLargeFiniteSigma()
    {
        const DiscreteSchedule ztsnr = DiscreteSchedule::stableDiffusion(true);
        QVERIFY(std::isfinite(ztsnr.sigmaMax()));
        QVERIFY(ztsnr.sigmaMax() > 4000); // sqrt(1/4.897e-8) ~ 4519
        QCOMPARE(ztsnr.alphasCumprod()[0].item<float>(), m_schedule.alphasCumprod()[0].item<float>());
    }

    void betaPpfKnownValues()
    {
        QCOMPARE(betaPpf(0.5, 0.6, 0.6), 0.5);
        QVERIFY(std::abs(betaPpf(0.25, 1.0, 1.0) - 0.25) < 1e-14); // Beta(1,1) is uniform
        QVERIFY(std::abs(betaPpf(0.36, 2.0, 1.0) - 0.6) < 1e-14);  // CDF x^2
    }
};

QTEST_GUILESS_MAIN(TestSchedulesGolden)
#include "test_schedules_golden.moc"
