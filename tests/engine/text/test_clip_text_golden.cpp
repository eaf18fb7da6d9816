// The CLIP / OpenCLIP text transformers against transformers / OpenCLIP outputs on the tiny golden
// models: every reference tensor of ref/sd1_text, sd2_text and sdxl_text, for every prompt row in
// them, loaded from the LDM single files and (SD1) from the diffusers folder.

#include <QtTest>

#include <functional>
#include <map>

#include <torch/torch.h>

#include "engine/api/error.h"
#include "engine/text/text_encoder.h"
#include "tests/engine/text/golden_text_encoders.h"

using namespace easel;
using namespace easel::text;
using easel::test::goldenModel;
using easel::test::goldenRef;
using easel::test::goldenTextEncoder;

namespace {

/// What one model variant computes for each reference tensor name.
using Outputs = std::map<std::string, torch::Tensor>;

Outputs hfOutputs(TextEncoder& encoder, const torch::Tensor& ids)
{
    TextEncodeOptions options;
    options.pooled = true;
    const TextEncoderOutput out = encoder.encode(ids, options);
    const size_t last = out.hiddenStates.size() - 1;
    return {
        {"embeddings", out.hiddenStates[0]},
        {"hidden_states_penultimate_raw", out.hiddenStates[last - 1]},
        {"last_hidden_state", encoder.finalNorm(out.hiddenStates[last])},
        {"clip_skip2", encoder.finalNorm(out.hiddenStates[last - 1])},
        {"pooler_output", out.pooled},
    };
}

Outputs openClipOutputs(TextEncoder& encoder, const torch::Tensor& ids)
{
    const TextEncoderOutput out = encoder.encode(ids);
    const size_t last = out.hiddenStates.size() - 1;
    return {
        {"penultimate_ln", encoder.finalNorm(out.hiddenStates[last - 1])},
        {"last_ln", encoder.finalNorm(out.hiddenStates[last])},
    };
}

Outputs sdxlOutputs(TextEncoder& l, TextEncoder& g, const io::StateDict& ref)
{
    TextEncodeOptions withPooled;
    withPooled.pooled = true;
    const TextEncoderOutput outL = l.encode(ref.at("ids_l"));
    const TextEncoderOutput outG = g.encode(ref.at("ids_g"), withPooled);
    const torch::Tensor penL = outL.hiddenStates[outL.hiddenStates.size() - 2];
    const torch::Tensor penG = outG.hiddenStates[outG.hiddenStates.size() - 2];
    return {
        {"l_penultimate", penL},
        {"g_penultimate", penG},
        {"context", torch::cat({penL, penG}, -1)},
        {"pooled", outG.pooled},
    };
}

/// Computes every output of a variant (cached: each variant runs once).
const Outputs& variantOutputs(const QString& variant)
{
    static std::map<QString, Outputs> cache;
    auto found = cache.find(variant);
    if (found != cache.end())
        return found->second;
    torch::NoGradGuard noGrad;
    Outputs outputs;
    if (variant == "sd1") {
        auto encoder = loadTextEncoder(goldenModel("sd1_tiny.safetensors"), goldenTextEncoder("sd1_tiny.safetensors"), kSD1TextPrefix);
        outputs = hfOutputs(*encoder, goldenRef("sd1_text.safetensors").at("input_ids"));
    } else if (variant == "sd1_diffusers") {
        const std::string file = "sd1_tiny_diffusers/text_encoder/model.safetensors";
        auto encoder = loadTextEncoder(goldenModel(file), goldenTextEncoder(file));
        outputs = hfOutputs(*encoder, goldenRef("sd1_text.safetensors").at("input_ids"));
    } else if (variant == "sd2") {
        auto encoder = loadTextEncoder(goldenModel("sd2_tiny.safetensors"), goldenTextEncoder("sd2_tiny.safetensors"), kSD2TextPrefix);
        outputs = openClipOutputs(*encoder, goldenRef("sd2_text.safetensors").at("input_ids"));
    } else {
        auto l = loadTextEncoder(goldenModel("sdxl_tiny.safetensors"), goldenTextEncoder("sdxl_tiny.safetensors", 0),
                                 kSDXLClipLPrefix);
        auto g = loadTextEncoder(goldenModel("sdxl_tiny.safetensors"), goldenTextEncoder("sdxl_tiny.safetensors", 1),
                                 kSDXLClipGPrefix);
        outputs = sdxlOutputs(*l, *g, goldenRef("sdxl_text.safetensors"));
    }
    return cache.emplace(variant, std::move(outputs)).first->second;
}

bool isInput(const std::string& name) { return name.rfind("input_ids", 0) == 0 || name.rfind("ids_", 0) == 0; }

} // namespace

