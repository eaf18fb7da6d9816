// LoRAManager on the tiny checkpoints with synthetic LoRAs: family refusal, unmatched keys reported,
// where text-encoder LoRAs land (HF names on OpenCLIP's fused in_proj rows, SDXL te1/te2), LDM- and
// diffusers-named UNet keys reaching the same weight, fp16 weights, merges keeping storage/strides/
// dtype, a changed LoRA of a set rewriting only its layers, name resolution.

#include <QtTest>
#include <QTemporaryDir>

#include <cstdlib>

#include <torch/torch.h>

#include "engine/adapters/lora_manager.h"
#include "engine/adapters/lora_resolver.h"
#include "engine/api/error.h"
#include "engine/io/state_dict.h"
#include "engine/pipeline/checkpoint.h"
#include "tests/support/golden.h"

using namespace easel;

namespace {

struct Loaded {
    std::shared_ptr<pipeline::Checkpoint> ckpt;
    std::unique_ptr<adapters::LoRAManager> manager;
};

Loaded load(const std::string& family, std::optional<torch::ScalarType> dtype = std::nullopt)
{
    c10::InferenceMode inference;
    Loaded out;
    pipeline::CheckpointLoadOptions options;
    options.dtype = dtype;
    out.ckpt = pipeline::loadCheckpoint(test::goldenPath("models/" + family + "_tiny.safetensors"), options);
    std::vector<text::TextEncoder*> encoders;
    for (const auto& role : out.ckpt->conditioner->roles())
        encoders.push_back(role.encoder.get());
    out.manager = std::make_unique<adapters::LoRAManager>(out.ckpt->unet.get(), encoders, out.ckpt->family());
    return out;
}

/// A rank-r LoRA pair for a [out, in] weight under `module`, alpha = r (scale 1).
void addPair(std::map<std::string, torch::Tensor>& t, const std::string& module, int64_t out, int64_t in, int64_t r,
             int seed)
{
    torch::manual_seed(seed);
    t[module + ".lora_up.weight"] = torch::randn({out, r}) * 0.1;
    t[module + ".lora_down.weight"] = torch::randn({r, in}) * 0.1;
    t[module + ".alpha"] = torch::tensor(float(r));
}

std::shared_ptr<adapters::LoRAFile> memoryLoRA(const std::map<std::string, torch::Tensor>& t, const std::string& name)
{
    auto file = std::make_shared<adapters::LoRAFile>(adapters::loraFromTensors(t, "memory:" + name));
    file->stamp = "memory";
    return file;
}

/// Width of the UNet's first level (its attn1 projections are [width, width]).
int64_t level0Width(const pipeline::Checkpoint& ckpt)
{
    const io::UNetConfig& c = ckpt.unet->config();
    return int64_t(c.modelChannels) * c.channelMult.at(0);
}

torch::Tensor deltaOf(const std::map<std::string, torch::Tensor>& t, const std::string& module)
{
    return torch::mm(t.at(module + ".lora_up.weight"), t.at(module + ".lora_down.weight"));
}

} // namespace

