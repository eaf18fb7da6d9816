// The studio on an Easel server, end to end through the real widgets and the real easel-server
// (tests/remote/server_process.h, tiny SD1 model): Settings → Engine switches to the server, the
// pickers then list the server's models (the local model folders are empty), Generate runs the job
// there with live previews, and the image lands in the LOCAL output folder, result view, gallery
// and catalog with its A1111 parameters. Back on "This computer" the pickers list local folders again.

#include <QtTest>

#include <QAction>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QToolButton>

#include "app/engine_controller.h"
#include "app/gallery_model.h"
#include "app/model_list_model.h"
#include "app/settings.h"
#include "engine/api/image_files.h"
#include "engine/api/runtime.h"
#include "engine/catalog/database.h"
#include "engine/catalog/gallery.h"
#include "tests/remote/server_process.h"
#include "ui/main_window.h"
#include "ui/parameters_panel.h"
#include "ui/prompt_edit.h"
#include "ui/result_view.h"
#include "ui/settings_dialog.h"

using namespace easel;

class TestStudioRemote : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QSettings(QSettings::IniFormat, QSettings::UserScope, "Easel", "easel").clear();
        QVERIFY(m_dir.isValid());
        qputenv("EASEL_DATA_DIR", m_dir.filePath("data").toUtf8());
        QVERIFY(QDir().mkpath(m_dir.filePath("server")));
        QVERIFY2(m_server.start(m_dir.filePath("server")), qPrintable(m_server.error()));
        m_output = m_dir.filePath("output");
        const QString emptyModels = m_dir.filePath("local-models");
        QVERIFY(QDir().mkpath(emptyModels));
        app::Settings settings;
        for (const auto kind : app::kAllModelKinds)
            settings.setModelFolder(kind, emptyModels);
        settings.setOutputFolder(m_output);
        settings.setPreviewEverySteps(1);
        settings.setRngSource(api::RngSource::Cpu);
        settings.sync();
        api::configureRuntime({});
    }
    void cleanupTestCase() { QSettings(QSettings::IniFormat, QSettings::UserScope, "Easel", "easel").clear(); }

    void generatesOnTheServerIntoTheLocalGallery()
    {
        app::EngineController engine;
        app::Settings settings;
        ui::MainWindow window(engine, settings);
        QSignalSpy scanned(&window, &ui::MainWindow::modelsScanned);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(scanned.count() > 0 || scanned.wait(60000));
        QCOMPARE(window.checkpointModel()->rowCount(), 0); // nothing local

        // --- Settings → Engine: "Easel server", address, key, Test connection, OK -----------------
        scanned.clear();
        window.findChild<QAction*>("SettingsAction")->trigger();
        auto* dialog = window.findChild<ui::SettingsDialog*>();
        QVERIFY(dialog);
        auto* mode = dialog->findChild<QComboBox*>("EngineMode");
        auto* url = dialog->findChild<QLineEdit*>("ServerUrl");
        auto* key = dialog->findChild<QLineEdit*>("ServerApiKey");
        QVERIFY(mode && url && key);
        QVERIFY(!url->isEnabled()); // only for a server
        mode->setCurrentIndex(mode->findData(int(app::EngineMode::Server)));
        QVERIFY(url->isEnabled());
        url->setText(m_server.url());
        key->setText(QStringLiteral("not-the-key"));
        auto* status = dialog->findChild<QLabel*>("ServerStatus");
        dialog->findChild<QPushButton*>("TestServer")->click();
        QTRY_VERIFY_WITH_TIMEOUT(status->text().contains("refused the API key"), 20000);
        key->setText(QString::fromLatin1(test::ServerProcess::kApiKey));
        dialog->findChild<QPushButton*>("TestServer")->click();
        QTRY_COMPARE_WITH_TIMEOUT(status->text(), QStringLiteral("Connected."), 20000);
        dialog->findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok)->click();
        QCOMPARE(settings.engineMode(), app::EngineMode::Server);
        QVERIFY(engine.usesServer());

        // --- the pickers list the server's models -------------------------------------------------
        QVERIFY(scanned.wait(60000));
        QCOMPARE(scanned.last().at(0).toString(), QString());
        const int row = window.checkpointModel()->findModel("sd1_tiny");
        QVERIFY(row >= 0);
        QVERIFY(window.loraNames()->stringList().contains("lora_sd1_tiny"));
        QVERIFY(window.controlNetModel()->rowCount() > 0);

        // --- Generate: previews, then the image here ----------------------------------------------
        api::GenerationRequest request = window.parametersPanel()->toRequest();
        request.model = window.checkpointModel()->entries().at(row).path.toStdString();
        request.width = request.height = 64;
        request.steps = 3;
        request.sampler = "Euler";
        request.seed = 11;
        QVERIFY(window.parametersPanel()->setFromRequest(request).isEmpty());
        window.promptEdit()->setPlainText(QStringLiteral("a lighthouse"));
        QSignalSpy progress(&engine, &app::EngineController::jobProgress);
        QSignalSpy recorded(&window, &ui::MainWindow::imagesRecorded);
        window.findChild<QToolButton*>("GenerateButton")->click();
        QVERIFY(recorded.wait(180000));
        QCOMPARE(window.noticeText(), QString());
        bool sawPreview = false;
        for (const auto& args : progress)
            sawPreview |= !args.at(4).value<QImage>().isNull();
        QVERIFY(sawPreview);

        const QString file = window.resultView()->currentPath();
        QVERIFY2(file.startsWith(m_output), qPrintable(file));
        QVERIFY(QFile::exists(file));
        QCOMPARE(window.resultView()->currentSeed().value_or(-1), qint64(11));
        const std::string parameters = api::readParametersText(file.toStdString());
        QVERIFY2(parameters.rfind("a lighthouse", 0) == 0, parameters.c_str());
        QVERIFY(parameters.find("Seed: 11") != std::string::npos);
        QVERIFY(parameters.find("Size: 64x64") != std::string::npos);
        QVERIFY(parameters.find("Model: sd1_tiny") != std::string::npos);

        app::GalleryModel* gallery = window.galleryModel();
        QTRY_COMPARE(gallery->rowCount(), 1);
        QCOMPARE(gallery->index(0).data(app::GalleryModel::PathRole).toString(), file);
        QCOMPARE(gallery->index(0).data(app::GalleryModel::PromptRole).toString(), QStringLiteral("a lighthouse"));
        {
            catalog::Database db(window.catalogPath().toStdString());
            const auto rows = catalog::Gallery(db).search({});
            QCOMPARE(rows.size(), std::size_t(1));
            QCOMPARE(rows[0].seed, std::int64_t(11));
            QCOMPARE(rows[0].width, 64);
            QCOMPARE(api::requestFromJson(rows[0].paramsJson).steps, 3);
        }

        // --- back to this computer: the local (empty) folders again --------------------------------
        scanned.clear();
        QTRY_VERIFY(!window.findChild<ui::SettingsDialog*>()); // the first one is gone (deleted on close)
        window.findChild<QAction*>("SettingsAction")->trigger();
        dialog = window.findChild<ui::SettingsDialog*>();
        QVERIFY(dialog);
        mode = dialog->findChild<QComboBox*>("EngineMode");
        QCOMPARE(mode->currentData().toInt(), int(app::EngineMode::Server));
        mode->setCurrentIndex(mode->findData(int(app::EngineMode::Local)));
        dialog->findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok)->click();
        QVERIFY(!engine.usesServer());
        QVERIFY(scanned.wait(60000));
        QCOMPARE(window.checkpointModel()->rowCount(), 0);
    }

private:
    QTemporaryDir m_dir;
    test::ServerProcess m_server;
    QString m_output;
};

QTEST_MAIN(TestStudioRemote)
#include "test_studio_remote.moc"
