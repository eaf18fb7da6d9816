// The folder scanner: classification through engine/io, kohya metadata and sidecars, incremental
// rescans, moved files keeping their user data, missing files, broken files, cancellation, and
// readers on other threads while a scan writes.

#include <QtTest>
#include <QTemporaryDir>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include "engine/catalog/database.h"
#include "engine/catalog/model_library.h"
#include "engine/catalog/scanner.h"
#include "engine/bench/synthetic_library.h"
#include "tests/engine/io/checkpoint_builder.h"
#include "tests/support/golden.h"

using namespace easel;
namespace fs = std::filesystem;
using test::PickleBuilder;

class TestCatalogScanner : public QObject {
    Q_OBJECT
private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::string m_webui, m_db;

    std::string path(const std::string& relative) const { return m_webui + "/" + relative; }

    void copyGolden(const std::string& name, const std::string& to)
    {
        fs::create_directories(fs::path(path(to)).parent_path());
        fs::copy_file(test::goldenPath("models/" + name), path(to));
        fs::permissions(path(to), fs::perms::owner_read | fs::perms::owner_write);
    }

    static void write(const std::string& file, const std::string& text)
    {
        fs::create_directories(fs::path(file).parent_path());
        std::ofstream(file, std::ios::binary) << text;
    }

    catalog::ScanResult scan(catalog::Database& db, catalog::ScanOptions options = {})
    {
        catalog::Scanner scanner(db, std::move(options));
        return scanner.scan(catalog::a1111Roots(m_webui));
    }