class TestCLIPTextGolden : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void referenceTensor_data()
    {
        QTest::addColumn<QString>("variant");
        QTest::addColumn<QString>("refFile");
        QTest::addColumn<QString>("tensor");
        const std::vector<std::pair<QString, QString>> variants = {
            {"sd1", "sd1_text.safetensors"},
            {"sd1_diffusers", "sd1_text.safetensors"},
            {"sd2", "sd2_text.safetensors"},
            {"sdxl", "sdxl_text.safetensors"},
        };
        for (const auto& [variant, file] : variants)
            for (const auto& [name, tensor] : goldenRef(file.toStdString()))
                if (!isInput(name))
                    QTest::newRow(qPrintable(variant + "/" + QString::fromStdString(name)))
                        << variant << file << QString::fromStdString(name);
    }

    void referenceTensor()
    {
        QFETCH(QString, variant);
        QFETCH(QString, refFile);
        QFETCH(QString, tensor);
        const Outputs& outputs = variantOutputs(variant);
        const auto found = outputs.find(tensor.toStdString());
        QVERIFY2(found != outputs.end(), qPrintable("no computation known for reference tensor " + tensor));
        const torch::Tensor expected = goldenRef(refFile.toStdString()).at(tensor.toStdString());
        const double err = test::maxAbsDiff(found->second, expected);
        qInfo("%s/%s: max abs err %.3g", qPrintable(variant), qPrintable(tensor), err);
        QVERIFY2(err <= test::kTextTolerance, qPrintable(QString("max abs err %1").arg(err)));
    }

    /// One layer more / fewer than the file has: the error names the first missing / extra keys.
    void wrongConfigIsReportedWithKeys()
    {
        const io::TextEncoderConfig detected = goldenTextEncoder("sd1_tiny.safetensors");
        QVERIFY(detected.layers >= 2);
        io::TextEncoderConfig config = detected;
        config.layers = detected.layers + 1;
        const std::string missing = "encoder.layers." + std::to_string(detected.layers) + ".";
        try {
            loadTextEncoder(goldenModel("sd1_tiny.safetensors"), config, kSD1TextPrefix);
            QFAIL("expected an error");
        } catch (const api::Error& e) {
            QCOMPARE(e.code(), api::ErrorCode::IncompatibleModel);
            QVERIFY2(e.message().find(missing) != std::string::npos, e.what());
        }
        config.layers = detected.layers - 1;
        const std::string unexpected = "Unexpected: encoder.layers." + std::to_string(detected.layers - 1) + ".";
        try {
            loadTextEncoder(goldenModel("sd1_tiny.safetensors"), config, kSD1TextPrefix);
            QFAIL("expected an error");
        } catch (const api::Error& e) {
            QVERIFY2(e.message().find(unexpected) != std::string::npos, e.what());
        }
    }

    void missingPrefixIsReported()
    {
        try {
            loadTextEncoder(goldenModel("sd1_tiny.safetensors"), goldenTextEncoder("sd2_tiny.safetensors"), kSD2TextPrefix);
            QFAIL("expected an error");
        } catch (const api::Error& e) {
            QCOMPARE(e.code(), api::ErrorCode::IncompatibleModel);
            QCOMPARE(e.path(), goldenModel("sd1_tiny.safetensors"));
        }
    }

    /// Stopping one layer before the last gives the penultimate hidden state (N-1 layers run:
    /// embeddings + N-1 states).
    void layersCanStopEarly()
    {
        const io::TextEncoderConfig config = goldenTextEncoder("sd1_tiny.safetensors");
        auto encoder = loadTextEncoder(goldenModel("sd1_tiny.safetensors"), config, kSD1TextPrefix);
        const torch::Tensor ids = goldenRef("sd1_text.safetensors").at("input_ids");
        TextEncodeOptions options;
        options.layers = config.layers - 1;
        const TextEncoderOutput out = encoder->encode(ids, options);
        QCOMPARE(out.hiddenStates.size(), size_t(config.layers));
        const double err = test::maxAbsDiff(out.hiddenStates.back(),
                                            goldenRef("sd1_text.safetensors").at("hidden_states_penultimate_raw"));
        QVERIFY(err <= test::kTextTolerance);
    }
};

QTEST_GUILESS_MAIN(TestCLIPTextGolden)
#include "test_clip_text_golden.moc"
