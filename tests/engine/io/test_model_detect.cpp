// Classification and config detection: every golden model fixture is classified with the config
// its README states (expectations in tests/data/io/model_expectations.json, one entry per fixture),
// plus synthetic headers for families and kinds the fixtures do not cover.

#include <QtTest>

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "engine/api/error.h"
#include "engine/io/model_detect.h"
#include "engine/io/yaml_lite.h"
#include "tests/support/golden.h"

using namespace easel::io;
using nlohmann::json;

namespace {

json expectations()
{
    std::ifstream in(easel::test::testDataDir() + "/io/model_expectations.json");
    return json::parse(in);
}

json unetJson(const UNetConfig& c)
{
    return {{"inChannels", c.inChannels}, {"outChannels", c.outChannels}, {"modelChannels", c.modelChannels},
            {"channelMult", c.channelMult}, {"numResBlocks", c.numResBlocks}, {"attentionLevels", c.attentionLevels},
            {"transformerDepth", c.transformerDepth}, {"transformerDepthMiddle", c.transformerDepthMiddle},
            {"numHeads", c.numHeads}, {"numHeadChannels", c.numHeadChannels}, {"contextDim", c.contextDim},
            {"useLinearInTransformer", c.useLinearInTransformer}, {"admInChannels", c.admInChannels}};
}

json toJson(const DetectedModel& m)
{
    json j = {{"kind", modelKindName(m.kind)}, {"family", modelFamilyName(m.family)},
              {"layout", m.layout == KeyLayout::LDM ? "ldm" : "diffusers"}, {"prediction", predictionName(m.unet.prediction)},
              {"loraType", m.loraType}, {"embeddingVectors", m.embeddingVectors}, {"embeddingDims", m.embeddingDims},
              {"unet", unetJson(m.unet)},
              {"vae", {{"ch", m.vae.ch}, {"chMult", m.vae.chMult}, {"numResBlocks", m.vae.numResBlocks}, {"zChannels", m.vae.zChannels},
                       {"embedDim", m.vae.embedDim}, {"scalingFactor", m.vae.scalingFactor}}},
              {"controlNet", {{"hintChannels", m.controlNet.hintChannels}, {"hintBlockChannels", m.controlNet.hintBlockChannels}}}};
    j["textEncoders"] = json::array();
    for (const auto& t : m.textEncoders)
        j["textEncoders"].push_back({{"kind", t.kind == TextEncoderKind::CLIP_HF ? "hf" : "openclip"}, {"hidden", t.hidden},
                                     {"layers", t.layers}, {"heads", t.heads}, {"mlp", t.mlp}, {"quickGelu", t.quickGelu},
                                     {"vocabSize", t.vocabSize}, {"maxPositions", t.maxPositions}, {"padToken", t.padToken},
                                     {"hasTextProjection", t.hasTextProjection}, {"projectionDim", t.projectionDim}});
    return j;
}

/// Every field of `expected` must equal the same field of `actual` (recursively; arrays of objects by index).
void compare(const json& expected, const json& actual, const std::string& where)
{
    for (const auto& [k, v] : expected.items()) {
        const std::string at = where + "." + k;
        QVERIFY2(actual.contains(k), qPrintable(QString::fromStdString(at + " missing")));
        if (v.is_object()) {
            compare(v, actual[k], at);
        } else if (v.is_array() && !v.empty() && v[0].is_object()) {
            QVERIFY2(actual[k].size() == v.size(), qPrintable(QString::fromStdString(at + " count " + actual[k].dump())));
            for (size_t i = 0; i < v.size(); ++i)
                compare(v[i], actual[k][i], at + "[" + std::to_string(i) + "]");
        } else if (v.is_number_float()) {
            QVERIFY2(std::abs(v.get<double>() - actual[k].get<double>()) < 1e-9, qPrintable(QString::fromStdString(at + " = " + actual[k].dump())));
        } else {
            QVERIFY2(v == actual[k], qPrintable(QString::fromStdString(at + ": expected " + v.dump() + ", got " + actual[k].dump())));
        }
    }
}

TensorShapes shapes(std::initializer_list<std::pair<std::string, std::vector<int64_t>>> list)
{
    TensorShapes t;
    for (const auto& [k, v] : list)
        t.shapes[k] = v;
    return t;
}

} // namespace

