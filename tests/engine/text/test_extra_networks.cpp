// A1111 extra-network tags (<lora:...>) against tests/data/golden/text/extra_networks.json, and
// how a LoRA tag's arguments are read (multiplier, te=, unet=, dyn=).

#include <QtTest>

#include "engine/api/error.h"
#include "engine/text/prompt_extra_networks.h"
#include "tests/engine/text/test_prompt_golden_util.h"

using namespace easel::text;

namespace {

// ordered_json: the test checks that network types come in order of first appearance.
const nlohmann::ordered_json& cases()
{
    static const nlohmann::ordered_json all = [] {
        std::ifstream in(easel::test::goldenPath("text/extra_networks.json"));
        return nlohmann::ordered_json::parse(in).at("cases");
    }();
    return all;
}

} // namespace

class TestExtraNetworks : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // --- examples ---------------------------------------------------------------------------
    void tagsAreRemovedAndCollected()
    {
        const ExtraNetworkPrompt p = parseExtraNetworks("a cat <lora:catStyle:0.8> <hypernet:h:0.5>, dog");
        QCOMPARE(p.prompt, std::string("a cat  , dog"));  // surrounding spaces/commas stay
        QCOMPARE(p.networks.size(), std::size_t(2));
        QCOMPARE(p.of("lora").at(0).items, (std::vector<std::string>{"catStyle", "0.8"}));
        QCOMPARE(hypernetParams(p.of("hypernet").at(0)), (std::pair<std::string, double>{"h", 0.5}));
    }

    void loraMultipliers()
    {
        LoRAParams a = loraParams(ExtraNetworkParams({"x", "0.7"}));
        QCOMPARE(a.name, std::string("x"));
        QCOMPARE(a.textEncoderMultiplier, 0.7);
        QCOMPARE(a.unetMultiplier, 0.7);  // unet follows te unless given
        QVERIFY(!a.dynDim);

        LoRAParams b = loraParams(ExtraNetworkParams({"x", "te=0.5", "unet=1.2", "dyn=16"}));
        QCOMPARE(b.textEncoderMultiplier, 0.5);
        QCOMPARE(b.unetMultiplier, 1.2);
        QCOMPARE(*b.dynDim, 16);

        LoRAParams c = loraParams(ExtraNetworkParams({"x"}));
        QCOMPARE(c.textEncoderMultiplier, 1.0);

        LoRAParams d = loraParams(ExtraNetworkParams({"x", "1", "0.25", "8"}));
        QCOMPARE(d.unetMultiplier, 0.25);
        QCOMPARE(*d.dynDim, 8);
    }

    void badNumberIsAUserError()
    {
        QVERIFY_THROWS_EXCEPTION(easel::api::Error, loraParams(ExtraNetworkParams({"x", "strong"})));
    }

    // --- golden ----------------------------------------------------------------------------
    void golden_data()
    {
        QTest::addColumn<int>("index");
        const auto& all = cases();
        QVERIFY(!all.empty());
        for (std::size_t i = 0; i < all.size(); ++i)
            QTest::addRow("%zu: %s", i, all[i].at("prompt").get<std::string>().c_str()) << static_cast<int>(i);
    }

    void golden()
    {
        QFETCH(int, index);
        const auto& c = cases().at(static_cast<std::size_t>(index));
        const ExtraNetworkPrompt got = parseExtraNetworks(c.at("prompt").get<std::string>());
        QCOMPARE(QString::fromStdString(got.prompt), QString::fromStdString(c.at("cleaned").get<std::string>()));
        const auto& expected = c.at("networks");
        QCOMPARE(got.networks.size(), expected.size());
        for (const auto& [type, calls] : got.networks) {
            QVERIFY2(expected.contains(type), type.c_str());
            const auto& want = expected.at(type);
            QCOMPARE(calls.size(), want.size());
            for (std::size_t i = 0; i < calls.size(); ++i)
                QCOMPARE(calls[i].items, want.at(i).get<std::vector<std::string>>());
        }
        // Order of first appearance (the JSON object keeps it as written).
        std::size_t k = 0;
        for (auto it = expected.begin(); it != expected.end(); ++it, ++k)
            QCOMPARE(got.networks.at(k).first, it.key());
    }
};

QTEST_GUILESS_MAIN(TestExtraNetworks)
#include "test_extra_networks.moc"
