// LDM <-> diffusers key maps: the same tiny model stored in both layouts loads to identical tensors.

#include <QtTest>

#include <torch/torch.h>

#include "engine/io/diffusers_loader.h"
#include "engine/io/key_map.h"
#include "engine/io/state_dict.h"
#include "tests/support/golden.h"

using namespace easel::io;
using easel::test::goldenPath;

namespace {

void expectIdentical(const StateDict& a, const StateDict& b)
{
    QStringList onlyA, onlyB;
    for (const auto& kv : a)
        if (!b.count(kv.first))
            onlyA << QString::fromStdString(kv.first);
    for (const auto& kv : b)
        if (!a.count(kv.first))
            onlyB << QString::fromStdString(kv.first);
    QVERIFY2(onlyA.isEmpty() && onlyB.isEmpty(),
             qPrintable("only in first: " + onlyA.mid(0, 5).join(", ") + " | only in second: " + onlyB.mid(0, 5).join(", ")));
    for (const auto& [k, v] : a) {
        const torch::Tensor& w = b.at(k);
        QVERIFY2(v.sizes() == w.sizes() && v.scalar_type() == w.scalar_type(), k.c_str());
        QVERIFY2(torch::equal(v, w), k.c_str()); // bit-equal: a renaming never changes values
    }
}

} // namespace

class TestKeyMaps : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void sd1FolderEqualsSingleFile()
    {
        const StateDict single = loadStateDict(goldenPath("models/sd1_tiny.safetensors"));
        const StateDict folder = loadStateDict(goldenPath("models/sd1_tiny_diffusers"));
        QCOMPARE(single.size(), size_t(981));
        expectIdentical(single, folder);
    }

    void controlNetLayoutsEqual()
    {
        const StateDict ldm = loadStateDict(goldenPath("models/controlnet_sd1_tiny.safetensors"));
        const StateDict diff = diffusersToLdm(
            loadStateDict(goldenPath("models/controlnet_sd1_tiny_diffusers/diffusion_pytorch_model.safetensors")), "controlnet");
        StateDict prefixed;
        for (const auto& [k, v] : diff)
            prefixed[kLdmControlNetPrefix + k] = v;
        expectIdentical(ldm, prefixed);
    }

    void unetMapIsInvertible()
    {
        const StateDict diff = loadStateDict(goldenPath("models/sd1_tiny_diffusers/unet/diffusion_pytorch_model.safetensors"));
        std::vector<std::string> keys;
        for (const auto& kv : diff)
            keys.push_back(kv.first);
        const KeyMap map = unetDiffusersToLdm(keys);
        QCOMPARE(map.size(), keys.size());       // every key known
        QCOMPARE(invert(map).size(), map.size()); // one-to-one
        QCOMPARE(map.at("up_blocks.0.upsamplers.0.conv.weight"), std::string("output_blocks.2.1.conv.weight"));
        QCOMPARE(map.at("up_blocks.1.upsamplers.0.conv.weight"), std::string("output_blocks.5.2.conv.weight"));
        QCOMPARE(map.at("down_blocks.1.downsamplers.0.conv.weight"), std::string("input_blocks.6.0.op.weight"));
    }

    void openClipFusesQkv()
    {
        StateDict hf;
        for (const char* p : {"q", "k", "v"})
            hf[std::string("text_model.encoder.layers.0.self_attn.") + p + "_proj.weight"] =
                torch::full({4, 4}, p[0] == 'q' ? 1.0f : p[0] == 'k' ? 2.0f : 3.0f);
        hf["text_projection.weight"] = torch::arange(6, torch::kFloat).reshape({2, 3});
        const StateDict oc = hfClipToOpenClip(hf);
        const torch::Tensor w = oc.at("transformer.resblocks.0.attn.in_proj_weight");
        QCOMPARE(w.size(0), int64_t(12));
        QCOMPARE(w[4][0].item<float>(), 2.0f);
        QVERIFY(torch::equal(oc.at("text_projection"), hf["text_projection.weight"].t()));
    }
};

QTEST_GUILESS_MAIN(TestKeyMaps)
#include "test_key_maps.moc"
