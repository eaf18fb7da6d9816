// LoRA merging against the golden references (tests/data/golden/README.md §lora_sd1_tiny /
// ref/lora.safetensors): every set named in the reference file ("l1_0.8+l2_0.5" = lora at 0.8, then
// lora2 at 0.5) is merged into sd1_tiny and every output stored for it is compared — UNet eps, text
// encoder states, merged weights — then restore and set switching are checked bit for bit, with the
// merged-weight cache (a cached switch gives the bits of a fresh merge) and without it.

#include <QtTest>

#include <set>

#include <torch/torch.h>

#include "engine/adapters/lora_manager.h"
#include "engine/api/error.h"
#include "engine/io/state_dict.h"
#include "engine/pipeline/checkpoint.h"
#include "tests/support/golden.h"

using namespace easel;

namespace {

// Reference tensor name = "<set>.<output>"; sets contain dots ("l1_0.8"), so outputs are found by marker.
const char* const kOutputMarkers[] = {".unet_out", ".te_last_hidden_state", ".te_clip_skip2", ".check."};

std::string setNameOf(const std::string& key)
{
    for (const char* marker : kOutputMarkers)
        if (const size_t p = key.find(marker); p != std::string::npos && p > 0)
            return key.substr(0, p);
    return {};
}

/// "l<N>_<multiplier>" items joined by '+'; l1 is models/lora_sd1_tiny, lN models/loraN_sd1_tiny.
std::vector<adapters::LoRASpec> specsOf(const std::string& setName)
{
    std::vector<adapters::LoRASpec> out;
    size_t start = 0;
    while (start < setName.size()) {
        const size_t end = std::min(setName.find('+', start), setName.size());
        const std::string item = setName.substr(start, end - start);
        const size_t us = item.find('_');
        if (item.empty() || item[0] != 'l' || us == std::string::npos)
            throw std::runtime_error("unexpected LoRA set item '" + item + "'");
        const int index = std::stoi(item.substr(1, us - 1));
        const double m = std::stod(item.substr(us + 1));
        const std::string file = index == 1 ? "lora_sd1_tiny" : "lora" + std::to_string(index) + "_sd1_tiny";
        out.push_back({test::goldenPath("models/" + file + ".safetensors"), file, m, m});
        start = end + 1;
    }
    return out;
}

double maxAbsDiff(const torch::Tensor& a, const torch::Tensor& b)
{
    return (a.to(torch::kFloat64) - b.to(torch::kFloat64)).abs().max().item<double>();
}

std::map<std::string, torch::Tensor> snapshot(const adapters::LoRATargetIndex& index)
{
    std::map<std::string, torch::Tensor> out;
    for (const auto& [id, t] : index.parameters())
        out[id] = t.clone();
    return out;
}

bool bitEqual(const std::map<std::string, torch::Tensor>& a, const adapters::LoRATargetIndex& index, std::string& first)
{
    for (const auto& [id, t] : index.parameters())
        if (!torch::equal(a.at(id), t)) {
            first = id;
            return false;
        }
    return true;
}

} // namespace

class TestLoRAGolden : public QObject {
    Q_OBJECT

    std::shared_ptr<pipeline::Checkpoint> m_ckpt;
    std::unique_ptr<adapters::LoRAManager> m_manager;
    io::StateDict m_ref;
    std::set<std::string> m_sets;

    text::TextEncoder& encoder() { return *m_ckpt->conditioner->roles()[0].encoder; }

private Q_SLOTS:
    void initTestCase()
    {
        c10::InferenceMode inference;
        m_ckpt = pipeline::loadCheckpoint(test::goldenPath("models/sd1_tiny.safetensors"));
        std::vector<text::TextEncoder*> encoders;
        for (const auto& role : m_ckpt->conditioner->roles())
            encoders.push_back(role.encoder.get());
        m_manager = std::make_unique<adapters::LoRAManager>(m_ckpt->unet.get(), encoders, m_ckpt->family());
        m_ref = io::loadStateDict(test::goldenPath("ref/lora.safetensors"));
        for (const auto& [key, t] : m_ref)
            if (const std::string set = setNameOf(key); !set.empty())
                m_sets.insert(set);
        QVERIFY(!m_sets.empty());
    }

    void everySetMatchesReference()
    {
        c10::InferenceMode inference;
        for (const std::string& set : m_sets) {
            const adapters::LoRAApplyReport report = m_manager->applySet(specsOf(set));
            QVERIFY(report.changed);
            for (const auto& entry : report.loras) {
                // The golden LoRAs are made for sd1_tiny: every key lands somewhere.
                QVERIFY2(entry.unmatchedKeys == 0, qPrintable(QString::fromStdString(set + ": " + entry.alias)));
                QCOMPARE(entry.matchedKeys, entry.keys);
                QCOMPARE(entry.hash.size(), size_t(12));
            }
            int compared = 0;
            for (const auto& [key, expected] : m_ref) {
                if (setNameOf(key) != set)
                    continue;
                const std::string output = key.substr(set.size() + 1);
                torch::Tensor actual;
                if (output == "unet_out") {
                    actual = m_ckpt->unet->forward(m_ref.at("unet.x"), m_ref.at("unet.t"), m_ref.at("unet.context"));
                } else if (output == "te_last_hidden_state" || output == "te_clip_skip2") {
                    const auto out = encoder().encode(m_ref.at("te.input_ids"));
                    const size_t last = out.hiddenStates.size() - 1;
                    actual = encoder().finalNorm(out.hiddenStates[output == "te_clip_skip2" ? last - 1 : last]);
                } else if (output.rfind("check.", 0) == 0) {
                    // "check.<kohya module>.weight": the merged weight of that layer.
                    const std::string rest = output.substr(6);
                    const std::string module = rest.substr(0, rest.rfind('.'));
                    const bool text = module.rfind("text_model", 0) == 0;
                    const auto* target = m_manager->targets().find(
                        text ? adapters::LoRAComponent::TextEncoder1 : adapters::LoRAComponent::UNet, module);
                    QVERIFY2(target && target->weight, module.c_str());
                    actual = m_manager->targets().parameter(target->weight->id);
                } else {
                    QFAIL(qPrintable(QString::fromStdString("unknown reference output " + key)));
                }
                QCOMPARE(actual.sizes().vec(), expected.sizes().vec());
                const double err = maxAbsDiff(actual, expected);
                qInfo("%s: max abs err %.3g", key.c_str(), err);
                QVERIFY2(err <= 1e-4, qPrintable(QString("%1: max abs err %2").arg(key.c_str()).arg(err)));
                ++compared;
            }
            QVERIFY(compared > 0);
        }
        m_manager->restore();
    }

