// Family conditioning (SD1 last layer / clip skip, SD2 penultimate + ln_final, SDXL concatenated
// penultimates + pooled) against the golden refs, from token ids and from prompt text through the
// tokenizer and chunker; multi-chunk prompts, cond/uncond padding, emphasis and SDXL's zeroed
// empty negative prompt.

#include <QtTest>

#include <torch/torch.h>

#include "engine/api/error.h"
#include "engine/io/diffusers_loader.h"
#include "engine/io/model_detect.h"
#include "engine/text/conditioner.h"
#include "engine/text/tokenizer.h"
#include "tests/engine/text/golden_text_encoders.h"

using namespace easel;
using namespace easel::text;
using easel::test::goldenModel;
using easel::test::goldenRef;
using easel::test::goldenTextEncoder;

namespace {

const Conditioner& family(const QString& name)
{
    static std::map<QString, Conditioner> cache;
    auto found = cache.find(name);
    if (found != cache.end())
        return found->second;
    if (name == "sd1")
        return cache.emplace(name, Conditioner::sd1(loadTextEncoder(goldenModel("sd1_tiny.safetensors"),
                                                                    goldenTextEncoder("sd1_tiny.safetensors"),
                                                                    kSD1TextPrefix)))
            .first->second;
    if (name == "sd2")
        return cache.emplace(name, Conditioner::sd2(loadTextEncoder(goldenModel("sd2_tiny.safetensors"),
                                                                    goldenTextEncoder("sd2_tiny.safetensors"),
                                                                    kSD2TextPrefix)))
            .first->second;
    const std::string file = goldenModel("sdxl_tiny.safetensors");
    return cache
        .emplace(name, Conditioner::sdxl(
                           loadTextEncoder(file, goldenTextEncoder("sdxl_tiny.safetensors", 0), kSDXLClipLPrefix),
                           loadTextEncoder(file, goldenTextEncoder("sdxl_tiny.safetensors", 1), kSDXLClipGPrefix)))
        .first->second;
}

/// Chunks as A1111's chunker makes them: EOS padding, weights 1.
Chunk chunkFromIds(const torch::Tensor& row)
{
    Chunk chunk;
    bool ended = false;
    for (int t = 0; t < kChunkTokens; ++t) {
        const int id = static_cast<int>(row[t].item<int64_t>());
        chunk.tokens77.push_back(ended ? CLIPTokenizer::kEndOfText : id);
        ended = ended || id == CLIPTokenizer::kEndOfText;
    }
    chunk.multipliers77.assign(kChunkTokens, 1.0f);
    return chunk;
}

std::vector<Chunk> chunksFromIds(const torch::Tensor& ids)
{
    std::vector<Chunk> chunks;
    for (int64_t b = 0; b < ids.size(0); ++b)
        chunks.push_back(chunkFromIds(ids[b]));
    return chunks;
}

/// The prompt text behind a row of ids (content between BOS and the first EOS).
std::vector<int> contentIds(const torch::Tensor& row)
{
    std::vector<int> ids;
    for (int t = 1; t < row.size(0); ++t) {
        const int id = static_cast<int>(row[t].item<int64_t>());
        if (id == CLIPTokenizer::kEndOfText)
            break;
        ids.push_back(id);
    }
    return ids;
}

struct FamilyRef {
    QString family, file, idsName, tensor;
    int clipSkip;
};

/// Which reference tensor each family's conditioning must reproduce (the README's definitions).
const std::vector<FamilyRef>& familyRefs()
{
    static const std::vector<FamilyRef> refs = {
        {"sd1", "sd1_text.safetensors", "input_ids", "last_hidden_state", 1},
        {"sd1", "sd1_text.safetensors", "input_ids", "clip_skip2", 2},
        {"sd2", "sd2_text.safetensors", "input_ids", "penultimate_ln", 1},
        {"sd2", "sd2_text.safetensors", "input_ids", "penultimate_ln", 2},  // A1111 ignores clip skip on SD2
        {"sdxl", "sdxl_text.safetensors", "ids_l", "context", 1},
        {"sdxl", "sdxl_text.safetensors", "ids_l", "context", 2},           // ... and on SDXL by default
    };
    return refs;
}

} // namespace

