// Generation history: recording generations and images, prompt search (FTS5, odd characters and
// CJK), filters by model, LoRA, date and favourite, paging, ratings and deletion.

#include <QtTest>

#include "engine/catalog/database.h"
#include "engine/catalog/gallery.h"

using namespace easel;

class TestCatalogGallery : public QObject {
    Q_OBJECT
private:
    std::unique_ptr<catalog::Database> m_db;
    std::unique_ptr<catalog::Gallery> m_gallery;
    int64_t m_model = 0, m_lora = 0;

    int64_t generate(const std::string& prompt, const std::string& negative, int64_t time, bool withLora,
                     int images = 1, std::optional<int64_t> parent = std::nullopt)
    {
        catalog::NewGeneration g;
        g.prompt = prompt;
        g.negativePrompt = negative;
        g.paramsJson = R"({"steps": 20})";
        g.modelId = m_model;
        g.modelHash = "6ce0161689";
        g.modelName = "v1-5";
        g.createdAt = time;
        if (withLora)
            g.loras.push_back({"dragon_style", "0123456789ab", 0.8, m_lora});
        const int64_t gen = m_gallery->addGeneration(g);
        int64_t last = 0;
        for (int i = 0; i < images; ++i) {
            catalog::NewImage img;
            img.generationId = gen;
            img.path = "/out/" + std::to_string(gen) + "_" + std::to_string(i) + ".png";
            img.thumbnailPath = "/thumbs/" + std::to_string(gen) + "_" + std::to_string(i) + ".webp";
            img.seed = 1000 + i;
            img.width = 512;
            img.height = 768;
            img.parentId = parent;
            last = m_gallery->addImage(img);
        }
        return last;
    }

    std::vector<int64_t> seedsOf(const catalog::ImageQuery& q)
    {
        std::vector<int64_t> out;
        for (const auto& r : m_gallery->search(q))
            out.push_back(r.id);
        return out;
    }

private Q_SLOTS:
    void init()
    {
        m_db = std::make_unique<catalog::Database>(":memory:");
        m_gallery = std::make_unique<catalog::Gallery>(*m_db);
        m_db->exec("INSERT INTO models(id, path, kind, name) VALUES (1, '/m/v1-5.safetensors', 'checkpoint', 'v1-5'),"
                   " (2, '/m/dragon_style.safetensors', 'lora', 'dragon_style')");
        m_model = 1;
        m_lora = 2;
    }

    void imagesCarryTheirGeneration()
    {
        const int64_t id = generate("a (red:1.2) dragon, masterpiece", "blurry, lowres", 1000, true);
        const auto row = m_gallery->get(id);
        QVERIFY(row.has_value());
        QCOMPARE(row->prompt, std::string("a (red:1.2) dragon, masterpiece"));
        QCOMPARE(row->negativePrompt, std::string("blurry, lowres"));
        QCOMPARE(row->paramsJson, std::string(R"({"steps": 20})"));
        QCOMPARE(row->modelId.value_or(0), m_model);
        QCOMPARE(row->modelHash, std::string("6ce0161689"));
        QCOMPARE(row->seed, int64_t(1000));
        QCOMPARE(row->width, 512);
        QCOMPARE(row->height, 768);
        QCOMPARE(row->createdAt, int64_t(1000)); // the generation's time
        QCOMPARE(row->thumbnailPath.substr(0, 8), std::string("/thumbs/"));
        const auto loras = m_gallery->loras(row->generationId);
        QCOMPARE(loras.size(), size_t(1));
        QCOMPARE(loras[0].name, std::string("dragon_style"));
        QCOMPARE(loras[0].hash, std::string("0123456789ab"));
        QCOMPARE(loras[0].weight, 0.8);

        const int64_t child = generate("a red dragon, detailed", "", 1100, false, 1, id);
        QCOMPARE(m_gallery->get(child)->parentId.value_or(0), id);
    }