class TestModelDetect : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void everyFixtureHasExpectations()
    {
        const json e = expectations();
        namespace fs = std::filesystem;
        for (const auto& entry : fs::directory_iterator(easel::test::goldenPath("models"))) {
            const std::string name = entry.path().filename().string();
            if (entry.path().extension() == ".yaml")
                continue; // sidecars
            QVERIFY2(e.contains("models/" + name), qPrintable("no expectation for " + QString::fromStdString(name)));
        }
    }

    void fixturesClassified_data()
    {
        QTest::addColumn<QString>("file");
        const json all = expectations();
        for (const auto& [k, v] : all.items())
            if (k[0] != '_')
                QTest::newRow(k.c_str()) << QString::fromStdString(k);
    }
    void fixturesClassified()
    {
        QFETCH(QString, file);
        const std::string f = file.toStdString();
        const DetectedModel m = detectModelFile(easel::test::goldenPath(f));
        compare(expectations()[f], toJson(m), f);
    }

    void withoutSidecarStructureStillDetected()
    {
        // The weights alone give structure; heads and prediction follow the documented conventions.
        const SafetensorsFile f = SafetensorsFile::openHeaderOnly(easel::test::goldenPath("models/sdxl_tiny.safetensors"));
        const DetectedModel m = detectModel(TensorShapes::of(f));
        QCOMPARE(m.family, ModelFamily::SDXL);
        QCOMPARE(m.unet.transformerDepth, std::vector<int>({0, 2, 3}));
        QCOMPARE(m.unet.admInChannels, 64);
        QVERIFY(!m.predictionKnown);
        QCOMPARE(m.configSource, std::string("weights"));
        const DetectedModel sd2 = detectModel(TensorShapes::of(SafetensorsFile::openHeaderOnly(easel::test::goldenPath("models/sd2_tiny.safetensors"))));
        QCOMPARE(sd2.unet.prediction, Prediction::VPrediction); // SD2 convention: 768-v
    }

    void inpaintingAndPix2Pix()
    {
        for (int in : {9, 8}) {
            TensorShapes t = shapes({{"model.diffusion_model.input_blocks.0.0.weight", {320, in, 3, 3}},
                                     {"model.diffusion_model.out.2.weight", {4, 320, 3, 3}},
                                     {"cond_stage_model.transformer.text_model.embeddings.token_embedding.weight", {49408, 768}}});
            const DetectedModel m = detectModel(t);
            QCOMPARE(m.kind, ModelKind::Checkpoint);
            QCOMPARE(m.family, ModelFamily::SD1);
            QCOMPARE(m.variant, in == 9 ? CheckpointVariant::Inpainting : CheckpointVariant::InstructPix2Pix);
        }
    }

    void refinerAndVPredMarker()
    {
        TensorShapes t = shapes({{"model.diffusion_model.input_blocks.0.0.weight", {384, 4, 3, 3}},
                                 {"model.diffusion_model.label_emb.0.0.weight", {1536, 2560}},
                                 {"conditioner.embedders.0.model.token_embedding.weight", {49408, 1280}},
                                 {"conditioner.embedders.0.model.transformer.resblocks.0.mlp.c_fc.weight", {5120, 1280}},
                                 {"v_pred", {}}});
        const DetectedModel m = detectModel(t);
        QCOMPARE(m.family, ModelFamily::SDXLRefiner);
        QCOMPARE(m.unet.prediction, Prediction::VPrediction);
        QVERIFY(m.predictionKnown);
        QCOMPARE(m.textEncoders.size(), size_t(1));
        QCOMPARE(m.textEncoders[0].heads, 20);
    }

    void unsupportedFamiliesNamed()
    {
        QCOMPARE(detectModel(shapes({{"double_blocks.0.img_attn.qkv.weight", {9216, 3072}}, {"single_blocks.0.linear1.weight", {1, 1}}}))
                     .unsupportedFamily,
                 std::string("Flux"));
        const DetectedModel sd3 = detectModel(shapes({{"model.diffusion_model.joint_blocks.0.x_block.attn.qkv.weight", {4608, 1536}}}));
        QCOMPARE(sd3.kind, ModelKind::Unsupported);
        QCOMPARE(sd3.unsupportedFamily, std::string("SD3"));
    }

    void loraFamilies()
    {
        TensorShapes xl = shapes({{"lora_te1_text_model_encoder_layers_0_self_attn_q_proj.lora_down.weight", {4, 768}},
                                  {"lora_te1_text_model_encoder_layers_0_self_attn_q_proj.lora_up.weight", {768, 4}}});
        QCOMPARE(detectModel(xl).family, ModelFamily::SDXL);
        TensorShapes sd2 = shapes({{"lora_unet_down_blocks_0_attentions_0_transformer_blocks_0_attn2_to_k.lora_down.weight", {4, 1024}}});
        QCOMPARE(detectModel(sd2).family, ModelFamily::SD2);
        TensorShapes loha = shapes({{"lora_unet_x.hada_w1_a", {4, 4}}});
        QCOMPARE(detectModel(loha).loraType, std::string("LoHa"));
        TensorShapes meta = shapes({{"lora_unet_x.lora_down.weight", {4, 32}}});
        meta.metadata["ss_base_model_version"] = "sdxl_base_v1-0";
        QCOMPARE(detectModel(meta).family, ModelFamily::SDXL);
    }

    void sdxlEmbeddingAndUpscaler()
    {
        const DetectedModel e = detectModel(shapes({{"clip_l", {3, 768}}, {"clip_g", {3, 1280}}}));
        QCOMPARE(e.kind, ModelKind::Embedding);
        QCOMPARE(e.family, ModelFamily::SDXL);
        QCOMPARE(e.embeddingVectors, 3);
        const DetectedModel u = detectModel(shapes({{"conv_first.weight", {64, 3, 3, 3}}, {"RRDB_trunk.0.RDB1.conv1.weight", {32, 64, 3, 3}}}));
        QCOMPARE(u.kind, ModelKind::Upscaler);
        QCOMPARE(u.upscalerArch, std::string("ESRGAN"));
    }

    void yamlSubset()
    {
        const YamlNode n = parseYaml("a:\n  b: [1, 2]  # comment\n  c:\n  - x: 1\n    y: 'q'\n  - 3\nd: \"s # not comment\"\n");
        QCOMPARE(n.path("a.b")->list.size(), size_t(2));
        QCOMPARE(n.path("a.c")->list.size(), size_t(2));
        QCOMPARE(n.path("a.c")->list[0].get("y")->scalar, std::string("q"));
        QCOMPARE(n.get("d")->scalar, std::string("s # not comment"));
        bool threw = false;
        try {
            parseYaml("a:\n  b: 1\n c: 2\n", "x.yaml");
        } catch (const easel::api::Error& e) {
            threw = e.path() == "x.yaml";
        }
        QVERIFY(threw);
    }
};

QTEST_GUILESS_MAIN(TestModelDetect)
#include "test_model_detect.moc"
