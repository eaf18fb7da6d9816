// The model manager lists the configured folders, scans them with progress and shows each file's
// kind and family as the catalog (engine/io's classifier) sees it; broken files are listed with
// the reason, and "only broken or unsupported" filters the list.

#include <QtTest>
#include <QCheckBox>
#include <QDir>
#include <QFile>
#include <QProgressBar>
#include <QPushButton>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTemporaryDir>

#include "app/model_inventory.h"
#include "app/settings.h"
#include "tests/support/golden.h"
#include "ui/model_manager_dialog.h"

using namespace easel;

class TestModelManager : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QSettings(QSettings::IniFormat, QSettings::UserScope, "Easel", "easel").clear();
        QVERIFY(m_dir.isValid());
    }
    void cleanupTestCase() { QSettings(QSettings::IniFormat, QSettings::UserScope, "Easel", "easel").clear(); }

    void scansAndListsKindsFamiliesAndProblems()
    {
        const QString checkpoints = m_dir.filePath("Stable-diffusion");
        const QString loras = m_dir.filePath("Lora");
        QVERIFY(QDir().mkpath(checkpoints + "/sub") && QDir().mkpath(loras));
        QVERIFY(QFile::copy(QString::fromStdString(test::goldenPath("models/sd1_tiny.safetensors")),
                            checkpoints + "/sub/sd1_tiny.safetensors"));
        QVERIFY(QFile::copy(QString::fromStdString(test::goldenPath("models/lora_sd1_tiny.safetensors")),
                            loras + "/lora_sd1_tiny.safetensors"));
        QFile broken(loras + "/truncated.safetensors");
        QVERIFY(broken.open(QIODevice::WriteOnly));
        broken.write("\x40\x00\x00\x00\x00\x00\x00\x00{\"a\": {\"dtype\"", 22); // header cut short
        broken.close();

        app::Settings settings;
        settings.setModelFolder(app::ModelKind::Checkpoint, checkpoints);
        settings.setModelFolder(app::ModelKind::LoRA, loras);
        for (const auto kind : {app::ModelKind::Embedding, app::ModelKind::VAE, app::ModelKind::ControlNet,
                                app::ModelKind::Upscaler})
            settings.setModelFolder(kind, m_dir.filePath("none"));

        ui::ModelManagerDialog dialog(settings, m_dir.filePath("catalog.sqlite"));
        dialog.show();
        QCOMPARE(dialog.foldersTable()->rowCount(), 6);
        QCOMPARE(dialog.foldersTable()->item(0, 1)->text(), QDir::toNativeSeparators(checkpoints));
        QSignalSpy scanned(&dialog, &ui::ModelManagerDialog::scanned);
        dialog.findChild<QPushButton*>("ModelScanButton")->click();
        QVERIFY(dialog.isScanning());
        QVERIFY(scanned.wait(60000));
        QVERIFY(!dialog.isScanning());
        const app::ModelInventory& inventory = dialog.inventory();
        QCOMPARE(inventory.error, QString());
        QCOMPARE(inventory.files.size(), 3);
        QCOMPARE(inventory.problems, 1);

        QMap<QString, QStringList> rows; // name column -> the other columns
        QTableWidget* files = dialog.filesTable();
        QCOMPARE(files->rowCount(), 3);
        for (int row = 0; row < files->rowCount(); ++row) {
            QStringList cells;
            for (int column = 1; column < files->columnCount(); ++column)
                cells << files->item(row, column)->text();
            rows[files->item(row, 0)->text()] = cells;
        }
        QVERIFY2(rows.contains("sub/sd1_tiny"), qPrintable(rows.keys().join(", ")));
        QCOMPARE(rows["sub/sd1_tiny"].at(0), QStringLiteral("checkpoint"));
        QCOMPARE(rows["sub/sd1_tiny"].at(1), QStringLiteral("SD1"));
        QVERIFY(rows["sub/sd1_tiny"].at(4).startsWith("ok")); // ok files may carry a note (assumed eps…)
        QCOMPARE(rows["lora_sd1_tiny"].at(0), QStringLiteral("lora"));
        QVERIFY(rows["truncated"].at(4).startsWith("broken: "));
        QVERIFY(rows["truncated"].at(4).size() > QStringLiteral("broken: ").size()); // with the reason

        dialog.findChild<QCheckBox*>("ModelProblemsOnly")->setChecked(true);
        QCOMPARE(files->rowCount(), 1);
        QCOMPARE(files->item(0, 0)->text(), QStringLiteral("truncated"));
        QCOMPARE(dialog.findChild<QProgressBar*>("ModelScanProgress")->value(), 1);
    }

private:
    QTemporaryDir m_dir;
};

QTEST_MAIN(TestModelManager)
#include "test_model_manager.moc"
