// The catalog opens, migrates to the current schema and refuses files it cannot use.

#include <QtTest>
#include <QTemporaryDir>

#include <fstream>
#include <thread>
#include <vector>

#include "engine/api/error.h"
#include "engine/catalog/database.h"
#include "engine/catalog/migrations.h"

using namespace easel;

class TestCatalogDatabase : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void newFileIsAtCurrentSchema()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath("catalog.sqlite").toStdString();
        {
            catalog::Database db(path);
            QCOMPARE(db.schemaVersion(), catalog::currentSchemaVersion());
            std::string mode;
            db.query("PRAGMA journal_mode", [&](const auto& r) { mode = r[0]; });
            QCOMPARE(mode, std::string("wal"));
            db.exec("INSERT INTO models(path, kind) VALUES ('/m/a.safetensors', 'checkpoint')");
        }
        // Reopening keeps the data and does not re-run migrations.
        catalog::Database again(path);
        int count = 0;
        again.query("SELECT COUNT(*) FROM models", [&](const auto& r) { count = std::stoi(r[0]); });
        QCOMPARE(count, 1);
    }

    void connectionsOpeningAFreshFileTogetherMigrateOnce()
    {
        // The studio's scanner thread and its main thread open a new data folder at the same
        // moment; each migration must run exactly once and neither open may fail.
        for (int round = 0; round < 8; ++round) {
            QTemporaryDir dir;
            const std::string path = dir.filePath("catalog.sqlite").toStdString();
            std::vector<std::string> errors(4);
            std::vector<std::thread> openers;
            for (size_t i = 0; i < errors.size(); ++i)
                openers.emplace_back([&, i] {
                    try {
                        catalog::Database db(path);
                    } catch (const std::exception& e) {
                        errors[i] = e.what();
                    }
                });
            for (auto& t : openers)
                t.join();
            for (const auto& e : errors)
                QVERIFY2(e.empty(), e.c_str());
            QCOMPARE(catalog::Database(path).schemaVersion(), catalog::currentSchemaVersion());
        }
    }

    void foreignKeysAreEnforced()
    {
        catalog::Database db(":memory:");
        QVERIFY_THROWS_EXCEPTION(api::Error,
                                 db.exec("INSERT INTO images(generation_id, path, seed, width, height) "
                                         "VALUES (999, '/x.png', 1, 8, 8)"));
    }

    void garbageFileIsACorruptCatalog()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath("catalog.sqlite").toStdString();
        std::ofstream(path) << std::string(4096, 'x');
        try {
            catalog::Database db(path);
            QFAIL("expected an error");
        } catch (const api::Error& e) {
            QCOMPARE(e.code(), api::ErrorCode::CorruptFile);
            QCOMPARE(e.path(), path);
        }
    }

    void newerSchemaIsRefused()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath("catalog.sqlite").toStdString();
        {
            catalog::Database db(path);
            db.exec("PRAGMA user_version = 9999");
        }
        QVERIFY_THROWS_EXCEPTION(api::Error, catalog::Database{path});
    }
};

QTEST_GUILESS_MAIN(TestCatalogDatabase)
#include "test_catalog_database.moc"
