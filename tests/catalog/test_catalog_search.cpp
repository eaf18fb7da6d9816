// Library queries: FTS5 search from whatever a person types (quotes, stars, operators, CJK),
// filters, sort orders, paging, user data, name/hash resolution and the background-hash queue.

#include <QtTest>
#include <QCryptographicHash>
#include <QFile>

#include "engine/catalog/database.h"
#include "engine/catalog/fts_query.h"
#include "engine/catalog/model_hasher.h"
#include "engine/catalog/model_library.h"
#include "engine/io/safetensors.h"
#include "tests/support/golden.h"

using namespace easel;

class TestCatalogSearch : public QObject {
    Q_OBJECT
private:
    std::unique_ptr<catalog::Database> m_db;
    std::unique_ptr<catalog::ModelLibrary> m_lib;

    int64_t add(const std::string& name, const std::string& kind, const std::string& family,
                const std::string& triggers = "", const std::string& folder = "", int64_t addedAt = 0)
    {
        auto s = m_db->prepare("INSERT INTO models(path, name, kind, family, trigger_words, folder, added_at, size_bytes, mtime_ns)"
                               " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 100, 1)");
        s.bind(1, "/lib/" + folder + "/" + name + ".safetensors").bind(2, name).bind(3, kind).bind(4, family);
        s.bind(5, triggers).bind(6, folder).bind(7, addedAt);
        s.run();
        return m_db->lastInsertId();
    }

    std::vector<std::string> names(const catalog::ModelQuery& q)
    {
        std::vector<std::string> out;
        for (const auto& r : m_lib->search(q))
            out.push_back(r.name);
        return out;
    }

    std::vector<std::string> find(const std::string& text)
    {
        catalog::ModelQuery q;
        q.text = text;
        return names(q);
    }

private Q_SLOTS:
    void init()
    {
        m_db = std::make_unique<catalog::Database>(":memory:");
        m_lib = std::make_unique<catalog::ModelLibrary>(*m_db);
        add("dragon_style_v2", "lora", "SD1", "dragon style, scales", "styles", 100);
        add("Dragonfly Wings", "lora", "SDXL", "insect wings", "concepts", 200);
        add("realistic_vision", "checkpoint", "SD1", "", "photoreal", 300);
        add("猫耳メイド", "lora", "SD1", "猫耳, maid", "characters", 400);
        add("it's \"quoted\"", "lora", "SD1", "", "", 500);
        add("star*power", "embedding", "SD1", "", "", 600);
    }

    void matchExpressionQuotesEveryWord()
    {
        QCOMPARE(catalog::ftsMatchExpression("dragon sty"), std::string("\"dragon\"* \"sty\"*"));
        QCOMPARE(catalog::ftsMatchExpression("  "), std::string());
        QCOMPARE(catalog::ftsMatchExpression("*** \" ( ) -"), std::string());
        QCOMPARE(catalog::ftsMatchExpression("a\"b"), std::string("\"a\"\"b\"*"));
        QCOMPARE(catalog::ftsMatchExpression("NOT OR"), std::string("\"NOT\"* \"OR\"*"));
    }

    void prefixWordsFindNamesTriggersAndFolders()
    {
        QCOMPARE(find("drag"), (std::vector<std::string>{"dragon_style_v2", "Dragonfly Wings"}));
        QCOMPARE(find("dragon sty"), (std::vector<std::string>{"dragon_style_v2"}));
        QCOMPARE(find("scales"), (std::vector<std::string>{"dragon_style_v2"}));      // trigger words
        QCOMPARE(find("photo"), (std::vector<std::string>{"realistic_vision"}));       // folder
        QCOMPARE(find("sdxl"), (std::vector<std::string>{"Dragonfly Wings"}));         // family as base model
        QCOMPARE(find("DRAGON_STYLE"), (std::vector<std::string>{"dragon_style_v2"})); // case, separators
    }

    void oddCharactersAreSearchedNotParsed()
    {
        // None of these may throw (FTS5 syntax errors), and they find what the words say.
        QCOMPARE(find("\"quoted"), (std::vector<std::string>{"it's \"quoted\""}));
        QCOMPARE(find("it's"), (std::vector<std::string>{"it's \"quoted\""}));
        QCOMPARE(find("star*"), (std::vector<std::string>{"star*power"}));
        QCOMPARE(find("star*pow"), (std::vector<std::string>{"star*power"}));
        QCOMPARE(find("dragon OR"), std::vector<std::string>{});
        for (const char* text : {"(", ")", "\"", "*", "-dragon", "dragon:", "^dragon", "NEAR(a b)", "a AND", "{x}",
                                 "'", "\\", "%", "_", "dragon\"", "\xff\xfe", "\xe3\x80\x81"}) {
            catalog::ModelQuery q;
            q.text = text;
            m_lib->search(q);
            m_lib->count(q);
        }
        QCOMPARE(find("-dragon").size(), size_t(2)); // '-' is not NOT
    }

    void cjkTextIsSearchable()
    {
        QCOMPARE(find("猫耳"), (std::vector<std::string>{"猫耳メイド"}));
        QCOMPARE(find("猫"), (std::vector<std::string>{"猫耳メイド"}));
        QCOMPARE(find("maid"), (std::vector<std::string>{"猫耳メイド"}));
    }

