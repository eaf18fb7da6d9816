// The engine's name seam backed by the catalog: `<lora:name>` resolves by file name, alias or
// ss_output_name to a present file; unknown names, deleted files and a missing catalog give ""
// (the engine then searches its folders), and no catalog file is created by a lookup.

#include <QtTest>
#include <QDir>
#include <QFile>
#include <QTemporaryDir>

#include "engine/catalog/database.h"
#include "engine/catalog/model_library.h"
#include "engine/catalog/name_lookup.h"
#include "engine/catalog/scanner.h"
#include "tests/support/golden.h"

using namespace easel;

class TestCatalogNameLookup : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void resolvesNamesAndAliases()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QVERIFY(QDir(dir.path()).mkpath("Lora/styles"));
        const QString lora = dir.filePath("Lora/styles/my_style.safetensors");
        QVERIFY(QFile::copy(QString::fromStdString(test::goldenPath("models/lora_sd1_tiny.safetensors")), lora));
        const std::string dbPath = dir.filePath("catalog.sqlite").toStdString();
        {
            catalog::Database db(dbPath);
            catalog::Scanner(db).scan({{dir.filePath("Lora").toStdString(), "lora"}});
            catalog::ModelLibrary library(db);
            const auto row = library.resolve("lora", "my_style");
            QVERIFY(row);
            library.setAlias(row->id, "Moody Style");
        }
        const catalog::NameLookup lookup = catalog::catalogNameLookup(dbPath);
        QCOMPARE(QString::fromStdString(lookup("lora", "my_style")), lora);
        QCOMPARE(QString::fromStdString(lookup("lora", "MY_STYLE")), lora); // A1111 names ignore case
        QCOMPARE(QString::fromStdString(lookup("lora", "moody style")), lora);
        QCOMPARE(lookup("lora", "nothing_like_it"), std::string());
        QCOMPARE(lookup("embedding", "my_style"), std::string()); // kinds do not mix

        // A file deleted since the last scan is not offered (the folders get their chance).
        QVERIFY(QFile::remove(lora));
        QCOMPARE(lookup("lora", "my_style"), std::string());
    }

    void missingCatalogIsNotCreated()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("none.sqlite");
        const catalog::NameLookup lookup = catalog::catalogNameLookup(path.toStdString());
        QCOMPARE(lookup("lora", "anything"), std::string());
        QVERIFY(!QFile::exists(path));
    }
};

QTEST_GUILESS_MAIN(TestCatalogNameLookup)
#include "test_catalog_name_lookup.moc"