    void searchByPromptText()
    {
        generate("a red dragon over mountains", "blurry", 1000, true);
        generate("portrait of a knight, \"armor\"", "lowres", 2000, false);
        generate("猫耳の少女、桜", "", 3000, false);
        catalog::ImageQuery q;
        q.text = "drag";
        QCOMPARE(m_gallery->count(q), int64_t(1));
        q.text = "blurr"; // negative prompt too
        QCOMPARE(m_gallery->count(q), int64_t(1));
        q.text = "\"armor";
        QCOMPARE(m_gallery->count(q), int64_t(1));
        q.text = "猫耳";
        QCOMPARE(m_gallery->count(q), int64_t(1));
        for (const char* odd : {"*", "(", "\"", "NOT", "a OR", "-", ":"}) {
            q.text = odd;
            m_gallery->search(q); // must not throw
        }
        q.text = "";
        QCOMPARE(m_gallery->count(q), int64_t(3));
    }

    void filtersAndPaging()
    {
        for (int i = 0; i < 10; ++i)
            generate("scene " + std::to_string(i), "", 1000 + i * 100, i % 2 == 0);
        catalog::ImageQuery q;
        q.loraModelId = m_lora;
        QCOMPARE(m_gallery->count(q), int64_t(5));
        q = {};
        q.loraName = "DRAGON_STYLE";
        QCOMPARE(m_gallery->count(q), int64_t(5));
        q = {};
        q.modelId = m_model;
        QCOMPARE(m_gallery->count(q), int64_t(10));
        q = {};
        q.modelHash = "6ce0161689";
        QCOMPARE(m_gallery->count(q), int64_t(10));
        q = {};
        q.from = 1200;
        q.to = 1500;
        QCOMPARE(m_gallery->count(q), int64_t(3));

        q = {};
        q.limit = 4;
        const auto page1 = m_gallery->search(q);
        QCOMPARE(page1.size(), size_t(4));
        QCOMPARE(page1[0].prompt, std::string("scene 9")); // newest first
        q.offset = 8;
        const auto page3 = m_gallery->search(q);
        QCOMPARE(page3.size(), size_t(2));
        QCOMPARE(page3[1].prompt, std::string("scene 0"));

        m_gallery->setFavourite(page1[1].id, true);
        m_gallery->setRating(page1[1].id, 9); // clamped to 5
        q = {};
        q.favouritesOnly = true;
        const auto favs = m_gallery->search(q);
        QCOMPARE(favs.size(), size_t(1));
        QCOMPARE(favs[0].rating, 5);
        QVERIFY(favs[0].favourite);
    }

    void deleteReturnsFilesAndDropsEmptyGenerations()
    {
        const int64_t a = generate("two images", "", 1000, true, 2);
        const auto row = m_gallery->get(a);
        const auto first = m_gallery->deleteImage(a);
        QVERIFY(first.has_value());
        QCOMPARE(first->path, row->path);
        QCOMPARE(first->thumbnailPath, row->thumbnailPath);
        QVERIFY(!first->generationDeleted); // the other image remains
        QVERIFY(!m_gallery->get(a).has_value());
        catalog::ImageQuery q;
        q.text = "two";
        const auto rest = m_gallery->search(q);
        QCOMPARE(rest.size(), size_t(1));
        const auto second = m_gallery->deleteImage(rest[0].id);
        QVERIFY(second->generationDeleted);
        QCOMPARE(m_gallery->count(q), int64_t(0)); // gone from the prompt index with its generation
        int loras = -1;
        m_db->query("SELECT COUNT(*) FROM generation_loras", [&](const auto& r) { loras = std::stoi(r[0]); });
        QCOMPARE(loras, 0);
        QVERIFY(!m_gallery->deleteImage(12345).has_value());
    }
};

QTEST_GUILESS_MAIN(TestCatalogGallery)
#include "test_catalog_gallery.moc"
