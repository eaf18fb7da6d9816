// Every sampler trajectory in tests/data/golden/sampling/samplers.json is reproduced with the toy
// denoiser of TEXT_SAMPLING_README.md §3.5 and the recorded noise bank: final x, x and denoised at each
// step, the callback's sigmas, the number of model calls and noise draws, and the LMS coefficients.

#include <QtTest>

#include <map>

#include "engine/api/error.h"
#include "engine/sampling/sampler_registry.h"
#include "engine/sampling/samplers.h"
#include "tests/engine/sampling/golden_tensors.h"
#include "tests/support/golden.h"

using namespace easel;
using namespace easel::sampling;

namespace {

/// D(x, sigma) = x / (1 + sigma^2) + 0.1 tanh(x) * sigma / (1 + sigma), float32, in the README's order.
torch::Tensor toyDenoiser(const torch::Tensor& x, const torch::Tensor& sigma)
{
    const torch::Tensor s = sigma.view({-1, 1, 1, 1});
    const torch::Tensor a = (1 + s * s).reciprocal();
    const torch::Tensor b = s / (1 + s);
    return x * a + (0.1 * torch::tanh(x)) * b;
}

/// Tolerance on x_final as the README suggests: noise-amplifying combinations get 5e-4.
double finalTolerance(const std::string& sampler, const std::string& schedule)
{
    const bool noisy = sampler == "dpmpp_3m_sde" || sampler == "dpmpp_2m_sde";
    if (noisy && (schedule.rfind("uniform", 0) == 0 || schedule == "karras_6"))
        return 5e-4;
    return 1e-4;
}

} // namespace

class TestSamplersGolden : public QObject {
    Q_OBJECT
    nlohmann::json m_doc;
    std::map<std::string, torch::Tensor> m_tensors;

private Q_SLOTS:
    void initTestCase()
    {
        m_doc = test::readJson(test::goldenPath("sampling/samplers.json"));
        m_tensors = test::readF32Safetensors(test::goldenPath("sampling/" + m_doc.at("tensors_file").get<std::string>()));
    }

    void everyRun()
    {
        const torch::Tensor bank = m_tensors.at("noise_bank");
        std::map<std::string, std::pair<int, int>> perSampler; // passed, total
        QStringList failures;
        for (const auto& run : m_doc.at("runs")) {
            const std::string name = run.at("sampler");
            const std::string scheduleName = run.at("schedule");
            const std::string prefix = run.at("tensor_prefix");
            const torch::Tensor sigmas = test::tensorOf(test::floats(run.at("sigmas")));

            const SamplerInfo& info = findSampler(name);
            SamplerContext ctx;
            ctx.params = info.defaults;
            const nlohmann::json& kwargs = run.at("kwargs");
            if (kwargs.contains("eta"))
                ctx.params.eta = kwargs.at("eta").get<double>();
            if (kwargs.contains("r"))
                ctx.params.r = kwargs.at("r").get<double>();
            if (kwargs.contains("order"))
                ctx.params.lmsOrder = kwargs.at("order").get<int>();
            if (kwargs.contains("solver_type"))
                ctx.params.solver = kwargs.at("solver_type") == "heun" ? SdeSolver::Heun : SdeSolver::Midpoint;

            int modelCalls = 0;
            int noiseDraws = 0;
            ctx.denoise = [&](const torch::Tensor& x, const torch::Tensor& sigma) {
                ++modelCalls;
                return toyDenoiser(x, sigma);
            };
            ctx.noise = [&](const torch::Tensor&) { return bank[noiseDraws++]; };
            std::vector<torch::Tensor> xs, denoiseds;
            std::vector<float> cbSigma, cbSigmaHat;
            ctx.callback = [&](const StepInfo& step) {
                xs.push_back(step.x.clone());
                denoiseds.push_back(step.denoised.clone());
                cbSigma.push_back(static_cast<float>(step.sigma));
                cbSigmaHat.push_back(static_cast<float>(step.sigmaHat));
                return true;
            };

            const bool img2img = run.at("x_init").get<std::string>().rfind("img2img", 0) == 0;
            const torch::Tensor xInit = img2img ? m_tensors.at("img2img.init") + m_tensors.at("img2img.noise") * sigmas[0]
                                                : m_tensors.at("x_T_unit") * sigmas[0];
            const torch::Tensor xFinal = info.function(ctx, xInit, sigmas);

            std::string err;
            const double tol = finalTolerance(name, scheduleName);
            const double dFinal = test::maxAbsDiff(xFinal, m_tensors.at(prefix + ".x_final"));
            if (dFinal > tol)
                err += "x_final off by " + std::to_string(dFinal) + "; ";
            const double dSteps = test::maxAbsDiff(torch::stack(xs), m_tensors.at(prefix + ".x_steps"));
            if (dSteps > tol)
                err += "x_steps off by " + std::to_string(dSteps) + "; ";
            const double dDenoised = test::maxAbsDiff(torch::stack(denoiseds), m_tensors.at(prefix + ".denoised_steps"));
            if (dDenoised > tol)
                err += "denoised_steps off by " + std::to_string(dDenoised) + "; ";
            if (test::maxUlpDiff(cbSigma, test::floats(run.at("callback_sigma"))) > 1)
                err += "callback sigma differs; ";
            if (test::maxUlpDiff(cbSigmaHat, test::floats(run.at("callback_sigma_hat"))) > 1)
                err += "callback sigma_hat differs; ";
            if (modelCalls != run.at("model_calls").get<int>())
                err += "model calls " + std::to_string(modelCalls) + " != " + run.at("model_calls").dump() + "; ";
            if (noiseDraws != run.at("noise_draws").get<int>())
                err += "noise draws " + std::to_string(noiseDraws) + " != " + run.at("noise_draws").dump() + "; ";
            err += test::compareStats(xFinal, run.at("x_final_stats"), tol);

            qInfo("%-20s %-32s x_final err %.3g  steps err %.3g  denoised err %.3g%s", name.c_str(), scheduleName.c_str(),
                  dFinal, dSteps, dDenoised, err.empty() ? "" : "  FAIL");
            auto& counts = perSampler[name];
            ++counts.second;
            if (err.empty())
                ++counts.first;
            else
                failures << QString::fromStdString(prefix + ": " + err);
        }
        for (const auto& [name, counts] : perSampler)
            qInfo("%-20s %d/%d runs pass", name.c_str(), counts.first, counts.second);
        QVERIFY2(failures.isEmpty(), qPrintable(failures.join("\n")));
        QVERIFY(!perSampler.empty());
    }

