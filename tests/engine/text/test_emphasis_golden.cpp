// A1111 emphasis ("Original": scale, then restore the mean of the whole batch tensor; "No norm":
// scale only) against tests/data/golden/text/emphasis.json + emphasis.safetensors, for every case.
// The multipliers of each case also come out of our chunker for the case's prompts.

#include <QtTest>

#include <fstream>

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include "engine/api/error.h"
#include "engine/io/state_dict.h"
#include "engine/text/chunking.h"
#include "engine/text/emphasis.h"
#include "tests/support/golden.h"

using namespace easel;
using namespace easel::text;

namespace {

const nlohmann::json& emphasisFile()
{
    static const nlohmann::json file = [] {
        std::ifstream in(test::goldenPath("text/emphasis.json"));
        return nlohmann::json::parse(in);
    }();
    return file;
}

const io::StateDict& emphasisTensors()
{
    static const io::StateDict tensors = io::loadStateDict(
        test::goldenPath("text/" + emphasisFile().at("tensors_file").get<std::string>()), {.zeroCopy = false});
    return tensors;
}

const nlohmann::json& caseNamed(const QString& name)
{
    for (const auto& c : emphasisFile().at("cases"))
        if (c.at("name").get<std::string>() == name.toStdString())
            return c;
    throw std::runtime_error("no case " + name.toStdString());
}

double maxAbsDiff(const torch::Tensor& a, const torch::Tensor& b)
{
    return (a.to(torch::kDouble) - b.to(torch::kDouble)).abs().max().item<double>();
}

} // namespace

class TestEmphasisGolden : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void golden_data()
    {
        QTest::addColumn<QString>("name");
        for (const auto& c : emphasisFile().at("cases"))
            QTest::newRow(c.at("name").get<std::string>().c_str()) << QString::fromStdString(c.at("name"));
        QVERIFY(!emphasisFile().at("cases").empty());
    }

    void golden()
    {
        QFETCH(QString, name);
        const std::string n = name.toStdString();
        const torch::Tensor z = emphasisTensors().at(n + ".z");
        const torch::Tensor multipliers = emphasisTensors().at(n + ".multipliers");

        const torch::Tensor original = applyEmphasis(z, multipliers, EmphasisMode::Original);
        const torch::Tensor noNorm = applyEmphasis(z, multipliers, EmphasisMode::NoNorm);
        const double errOriginal = maxAbsDiff(original, emphasisTensors().at(n + ".z_original"));
        const double errNoNorm = maxAbsDiff(noNorm, emphasisTensors().at(n + ".z_no_norm"));
        qInfo("%s: Original err %.3g, No norm err %.3g", n.c_str(), errOriginal, errNoNorm);
        QVERIFY2(errOriginal <= 1e-6, qPrintable(QString::number(errOriginal)));
        QVERIFY2(errNoNorm <= 1e-6, qPrintable(QString::number(errNoNorm)));

        // The mean of the whole batch tensor is what gets restored.
        const nlohmann::json& c = caseNamed(name);
        QVERIFY(std::abs(original.mean().item<double>() - c.at("mean_after_rescale").get<double>()) <= 1e-6);
        QVERIFY(std::abs(z.mean().item<double>() - c.at("original_mean").get<double>()) <= 1e-6);
        QVERIFY(std::abs(noNorm.mean().item<double>() - c.at("mean_after_multiply").get<double>()) <= 1e-6);

        // None leaves the encoder output alone.
        QVERIFY(torch::equal(applyEmphasis(z, multipliers, EmphasisMode::None), z));
    }

    void multipliersComeFromTheChunker_data() { golden_data(); }

    void multipliersComeFromTheChunker()
    {
        QFETCH(QString, name);
        const torch::Tensor expected = emphasisTensors().at(name.toStdString() + ".multipliers");
        const auto& prompts = caseNamed(name).at("prompts");
        QCOMPARE(expected.size(0), static_cast<int64_t>(prompts.size()));
        for (size_t b = 0; b < prompts.size(); ++b) {
            const Chunk chunk = chunkPrompt(prompts[b].get<std::string>()).chunks.at(0);
            for (int t = 0; t < kChunkTokens; ++t)
                QCOMPARE(chunk.multipliers77[t], expected[b][t].item<float>());
        }
    }

    void labelsRoundTrip()
    {
        for (EmphasisMode mode : {EmphasisMode::Original, EmphasisMode::NoNorm, EmphasisMode::None})
            QCOMPARE(parseEmphasisMode(emphasisModeName(mode)), mode);
        QCOMPARE(parseEmphasisMode("no norm"), EmphasisMode::NoNorm);
        QVERIFY_THROWS_EXCEPTION(api::Error, parseEmphasisMode("Louder"));
    }
};

QTEST_GUILESS_MAIN(TestEmphasisGolden)
#include "test_emphasis_golden.moc"
