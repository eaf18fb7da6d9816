// The CLIP BPE tokenizer against the reference (openai SimpleTokenizer and HF CLIPTokenizer,
// tests/data/golden/text/tokenizer.json): every case, every field. Also reads as a usage example.

#include <QtTest>

#include <atomic>
#include <fstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "engine/text/tokenizer.h"
#include "tests/support/golden.h"

using easel::text::CLIPTokenizer;
using easel::text::TextCleaning;
using nlohmann::json;

namespace {

const json& goldenCases()
{
    static const json cases = [] {
        std::ifstream in(easel::test::goldenPath("text/tokenizer.json"));
        return json::parse(in).at("cases");
    }();
    return cases;
}

QString describe(const std::vector<int>& ids)
{
    QStringList parts;
    for (int id : ids)
        parts << QString::number(id);
    return parts.join(',');
}

} // namespace

class TestTokenizer : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // --- examples ---------------------------------------------------------------------------
    void encodesWordsWithWordEndMarkers()
    {
        const CLIPTokenizer& tok = CLIPTokenizer::instance();
        const std::vector<int> ids = tok.encode("a photo of a cat");
        QCOMPARE(tok.tokenStrings(ids), (std::vector<std::string>{"a</w>", "photo</w>", "of</w>", "a</w>", "cat</w>"}));
        QCOMPARE(tok.decode(ids), std::string("a photo of a cat "));
    }

    void specialTokensAndComma()
    {
        const CLIPTokenizer& tok = CLIPTokenizer::instance();
        QCOMPARE(tok.tokenId("<|startoftext|>"), CLIPTokenizer::kStartOfText);
        QCOMPARE(tok.tokenId("<|endoftext|>"), CLIPTokenizer::kEndOfText);
        QCOMPARE(tok.tokenId(",</w>"), 267);
        QCOMPARE(tok.encode(","), std::vector<int>{267});
    }

    void digitsAreSeparateTokens()
    {
        const CLIPTokenizer& tok = CLIPTokenizer::instance();
        // "8k" -> "8", "k</w>": every digit is its own pre-token.
        QCOMPARE(tok.tokenStrings(tok.encode("8k")), (std::vector<std::string>{"8</w>", "k</w>"}));
    }

    void cleaningVariantsDifferOnlyInHtmlUnescape()
    {
        // ftfy leaves entities alone on a line that contains '<'; openai's extra html.unescape
        // still decodes them, HF (what A1111 uses) does not.
        QCOMPARE(CLIPTokenizer::cleanText("Fish &amp; Chips <x>", TextCleaning::HuggingFace), std::string("fish &amp; chips <x>"));
        QCOMPARE(CLIPTokenizer::cleanText("Fish &amp; Chips <x>", TextCleaning::OpenAI), std::string("fish & chips <x>"));
    }

    void concurrentUseIsSafe()
    {
        const CLIPTokenizer& tok = CLIPTokenizer::instance();
        const std::vector<int> expected = tok.encode("masterpiece, best quality, 1girl");
        std::vector<std::thread> threads;
        std::atomic<int> mismatches{0};
        for (int t = 0; t < 4; ++t)
            threads.emplace_back([&] {
                for (int i = 0; i < 200; ++i)
                    if (tok.encode("masterpiece, best quality, 1girl") != expected)
                        ++mismatches;
            });
        for (auto& th : threads)
            th.join();
        QCOMPARE(mismatches.load(), 0);
    }

    // --- golden ----------------------------------------------------------------------------
    void golden_data()
    {
        QTest::addColumn<int>("index");
        const json& cases = goldenCases();
        QVERIFY(!cases.empty());
        for (std::size_t i = 0; i < cases.size(); ++i)
            QTest::addRow("case_%d", cases[i].at("id").get<int>()) << static_cast<int>(i);
    }

    void golden()
    {
        QFETCH(int, index);
        const json& c = goldenCases().at(static_cast<std::size_t>(index));
        const CLIPTokenizer& tok = CLIPTokenizer::instance();
        const std::string text = c.at("text").get<std::string>();

        QCOMPARE(QString::fromStdString(CLIPTokenizer::cleanText(text, TextCleaning::OpenAI)),
                 QString::fromStdString(c.at("cleaned_text").get<std::string>()));

        const std::vector<int> openai = tok.encode(text, TextCleaning::OpenAI);
        QCOMPARE(describe(openai), describe(c.at("ids").get<std::vector<int>>()));
        QCOMPARE(tok.tokenStrings(openai), c.at("tokens").get<std::vector<std::string>>());
        QCOMPARE(QString::fromStdString(tok.decode(openai)), QString::fromStdString(c.at("decoded").get<std::string>()));

        const std::vector<int> hf = tok.encode(text, TextCleaning::HuggingFace);
        QCOMPARE(describe(hf), describe(c.at("ids_hf_slow").get<std::vector<int>>()));
    }
};

QTEST_GUILESS_MAIN(TestTokenizer)
#include "test_tokenizer.moc"
