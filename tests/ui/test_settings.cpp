// app::Settings: defaults, typed round trips and the remembered generation parameters, in an
// isolated settings location (QStandardPaths test mode).

#include <QtTest>
#include <QStandardPaths>

#include "app/settings.h"
#include "engine/service/output_naming.h"

using namespace easel;

class TestSettings : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QSettings(QSettings::IniFormat, QSettings::UserScope, "Easel", "easel").clear();
    }
    void cleanupTestCase() { QSettings(QSettings::IniFormat, QSettings::UserScope, "Easel", "easel").clear(); }

    void defaults()
    {
        app::Settings settings;
        QCOMPARE(settings.device(), QStringLiteral("auto"));
        QCOMPARE(settings.threads(), 0);
        QCOMPARE(settings.rngSource(), api::RngSource::Gpu);
        QCOMPARE(settings.previewEverySteps(), 1);
        QCOMPARE(settings.filenamePattern(), QString::fromLatin1(service::kDefaultNamePattern));
        QVERIFY(settings.modelFolder(app::ModelKind::Checkpoint).endsWith(QStringLiteral("models/Stable-diffusion")));
        QVERIFY(settings.modelFolder(app::ModelKind::LoRA).endsWith(QStringLiteral("models/Lora")));
        const api::GenerationRequest request = settings.generationParameters();
        QCOMPARE(request.steps, api::GenerationRequest{}.steps);
        QCOMPARE(request.sampler, api::GenerationRequest{}.sampler);
    }

    void roundTrips()
    {
        {
            app::Settings settings;
            settings.setDevice("cpu");
            settings.setThreads(6);
            settings.setRngSource(api::RngSource::Cpu);
            settings.setPreviewEverySteps(-3);
            settings.setFilenamePattern("{date}_{seed}");
            settings.setModelFolder(app::ModelKind::VAE, "/data/vae");
            settings.setLanguage("zh_CN");
            api::GenerationRequest request;
            request.prompt = "a cat";
            request.steps = 33;
            request.width = 832;
            request.hires.enabled = true;
            request.rng = api::RngSource::Gpu;
            settings.setGenerationParameters(request);
            settings.sync();
        }
        app::Settings settings; // a new instance reads what the last one wrote
        QCOMPARE(settings.device(), QStringLiteral("cpu"));
        QCOMPARE(settings.threads(), 6);
        QCOMPARE(settings.previewEverySteps(), 0); // negative means off
        QCOMPARE(settings.filenamePattern(), QStringLiteral("{date}_{seed}"));
        QCOMPARE(settings.modelFolder(app::ModelKind::VAE), QStringLiteral("/data/vae"));
        QCOMPARE(settings.language(), QStringLiteral("zh_CN"));
        // The request's RNG is the one RNG setting.
        QCOMPARE(settings.rngSource(), api::RngSource::Gpu);
        const api::GenerationRequest request = settings.generationParameters();
        QCOMPARE(request.prompt, std::string("a cat"));
        QCOMPARE(request.steps, 33);
        QCOMPARE(request.width, 832);
        QVERIFY(request.hires.enabled);
        settings.setRngSource(api::RngSource::Cpu);
        QCOMPARE(settings.generationParameters().rng, api::RngSource::Cpu);
    }

    void emptyPatternFallsBack()
    {
        app::Settings settings;
        settings.setFilenamePattern("   ");
        QCOMPARE(settings.filenamePattern(), QString::fromLatin1(service::kDefaultNamePattern));
    }
};

QTEST_GUILESS_MAIN(TestSettings)
#include "test_settings.moc"
