// Textual inversion: A1111 embedding files load, their vectors replace the token embeddings at the
// trigger word's slots (before position embeddings), against ref/sd1_embedding.safetensors; the
// same through the tokenizer + chunker from text; SDXL clip_l/clip_g files; clear errors.

#include <QtTest>

#include <torch/torch.h>

#include "engine/api/error.h"
#include "engine/io/model_detect.h"
#include "engine/io/state_dict.h"
#include "engine/text/conditioner.h"
#include "engine/text/embeddings.h"
#include "engine/text/tokenizer.h"
#include "tests/engine/text/golden_text_encoders.h"

using namespace easel;
using namespace easel::text;
using easel::test::goldenModel;
using easel::test::goldenRef;
using easel::test::goldenTextEncoder;

namespace {

constexpr const char* kTrigger = "tinyneg";  // README: the trigger word of embedding_sd1_tiny

const Conditioner& sd1()
{
    static const Conditioner c = Conditioner::sd1(
        loadTextEncoder(goldenModel("sd1_tiny.safetensors"), goldenTextEncoder("sd1_tiny.safetensors"), kSD1TextPrefix));
    return c;
}

EmbeddingLibrary goldenLibrary()
{
    TextualInversion ti = loadTextualInversion(goldenModel("embedding_sd1_tiny.safetensors"));
    ti.name = kTrigger;
    EmbeddingLibrary library;
    library.add(std::move(ti));
    return library;
}

/// The row's placeholder run (ids outside the vocabulary), as the chunk slot A1111 would make.
struct Placeholder {
    int position = -1;
    int count = 0;
};

Placeholder placeholderOf(const torch::Tensor& row)
{
    Placeholder p;
    for (int t = 0; t < row.size(0); ++t) {
        if (row[t].item<int64_t>() >= CLIPTokenizer::kVocabSize) {
            if (p.position < 0)
                p.position = t;
            ++p.count;
        }
    }
    return p;
}

Chunk chunkWithEmbedding(const torch::Tensor& row, const Placeholder& p, const std::string& name)
{
    Chunk chunk;
    for (int t = 0; t < kChunkTokens; ++t) {
        const int64_t id = row[t].item<int64_t>();
        chunk.tokens77.push_back(id >= CLIPTokenizer::kVocabSize ? kEmbeddingPlaceholderToken : int(id));
    }
    chunk.multipliers77.assign(kChunkTokens, 1.0f);
    chunk.embeddings.push_back({p.position, p.count, name});
    return chunk;
}

} // namespace

class TestEmbeddingGolden : public QObject {
    Q_OBJECT
private Q_SLOTS:
    /// As many vectors as the reference prompt has placeholder slots, as wide as the SD1 encoder
    /// the file is for (and as io detection reports them).
    void loadsA1111Safetensors()
    {
        const TextualInversion ti = loadTextualInversion(goldenModel("embedding_sd1_tiny.safetensors"));
        QCOMPARE(ti.name, std::string("embedding_sd1_tiny"));  // A1111: the file name is the trigger
        const Placeholder slots = placeholderOf(goldenRef("sd1_embedding.safetensors").at("input_ids")[0]);
        const int64_t width = goldenTextEncoder("sd1_tiny.safetensors").hidden;
        QCOMPARE(ti.vectorCount, slots.count);
        QCOMPARE(ti.vectorsFor("", width).sizes(), (torch::IntArrayRef{slots.count, width}));
        const io::DetectedModel detected = io::detectModelFile(goldenModel("embedding_sd1_tiny.safetensors"));
        QCOMPARE(detected.kind, io::ModelKind::Embedding);
        QCOMPARE(detected.embeddingVectors, slots.count);
        QCOMPARE(detected.embeddingDims, std::vector<int>{int(width)});
    }

    void golden_data()
    {
        QTest::addColumn<QString>("tensor");
        QTest::addColumn<int>("clipSkip");
        QTest::addColumn<int>("row");
        const io::StateDict ref = goldenRef("sd1_embedding.safetensors");
        for (int64_t b = 0; b < ref.at("input_ids").size(0); ++b) {
            QTest::newRow(qPrintable("last_hidden_state/row" + QString::number(b))) << "last_hidden_state" << 1 << int(b);
            QTest::newRow(qPrintable("clip_skip2/row" + QString::number(b))) << "clip_skip2" << 2 << int(b);
        }
    }

    void golden()
    {
        QFETCH(QString, tensor);
        QFETCH(int, clipSkip);
        QFETCH(int, row);
        const io::StateDict ref = goldenRef("sd1_embedding.safetensors");
        const torch::Tensor ids = ref.at("input_ids")[row];
        const Placeholder p = placeholderOf(ids);
        QVERIFY(p.position > 0);
        const EmbeddingLibrary library = goldenLibrary();
        QCOMPARE(p.count, library.find(kTrigger)->vectorCount);

        ConditioningOptions options;
        options.clipSkip = clipSkip;
        options.embeddings = &library;
        const Conditioning c = sd1().encodeChunks({chunkWithEmbedding(ids, p, kTrigger)}, options);
        const double err =
            test::maxAbsDiff(c.context, ref.at(tensor.toStdString()).slice(0, row, row + 1));
        qInfo("max abs err %.3g", err);
        QVERIFY2(err <= test::kTextTolerance, qPrintable(QString::number(err)));
    }

