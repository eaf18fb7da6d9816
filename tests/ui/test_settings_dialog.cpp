// The settings dialog edits app::Settings (isolated location) and switches the UI language at run
// time: its own texts and other widgets' retranslate.

#include <QtTest>
#include <QComboBox>
#include <QGroupBox>
#include <QLineEdit>
#include <QSpinBox>
#include <QStandardPaths>

#include "app/translations.h"
#include "ui/parameters_panel.h"
#include "ui/settings_dialog.h"

using namespace easel;

class TestSettingsDialog : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QSettings(QSettings::IniFormat, QSettings::UserScope, "Easel", "easel").clear();
    }
    void cleanupTestCase()
    {
        app::Translations::apply("en");
        QSettings(QSettings::IniFormat, QSettings::UserScope, "Easel", "easel").clear();
    }

    void loadsAndApplies()
    {
        app::Settings settings;
        settings.setThreads(3);
        ui::SettingsDialog dialog(settings);
        QCOMPARE(dialog.findChild<QSpinBox*>("Threads")->value(), 3);
        QCOMPARE(dialog.findChild<QLineEdit*>("Folder_Lora")->text(), settings.modelFolder(app::ModelKind::LoRA));

        dialog.findChild<QLineEdit*>("Folder_Stable-diffusion")->setText("/data/checkpoints");
        dialog.findChild<QLineEdit*>("OutputFolder")->setText("/data/out");
        auto* device = dialog.findChild<QComboBox*>("Device");
        device->setCurrentIndex(device->findData("cpu"));
        dialog.findChild<QSpinBox*>("Threads")->setValue(8);
        auto* rng = dialog.findChild<QComboBox*>("RngSource");
        rng->setCurrentIndex(rng->findData(int(api::RngSource::Cpu)));
        dialog.findChild<QSpinBox*>("PreviewEvery")->setValue(5);
        dialog.findChild<QLineEdit*>("FilenamePattern")->setText("{date}-{seed}");
        QSignalSpy applied(&dialog, &ui::SettingsDialog::applied);
        dialog.apply();
        QCOMPARE(applied.count(), 1);
        QCOMPARE(applied.first().first().toBool(), false);

        app::Settings reread;
        QCOMPARE(reread.modelFolder(app::ModelKind::Checkpoint), QStringLiteral("/data/checkpoints"));
        QCOMPARE(reread.outputFolder(), QStringLiteral("/data/out"));
        QCOMPARE(reread.device(), QStringLiteral("cpu"));
        QCOMPARE(reread.threads(), 8);
        QCOMPARE(reread.rngSource(), api::RngSource::Cpu);
        QCOMPARE(reread.previewEverySteps(), 5);
        QCOMPARE(reread.filenamePattern(), QStringLiteral("{date}-{seed}"));
    }

    void engineOnAServer()
    {
        // Server address and key only for a server; device and threads only for this computer.
        app::Settings settings;
        settings.setEngineMode(app::EngineMode::Local);
        ui::SettingsDialog dialog(settings);
        auto* mode = dialog.findChild<QComboBox*>("EngineMode");
        auto* url = dialog.findChild<QLineEdit*>("ServerUrl");
        auto* key = dialog.findChild<QLineEdit*>("ServerApiKey");
        QVERIFY(mode && url && key);
        QVERIFY(!url->isEnabled() && !key->isEnabled());
        QVERIFY(dialog.findChild<QComboBox*>("Device")->isEnabled());
        mode->setCurrentIndex(mode->findData(int(app::EngineMode::Server)));
        QVERIFY(url->isEnabled() && key->isEnabled());
        QVERIFY(!dialog.findChild<QComboBox*>("Device")->isEnabled());
        url->setText(" http://gpu-box:7860 ");
        key->setText("secret");
        dialog.apply();
        app::Settings reread;
        QCOMPARE(reread.engineMode(), app::EngineMode::Server);
        QCOMPARE(reread.serverUrl(), QStringLiteral("http://gpu-box:7860"));
        QCOMPARE(reread.serverApiKey(), QStringLiteral("secret"));
        ui::SettingsDialog again(reread);
        QCOMPARE(again.findChild<QComboBox*>("EngineMode")->currentData().toInt(), int(app::EngineMode::Server));
        QCOMPARE(again.findChild<QLineEdit*>("ServerUrl")->text(), QStringLiteral("http://gpu-box:7860"));
        reread.setEngineMode(app::EngineMode::Local);
    }

    void switchesLanguageAtRunTime()
    {
        app::Settings settings;
        settings.setLanguage("en");
        app::Translations::apply("en");
        ui::SettingsDialog dialog(settings);
        ui::ParametersPanel panel;
        QCOMPARE(dialog.windowTitle(), QStringLiteral("Settings"));
        QCOMPARE(panel.findChild<QGroupBox*>("HiresGroup")->title(), QStringLiteral("Hires. fix"));

        auto* language = dialog.findChild<QComboBox*>("Language");
        language->setCurrentIndex(language->findData("zh_CN"));
        QSignalSpy applied(&dialog, &ui::SettingsDialog::applied);
        dialog.apply();
        QCOMPARE(applied.first().first().toBool(), true);
        QCOMPARE(app::Translations::current(), QStringLiteral("zh_CN"));
        QCOMPARE(settings.language(), QStringLiteral("zh_CN"));
        QTRY_COMPARE(dialog.windowTitle(), QStringLiteral("设置"));
        QTRY_COMPARE(panel.findChild<QGroupBox*>("HiresGroup")->title(), QStringLiteral("高清修复"));

        language->setCurrentIndex(language->findData("en"));
        dialog.apply();
        QTRY_COMPARE(dialog.windowTitle(), QStringLiteral("Settings"));
        QTRY_COMPARE(panel.findChild<QGroupBox*>("HiresGroup")->title(), QStringLiteral("Hires. fix"));
    }
};

QTEST_MAIN(TestSettingsDialog)
#include "test_settings_dialog.moc"
