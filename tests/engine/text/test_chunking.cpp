// A1111 tokenize_line (75-token chunks, comma backtrack, BREAK, multipliers, padding) against
// tests/data/golden/text/chunking.json, plus textual-inversion slots and the UI token counter.

#include <QtTest>

#include "engine/text/chunking.h"
#include "engine/text/prompt_token_count.h"
#include "engine/text/tokenizer.h"
#include "tests/engine/text/test_prompt_golden_util.h"

using namespace easel::text;

namespace {

const nlohmann::json& chunkingFile()
{
    static const nlohmann::json file = [] {
        std::ifstream in(easel::test::goldenPath("text/chunking.json"));
        return nlohmann::json::parse(in);
    }();
    return file;
}

} // namespace

class TestChunking : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // --- examples ---------------------------------------------------------------------------
    void shortPromptIsOneChunk()
    {
        const ChunkedPrompt p = chunkPrompt("a (red:1.5) car");
        QCOMPARE(p.chunks.size(), std::size_t(1));
        QCOMPARE(p.tokenCount, 3);
        const Chunk& c = p.chunks[0];
        QCOMPARE(c.tokens77.size(), std::size_t(kChunkTokens));
        QCOMPARE(c.tokens77.front(), CLIPTokenizer::kStartOfText);
        QCOMPARE(c.tokens77[4], CLIPTokenizer::kEndOfText);
        QCOMPARE(c.multipliers77[2], 1.5f);
        QCOMPARE(targetTokenCount(p.tokenCount), 75);
    }

    void openClipPadsWithZero()
    {
        ChunkingOptions options;
        options.padToken = 0;
        const Chunk c = chunkPrompt("a car", options).chunks.at(0);
        QCOMPARE(c.tokens77[3], CLIPTokenizer::kEndOfText);  // the EOS stays
        QCOMPARE(c.tokens77[4], 0);
        QCOMPARE(c.tokens77.back(), 0);
    }

    void breakStartsANewChunk()
    {
        const ChunkedPrompt p = chunkPrompt("a car BREAK a tree");
        QCOMPARE(p.chunks.size(), std::size_t(2));
        QCOMPARE(p.tokenCount, 75 + 2);  // the padding before BREAK counts
    }

    void embeddingsReserveVectors()
    {
        EmbeddingVocabulary vocab;
        vocab.add("easynegative", 3);
        ChunkingOptions options;
        options.embeddings = &vocab;
        const ChunkedPrompt p = chunkPrompt("ugly, (easynegative:1.2)", options);
        const Chunk& c = p.chunks.at(0);
        QCOMPARE(c.embeddings.size(), std::size_t(1));
        const EmbeddingSlot& slot = c.embeddings[0];
        QCOMPARE(slot.name, std::string("easynegative"));
        QCOMPARE(slot.vectorCount, 3);
        QCOMPARE(slot.position, 3);  // BOS, "ugly", ","
        for (int i = 0; i < 3; ++i) {
            QCOMPARE(c.tokens77[3 + i], kEmbeddingPlaceholderToken);
            QCOMPARE(c.multipliers77[3 + i], 1.2f);
        }
        QCOMPARE(c.tokens77[6], CLIPTokenizer::kEndOfText);
        QCOMPARE(p.tokenCount, 5);
    }

    void embeddingDoesNotStraddleChunks()
    {
        EmbeddingVocabulary vocab;
        vocab.addTokens("emb", {CLIPTokenizer::instance().encode("zzyzx")}, 4);
        ChunkingOptions options;
        options.embeddings = &vocab;
        std::string prompt;
        for (int i = 0; i < 73; ++i)
            prompt += "cat ";
        prompt += "zzyzx";
        const ChunkedPrompt p = chunkPrompt(prompt, options);
        QCOMPARE(p.chunks.size(), std::size_t(2));
        QCOMPARE(p.chunks[1].embeddings.at(0).position, 1);
    }

    void tokenCounterTakesLongestScheduledVariant()
    {
        const PromptTokenCount n = countPromptTokens("<lora:x:1> [cat:a very big dog:5] AND tree", 20);
        QCOMPARE(n.used, 4);  // "a very big dog"
        QCOMPARE(n.text(), std::string("4/75"));
    }

    // --- golden ----------------------------------------------------------------------------
    void goldenSettingsAreA1111Defaults()
    {
        const auto& f = chunkingFile();
        QCOMPARE(f.at("chunk_length").get<int>(), kChunkLength);
        QCOMPARE(f.at("comma_padding_backtrack").get<int>(), kDefaultCommaBacktrack);
        QCOMPARE(f.at("comma_token").get<int>(), kCommaToken);
        QCOMPARE(f.at("id_start").get<int>(), CLIPTokenizer::kStartOfText);
        QCOMPARE(f.at("id_end").get<int>(), CLIPTokenizer::kEndOfText);
        QCOMPARE(f.at("id_pad").get<int>(), ChunkingOptions{}.padToken);
    }

    void golden_data()
    {
        QTest::addColumn<int>("index");
        const auto& cases = chunkingFile().at("cases");
        QVERIFY(!cases.empty());
        for (std::size_t i = 0; i < cases.size(); ++i)
            QTest::addRow("%zu: %.60s", i, cases[i].at("prompt").get<std::string>().c_str()) << static_cast<int>(i);
    }

    void golden()
    {
        QFETCH(int, index);
        const auto& f = chunkingFile();
        const auto& c = f.at("cases").at(static_cast<std::size_t>(index));
        ChunkingOptions options;
        options.commaBacktrack = f.at("comma_padding_backtrack").get<int>();
        options.padToken = f.at("id_pad").get<int>();
        const ChunkedPrompt got = chunkPrompt(c.at("prompt").get<std::string>(), options);

        QCOMPARE(got.tokenCount, c.at("token_count").get<int>());
        QCOMPARE(targetTokenCount(got.tokenCount), c.at("target_prompt_token_count").get<int>());
        const auto& chunks = c.at("chunks");
        QCOMPARE(got.chunks.size(), chunks.size());
        for (std::size_t k = 0; k < chunks.size(); ++k) {
            const Chunk& g = got.chunks[k];
            const auto& w = chunks.at(k);
            QCOMPARE(g.contentCount, w.at("n_content").get<int>());
            QCOMPARE(g.tokens77, w.at("tokens_77").get<std::vector<int>>());
            const auto wantMultipliers = w.at("multipliers_77").get<std::vector<double>>();
            QCOMPARE(g.multipliers77.size(), wantMultipliers.size());
            for (std::size_t t = 0; t < wantMultipliers.size(); ++t)
                QCOMPARE(g.multipliers77[t], static_cast<float>(wantMultipliers[t]));
            const auto contentTokens = w.at("content_tokens").get<std::vector<int>>();
            QCOMPARE(std::vector<int>(g.tokens77.begin() + 1, g.tokens77.begin() + 1 + g.contentCount), contentTokens);
        }
    }
};

QTEST_GUILESS_MAIN(TestChunking)
#include "test_chunking.moc"
