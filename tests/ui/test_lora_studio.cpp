// LoRA in the studio end to end with the tiny SD1 model: the LoRA lives in a folder the engine's
// own folder search does not know, so only the catalog can resolve it. A prompt tag, the same LoRA
// added from the panel, and a tag naming its catalog alias give the same image and record the same
// `Lora hashes` (AutoV3); without the LoRA the image differs. Files added to or removed from a
// model folder while the studio runs show up in the panel (folder watching).

#include <QtTest>
#include <QAbstractItemModelTester>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFile>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QStringListModel>
#include <QTemporaryDir>

#include "app/engine_controller.h"
#include "app/lora_mix.h"
#include "app/model_folder_watcher.h"
#include "app/model_library_model.h"
#include "app/model_list_model.h"
#include "app/settings.h"
#include "engine/api/runtime.h"
#include "engine/catalog/database.h"
#include "engine/catalog/model_library.h"
#include "engine/io/hashes.h"
#include "tests/support/golden.h"
#include "ui/lora_mix_widget.h"
#include "ui/lora_panel.h"
#include "ui/main_window.h"
#include "ui/parameters_panel.h"
#include "ui/prompt_edit.h"

using namespace easel;

namespace {

struct Generated {
    QImage image;
    QString infotext;
};

QString loraHashes(const QString& infotext)
{
    const auto match = QRegularExpression(QStringLiteral("Lora hashes: \"([^\"]*)\"")).match(infotext);
    return match.hasMatch() ? match.captured(1) : QString();
}

} // namespace