    /// The trigger word in prompt text finds the embedding through the chunker.
    void fromText_data() { golden_data(); }

    void fromText()
    {
        QFETCH(QString, tensor);
        QFETCH(int, clipSkip);
        QFETCH(int, row);
        const io::StateDict ref = goldenRef("sd1_embedding.safetensors");
        const torch::Tensor ids = ref.at("input_ids")[row];
        const Placeholder p = placeholderOf(ids);
        std::vector<int> before, after;
        for (int t = 1; t < p.position; ++t)
            before.push_back(int(ids[t].item<int64_t>()));
        for (int t = p.position + p.count; ids[t].item<int64_t>() != CLIPTokenizer::kEndOfText; ++t)
            after.push_back(int(ids[t].item<int64_t>()));
        const CLIPTokenizer& tok = CLIPTokenizer::instance();
        const std::string text = tok.decode(before) + " " + kTrigger + " " + tok.decode(after);

        const EmbeddingLibrary library = goldenLibrary();
        ConditioningOptions options;
        options.clipSkip = clipSkip;
        options.embeddings = &library;
        const Conditioning c = sd1().encodeText({text}, options);
        const double err = test::maxAbsDiff(c.context, ref.at(tensor.toStdString()).slice(0, row, row + 1));
        QVERIFY2(err <= test::kTextTolerance, qPrintable(QString::fromStdString(text) + " err " + QString::number(err)));
    }

    /// SDXL files carry clip_l and clip_g; each encoder takes its own. Vectors equal to the token
    /// embeddings of "a photo" must make "<trigger> of a cat" encode exactly like "a photo of a cat".
    void sdxlClipLAndClipG()
    {
        const std::string model = goldenModel("sdxl_tiny.safetensors");
        const Conditioner sdxl =
            Conditioner::sdxl(loadTextEncoder(model, goldenTextEncoder("sdxl_tiny.safetensors", 0), kSDXLClipLPrefix),
                              loadTextEncoder(model, goldenTextEncoder("sdxl_tiny.safetensors", 1), kSDXLClipGPrefix));
        const std::vector<int> words = CLIPTokenizer::instance().encode("a photo");
        const torch::Tensor rows = torch::tensor(std::vector<int64_t>(words.begin(), words.end()));
        io::StateDict file;
        file[kClipLKey] = io::loadStateDict(model, {.prefix = kSDXLClipLPrefix})
                              .at("text_model.embeddings.token_embedding.weight").index_select(0, rows).clone();
        file[kClipGKey] = io::loadStateDict(model, {.prefix = kSDXLClipGPrefix})
                              .at("token_embedding.weight").index_select(0, rows).clone();
        QTemporaryDir dir;
        const std::string path = (dir.path() + "/photoish.safetensors").toStdString();
        io::saveSafetensors(path, file);

        EmbeddingLibrary library;
        library.add(loadTextualInversion(path));
        QCOMPARE(library.find("photoish")->vectorCount, int(words.size()));
        ConditioningOptions options;
        options.embeddings = &library;
        const Conditioning withEmbedding = sdxl.encodeText({"photoish of a cat"}, options);
        const Conditioning plain = sdxl.encodeText({"a photo of a cat"});
        QVERIFY(torch::allclose(withEmbedding.context, plain.context, 0, 1e-6));
        QVERIFY(torch::allclose(withEmbedding.pooled, plain.pooled, 0, 1e-6));

        // An SD1 embedding has no clip_g: SDXL refuses it with a clear message.
        EmbeddingLibrary sd1Library = goldenLibrary();
        options.embeddings = &sd1Library;
        try {
            sdxl.encodeText({std::string("a ") + kTrigger}, options);
            QFAIL("expected an error");
        } catch (const api::Error& e) {
            QCOMPARE(e.code(), api::ErrorCode::IncompatibleModel);
        }
    }

    void notAnEmbeddingIsRejected()
    {
        try {
            loadTextualInversion(goldenModel("vae_tiny_alt.safetensors"));
            QFAIL("expected an error");
        } catch (const api::Error& e) {
            QCOMPARE(e.code(), api::ErrorCode::IncompatibleModel);
            QCOMPARE(e.path(), goldenModel("vae_tiny_alt.safetensors"));
        }
    }

    void unknownSlotNameIsAnError()
    {
        const io::StateDict ref = goldenRef("sd1_embedding.safetensors");
        const torch::Tensor ids = ref.at("input_ids")[0];
        try {
            sd1().encodeChunks({chunkWithEmbedding(ids, placeholderOf(ids), "not-loaded")});
            QFAIL("expected an error");
        } catch (const api::Error& e) {
            QCOMPARE(e.code(), api::ErrorCode::InvalidRequest);
        }
    }
};

QTEST_GUILESS_MAIN(TestEmbeddingGolden)
#include "test_embedding_golden.moc"