class TestConditionerGolden : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void fromIds_data()
    {
        QTest::addColumn<int>("index");
        for (size_t i = 0; i < familyRefs().size(); ++i) {
            const FamilyRef& r = familyRefs()[i];
            QTest::newRow(qPrintable(r.family + "/" + r.tensor + "/skip" + QString::number(r.clipSkip))) << int(i);
        }
    }

    void fromIds()
    {
        QFETCH(int, index);
        const FamilyRef& r = familyRefs()[index];
        const io::StateDict ref = goldenRef(r.file.toStdString());
        ConditioningOptions options;
        options.clipSkip = r.clipSkip;
        const Conditioning c = family(r.family).encodeChunks(chunksFromIds(ref.at(r.idsName.toStdString())), options);
        const double err = test::maxAbsDiff(c.context, ref.at(r.tensor.toStdString()));
        qInfo("max abs err %.3g", err);
        QVERIFY2(err <= test::kTextTolerance, qPrintable(QString::number(err)));
        if (r.family == "sdxl") {
            const double pooledErr = test::maxAbsDiff(c.pooled, ref.at("pooled"));
            QVERIFY2(pooledErr <= test::kTextTolerance, qPrintable(QString::number(pooledErr)));
        } else {
            QVERIFY(!c.pooled.defined());
        }
    }

    /// Each golden prompt row, rebuilt as text, through tokenizer + chunker + conditioner.
    void fromText_data()
    {
        QTest::addColumn<int>("index");
        QTest::addColumn<int>("row");
        for (size_t i = 0; i < familyRefs().size(); ++i) {
            const FamilyRef& r = familyRefs()[i];
            if (r.clipSkip != 1)
                continue;
            const int64_t rows = goldenRef(r.file.toStdString()).at(r.idsName.toStdString()).size(0);
            for (int64_t b = 0; b < rows; ++b)
                QTest::newRow(qPrintable(r.family + "/row" + QString::number(b))) << int(i) << int(b);
        }
    }

    void fromText()
    {
        QFETCH(int, index);
        QFETCH(int, row);
        const FamilyRef& r = familyRefs()[index];
        const io::StateDict ref = goldenRef(r.file.toStdString());
        const torch::Tensor ids = ref.at(r.idsName.toStdString())[row];
        const std::vector<int> content = contentIds(ids);
        const std::string text = CLIPTokenizer::instance().decode(content);
        if (CLIPTokenizer::instance().encode(text) != content)
            QSKIP("these ids are not what the tokenizer gives for any text");
        const Conditioner& conditioner = family(r.family);
        const ChunkedPrompt chunked = chunkPrompt(text, conditioner.chunkingOptions());
        QCOMPARE(chunked.chunks.size(), size_t(1));
        const auto& tokens = chunked.chunks[0].tokens77;
        for (int t = 0; t < kChunkTokens; ++t)  // chunker padding = the family's convention in the refs
            QCOMPARE(int64_t(tokens[t]), ids[t].item<int64_t>());

        const Conditioning c = conditioner.encodeText({text});
        const torch::Tensor expected = ref.at(r.tensor.toStdString()).slice(0, row, row + 1);
        QVERIFY2(test::maxAbsDiff(c.context, expected) <= test::kTextTolerance, text.c_str());
    }

    void aPhotoOfACat()
    {
        const ChunkedPrompt p = chunkPrompt("a photo of a cat", family("sd1").chunkingOptions());
        const std::vector<int> expected = {49406, 320, 1125, 539, 320, 2368, 49407};
        for (size_t i = 0; i < expected.size(); ++i)
            QCOMPARE(p.chunks.at(0).tokens77[i], expected[i]);
        // One prompt, one chunk, as wide as the reference conditioning.
        const Conditioning c = family("sd1").encodeText({"a photo of a cat"});
        const int64_t width = goldenRef("sd1_text.safetensors").at("last_hidden_state").size(-1);
        QCOMPARE(c.context.sizes(), (torch::IntArrayRef{1, kChunkTokens, width}));
    }

    /// The txt2img reference's uncond is the empty prompt: BOS, EOS, EOS...
    void emptyPromptMatchesTxt2imgUncond()
    {
        const io::StateDict ref = goldenRef("txt2img_sd1.safetensors");
        const Conditioning fromText = family("sd1").encodeText({""});
        const Conditioning empty = family("sd1").encodeEmpty();
        QVERIFY(test::maxAbsDiff(fromText.context, ref.at("uncond")) <= test::kTextTolerance);
        QVERIFY(torch::equal(fromText.context, empty.context));
        const torch::Tensor ids = Conditioner::chunkIds({Conditioner::emptyChunk()}, CLIPTokenizer::kEndOfText);
        QVERIFY(torch::equal(ids, ref.at("uncond_ids")));
    }

    void longPromptsAreConcatenatedPerChunk_data()
    {
        QTest::addColumn<QString>("family");
        QTest::newRow("sd1") << "sd1";
        QTest::newRow("sd2") << "sd2";
        QTest::newRow("sdxl") << "sdxl";
    }

    void longPromptsAreConcatenatedPerChunk()
    {
        QFETCH(QString, family);
        const Conditioner& conditioner = ::family(family);
        std::string text = "masterpiece";
        for (int i = 0; i < 50; ++i)
            text += ", (red:1.2) cat";
        const ChunkedPrompt chunked = chunkPrompt(text, conditioner.chunkingOptions());
        QVERIFY(chunked.chunks.size() >= 2);
        const Conditioning all = conditioner.encodeText({text});
        QCOMPARE(all.context.size(1), int64_t(77 * chunked.chunks.size()));
        QCOMPARE(all.context.size(2), conditioner.contextWidth());
        for (size_t i = 0; i < chunked.chunks.size(); ++i) {
            const Conditioning one = conditioner.encodeChunks({chunked.chunks[i]});
            QVERIFY(torch::allclose(all.context.slice(1, 77 * i, 77 * (i + 1)), one.context, 0, 1e-6));
            if (i == 0 && one.pooled.defined())
                QVERIFY(torch::allclose(all.pooled, one.pooled, 0, 1e-6));  // pooled from the first chunk
        }

        // cond 2+ chunks vs uncond 1 chunk: uncond padded with the empty prompt.
        torch::Tensor cond = all.context;
        torch::Tensor uncond = conditioner.encodeText({"blurry"}).context;
        const torch::Tensor uncondBefore = uncond.clone();
        padToSameLength(cond, uncond, conditioner.encodeEmpty().context);
        QCOMPARE(uncond.sizes(), cond.sizes());
        QVERIFY(torch::equal(uncond.slice(1, 0, 77), uncondBefore));
        QVERIFY(torch::equal(uncond.slice(1, 77, 154), conditioner.encodeEmpty().context));

        // A batch whose prompts differ in length: the shorter gets empty chunks within the call.
        const Conditioning batch = conditioner.encodeText({text, "blurry"});
        QCOMPARE(batch.context.size(1), all.context.size(1));
    }

    void emphasisScalesTokens()
    {
        const Conditioner& sd1 = family("sd1");
        ConditioningOptions noNorm;
        noNorm.emphasis = EmphasisMode::NoNorm;
        const torch::Tensor plain = sd1.encodeText({"a cat"}, noNorm).context;
        const torch::Tensor weighted = sd1.encodeText({"a (cat:1.5)"}, noNorm).context;
        QVERIFY(torch::allclose(weighted[0][2], plain[0][2] * 1.5, 0, 1e-6));
        QVERIFY(torch::equal(weighted[0][1], plain[0][1]));

        // Original: same direction, but the mean of the whole call is restored.
        const torch::Tensor original = sd1.encodeText({"a (cat:1.5)"}).context;
        QVERIFY(std::abs(original.mean().item<double>() - plain.mean().item<double>()) < 1e-6);

        ConditioningOptions none;
        none.emphasis = EmphasisMode::None;  // brackets are then ordinary text
        const Chunk literal = chunkPrompt("a (cat:1.5)", {.parseEmphasis = false}).chunks[0];
        QVERIFY(torch::equal(sd1.encodeText({"a (cat:1.5)"}, none).context, sd1.encodeChunks({literal}, none).context));
    }

    void sdxlEmptyNegativeIsZero()
    {
        ConditioningOptions negative;
        negative.negative = true;
        const Conditioning zero = family("sdxl").encodeText({""}, negative);
        QVERIFY(torch::equal(zero.context, torch::zeros_like(zero.context)));
        QVERIFY(torch::equal(zero.pooled, torch::zeros_like(zero.pooled)));
        QVERIFY(family("sdxl").encodeText({""}).context.abs().sum().item<double>() > 0);
        QVERIFY(family("sdxl").encodeText({"blurry"}, negative).context.abs().sum().item<double>() > 0);
        QVERIFY(family("sd1").encodeText({""}, negative).context.abs().sum().item<double>() > 0);
    }

    void sdxlClipLSkipOption()
    {
        const io::StateDict ref = goldenRef("sdxl_text.safetensors");
        ConditioningOptions options;
        options.sdxlClipLSkip = true;
        options.clipSkip = 2;  // hidden_states[-2] = the default layer
        const Conditioning c = family("sdxl").encodeChunks(chunksFromIds(ref.at("ids_l")), options);
        QVERIFY(test::maxAbsDiff(c.context, ref.at("context")) <= test::kTextTolerance);
        options.clipSkip = 1;  // hidden_states[-1]: last block, still without LayerNorm
        const Conditioning last = family("sdxl").encodeChunks(chunksFromIds(ref.at("ids_l")), options);
        const int64_t widthL = ref.at("l_penultimate").size(-1);  // context = [CLIP-L | bigG]
        const int64_t widthG = ref.at("g_penultimate").size(-1);
        QCOMPARE(last.context.size(-1), widthL + widthG);
        QVERIFY(test::maxAbsDiff(last.context.slice(2, widthL, widthL + widthG), ref.at("g_penultimate")) <=
                test::kTextTolerance);
        QVERIFY(test::maxAbsDiff(last.context.slice(2, 0, widthL), ref.at("l_penultimate")) > 1e-3);
    }

    /// The way the pipeline loads: io detection gives family and configs, keys under the LDM
    /// prefixes (diffusers folders converted by io first).
    void fromDetectedCheckpoint_data()
    {
        QTest::addColumn<QString>("model");
        QTest::addColumn<QString>("refFile");
        QTest::addColumn<QString>("idsName");
        QTest::addColumn<QString>("tensor");
        QTest::newRow("sd1") << "sd1_tiny.safetensors" << "sd1_text.safetensors" << "input_ids" << "last_hidden_state";
        QTest::newRow("sd1_diffusers") << "sd1_tiny_diffusers" << "sd1_text.safetensors" << "input_ids" << "last_hidden_state";
        QTest::newRow("sd2") << "sd2_tiny.safetensors" << "sd2_text.safetensors" << "input_ids" << "penultimate_ln";
        QTest::newRow("sdxl") << "sdxl_tiny.safetensors" << "sdxl_text.safetensors" << "ids_l" << "context";
    }

    void fromDetectedCheckpoint()
    {
        QFETCH(QString, model);
        QFETCH(QString, refFile);
        QFETCH(QString, idsName);
        QFETCH(QString, tensor);
        const std::string path = goldenModel(model.toStdString());
        const io::DetectedModel detected = io::detectModelFile(path);
        const bool folder = QFileInfo(QString::fromStdString(path)).isDir();
        const io::StateDict weights = folder ? io::loadDiffusersFolder(path) : io::loadStateDict(path);
        std::vector<std::string> prefixes;
        if (detected.family == io::ModelFamily::SD1)
            prefixes = {kSD1TextPrefix};
        else if (detected.family == io::ModelFamily::SD2)
            prefixes = {kSD2TextPrefix};
        else
            prefixes = {kSDXLClipLPrefix, kSDXLClipGPrefix};
        QCOMPARE(detected.textEncoders.size(), prefixes.size());
        std::vector<std::shared_ptr<TextEncoder>> encoders;
        for (size_t i = 0; i < prefixes.size(); ++i) {
            TensorMap own;
            for (const auto& [key, value] : weights)
                if (key.rfind(prefixes[i], 0) == 0)
                    own[key.substr(prefixes[i].size())] = value;
            auto encoder = createTextEncoder(detected.textEncoders[i]);
            encoder->loadWeights(own, path);
            encoders.push_back(encoder);
        }
        const Conditioner conditioner = Conditioner::forFamily(detected.family, encoders, folder);
        const io::StateDict ref = goldenRef(refFile.toStdString());
        const Conditioning c = conditioner.encodeChunks(chunksFromIds(ref.at(idsName.toStdString())));
        QVERIFY(test::maxAbsDiff(c.context, ref.at(tensor.toStdString())) <= test::kTextTolerance);
        if (detected.family == io::ModelFamily::SDXL)
            QVERIFY(test::maxAbsDiff(c.pooled, ref.at("pooled")) <= test::kTextTolerance);
    }

    /// diffusers stores SD2's encoder without its last block; its last block is then the one to take.
    void sd2WithoutLastBlock()
    {
        io::TextEncoderConfig config = goldenTextEncoder("sd2_tiny.safetensors");
        const int lastBlock = config.layers - 1;
        config.layers = lastBlock;
        TensorMap weights;
        const std::string dropped = "transformer.resblocks." + std::to_string(lastBlock) + ".";
        for (const auto& [key, value] : io::loadStateDict(goldenModel("sd2_tiny.safetensors"), {.prefix = kSD2TextPrefix}))
            if (key.rfind(dropped, 0) != 0)
                weights[key] = value;
        auto encoder = createTextEncoder(config);
        encoder->loadWeights(weights, "sd2_tiny without last block");
        const io::StateDict ref = goldenRef("sd2_text.safetensors");
        const Conditioning c = Conditioner::sd2(encoder, true).encodeChunks(chunksFromIds(ref.at("input_ids")));
        QVERIFY(test::maxAbsDiff(c.context, ref.at("penultimate_ln")) <= test::kTextTolerance);
    }

    void sdxlRefinerTakesBigGAlone()
    {
        const io::StateDict ref = goldenRef("sdxl_text.safetensors");
        const Conditioner refiner = Conditioner::sdxlRefiner(
            loadTextEncoder(goldenModel("sdxl_tiny.safetensors"), goldenTextEncoder("sdxl_tiny.safetensors", 1),
                            kSDXLClipGPrefix));
        const Conditioning c = refiner.encodeChunks(chunksFromIds(ref.at("ids_g")));
        QVERIFY(test::maxAbsDiff(c.context, ref.at("g_penultimate")) <= test::kTextTolerance);
        QVERIFY(test::maxAbsDiff(c.pooled, ref.at("pooled")) <= test::kTextTolerance);
    }

    void clipSkipOutOfRangeIsAnError()
    {
        ConditioningOptions options;
        options.clipSkip = goldenTextEncoder("sd1_tiny.safetensors").layers + 1;  // one more than it has
        try {
            family("sd1").encodeText({"a cat"}, options);
            QFAIL("expected an error");
        } catch (const api::Error& e) {
            QCOMPARE(e.code(), api::ErrorCode::InvalidRequest);
        }
    }
};

QTEST_GUILESS_MAIN(TestConditionerGolden)
#include "test_conditioner_golden.moc"
