// A catalog written by schema v1 opens in this build: every migration runs once, old rows keep
// their data and become searchable, and a scan then fills the new columns.

#include <QtTest>
#include <QTemporaryDir>

#include <sqlite3.h>

#include "engine/catalog/database.h"
#include "engine/catalog/gallery.h"
#include "engine/catalog/migrations.h"
#include "engine/catalog/model_library.h"

using namespace easel;

class TestCatalogMigrations : public QObject {
    Q_OBJECT
private:
    /// Writes a catalog as Easel with only migration 1 would have.
    static void writeVersion1(const std::string& path)
    {
        sqlite3* db = nullptr;
        QCOMPARE(sqlite3_open(path.c_str(), &db), SQLITE_OK);
        const auto run = [&](const std::string& sql) {
            char* error = nullptr;
            const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
            const std::string message = error ? error : "";
            sqlite3_free(error);
            QVERIFY2(rc == SQLITE_OK, message.c_str());
        };
        run(catalog::migrations().at(0).sql);
        run("PRAGMA user_version = 1");
        run("INSERT INTO models(id, path, kind, family, size_bytes, mtime_ns, metadata_json) "
            "VALUES (1, '/lib/Lora/dragon_style.safetensors', 'lora', 'SD1', 1000, 5, '{\"ss_output_name\":\"dragon\"}')");
        run("INSERT INTO generations(id, prompt, negative_prompt, model_id) "
            "VALUES (1, 'a red dragon over mountains', 'blurry', 1)");
        run("INSERT INTO images(generation_id, path, seed, width, height) VALUES (1, '/out/1.png', 42, 512, 512)");
        sqlite3_close(db);
    }

private Q_SLOTS:
    void migrationsAreNumberedInOrder()
    {
        int expected = 1;
        for (const auto& m : catalog::migrations()) {
            QCOMPARE(m.version, expected++);
            QVERIFY(std::string(m.description).size() > 0);
        }
        QVERIFY(catalog::currentSchemaVersion() >= 2);
    }

    void version1FileIsUpgradedKeepingData()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath("catalog.sqlite").toStdString();
        writeVersion1(path);

        catalog::Database db(path);
        QCOMPARE(db.schemaVersion(), catalog::currentSchemaVersion());

        // The old model row keeps its values and gets the new columns' defaults.
        catalog::ModelLibrary library(db);
        const auto row = library.get(1);
        QVERIFY(row.has_value());
        QCOMPARE(row->path, std::string("/lib/Lora/dragon_style.safetensors"));
        QCOMPARE(row->kind, std::string("lora"));
        QCOMPARE(row->useCount, int64_t(0));
        QVERIFY(!row->favourite);
        QCOMPARE(library.metadataJson(1), std::string("{\"ss_output_name\":\"dragon\"}")); // moved to its table

        // Old generations are in the new prompt index.
        catalog::Gallery gallery(db);
        catalog::ImageQuery q;
        q.text = "dragon";
        const auto images = gallery.search(q);
        QCOMPARE(images.size(), size_t(1));
        QCOMPARE(images[0].seed, int64_t(42));
        QCOMPARE(images[0].prompt, std::string("a red dragon over mountains"));

        // Old model rows are in the new model index (family is indexed as base model).
        catalog::ModelQuery mq;
        mq.text = "sd1";
        QCOMPARE(library.count(mq), int64_t(1));
    }

    void upgradedFileReopensWithoutRerunning()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath("catalog.sqlite").toStdString();
        writeVersion1(path);
        { catalog::Database db(path); }
        catalog::Database again(path);
        QCOMPARE(again.schemaVersion(), catalog::currentSchemaVersion());
        int n = 0;
        again.query("SELECT COUNT(*) FROM models_fts", [&](const auto& r) { n = std::stoi(r[0]); });
        QCOMPARE(n, 1); // indexed once, not once per open
    }
};

QTEST_GUILESS_MAIN(TestCatalogMigrations)
#include "test_catalog_migrations.moc"