    void filtersSortsAndPages()
    {
        catalog::ModelQuery q;
        q.kind = "lora";
        QCOMPARE(m_lib->count(q), int64_t(4));
        q.family = "SD1";
        QCOMPARE(m_lib->count(q), int64_t(3));
        q = {};
        q.sort = catalog::ModelSort::DateAdded;
        q.limit = 2;
        QCOMPARE(names(q), (std::vector<std::string>{"star*power", "it's \"quoted\""}));
        q.offset = 2;
        QCOMPARE(names(q), (std::vector<std::string>{"猫耳メイド", "realistic_vision"}));
        q = {};
        q.sort = catalog::ModelSort::Name;
        q.limit = 3;
        QCOMPARE(names(q), (std::vector<std::string>{"dragon_style_v2", "Dragonfly Wings", "it's \"quoted\""}));
    }

    void favouritesTagsAndUse()
    {
        const auto lora = m_lib->resolve("lora", "Dragonfly Wings");
        QVERIFY(lora.has_value());
        m_lib->setFavourite(lora->id, true);
        m_lib->addTag(lora->id, " insects ");
        m_lib->addTag(lora->id, "Insects"); // tags are case-insensitive: no duplicate
        m_lib->addTag(lora->id, "nature");
        QCOMPARE(m_lib->tags(lora->id), (std::vector<std::string>{"insects", "nature"}));
        catalog::ModelQuery q;
        q.favouritesOnly = true;
        QCOMPARE(names(q), (std::vector<std::string>{"Dragonfly Wings"}));
        q = {};
        q.tag = "NATURE";
        QCOMPARE(names(q), (std::vector<std::string>{"Dragonfly Wings"}));
        QCOMPARE(find("insec"), (std::vector<std::string>{"Dragonfly Wings"})); // tags are indexed
        m_lib->removeTag(lora->id, "insects");
        QCOMPARE(m_lib->tags(lora->id), (std::vector<std::string>{"nature"}));
        QCOMPARE(m_lib->allTags(), (std::vector<std::string>{"nature"}));

        const auto other = m_lib->resolve("checkpoint", "REALISTIC_VISION");
        QVERIFY(other.has_value());
        m_lib->recordUse(other->id);
        m_lib->recordUse(other->id);
        m_lib->recordUse(lora->id);
        q = {};
        q.sort = catalog::ModelSort::MostUsed;
        q.limit = 2;
        QCOMPARE(names(q), (std::vector<std::string>{"realistic_vision", "Dragonfly Wings"}));
        q.sort = catalog::ModelSort::LastUsed;
        const auto recent = names(q);
        QCOMPARE(recent.size(), size_t(2)); // both used; never-used rows come after
        QVERIFY(m_lib->get(other->id)->lastUsedAt.has_value());
        QCOMPARE(m_lib->get(other->id)->useCount, int64_t(2));
    }

    void aliasResolvesPromptNames()
    {
        const auto lora = m_lib->resolve("lora", "dragon_style_v2");
        QVERIFY(lora.has_value());
        m_lib->setAlias(lora->id, "Dragon Scales");
        QCOMPARE(m_lib->resolve("lora", "dragon scales")->id, lora->id);
        QCOMPARE(find("scal").size(), size_t(1));
        QVERIFY(!m_lib->resolve("checkpoint", "dragon scales").has_value());
        QVERIFY(!m_lib->resolve("lora", "nothing like it").has_value());
    }

    void hashesAreQueuedStoredAndFound()
    {
        const auto pending = m_lib->pendingHashes(100);
        QCOMPARE(pending.size(), size_t(6));
        const catalog::PendingHash job = pending[0];
        m_lib->storeHashes(job, std::string(64, 'a'), "aaaaaaaaaa", "bbbbbbbbbbbb");
        QCOMPARE(m_lib->pendingHashes(100).size(), size_t(5));
        QCOMPARE(m_lib->findByHash("AAAAAAAAAA")->id, job.id);
        QCOMPARE(m_lib->findByHash("bbbbbbbbbbbb")->id, job.id);
        QCOMPARE(m_lib->findByHash(std::string(64, 'a'))->id, job.id);
        QVERIFY(!m_lib->findByHash("zz").has_value());

        // A result computed for an older state of the file is dropped.
        catalog::PendingHash stale = m_lib->pendingHashes(1)[0];
        m_db->exec("UPDATE models SET mtime_ns = 999 WHERE id = " + std::to_string(stale.id));
        m_lib->storeHashes(stale, std::string(64, 'c'), "cccccccccc", "cccccccccccc");
        QVERIFY(!m_lib->findByHash("cccccccccc").has_value());
        // A changed file is queued again.
        m_db->exec("UPDATE models SET size_bytes = 5 WHERE id = " + std::to_string(job.id));
        QCOMPARE(m_lib->pendingHashes(100).size(), size_t(6));
    }

    void modelHashesFollowA1111()
    {
        const std::string path = test::goldenPath("models/lora_sd1_tiny.safetensors");
        QFile file(QString::fromStdString(path));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray bytes = file.readAll();
        const auto hashes = catalog::computeModelHashes(path);
        const QByteArray whole = QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex();
        QCOMPARE(QByteArray::fromStdString(hashes.sha256), whole);
        QCOMPARE(QByteArray::fromStdString(hashes.autov2), whole.left(10));
        const auto header = io::SafetensorsFile::openHeaderOnly(path);
        const auto kohya = header.metadata().find("sshs_model_hash");
        const QByteArray expected = kohya != header.metadata().end()
            ? QByteArray::fromStdString(kohya->second).left(12).toLower()
            : QCryptographicHash::hash(bytes.mid(static_cast<qsizetype>(header.dataOffset())), QCryptographicHash::Sha256)
                  .toHex()
                  .left(12);
        QCOMPARE(QByteArray::fromStdString(hashes.autov3), expected);
    }
};

QTEST_GUILESS_MAIN(TestCatalogSearch)
#include "test_catalog_search.moc"