class TestLoRAManager : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void loraOfAnotherFamilyIsRefused()
    {
        Loaded sdxl = load("sdxl");
        const std::string lora = test::goldenPath("models/lora_sd1_tiny.safetensors");
        try {
            sdxl.manager->applySet({{lora, "lora_sd1_tiny", 1.0, 1.0}});
            QFAIL("an SD1 LoRA was merged into an SDXL checkpoint");
        } catch (const api::Error& e) {
            QCOMPARE(e.code(), api::ErrorCode::IncompatibleModel);
            QVERIFY2(e.message().find("SD1") != std::string::npos && e.message().find("SDXL") != std::string::npos,
                     e.message().c_str());
            QCOMPARE(e.path(), lora);
        }
        QCOMPARE(sdxl.manager->touchedTensors(), size_t(0));
    }

    void missingFileIsFileNotFound()
    {
        Loaded sd1 = load("sd1");
        try {
            sd1.manager->applySet({{"/nonexistent/lora.safetensors", "x", 1, 1}});
            QFAIL("no error");
        } catch (const api::Error& e) {
            QCOMPARE(e.code(), api::ErrorCode::FileNotFound);
        }
    }

    void unmatchedKeysAreCountedAndReported()
    {
        Loaded sd1 = load("sd1");
        const int64_t c = level0Width(*sd1.ckpt); // attn1.to_q of level 0 is [c, c]
        std::map<std::string, torch::Tensor> t;
        addPair(t, "lora_unet_down_blocks_0_attentions_0_transformer_blocks_0_attn1_to_q", c, c, 2, 1);
        addPair(t, "lora_unet_down_blocks_9_attentions_0_transformer_blocks_0_attn1_to_q", c, c, 2, 2); // no such level
        t["lora_unet_weird.scale_factor"] = torch::ones({1});                                           // unknown role
        sd1.manager->registerFile(memoryLoRA(t, "partial"));
        const auto report = sd1.manager->applySet({{"memory:partial", "partial", 1, 1}});
        QCOMPARE(report.loras.size(), size_t(1));
        const auto& e = report.loras[0];
        QCOMPARE(e.keys, size_t(7));
        QCOMPARE(e.matchedKeys, size_t(3));
        QCOMPARE(e.unmatchedKeys, size_t(4));
        QCOMPARE(e.unmatchedExamples.size(), size_t(2));
        QCOMPARE(report.warnings.size(), size_t(1));
        QVERIFY(report.warnings[0].find("4 of 7 keys") != std::string::npos);
    }

    void ldmAndDiffusersNamesReachTheSameWeight()
    {
        Loaded sd1 = load("sd1");
        // attn2.to_v of level 0 is [level-0 width, context width]
        const int64_t c = level0Width(*sd1.ckpt), context = sd1.ckpt->unet->config().contextDim;
        std::map<std::string, torch::Tensor> a, b;
        addPair(a, "lora_unet_down_blocks_0_attentions_0_transformer_blocks_0_attn2_to_v", c, context, 2, 3);
        for (const auto& [k, v] : a)
            b["lora_unet_input_blocks_1_1_transformer_blocks_0_attn2_to_v" + k.substr(k.find('.'))] = v;
        const auto* ta = sd1.manager->targets().find(adapters::LoRAComponent::UNet,
                                                     "down_blocks_0_attentions_0_transformer_blocks_0_attn2_to_v");
        const auto* tb = sd1.manager->targets().find(adapters::LoRAComponent::UNet,
                                                     "input_blocks_1_1_transformer_blocks_0_attn2_to_v");
        QVERIFY(ta && tb && ta->weight && tb->weight);
        QCOMPARE(ta->weight->id, std::string("unet/input_blocks.1.1.transformer_blocks.0.attn2.to_v.weight"));
        QCOMPARE(tb->weight->id, ta->weight->id);
    }

    void hfQkvLoRALandsInOpenClipInProjRows()
    {
        c10::InferenceMode inference;
        Loaded sd2 = load("sd2");
        const io::TextEncoderConfig& te = sd2.ckpt->conditioner->roles()[0].encoder->config();
        const int64_t c = te.hidden;
        std::map<std::string, torch::Tensor> t;
        addPair(t, "lora_te_text_model_encoder_layers_1_self_attn_k_proj", c, c, 2, 4);
        addPair(t, "lora_te_text_model_encoder_layers_1_mlp_fc1", te.mlp, c, 2, 5);
        sd2.manager->registerFile(memoryLoRA(t, "qkv"));
        const auto& params = sd2.manager->targets().parameters();
        const torch::Tensor inProj = params.at("te0/transformer.resblocks.1.attn.in_proj_weight");
        const torch::Tensor fc = params.at("te0/transformer.resblocks.1.mlp.c_fc.weight");
        const torch::Tensor before = inProj.clone(), fcBefore = fc.clone();
        const auto report = sd2.manager->applySet({{"memory:qkv", "qkv", 1.0, 0.5}});
        QCOMPARE(report.loras[0].unmatchedKeys, size_t(0));
        const torch::Tensor change = inProj - before;
        QCOMPARE(change.narrow(0, 0, c).abs().max().item<float>(), 0.0f);     // q rows untouched
        QCOMPARE(change.narrow(0, 2 * c, c).abs().max().item<float>(), 0.0f); // v rows untouched
        QVERIFY((change.narrow(0, c, c) - 0.5 * deltaOf(t, "lora_te_text_model_encoder_layers_1_self_attn_k_proj"))
                    .abs().max().item<float>() < 1e-6);
        QVERIFY((fc - fcBefore - 0.5 * deltaOf(t, "lora_te_text_model_encoder_layers_1_mlp_fc1")).abs().max().item<float>() < 1e-6);
        sd2.manager->restore();
        QVERIFY(torch::equal(inProj, before));
    }

    void sdxlTe1AndTe2GoToTheirEncoders()
    {
        c10::InferenceMode inference;
        Loaded sdxl = load("sdxl");
        const auto& roles = sdxl.ckpt->conditioner->roles();
        const int64_t cl = roles[0].encoder->config().hidden, cg = roles[1].encoder->config().hidden;
        std::map<std::string, torch::Tensor> t;
        addPair(t, "lora_te1_text_model_encoder_layers_0_self_attn_q_proj", cl, cl, 2, 6);
        addPair(t, "lora_te2_text_model_encoder_layers_0_self_attn_v_proj", cg, cg, 2, 7);
        auto file = memoryLoRA(t, "xl");
        file->family = io::ModelFamily::SDXL;
        sdxl.manager->registerFile(file);
        const auto& params = sdxl.manager->targets().parameters();
        const torch::Tensor q = params.at("te0/encoder.layers.0.self_attn.q_proj.weight");
        const torch::Tensor inProj = params.at("te1/transformer.resblocks.0.attn.in_proj_weight");
        const torch::Tensor q0 = q.clone(), in0 = inProj.clone();
        const auto report = sdxl.manager->applySet({{"memory:xl", "xl", 1.0, 1.0}});
        QCOMPARE(report.loras[0].unmatchedKeys, size_t(0));
        QVERIFY((q - q0 - deltaOf(t, "lora_te1_text_model_encoder_layers_0_self_attn_q_proj")).abs().max().item<float>() < 1e-6);
        QVERIFY((inProj.narrow(0, 2 * cg, cg) - in0.narrow(0, 2 * cg, cg) -
                 deltaOf(t, "lora_te2_text_model_encoder_layers_0_self_attn_v_proj")).abs().max().item<float>() < 1e-6);
        sdxl.manager->restore();
    }

    void halfWeightsMergeInFp32AndRestoreExactly()
    {
        c10::InferenceMode inference;
        Loaded sd1 = load("sd1", torch::kHalf);
        const std::string lora = test::goldenPath("models/lora_sd1_tiny.safetensors");
        const auto* target = sd1.manager->targets().find(adapters::LoRAComponent::UNet, "down_blocks_0_resnets_0_conv1");
        QVERIFY(target && target->weight);
        const torch::Tensor w = sd1.manager->targets().parameter(target->weight->id);
        QCOMPARE(w.scalar_type(), torch::kHalf);
        const torch::Tensor original = w.clone();
        sd1.manager->applySet({{lora, "l", 0.8, 0.8}});
        QCOMPARE(w.scalar_type(), torch::kHalf);
        // Expected: fp32 original + 0.8·(alpha/rank)·up@down, rounded once to fp16.
        const io::StateDict t = io::loadStateDict(lora);
        const std::string m = "lora_unet_down_blocks_0_resnets_0_conv1";
        const torch::Tensor up = t.at(m + ".lora_up.weight").flatten(1), down = t.at(m + ".lora_down.weight").flatten(1);
        const double scale = t.at(m + ".alpha").item<double>() / down.size(0);
        const torch::Tensor expected =
            (original.to(torch::kFloat32) + torch::mm(up, down).reshape(w.sizes()) * scale * 0.8).to(torch::kHalf);
        QVERIFY((w.to(torch::kFloat32) - expected.to(torch::kFloat32)).abs().max().item<float>() <= 1e-3f);
        sd1.manager->restore();
        QVERIFY(torch::equal(w, original));
    }

    void mergeKeepsStorageStridesAndDtype()
    {
        c10::InferenceMode inference;
        for (const auto dtype : {torch::kFloat32, torch::kHalf}) {
            Loaded sd1 = load("sd1", dtype);
            struct Layout {
                const void* data;
                std::vector<int64_t> strides;
                torch::ScalarType dtype;
            };
            std::map<std::string, Layout> before;
            for (const auto& [id, t] : sd1.manager->targets().parameters())
                before[id] = {t.data_ptr(), t.strides().vec(), t.scalar_type()};
            const std::string lora = test::goldenPath("models/lora_sd1_tiny.safetensors");
            const auto report = sd1.manager->applySet({{lora, "l", 0.8, 0.8}});
            QVERIFY(report.tensorsWritten > 0);
            for (const auto& [id, t] : sd1.manager->targets().parameters()) {
                const Layout& b = before.at(id);
                QVERIFY2(t.data_ptr() == b.data && t.strides().vec() == b.strides && t.scalar_type() == b.dtype,
                         id.c_str());
            }
            sd1.manager->restore();
        }
    }

    void changingOneLoRAWritesOnlyItsLayers()
    {
        c10::InferenceMode inference;
        Loaded sd1 = load("sd1");
        const int64_t c = level0Width(*sd1.ckpt);
        std::map<std::string, torch::Tensor> ta, tb;
        addPair(ta, "lora_unet_down_blocks_0_attentions_0_transformer_blocks_0_attn1_to_q", c, c, 2, 11);
        addPair(ta, "lora_unet_down_blocks_0_attentions_0_transformer_blocks_0_attn1_to_k", c, c, 2, 12);
        addPair(tb, "lora_unet_down_blocks_0_attentions_0_transformer_blocks_0_attn1_to_k", c, c, 2, 13);
        addPair(tb, "lora_unet_down_blocks_0_attentions_0_transformer_blocks_0_attn1_to_v", c, c, 2, 14);
        sd1.manager->registerFile(memoryLoRA(ta, "a"));
        sd1.manager->registerFile(memoryLoRA(tb, "b"));
        const auto first = sd1.manager->applySet({{"memory:a", "a", 1, 1}, {"memory:b", "b", 1, 1}});
        QCOMPARE(first.tensorsWritten, size_t(3));
        // b's multiplier changes: to_k and to_v are rewritten, to_q (a only) is left alone.
        const auto second = sd1.manager->applySet({{"memory:a", "a", 1, 1}, {"memory:b", "b", 0.5, 0.5}});
        QCOMPARE(second.tensorsWritten, size_t(2));
        QCOMPARE(second.tensorsKept, size_t(1));
        QCOMPARE(second.tensorsFromCache, size_t(0));
        // Back: both rewritten tensors come from the cache.
        const auto third = sd1.manager->applySet({{"memory:a", "a", 1, 1}, {"memory:b", "b", 1, 1}});
        QCOMPARE(third.tensorsFromCache, size_t(2));
        QCOMPARE(third.tensorsKept, size_t(1));
        const std::string k = "unet/input_blocks.1.1.transformer_blocks.0.attn1.to_k.weight";
        const torch::Tensor w = sd1.manager->targets().parameter(k);
        sd1.manager->restore();
        const torch::Tensor expected = w + deltaOf(ta, "lora_unet_down_blocks_0_attentions_0_transformer_blocks_0_attn1_to_k") +
                                       deltaOf(tb, "lora_unet_down_blocks_0_attentions_0_transformer_blocks_0_attn1_to_k");
        sd1.manager->applySet({{"memory:a", "a", 1, 1}, {"memory:b", "b", 1, 1}});
        QVERIFY((w - expected).abs().max().item<float>() < 1e-5);
        sd1.manager->restore();
    }

    void namesResolveThroughFoldersAndTags()
    {
        const std::string models = test::goldenPath("models");
        const std::vector<std::string> folders = {"/nonexistent-folder", models};
        QCOMPARE(adapters::resolveLoRAPath("lora_sd1_tiny", folders), models + "/lora_sd1_tiny.safetensors");
        // Catalog seam first.
        QCOMPARE(adapters::resolveLoRAPath("alias", folders, [&](const std::string& n) {
                     return n == "alias" ? models + "/lora2_sd1_tiny.safetensors" : std::string();
                 }),
                 models + "/lora2_sd1_tiny.safetensors");
        try {
            adapters::resolveLoRAPath("no_such_lora", folders);
            QFAIL("no error");
        } catch (const api::Error& e) {
            QCOMPARE(e.code(), api::ErrorCode::FileNotFound);
            QVERIFY(e.message().find("no_such_lora") != std::string::npos);
        }
        api::LoRAEntry panel{"lora2_sd1_tiny", 0.5, 0.25, true};
        api::LoRAEntry disabled{"no_such_lora", 1, 1, false};
        const auto tags = text::parseExtraNetworks("a cat <lora:lora_sd1_tiny:0.8> <lyco:lora2_sd1_tiny:te=0.2:unet=0.9>");
        const auto specs = adapters::loraSetFor({panel, disabled}, tags, folders);
        QCOMPARE(specs.size(), size_t(3));
        QCOMPARE(specs[0].alias, std::string("lora2_sd1_tiny"));
        QCOMPARE(specs[0].unetMultiplier, 0.5);
        QCOMPARE(specs[0].textEncoderMultiplier, 0.25);
        QCOMPARE(specs[1].path, models + "/lora_sd1_tiny.safetensors");
        QCOMPARE(specs[1].unetMultiplier, 0.8);
        QCOMPARE(specs[1].textEncoderMultiplier, 0.8);
        QCOMPARE(specs[2].unetMultiplier, 0.9);
        QCOMPARE(specs[2].textEncoderMultiplier, 0.2);

        qputenv("EASEL_LORA_DIRS", QByteArray("/a:") + QByteArray::fromStdString(models));
        const auto found = adapters::loraSearchFolders("");
        QCOMPARE(found, (std::vector<std::string>{"/a", models}));
        qunsetenv("EASEL_LORA_DIRS");
    }
};

QTEST_GUILESS_MAIN(TestLoRAManager)
#include "test_lora_manager.moc"