    void restoreIsBitExact()
    {
        c10::InferenceMode inference;
        const auto pristine = snapshot(m_manager->targets());
        for (const std::string& set : m_sets) {
            m_manager->applySet(specsOf(set));
            QVERIFY(m_manager->touchedTensors() > 0);
            m_manager->restore();
            QCOMPARE(m_manager->touchedTensors(), size_t(0));
            std::string first;
            QVERIFY2(bitEqual(pristine, m_manager->targets(), first), first.c_str());
        }
    }

    void switchingSetsIsBitExact()
    {
        c10::InferenceMode inference;
        QVERIFY(m_sets.size() >= 2);
        const std::string a = *m_sets.begin(), b = *m_sets.rbegin();
        m_manager->applySet(specsOf(a));
        const auto merged = snapshot(m_manager->targets());
        for (int round = 0; round < 3; ++round) {
            m_manager->applySet(specsOf(b));
            m_manager->applySet(specsOf(a));
        }
        std::string first;
        QVERIFY2(bitEqual(merged, m_manager->targets(), first), first.c_str());
        // Also through a set that touches fewer tensors and a different multiplier.
        auto partial = specsOf(a);
        partial.resize(1);
        partial[0].unetMultiplier = 0.3;
        m_manager->applySet(partial);
        m_manager->applySet(specsOf(a));
        QVERIFY2(bitEqual(merged, m_manager->targets(), first), first.c_str());
        m_manager->restore();
    }

    void cachedSwitchEqualsFreshApply()
    {
        c10::InferenceMode inference;
        QVERIFY(m_sets.size() >= 2);
        const auto a = specsOf(*m_sets.begin()), b = specsOf(*m_sets.rbegin());
        // A fresh merge of A by a manager without a cache.
        m_manager->restore();
        std::map<std::string, torch::Tensor> fresh;
        {
            std::vector<text::TextEncoder*> encoders{&encoder()};
            adapters::LoRAManager other(m_ckpt->unet.get(), encoders, m_ckpt->family());
            other.setCacheBudget(0);
            other.applySet(a);
            fresh = snapshot(other.targets());
            other.restore();
        }
        const auto pristine = snapshot(m_manager->targets());
        m_manager->applySet(a);
        m_manager->applySet(b);
        const auto back = m_manager->applySet(a);
        QVERIFY(back.tensorsFromCache > 0);
        std::string first;
        QVERIFY2(bitEqual(fresh, m_manager->targets(), first), first.c_str());
        // A -> B -> A (cached) -> restore gives the original bits back.
        m_manager->restore();
        QVERIFY2(bitEqual(pristine, m_manager->targets(), first), first.c_str());
    }

    void switchingWithoutCacheIsBitExact()
    {
        c10::InferenceMode inference;
        m_manager->setCacheBudget(0);
        const auto pristine = snapshot(m_manager->targets());
        const auto a = specsOf(*m_sets.begin()), b = specsOf(*m_sets.rbegin());
        m_manager->applySet(a);
        const auto merged = snapshot(m_manager->targets());
        m_manager->applySet(b);
        const auto back = m_manager->applySet(a);
        QCOMPARE(back.tensorsFromCache, size_t(0));
        std::string first;
        QVERIFY2(bitEqual(merged, m_manager->targets(), first), first.c_str());
        m_manager->restore();
        QVERIFY2(bitEqual(pristine, m_manager->targets(), first), first.c_str());
        m_manager->setCacheBudget(adapters::defaultMergedCacheBudget());
    }

    void unchangedSetDoesNoWork()
    {
        c10::InferenceMode inference;
        const auto specs = specsOf(*m_sets.begin());
        const auto first = m_manager->applySet(specs);
        QVERIFY(first.changed);
        QVERIFY(first.tensorsWritten > 0);
        const auto second = m_manager->applySet(specs);
        QVERIFY(!second.changed);
        QCOMPARE(second.tensorsWritten, size_t(0));
        QCOMPARE(second.hashes(), first.hashes());
        m_manager->restore();
    }

    void separateMultipliers()
    {
        c10::InferenceMode inference;
        // te=0: the text encoder keeps its weights, the UNet changes.
        auto specs = specsOf(*m_sets.begin());
        for (auto& s : specs)
            s.textEncoderMultiplier = 0.0;
        const auto before = snapshot(m_manager->targets());
        m_manager->applySet(specs);
        bool unetChanged = false;
        for (const auto& [id, t] : m_manager->targets().parameters()) {
            if (id.rfind("te", 0) == 0)
                QVERIFY2(torch::equal(before.at(id), t), id.c_str());
            else if (!torch::equal(before.at(id), t))
                unetChanged = true;
        }
        QVERIFY(unetChanged);
        m_manager->restore();
    }
};

QTEST_GUILESS_MAIN(TestLoRAGolden)
#include "test_lora_golden.moc"
