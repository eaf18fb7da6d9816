// LoRA through api::Engine: a `<lora:name:w>` tag (file found through EASEL_LORA_DIRS) changes the
// image, records `Lora hashes` (AutoV3) in the infotext, and leaves no trace once removed; the LoRA
// panel field and the tag give the same image; EngineOptions::nameLookup (the catalog in the studio)
// resolves names first; a missing LoRA is a FileNotFound naming it.

#include <QtTest>

#include "engine/api/engine.h"
#include "engine/api/error.h"
#include "engine/io/hashes.h"
#include "tests/support/golden.h"

using namespace easel;

namespace {

api::GenerationRequest tiny(const std::string& prompt)
{
    api::GenerationRequest r;
    r.model = test::goldenPath("models/sd1_tiny.safetensors");
    r.prompt = prompt;
    r.sampler = "Euler";
    r.steps = 3;
    r.width = 64;
    r.height = 64;
    r.seed = 42;
    return r;
}

} // namespace

class TestLoRAGenerate : public QObject {
    Q_OBJECT
    api::Engine m_engine;

private Q_SLOTS:
    void initTestCase() { qputenv("EASEL_LORA_DIRS", QByteArray::fromStdString(test::goldenPath("models"))); }

    void promptTagChangesImageAndRecordsHash()
    {
        const auto plain = m_engine.generate(tiny("a photo of a cat"));
        const auto withLoRA = m_engine.generate(tiny("a photo of a cat <lora:lora_sd1_tiny:0.8>"));
        QVERIFY(plain.images[0].image.pixels != withLoRA.images[0].image.pixels);
        const std::string hash = io::autoV3(test::goldenPath("models/lora_sd1_tiny.safetensors"));
        const std::string infotext = withLoRA.images[0].infotext;
        QVERIFY2(infotext.find("Lora hashes: \"lora_sd1_tiny: " + hash + "\"") != std::string::npos, infotext.c_str());
        for (const std::string& w : m_engine.warnings())
            QVERIFY2(w.find("not applied") == std::string::npos, w.c_str());
        QVERIFY(plain.images[0].infotext.find("Lora hashes") == std::string::npos);

        // Removing the tag restores the weights exactly: the same image as before.
        const auto again = m_engine.generate(tiny("a photo of a cat"));
        QVERIFY(again.images[0].image.pixels == plain.images[0].image.pixels);
    }

    void panelEntryEqualsPromptTag()
    {
        const auto tagged = m_engine.generate(tiny("a photo of a cat <lora:lora2_sd1_tiny:te=0.3:unet=0.9>"));
        api::GenerationRequest r = tiny("a photo of a cat");
        r.loras.push_back({"lora2_sd1_tiny", 0.9, 0.3, true});
        const auto panel = m_engine.generate(r);
        QVERIFY(tagged.images[0].image.pixels == panel.images[0].image.pixels);
    }

    void nameLookupResolvesBeforeTheFolders()
    {
        // The studio's catalog seam: a name only the lookup knows (an alias) resolves, is asked for
        // with kind "lora", and is recorded in `Lora hashes` as written.
        const std::string file = test::goldenPath("models/lora_sd1_tiny.safetensors");
        std::vector<std::string> asked;
        api::EngineOptions options;
        options.nameLookup = [&](const std::string& kind, const std::string& name) {
            if (kind == "lora") // prompt words are asked for as embeddings too
                asked.push_back(name);
            return kind == "lora" && name == "Moody Alias" ? file : std::string();
        };
        api::Engine engine(options);
        const auto viaAlias = engine.generate(tiny("a photo of a cat <lora:Moody Alias:0.8>"));
        const auto viaFolder = m_engine.generate(tiny("a photo of a cat <lora:lora_sd1_tiny:0.8>"));
        QVERIFY(viaAlias.images[0].image.pixels == viaFolder.images[0].image.pixels);
        QCOMPARE(asked, std::vector<std::string>{"Moody Alias"});
        const std::string expected = "Lora hashes: \"Moody Alias: " + io::autoV3(file) + "\"";
        QVERIFY2(viaAlias.images[0].infotext.find(expected) != std::string::npos, viaAlias.images[0].infotext.c_str());
    }

    void embeddingsResolveAndRecordTIHashes()
    {
        // A word of the prompt that the lookup knows as an embedding changes the conditioning and is
        // recorded as A1111 "TI hashes" (sha256[:12] of the file); other words are not embeddings.
        const std::string file = test::goldenPath("models/embedding_sd1_tiny.safetensors");
        api::EngineOptions options;
        options.nameLookup = [&](const std::string& kind, const std::string& name) {
            return kind == "embedding" && name == "moodytexture" ? file : std::string();
        };
        api::Engine engine(options);
        const auto with = engine.generate(tiny("a photo of a cat, moodytexture <lora:lora_sd1_tiny:0.5>"));
        for (const std::string& w : engine.warnings())
            QVERIFY2(w.find("embedding") == std::string::npos, w.c_str());
        const auto without = m_engine.generate(tiny("a photo of a cat, moodytexture <lora:lora_sd1_tiny:0.5>"));
        QVERIFY(with.images[0].image.pixels != without.images[0].image.pixels);
        const std::string expected = "TI hashes: \"moodytexture: " + io::sha256File(file).substr(0, 12) + "\"";
        QVERIFY2(with.images[0].infotext.find(expected) != std::string::npos, with.images[0].infotext.c_str());
        QVERIFY(without.images[0].infotext.find("TI hashes") == std::string::npos);
        QVERIFY(with.images[0].infotext.find("Lora hashes") != std::string::npos);
    }

    void missingLoRAIsFileNotFound()
    {
        try {
            m_engine.generate(tiny("a cat <lora:not_a_real_lora:1>"));
            QFAIL("no error");
        } catch (const api::Error& e) {
            QCOMPARE(e.code(), api::ErrorCode::FileNotFound);
            QVERIFY2(e.message().find("not_a_real_lora") != std::string::npos, e.message().c_str());
        }
    }
};

QTEST_GUILESS_MAIN(TestLoRAGenerate)
#include "test_lora_generate.moc"
