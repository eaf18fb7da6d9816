// A1111 emphasis parsing (parse_prompt_attention) against tests/data/golden/text/prompt_attention.json
// and the attention_of_cleaned field of extra_networks.json, plus examples of the syntax.

#include <QtTest>

#include "engine/text/prompt_attention.h"
#include "tests/engine/text/test_prompt_golden_util.h"

using easel::text::AttentionSpan;
using easel::text::parsePromptAttention;

namespace {

QString show(const std::vector<AttentionSpan>& spans)
{
    QStringList parts;
    for (const auto& s : spans)
        parts << QStringLiteral("[%1, %2]").arg(QString::fromStdString(s.text)).arg(s.weight, 0, 'g', 17);
    return parts.join(' ');
}

void compareSpans(const std::vector<AttentionSpan>& got, const nlohmann::json& expected)
{
    std::vector<AttentionSpan> want;
    for (const auto& e : expected)
        want.push_back({e.at(0).get<std::string>(), e.at(1).get<double>()});
    QVERIFY2(got.size() == want.size(), qPrintable(show(got) + " vs " + show(want)));
    for (std::size_t i = 0; i < got.size(); ++i) {
        QCOMPARE(QString::fromStdString(got[i].text), QString::fromStdString(want[i].text));
        QVERIFY2(easel::test::weightsClose(got[i].weight, want[i].weight), qPrintable(show(got) + " vs " + show(want)));
    }
}

} // namespace

class TestPromptAttention : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // --- examples ---------------------------------------------------------------------------
    void roundBracketsMultiplyBy1_1()
    {
        const auto spans = parsePromptAttention("a ((cat)) sits");
        QCOMPARE(spans.size(), std::size_t(3));
        QCOMPARE(spans[1].text, std::string("cat"));
        QCOMPARE(spans[1].weight, 1.1 * 1.1);  // float64 product in A1111's order
    }

    void explicitWeightAndSquareBrackets()
    {
        const auto spans = parsePromptAttention("(red:1.5) [blue]");
        QCOMPARE(spans[0], (AttentionSpan{"red", 1.5}));
        QCOMPARE(spans[1], (AttentionSpan{" ", 1.0}));
        QCOMPARE(spans[2], (AttentionSpan{"blue", 1.0 / 1.1}));
    }

    void escapesAreLiteral()
    {
        const auto spans = parsePromptAttention(R"(\(not emphasised\))");
        QCOMPARE(spans.size(), std::size_t(1));
        QCOMPARE(spans[0], (AttentionSpan{"(not emphasised)", 1.0}));
    }

    void breakIsItsOwnSpan()
    {
        const auto spans = parsePromptAttention("a BREAK b");
        QCOMPARE(spans.size(), std::size_t(3));
        QVERIFY(spans[1].isBreak());
    }

    void invalidWeightDoesNotThrow()
    {
        // A1111 raises ValueError on float("1.2.3"); we keep the group as text.
        const auto spans = parsePromptAttention("(a:1.2.3)");
        QVERIFY(!spans.empty());
    }

    // --- golden ----------------------------------------------------------------------------
    void golden_data()
    {
        QTest::addColumn<int>("index");
        const auto& cases = easel::test::textGoldenCases("prompt_attention.json");
        QVERIFY(!cases.empty());
        for (std::size_t i = 0; i < cases.size(); ++i)
            QTest::addRow("%zu: %s", i, cases[i].at("prompt").get<std::string>().c_str()) << static_cast<int>(i);
    }

    void golden()
    {
        QFETCH(int, index);
        const auto& c = easel::test::textGoldenCases("prompt_attention.json").at(static_cast<std::size_t>(index));
        const std::string prompt = c.at("prompt").get<std::string>();
        const auto got = parsePromptAttention(prompt);
        if (c.contains("error")) {
            // The reference raised; any sane result without a crash is accepted (README §2.2).
            QVERIFY(!got.empty());
            return;
        }
        compareSpans(got, c.at("parsed"));
    }

    void goldenOfExtraNetworkCleaned_data()
    {
        QTest::addColumn<int>("index");
        const auto& cases = easel::test::textGoldenCases("extra_networks.json");
        for (std::size_t i = 0; i < cases.size(); ++i)
            QTest::addRow("%zu", i) << static_cast<int>(i);
    }

    void goldenOfExtraNetworkCleaned()
    {
        QFETCH(int, index);
        const auto& c = easel::test::textGoldenCases("extra_networks.json").at(static_cast<std::size_t>(index));
        compareSpans(parsePromptAttention(c.at("cleaned").get<std::string>()), c.at("attention_of_cleaned"));
    }
};

QTEST_GUILESS_MAIN(TestPromptAttention)
#include "test_prompt_attention.moc"
