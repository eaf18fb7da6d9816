// Seeded noise reproduces A1111 exactly: torch CPU generator, Philox "NV" emulation, variation seeds
// (slerp) and ENSD re-seeding. Data-driven over tests/data/golden/sampling/rng_*.json.

#include <QtTest>

#include "engine/api/error.h"
#include "engine/core/rng.h"
#include "engine/core/rng_image.h"
#include "tests/engine/sampling/golden_tensors.h"
#include "tests/support/golden.h"

using namespace easel;
using easel::test::floats;
using easel::test::flatValues;

namespace {

core::RngSource sourceOf(const nlohmann::json& c)
{
    return c.value("randn_source", std::string("CPU")) == "NV" ? core::RngSource::Gpu : core::RngSource::Cpu;
}

std::string describe(const nlohmann::json& c)
{
    nlohmann::json copy = c;
    for (const char* big : {"first64", "second_call_first64", "result_first64", "noise_first64", "subnoise_first64",
                            "calls", "stats", "second_call_stats", "result_stats"})
        copy.erase(big);
    return copy.dump();
}

} // namespace

class TestRngGolden : public QObject {
    Q_OBJECT

    // One generator, two calls: first64, stats and (small shapes) the full first tensor.
    void checkPlainCases(const std::string& file, core::RngSource source, int64_t maxUlp, double maxAbs)
    {
        const nlohmann::json doc = test::readJson(test::goldenPath("sampling/" + file));
        const auto tensors = test::readF32Safetensors(test::goldenPath("sampling/" + doc.at("tensors_file").get<std::string>()));
        int passed = 0;
        QStringList failures;
        for (const auto& c : doc.at("cases")) {
            const std::vector<int64_t> shape = c.at("shape").get<std::vector<int64_t>>();
            core::NoiseGenerator generator(source, c.at("seed").get<int64_t>());
            const torch::Tensor a = generator.randn(shape);
            const torch::Tensor b = generator.randn(shape);
            std::string err;
            const auto want1 = floats(c.at("first64"));
            const auto want2 = floats(c.at("second_call_first64"));
            const auto got1 = flatValues(a, static_cast<int64_t>(want1.size()));
            const auto got2 = flatValues(b, static_cast<int64_t>(want2.size()));
            if (test::maxUlpDiff(got1, want1) > maxUlp && test::maxAbsDiff(got1, want1) > maxAbs)
                err += "first64 differs by " + std::to_string(test::maxAbsDiff(got1, want1)) + "; ";
            if (test::maxUlpDiff(got2, want2) > maxUlp && test::maxAbsDiff(got2, want2) > maxAbs)
                err += "second call differs by " + std::to_string(test::maxAbsDiff(got2, want2)) + "; ";
            err += test::compareStats(a, c.at("stats"), 1e-6);
            err += test::compareStats(b, c.at("second_call_stats"), 1e-6);
            if (!c.at("full_tensor").is_null()) {
                const torch::Tensor full = tensors.at(c.at("full_tensor").get<std::string>());
                const auto gotAll = flatValues(a);
                const auto wantAll = flatValues(full);
                if (full.sizes() != a.sizes() || (test::maxUlpDiff(gotAll, wantAll) > maxUlp && test::maxAbsDiff(gotAll, wantAll) > maxAbs))
                    err += "full tensor differs; ";
            }
            if (err.empty())
                ++passed;
            else
                failures << QString::fromStdString(describe(c) + ": " + err);
        }
        qInfo("%s: %d/%d cases pass", file.c_str(), passed, int(doc.at("cases").size()));
        QVERIFY2(failures.isEmpty(), qPrintable(failures.join("\n")));
        QVERIFY(passed > 0);
    }

private Q_SLOTS:
    void torchCpuMatchesTorchRandn()
    {
        // Bit-exact is expected (same ATen); allow 1 ulp for a different libm.
        checkPlainCases("rng_torch_cpu.json", core::RngSource::Cpu, 1, 0.0);
    }

    void philoxMatchesA1111Nv()
    {
        checkPlainCases("rng_philox.json", core::RngSource::Gpu, 1, 1e-6);
    }