    void lmsCoefficients()
    {
        int checked = 0;
        double worst = 0;
        for (const auto& [scheduleName, steps] : m_doc.at("lms_coefficients").items()) {
            // The sigma list of that schedule is the one a run used.
            std::vector<float> sigmas;
            for (const auto& run : m_doc.at("runs"))
                if (run.at("schedule") == scheduleName)
                    sigmas = test::floats(run.at("sigmas"));
            QVERIFY2(!sigmas.empty(), scheduleName.c_str());
            for (size_t i = 0; i < steps.size(); ++i) {
                const auto& coeffs = steps[i];
                for (size_t j = 0; j < coeffs.size(); ++j) {
                    const double want = coeffs[j].get<double>();
                    const double got = lmsCoefficient(static_cast<int>(coeffs.size()), sigmas, static_cast<int>(i), static_cast<int>(j));
                    const double rel = std::abs(got - want) / std::max(std::abs(want), 1e-12);
                    worst = std::max(worst, std::abs(got - want) / std::max(std::abs(want), 1.0));
                    QVERIFY2(rel < 1e-6 || std::abs(got - want) < 1e-9,
                             qPrintable(QString("%1 step %2 coeff %3: %4 != %5").arg(scheduleName.c_str()).arg(i).arg(j).arg(got, 0, 'g', 17).arg(want, 0, 'g', 17)));
                    ++checked;
                }
            }
        }
        qInfo("lms coefficients: %d checked, worst error %.3g", checked, worst);
        QVERIFY(checked > 0);
    }

    void namesAndDefaults()
    {
        QCOMPARE(findSampler("DPM++ 2M").id, std::string("dpmpp_2m"));
        QCOMPARE(findSampler("euler_ancestral").label, std::string("Euler a"));
        QCOMPARE(findSampler("k_dpm_2_a").label, std::string("DPM2 a"));
        QVERIFY(findSampler("DPM++ 2M").defaultSchedule == ScheduleType::Karras);
        QVERIFY(findSampler("DPM++ 3M SDE").defaultSchedule == ScheduleType::Exponential);
        QVERIFY(findSampler("DPM++ 3M SDE").discardPenultimate);
        QVERIFY(findSampler("Euler a").defaultSchedule == ScheduleType::Uniform);
        QVERIFY(findSampler("DPM++ 2M SDE Heun").defaults.solver == SdeSolver::Heun);

        const ParsedSamplerName old = parseSamplerName("DPM++ 2M Karras");
        QCOMPARE(old.sampler->label, std::string("DPM++ 2M"));
        QVERIFY(old.schedule == ScheduleType::Karras);
        const ParsedSamplerName sde = parseSamplerName("DPM++ 2M SDE Exponential");
        QCOMPARE(sde.sampler->label, std::string("DPM++ 2M SDE"));
        QVERIFY(sde.schedule == ScheduleType::Exponential);
        QVERIFY(!parseSamplerName("DPM++ 2M SDE").schedule.has_value());
        QCOMPARE(parseSamplerName("DPM2 a Karras").sampler->label, std::string("DPM2 a"));
    }

    void discardPenultimateFollowsA1111()
    {
        const DiscreteSchedule schedule = DiscreteSchedule::stableDiffusion();
        const torch::Tensor s = samplerSigmas(findSampler("DPM2"), ScheduleType::Automatic, 20, schedule);
        QCOMPARE(s.size(0), int64_t(21)); // 20 steps
        const torch::Tensor karras21 = computeSigmas(ScheduleType::Karras, 21, schedule);
        QCOMPARE(s[19].item<float>(), karras21[19].item<float>());
        QCOMPARE(s[20].item<float>(), 0.0f);
    }

    void unknownSamplerListsValidNames()
    {
        try {
            findSampler("Euler b");
            QFAIL("expected an error");
        } catch (const api::Error& e) {
            QCOMPARE(e.code(), api::ErrorCode::InvalidRequest);
            QVERIFY(std::string(e.what()).find("DPM++ 2M") != std::string::npos);
            QVERIFY(std::string(e.what()).find("euler_ancestral") != std::string::npos);
        }
    }

    void callbackFalseCancels()
    {
        SamplerContext ctx;
        ctx.denoise = toyDenoiser;
        int steps = 0;
        ctx.callback = [&](const StepInfo&) { return ++steps < 3; };
        const torch::Tensor sigmas = computeSigmas(ScheduleType::Karras, 10, DiscreteSchedule::stableDiffusion());
        try {
            sampleEuler(ctx, torch::zeros_like(m_tensors.at("x_T_unit")), sigmas);
            QFAIL("expected cancellation");
        } catch (const api::Error& e) {
            QCOMPARE(e.code(), api::ErrorCode::Cancelled);
        }
        QCOMPARE(steps, 3);
    }
};

QTEST_GUILESS_MAIN(TestSamplersGolden)
#include "test_samplers_golden.moc"