class TestLoRAStudio : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_checkpoints, m_loras, m_lora;

    Generated generate(app::EngineController& engine, ui::MainWindow& window, const QString& prompt)
    {
        window.promptEdit()->setPlainText(prompt);
        QSignalSpy ready(&engine, &app::EngineController::imagesReady);
        QSignalSpy failed(&engine, &app::EngineController::jobFailed);
        window.generate();
        if (!ready.wait(180000)) {
            qWarning() << "no images:" << (failed.isEmpty() ? QString() : failed.first().at(1).toString());
            return {};
        }
        const auto images = ready.first().at(2).value<QList<QImage>>();
        const auto infotexts = ready.first().at(3).toStringList();
        return {images.value(0), infotexts.value(0)};
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true); // never touch the user's settings
        QSettings(QSettings::IniFormat, QSettings::UserScope, "Easel", "easel").clear();
        QVERIFY(m_dir.isValid());
        qputenv("EASEL_DATA_DIR", m_dir.filePath("data").toUtf8());
        qunsetenv("EASEL_LORA_DIRS");
        m_checkpoints = m_dir.filePath("checkpoints");
        m_loras = m_dir.filePath("my-loras");
        QVERIFY(QDir().mkpath(m_checkpoints));
        QVERIFY(QDir().mkpath(m_loras + "/styles"));
        for (const char* name : {"sd1_tiny.safetensors", "sd1_tiny.yaml"})
            QVERIFY(QFile::copy(QString::fromStdString(test::goldenPath(std::string("models/") + name)),
                                QDir(m_checkpoints).filePath(name)));
        m_lora = m_loras + "/styles/moody_style.safetensors";
        QVERIFY(QFile::copy(QString::fromStdString(test::goldenPath("models/lora_sd1_tiny.safetensors")), m_lora));
        app::Settings settings;
        for (const auto kind : app::kAllModelKinds)
            settings.setModelFolder(kind, kind == app::ModelKind::LoRA ? m_loras : m_checkpoints);
        settings.setOutputFolder(m_dir.filePath("output"));
        settings.setRngSource(api::RngSource::Cpu);
        settings.sync();
        api::configureRuntime({});
    }
    void cleanupTestCase() { QSettings(QSettings::IniFormat, QSettings::UserScope, "Easel", "easel").clear(); }

    void panelAndPromptTagGiveTheSameImage()
    {
        app::EngineController engine;
        app::Settings settings;
        ui::MainWindow window(engine, settings);
        QAbstractItemModelTester tester(window.loraLibrary(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy scanned(&window, &ui::MainWindow::modelsScanned);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(scanned.count() > 0 || scanned.wait(60000));
        QCOMPARE(scanned.last().at(0).toString(), QString());
        QTRY_COMPARE_WITH_TIMEOUT(window.loraLibrary()->rowCount(), 1, 20000);
        QTRY_VERIFY_WITH_TIMEOUT(window.loraLibrary()->index(0).data(app::ModelLibraryModel::LoadedRole).toBool(), 20000);
        QCOMPARE(window.loraLibrary()->index(0).data(app::ModelLibraryModel::NameRole).toString(), "moody_style");
        QCOMPARE(window.loraLibrary()->index(0).data(app::ModelLibraryModel::FamilyRole).toString(), "SD1");
        {
            catalog::Database db(window.catalogPath().toStdString());
            catalog::ModelLibrary library(db);
            library.setAlias(library.resolve("lora", "moody_style")->id, "Moody");
        }

        const int checkpointRow = window.checkpointModel()->findModel("sd1_tiny");
        QVERIFY(checkpointRow >= 0);
        api::GenerationRequest request = window.parametersPanel()->toRequest();
        request.model = window.checkpointModel()->entries().at(checkpointRow).path.toStdString();
        request.width = request.height = 64;
        request.steps = 2;
        request.sampler = "Euler";
        request.seed = 11;
        request.batchCount = request.batchSize = 1;
        QVERIFY(window.parametersPanel()->setFromRequest(request).isEmpty());
        QTRY_COMPARE(window.loraLibrary()->checkpointFamily(), QStringLiteral("SD1"));

        const Generated tagged = generate(engine, window, "a red apple <lora:moody_style:0.8>");
        QVERIFY(!tagged.image.isNull());

        // The same LoRA from the panel, weight 0.8 on its row.
        QVERIFY(window.loraPanel()->activateRow(0));
        QCOMPARE(window.loraMix()->size(), 1);
        window.loraPanel()->mixWidget()->weightBox(0)->setValue(0.8);
        QCOMPARE(window.currentRequest().loras.size(), size_t(1));
        const Generated panel = generate(engine, window, "a red apple");
        QVERIFY(!panel.image.isNull());
        window.loraMix()->clear();

        const Generated alias = generate(engine, window, "a red apple <lora:Moody:0.8>");
        const Generated plain = generate(engine, window, "a red apple");
        QVERIFY(!alias.image.isNull() && !plain.image.isNull());

        QCOMPARE(panel.image, tagged.image);
        QCOMPARE(alias.image, tagged.image);
        QVERIFY(plain.image != tagged.image);
        const QString hash = QString::fromStdString(io::autoV3(m_lora.toStdString()));
        QCOMPARE(loraHashes(tagged.infotext), QStringLiteral("moody_style: ") + hash);
        QCOMPARE(loraHashes(panel.infotext), loraHashes(tagged.infotext));
        QCOMPARE(loraHashes(alias.infotext), QStringLiteral("Moody: ") + hash);
        QCOMPARE(loraHashes(plain.infotext), QString());
    }

    void folderChangesAreWatched()
    {
        app::EngineController engine;
        app::Settings settings;
        ui::MainWindow window(engine, settings);
        QSignalSpy scanned(&window, &ui::MainWindow::modelsScanned);
        QVERIFY(scanned.count() > 0 || scanned.wait(60000));
        QTRY_COMPARE_WITH_TIMEOUT(window.loraLibrary()->rowCount(), 1, 20000);
        QVERIFY(window.folderWatcher()->folders().contains(m_loras));
        QVERIFY(window.folderWatcher()->watchedFolders().contains(m_loras + "/styles"));
        window.folderWatcher()->setDebounceMs(50);

        // A new file in a sub-folder appears without any action.
        const QString added = m_loras + "/styles/second.safetensors";
        QVERIFY(QFile::copy(QString::fromStdString(test::goldenPath("models/lora2_sd1_tiny.safetensors")), added));
        QTRY_VERIFY_WITH_TIMEOUT(window.loraNames()->stringList().contains("second"), 60000);
        QTRY_COMPARE_WITH_TIMEOUT(window.loraLibrary()->rowCount(), 2, 20000);

        // A removed one disappears from the panel (its catalog row is only marked missing).
        QVERIFY(QFile::remove(added));
        QTRY_COMPARE_WITH_TIMEOUT(window.loraLibrary()->rowCount(), 1, 60000);
        QVERIFY(!window.loraNames()->stringList().contains("second"));
    }
};

QTEST_MAIN(TestLoRAStudio)
#include "test_lora_studio.moc"