    void subseedSlerpMatchesImageRng()
    {
        const nlohmann::json doc = test::readJson(test::goldenPath("sampling/rng_subseed.json"));
        const auto tensors = test::readF32Safetensors(test::goldenPath("sampling/" + doc.at("tensors_file").get<std::string>()));
        int passed = 0;
        QStringList failures;
        double worst = 0;
        for (const auto& c : doc.at("cases")) {
            const auto shape = c.at("shape_per_image").get<std::vector<int64_t>>();
            const auto seeds = c.at("seeds").get<std::vector<int64_t>>();
            const auto subseeds = c.at("subseeds").get<std::vector<int64_t>>();
            const core::RngSource source = sourceOf(c);
            core::ImageRNG rng(shape, seeds, subseeds, c.at("subseed_strength").get<double>(), source);
            const torch::Tensor result = rng.next();
            std::string err;
            if (result.sizes().vec() != c.at("result_shape").get<std::vector<int64_t>>())
                err += "result shape differs; ";
            const auto want = floats(c.at("result_first64"));
            const double d = test::maxAbsDiff(flatValues(result, static_cast<int64_t>(want.size())), want);
            worst = std::max(worst, d);
            if (d > 1e-5)
                err += "result first64 differs by " + std::to_string(d) + "; ";
            // The plain and subseed noise of image 0, as drawn by fresh generators.
            const auto wantNoise = floats(c.at("noise_first64"));
            const auto gotNoise = flatValues(core::seededRandn(source, seeds[0], shape), static_cast<int64_t>(wantNoise.size()));
            if (test::maxAbsDiff(gotNoise, wantNoise) > 1e-6)
                err += "noise differs; ";
            const auto wantSub = floats(c.at("subnoise_first64"));
            const auto gotSub = flatValues(core::seededRandn(source, subseeds.empty() ? 0 : subseeds[0], shape),
                                           static_cast<int64_t>(wantSub.size()));
            if (test::maxAbsDiff(gotSub, wantSub) > 1e-6)
                err += "subnoise differs; ";
            err += test::compareStats(result, c.at("result_stats"), 1e-5);
            if (c.contains("tensors") && c.at("tensors").is_object()) {
                const torch::Tensor full = tensors.at(c.at("tensors").at("result").get<std::string>());
                const double dd = test::maxAbsDiff(result, full);
                worst = std::max(worst, dd);
                if (dd > 1e-5)
                    err += "full result differs by " + std::to_string(dd) + "; ";
            }
            if (err.empty())
                ++passed;
            else
                failures << QString::fromStdString(describe(c) + ": " + err);
        }
        qInfo("rng_subseed.json: %d/%d cases pass, worst abs error %.3g", passed, int(doc.at("cases").size()), worst);
        QVERIFY2(failures.isEmpty(), qPrintable(failures.join("\n")));
        QVERIFY(passed > 0);
    }

    void ensdReseedsAfterFirstCall()
    {
        const nlohmann::json doc = test::readJson(test::goldenPath("sampling/rng_subseed.json"));
        int passed = 0;
        QStringList failures;
        for (const auto& c : doc.at("ensd_cases")) {
            core::ImageRNG rng(c.at("shape_per_image").get<std::vector<int64_t>>(), c.at("seeds").get<std::vector<int64_t>>(),
                               {}, 0.0, sourceOf(c), c.at("eta_noise_seed_delta").get<int64_t>());
            std::string err;
            int index = 0;
            for (const auto& call : c.at("calls")) {
                const torch::Tensor x = rng.next();
                const auto want = floats(call.at("first64"));
                const double d = test::maxAbsDiff(flatValues(x, static_cast<int64_t>(want.size())), want);
                if (d > 1e-6)
                    err += "call " + std::to_string(index) + " differs by " + std::to_string(d) + "; ";
                err += test::compareStats(x, call.at("stats"), 1e-6);
                ++index;
            }
            if (err.empty())
                ++passed;
            else
                failures << QString::fromStdString(describe(c) + ": " + err);
        }
        qInfo("rng_subseed.json ensd_cases: %d/%d pass", passed, int(doc.at("ensd_cases").size()));
        QVERIFY2(failures.isEmpty(), qPrintable(failures.join("\n")));
        QVERIFY(passed > 0);
    }

    void seedMinusOneIsRandomAndInRange()
    {
        const int64_t a = core::resolveSeed(-1);
        QVERIFY(a >= 0 && a < 4294967294LL);
        QCOMPARE(core::resolveSeed(1234), int64_t(1234));
    }

    void unknownSourceListsValidNames()
    {
        try {
            core::parseRngSource("tpu");
            QFAIL("expected an error");
        } catch (const api::Error& e) {
            QCOMPARE(e.code(), api::ErrorCode::InvalidRequest);
            QVERIFY(std::string(e.what()).find("cpu") != std::string::npos);
        }
        QVERIFY(core::parseRngSource("NV") == core::RngSource::Gpu);
        QVERIFY(core::parseRngSource("Cpu") == core::RngSource::Cpu);
    }
};

QTEST_GUILESS_MAIN(TestRngGolden)
#include "test_rng_golden.moc"
