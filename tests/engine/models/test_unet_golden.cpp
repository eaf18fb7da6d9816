// The UNet reproduces diffusers' UNet2DConditionModel outputs on every case of the golden UNet
// references (sd1_tiny: fixed heads, conv proj; sd2_tiny: head size, linear proj; sdxl_tiny:
// per-level depth and the text_time added embedding), loaded from the single-file LDM layout.

#include <QtTest>

#include "engine/api/error.h"
#include "engine/io/state_dict.h"
#include "engine/models/timestep_embedding.h"
#include "engine/models/unet.h"
#include "engine/models/weight_loading.h"
#include "tests/engine/models/tiny_models.h"

using namespace easel;

class TestUNetGolden : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void matchesReference_data()
    {
        QTest::addColumn<QString>("family");
        QTest::addColumn<QString>("model");
        QTest::addColumn<QString>("refs");
        QTest::newRow("sd1") << "sd1" << "models/sd1_tiny.safetensors" << "sd1_unet.safetensors";
        QTest::newRow("sd2") << "sd2" << "models/sd2_tiny.safetensors" << "sd2_unet.safetensors";
        QTest::newRow("sdxl") << "sdxl" << "models/sdxl_tiny.safetensors" << "sdxl_unet.safetensors";
    }

    void matchesReference()
    {
        QFETCH(QString, family);
        QFETCH(QString, model);
        QFETCH(QString, refs);
        c10::InferenceMode inference;
        const auto loaded = test::loadGoldenUNet(model.toStdString());
        const models::UNet& unet = *loaded;

        const io::StateDict ref = io::loadStateDict(test::goldenPath("ref/" + refs.toStdString()));
        const auto descriptions = test::manifestDescriptions(refs.toStdString());
        const auto cases = test::caseNames(ref, "out");
        QVERIFY(!cases.empty());
        for (const std::string& name : cases) {
            const torch::Tensor x = test::caseInput(ref, descriptions, name, "x");
            const torch::Tensor t = test::caseInput(ref, descriptions, name, "t");
            const torch::Tensor context = test::caseInput(ref, descriptions, name, "context");
            QVERIFY2(x.defined() && t.defined() && context.defined(), name.c_str());
            std::optional<torch::Tensor> y;
            if (unet.config().admInChannels > 0) {
                const torch::Tensor pooled = test::caseInput(ref, descriptions, name, "text_embeds");
                const torch::Tensor timeIds = test::caseInput(ref, descriptions, name, "time_ids");
                QVERIFY2(pooled.defined() && timeIds.defined(), name.c_str());
                y = models::sdxlAdmVector(pooled, timeIds, unet.config().admInChannels);
            }
            const torch::Tensor out = unet.forward(x, t, context, y);
            const torch::Tensor expected = ref.at(name + ".out");
            QCOMPARE(out.sizes().vec(), expected.sizes().vec());
            const double err = test::maxAbsDiff(out, expected);
            qInfo("%s case %s: max abs err %.3g", qPrintable(family), name.c_str(), err);
            QVERIFY2(err <= 1e-4, qPrintable(QString("%1 case %2: max abs err %3").arg(family).arg(name.c_str()).arg(err)));
        }
    }

    void timestepEmbeddingIsCosThenSin()
    {
        // t = 0 gives cos 0 = 1 in the first half and sin 0 = 0 in the second.
        const torch::Tensor e = models::timestepEmbedding(torch::zeros({1}), 8);
        QCOMPARE(e.sizes().vec(), (std::vector<int64_t>{1, 8}));
        QCOMPARE(e.slice(1, 0, 4).sum().item<float>(), 4.0f);
        QCOMPARE(e.slice(1, 4, 8).abs().sum().item<float>(), 0.0f);
    }

    void missingWeightsAreReported()
    {
        const std::string modelPath = test::goldenPath("models/sd1_tiny.safetensors");
        const io::DetectedModel detected = test::detectGoldenModel("models/sd1_tiny.safetensors");
        io::StateDict weights = io::loadStateDict(modelPath, {.prefix = detected.keyPrefix});
        weights.erase("out.2.weight");
        models::UNet unet(detected.unet);
        try {
            models::loadWeights(unet, weights, "", {}, modelPath, "UNet");
            QFAIL("loading an incomplete UNet must throw");
        } catch (const api::Error& e) {
            QCOMPARE(e.code(), api::ErrorCode::CorruptFile);
            QVERIFY2(e.message().find("out.2.weight") != std::string::npos, e.what());
            QCOMPARE(e.path(), modelPath);
        }
    }

    void unexpectedWeightsAreReported()
    {
        const std::string modelPath = test::goldenPath("models/sd2_tiny.safetensors");
        const io::StateDict weights =
            io::loadStateDict(modelPath, {.prefix = test::detectGoldenModel("models/sd2_tiny.safetensors").keyPrefix});
        models::UNet unet(test::detectGoldenModel("models/sd1_tiny.safetensors").unet); // conv proj_in vs the file's Linear ones
        try {
            models::loadWeights(unet, weights, "", {}, modelPath, "UNet");
            QFAIL("loading SD2 weights into an SD1 UNet must throw");
        } catch (const api::Error& e) {
            QCOMPARE(e.code(), api::ErrorCode::UnsupportedFormat);
        }
    }
};

QTEST_GUILESS_MAIN(TestUNetGolden)
#include "test_unet_golden.moc"