    catalog::ModelRow byName(catalog::Database& db, const std::string& name, bool includeMissing = false)
    {
        catalog::ModelLibrary lib(db);
        catalog::ModelQuery q;
        q.includeMissing = includeMissing;
        q.limit = 1000;
        for (const auto& r : lib.search(q))
            if (r.name == name)
                return *lib.get(r.id);
        return {};
    }

private Q_SLOTS:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        m_webui = m_dir->filePath("webui").toStdString();
        m_db = m_dir->filePath("catalog.sqlite").toStdString();
        copyGolden("sd1_tiny.safetensors", "models/Stable-diffusion/sd1_tiny.safetensors");
        copyGolden("lora_sd1_tiny.safetensors", "models/Lora/characters/lora_sd1_tiny.safetensors");
        copyGolden("embedding_sd1_tiny.safetensors", "embeddings/embedding_sd1_tiny.safetensors");
        fs::create_directories(path("models/VAE"));
        // A file cut short: the header says more than the file holds.
        write(path("models/Lora/broken.safetensors"), std::string("\xff\x00\x00\x00\x00\x00\x00\x00{\"a\":", 13));
        write(path("models/Lora/readme.txt"), "not a model");
        // Sidecars as A1111 and Civitai Helper write them.
        write(path("models/Stable-diffusion/sd1_tiny.preview.png"), "\x89PNG");
        write(path("models/Lora/characters/lora_sd1_tiny.png"), "\x89PNG");
        write(path("models/Lora/characters/lora_sd1_tiny.json"),
              R"({"description": "tiny test LoRA", "activation text": "tinychar, red hair", "preferred weight": 0.7,
                  "sd version": "SD1", "notes": "from the golden set", "negative text": "lowres"})");
        write(path("models/Lora/characters/lora_sd1_tiny.civitai.info"),
              R"({"model": {"name": "Tiny Character"}, "trainedWords": ["tinychar", "red hair"], "baseModel": "SD 1.5",
                  "images": [{"url": "x"}]})");
        // A kohya LoRA with training metadata, written with real SD1 key names.
        catalog::synthetic::LoRASpec spec;
        spec.rank = 8;
        spec.outputName = "dragon_style";
        spec.tags = {"dragon style", "scales", "wings", "fire", "sky"};
        fs::create_directories(path("models/Lora/styles"));
        catalog::synthetic::writeLoRA(path("models/Lora/styles/dragon_style_v2.safetensors"), spec);
    }

    void firstScanClassifiesAndReadsSidecars()
    {
        catalog::Database db(m_db);
        const auto result = scan(db);
        QCOMPARE(result.seen, size_t(5));
        QCOMPARE(result.added, size_t(5));
        QCOMPARE(result.broken, size_t(1));
        QVERIFY(result.walkErrors.empty());

        const auto ckpt = byName(db, "sd1_tiny");
        QCOMPARE(ckpt.kind, std::string("checkpoint"));
        QCOMPARE(ckpt.family, std::string("SD1"));
        QCOMPARE(ckpt.status, std::string("ok"));
        QCOMPARE(ckpt.folder, std::string(""));
        QCOMPARE(ckpt.previewPath, path("models/Stable-diffusion/sd1_tiny.preview.png"));

        const auto lora = byName(db, "lora_sd1_tiny");
        QCOMPARE(lora.kind, std::string("lora"));
        QCOMPARE(lora.family, std::string("SD1"));
        QCOMPARE(lora.folder, std::string("characters"));
        QCOMPARE(lora.previewPath, path("models/Lora/characters/lora_sd1_tiny.png"));
        QCOMPARE(lora.activationText, std::string("tinychar, red hair"));
        QVERIFY(lora.preferredWeight.has_value());
        QCOMPARE(*lora.preferredWeight, 0.7);
        QCOMPARE(lora.sdVersion, std::string("SD1"));
        QCOMPARE(lora.description, std::string("tiny test LoRA"));
        QCOMPARE(lora.negativeText, std::string("lowres"));
        QCOMPARE(lora.civitaiName, std::string("Tiny Character"));
        QCOMPARE(lora.civitaiTrainedWords, std::string("tinychar, red hair"));
        QCOMPARE(lora.civitaiBaseModel, std::string("SD 1.5"));

        const auto kohya = byName(db, "dragon_style_v2");
        QCOMPARE(kohya.kind, std::string("lora"));
        QCOMPARE(kohya.subtype, std::string("LoRA"));
        QCOMPARE(kohya.folder, std::string("styles"));
        QCOMPARE(kohya.baseModel, std::string("sd_v1"));
        QCOMPARE(kohya.outputName, std::string("dragon_style"));
        // Tags by frequency (the writer gives earlier tags higher counts).
        QCOMPARE(kohya.triggerWords, std::string("dragon style, scales, wings, fire, sky"));
        QCOMPARE(kohya.resolution, std::string("512x512"));
        QCOMPARE(kohya.networkDim.value_or(0), int64_t(8));
        QCOMPARE(kohya.networkAlpha.value_or(0), 4.0);
        catalog::ModelLibrary lib(db);
        QVERIFY(lib.metadataJson(kohya.id).find("ss_tag_frequency") != std::string::npos);

        const auto embedding = byName(db, "embedding_sd1_tiny");
        QCOMPARE(embedding.kind, std::string("embedding"));

        const auto broken = byName(db, "broken");
        QCOMPARE(broken.status, std::string("broken"));
        QVERIFY2(broken.statusDetail.find("header length") != std::string::npos, broken.statusDetail.c_str());
    }

    void rescanWithNothingChangedOpensNothing()
    {
        catalog::Database db(m_db);
        scan(db);
        std::atomic<int> classified{0};
        catalog::ScanOptions options;
        options.classifier = [&](const io::SafetensorsFile& f) {
            ++classified;
            return catalog::ioClassifier()(f);
        };
        const auto again = scan(db, options);
        QCOMPARE(again.seen, size_t(5));
        QCOMPARE(again.unchanged, size_t(5));
        QCOMPARE(again.added + again.updated + again.moved + again.missing + again.sidecarsOnly, size_t(0));
        QCOMPARE(classified.load(), 0);
    }

    void changedFileAndSidecarAreReread()
    {
        catalog::Database db(m_db);
        scan(db);
        catalog::synthetic::LoRASpec spec;
        spec.rank = 16;
        spec.outputName = "dragon_style";
        spec.tags = {"fire breath", "dragon style"};
        catalog::synthetic::writeLoRA(path("models/Lora/styles/dragon_style_v2.safetensors"), spec);
        write(path("models/Stable-diffusion/sd1_tiny.json"), R"({"activation text": "tiny world"})");
        const auto result = scan(db);
        QCOMPARE(result.updated, size_t(1));
        QCOMPARE(result.sidecarsOnly, size_t(1));
        QCOMPARE(byName(db, "dragon_style_v2").triggerWords, std::string("fire breath, dragon style"));
        QCOMPARE(byName(db, "dragon_style_v2").networkDim.value_or(0), int64_t(16));
        QCOMPARE(byName(db, "sd1_tiny").activationText, std::string("tiny world"));
    }

    void renamedFileKeepsUserData()
    {
        catalog::Database db(m_db);
        scan(db);
        catalog::ModelLibrary lib(db);
        const auto before = byName(db, "lora_sd1_tiny");
        lib.setFavourite(before.id, true);
        lib.addTag(before.id, "keep me");
        lib.recordUse(before.id);
        fs::create_directories(path("models/Lora/renamed"));
        fs::rename(path("models/Lora/characters/lora_sd1_tiny.safetensors"),
                   path("models/Lora/renamed/tiny_hero.safetensors"));
        const auto result = scan(db);
        QCOMPARE(result.moved, size_t(1));
        QCOMPARE(result.added, size_t(0));
        const auto after = byName(db, "tiny_hero");
        QCOMPARE(after.id, before.id);
        QCOMPARE(after.folder, std::string("renamed"));
        QVERIFY(after.favourite);
        QCOMPARE(after.useCount, int64_t(1));
        QCOMPARE(after.tags, std::vector<std::string>{"keep me"});
        QCOMPARE(after.addedAt, before.addedAt);
        QCOMPARE(after.status, std::string("ok"));
        // The sidecars stayed behind under the old name, so they no longer apply.
        QCOMPARE(after.activationText, std::string(""));
        // Search finds it under its new name only.
        catalog::ModelQuery q;
        q.text = "tiny_hero";
        QCOMPARE(lib.count(q), int64_t(1));
    }

    void deletedFileIsMarkedMissingAndComesBack()
    {
        catalog::Database db(m_db);
        scan(db);
        catalog::ModelLibrary lib(db);
        const auto before = byName(db, "embedding_sd1_tiny");
        lib.setFavourite(before.id, true);
        const std::string file = path("embeddings/embedding_sd1_tiny.safetensors");
        const std::string kept = m_dir->filePath("kept.safetensors").toStdString();
        fs::rename(file, kept);
        const auto result = scan(db);
        QCOMPARE(result.missing, size_t(1));
        QCOMPARE(byName(db, "embedding_sd1_tiny").id, int64_t(0)); // hidden by default
        const auto missing = byName(db, "embedding_sd1_tiny", true);
        QCOMPARE(missing.id, before.id);
        QCOMPARE(missing.status, std::string("missing"));
        QVERIFY(missing.favourite);
        // A second scan does not count it again.
        QCOMPARE(scan(db).missing, size_t(0));

        fs::rename(kept, file);
        scan(db);
        const auto back = byName(db, "embedding_sd1_tiny");
        QCOMPARE(back.id, before.id);
        QCOMPARE(back.status, std::string("ok"));
        QVERIFY(back.favourite);
    }

    void scanOfOneRootLeavesOtherRootsAlone()
    {
        catalog::Database db(m_db);
        scan(db);
        catalog::Scanner scanner(db);
        const auto result = scanner.scan({{path("embeddings"), "embedding"}});
        QCOMPARE(result.seen, size_t(1));
        QCOMPARE(result.missing, size_t(0));
        QCOMPARE(byName(db, "sd1_tiny").status, std::string("ok"));
    }

    void identicalLayoutsAreClassifiedOnce()
    {
        const std::string root = path("models/LyCORIS");
        fs::create_directories(root);
        for (int i = 0; i < 20; ++i) {
            catalog::synthetic::LoRASpec spec;
            spec.outputName = "batch_" + std::to_string(i);
            spec.tags = {"tag" + std::to_string(i)};
            spec.seed = static_cast<uint64_t>(i);
            catalog::synthetic::writeLoRA(root + "/batch_" + std::to_string(i) + ".safetensors", spec);
        }
        catalog::Database db(m_db);
        std::atomic<int> classified{0};
        catalog::ScanOptions options;
        options.threads = 1;
        options.classifier = [&](const io::SafetensorsFile& f) {
            ++classified;
            return catalog::ioClassifier()(f);
        };
        catalog::Scanner scanner(db, options);
        const auto result = scanner.scan({{root, "lora"}});
        QCOMPARE(result.added, size_t(20));
        QCOMPARE(classified.load(), 1);
        QCOMPARE(result.classifyCacheHits, size_t(19));
        QCOMPARE(byName(db, "batch_7").triggerWords, std::string("tag7")); // per-file fields still per file
        QCOMPARE(byName(db, "batch_7").family, std::string("SD1"));
    }

    void cancelledScanKeepsWhatItWrote()
    {
        const std::string root = path("models/LyCORIS");
        fs::create_directories(root);
        for (int i = 0; i < 60; ++i) {
            catalog::synthetic::LoRASpec spec;
            spec.outputName = "many_" + std::to_string(i);
            catalog::synthetic::writeLoRA(root + "/many_" + std::to_string(i) + ".safetensors", spec);
        }
        catalog::Database db(m_db);
        std::atomic<bool> cancel{false};
        catalog::ScanOptions options;
        options.threads = 1;
        options.batchSize = 5;
        // Cancel from inside the work (deterministic, unlike a timer): after the 10th file read.
        options.classificationCache = false;
        std::atomic<int> read{0};
        options.classifier = [&](const io::SafetensorsFile& f) {
            if (++read == 10)
                cancel = true;
            return catalog::ioClassifier()(f);
        };
        size_t reports = 0;
        options.progress = [&](const catalog::ScanProgress&) { ++reports; };
        options.cancel = &cancel;
        catalog::Scanner scanner(db, options);
        const auto first = scanner.scan({{root, "lora"}});
        QVERIFY(first.cancelled);
        QVERIFY(first.added >= 10);
        QVERIFY(first.added < 60);
        QVERIFY(reports >= 1); // at least the final report
        catalog::Scanner again(db);
        const auto second = again.scan({{root, "lora"}});
        QVERIFY(!second.cancelled);
        QCOMPARE(first.added + second.added, size_t(60));
    }

    void filesThatAreNotModelsAreBrokenWithTheReason()
    {
        // Issue 21: no tensors, or only unknown ones, is an error with a reason, not "kind unknown".
        auto safetensors = [](const std::string& header, size_t dataBytes) {
            std::string out(8, '\0');
            for (int i = 0; i < 8; ++i)
                out[static_cast<size_t>(i)] = static_cast<char>((header.size() >> (8 * i)) & 0xff);
            return out + header + std::string(dataBytes, '\0');
        };
        write(path("models/Stable-diffusion/empty.safetensors"), safetensors(R"({"__metadata__": {"a": "b"}})", 0));
        write(path("models/Stable-diffusion/odd.safetensors"),
              safetensors(R"({"foo.bar": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}})", 8));
        write(path("models/Stable-diffusion/bomb.ckpt"), test::memoBombCheckpoint(40, 10));
        write(path("models/Lora/bomb_lora.pt"), test::memoBombCheckpoint(20, 4, true));
        PickleBuilder emb;
        emb.proto().op('}').mark().str("string_to_param").op('}').mark().str("*");
        emb.tensor("FloatStorage", "0", 768, 0, {1, 768}, {768, 1}).op('u').op('u').op('.');
        write(path("embeddings/old_style.pt"),
              test::makeZip({{"archive/data.pkl", emb.bytes()}, {"archive/data/0", std::string(768 * 4, '\0')}}));

        catalog::Database db(m_db);
        const auto result = scan(db);
        QCOMPARE(result.broken, size_t(5)); // the four above and broken.safetensors of init()
        for (const char* name : {"empty", "bomb"}) {
            const auto row = byName(db, name);
            QCOMPARE(row.status, std::string("broken"));
            QCOMPARE(row.kind, std::string("checkpoint")); // its folder's: naming it finds the reason
            QVERIFY2(row.statusDetail.find("no tensors") != std::string::npos, row.statusDetail.c_str());
        }
        for (const char* name : {"odd", "bomb_lora"}) {
            const auto row = byName(db, name);
            QCOMPARE(row.status, std::string("broken"));
            QVERIFY2(row.statusDetail.find("matching no checkpoint") != std::string::npos, row.statusDetail.c_str());
        }
        // A pickle that is a model is classified from its contents (it was listed unread before).
        const auto embedding = byName(db, "old_style");
        QCOMPARE(embedding.status, std::string("ok"));
        QCOMPARE(embedding.kind, std::string("embedding"));
        QCOMPARE(embedding.family, std::string("SD1"));
    }

    void readerThreadSeesConsistentCatalogWhileScanning()
    {
        const std::string root = path("models/LyCORIS");
        fs::create_directories(root);
        const int files = 400;
        for (int i = 0; i < files; ++i) {
            catalog::synthetic::LoRASpec spec;
            spec.outputName = "crowd_" + std::to_string(i);
            spec.family = i % 2 ? catalog::synthetic::Family::SDXL : catalog::synthetic::Family::SD1;
            spec.rank = 4;
            spec.seed = static_cast<uint64_t>(i);
            catalog::synthetic::writeLoRA(root + "/crowd_" + std::to_string(i) + ".safetensors", spec);
        }
        { catalog::Database create(m_db); } // schema exists before both threads start

        std::atomic<bool> scanning{true};
        std::string writerError;
        std::thread writer([&] {
            try {
                catalog::Database db(m_db); // its own connection, on its own thread
                catalog::ScanOptions options;
                options.batchSize = 50;
                catalog::Scanner(db, options).scan({{root, "lora"}});
            } catch (const std::exception& e) {
                writerError = e.what();
            }
            scanning = false;
        });
        catalog::Database reader(m_db);
        catalog::ModelLibrary lib(reader);
        int64_t last = 0;
        int reads = 0;
        catalog::ModelQuery q;
        q.text = "crowd";
        q.limit = 20;
        while (scanning || reads == 0) {
            const int64_t n = lib.count(q);
            QVERIFY(n >= last); // committed batches only ever add rows
            last = n;
            const auto page = lib.search(q);
            QVERIFY(page.size() <= 20);
            ++reads;
        }
        writer.join();
        QVERIFY2(writerError.empty(), writerError.c_str());
        QCOMPARE(lib.count(q), int64_t(files));
        QVERIFY(reads > 0);
        catalog::ModelQuery xl;
        xl.family = "SDXL";
        xl.kind = "lora";
        QCOMPARE(lib.count(xl), int64_t(files / 2));
    }
};

QTEST_GUILESS_MAIN(TestCatalogScanner)
#include "test_catalog_scanner.moc"
