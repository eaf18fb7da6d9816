// The parameters panel round-trips a GenerationRequest, picks models from an item model, and its
// seed, size and preset controls do what an A1111 user expects.

#include <QtTest>
#include <QAbstractItemModelTester>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QGroupBox>
#include <QLineEdit>
#include <QMenu>
#include <QSpinBox>
#include <QToolButton>

#include "app/model_list_model.h"
#include "engine/api/samplers.h"
#include "ui/parameters_panel.h"

using namespace easel;

class TestParametersPanel : public QObject {
    Q_OBJECT
private:
    static app::ModelListModel* checkpoints(QObject* parent)
    {
        auto* model = new app::ModelListModel(parent);
        model->setEntries({{"v1-5-pruned-emaonly", "/m/v1-5-pruned-emaonly.safetensors", "SD1", "6ce0161689", false},
                           {"sd_xl_base_1.0", "/m/sd_xl_base_1.0.safetensors", "SDXL", "31e35c80fc", true}});
        return model;
    }

private Q_SLOTS:
    void offersA1111Choices()
    {
        ui::ParametersPanel panel;
        auto* sampler = panel.findChild<QComboBox*>("SamplerPicker");
        auto* schedule = panel.findChild<QComboBox*>("SchedulePicker");
        // The engine's registry in A1111's menu order, starting on the request's default.
        QCOMPARE(sampler->count(), int(api::samplerLabels().size()));
        QCOMPARE(sampler->itemText(0), QStringLiteral("DPM++ 2M"));
        QCOMPARE(sampler->currentText(), QStringLiteral("Euler a"));
        QVERIFY(sampler->findText("DPM++ 2M SDE") >= 0);
        QVERIFY(sampler->findText("Restart") >= 0); // registry samplers the old hand-written list lacked
        QCOMPARE(schedule->count(), int(api::scheduleLabels().size()));
        QCOMPARE(schedule->itemText(0), QStringLiteral("Automatic"));
        QVERIFY(schedule->findText("Align Your Steps") >= 0);
        QCOMPARE(schedule->currentText(), QStringLiteral("Automatic"));
    }

    void roundTripsARequest()
    {
        ui::ParametersPanel panel;
        auto* models = checkpoints(&panel);
        QAbstractItemModelTester tester(models, QAbstractItemModelTester::FailureReportingMode::QtTest);
        auto* vaes = new app::ModelListModel(&panel);
        vaes->setEntries({{"sdxl_vae", "/m/vae/sdxl_vae.safetensors", "SDXL", {}, false}});
        panel.setCheckpointModel(models);
        panel.setVaeModel(vaes);

        api::GenerationRequest in;
        in.model = "/m/sd_xl_base_1.0.safetensors";
        in.vae = "sdxl_vae";
        in.sampler = "DPM++ 2M SDE";
        in.scheduler = "Karras";
        in.steps = 31;
        in.cfgScale = 5.5;
        in.seed = 4294967296LL; // beyond 32 bits
        in.subseed = 77;
        in.subseedStrength = 0.25;
        in.width = 832;
        in.height = 1216;
        in.batchCount = 3;
        in.batchSize = 2;
        in.clipSkip = 2;
        in.rng = api::RngSource::Cpu;
        in.tiling = true;
        in.hires.enabled = true;
        in.hires.upscaler = "R-ESRGAN 4x+";
        in.hires.scale = 1.5;
        in.hires.steps = 12;
        in.hires.denoisingStrength = 0.45;
        QVERIFY(panel.setFromRequest(in).isEmpty());
        QCOMPARE(panel.currentFamily(), QStringLiteral("SDXL"));

        const api::GenerationRequest out = panel.toRequest();
        QCOMPARE(out.model, in.model);
        QCOMPARE(out.vae, std::string("/m/vae/sdxl_vae.safetensors"));
        QCOMPARE(out.sampler, in.sampler);
        QCOMPARE(out.scheduler, in.scheduler);
        QCOMPARE(out.steps, 31);
        QCOMPARE(out.cfgScale, 5.5);
        QCOMPARE(out.seed, in.seed);
        QCOMPARE(out.subseed, 77);
        QCOMPARE(out.subseedStrength, 0.25);
        QCOMPARE(out.width, 832);
        QCOMPARE(out.height, 1216);
        QCOMPARE(out.batchCount, 3);
        QCOMPARE(out.batchSize, 2);
        QCOMPARE(out.clipSkip, 2);
        QCOMPARE(out.rng, api::RngSource::Cpu);
        QVERIFY(out.tiling);
        QVERIFY(panel.findChild<QCheckBox*>("Tiling")->isChecked());
        QVERIFY(out.hires.enabled);
        QCOMPARE(out.hires.upscaler, in.hires.upscaler);
        QCOMPARE(out.hires.scale, 1.5);
        QCOMPARE(out.hires.steps, 12);
        QCOMPARE(out.hires.denoisingStrength, 0.45);

        // Variation off: no subseed strength goes out.
        panel.findChild<QGroupBox*>("VariationGroup")->setChecked(false);
        QCOMPARE(panel.toRequest().subseedStrength, 0.0);
        // The Tiling checkbox is request.tiling.
        panel.findChild<QCheckBox*>("Tiling")->setChecked(false);
        QVERIFY(!panel.toRequest().tiling);
    }

    void reportsMissingModels()
    {
        ui::ParametersPanel panel;
        panel.setCheckpointModel(checkpoints(&panel));
        panel.setVaeModel(new app::ModelListModel(&panel));
        api::GenerationRequest in;
        in.model = "v1-5-pruned-emaonly";
        QVERIFY(panel.setFromRequest(in).isEmpty());
        in.model = "dreamshaper_8";
        in.vae = "vae-ft-mse-840000";
        const QStringList missing = panel.setFromRequest(in);
        QCOMPARE(missing, (QStringList{"dreamshaper_8", "vae-ft-mse-840000"}));
        // The current choice stays.
        QCOMPARE(panel.toRequest().model, std::string("/m/v1-5-pruned-emaonly.safetensors"));
    }

    void selectsModelThatArrivesLater()
    {
        ui::ParametersPanel panel;
        auto* models = new app::ModelListModel(&panel);
        panel.setCheckpointModel(models);
        api::GenerationRequest in;
        in.model = "sd_xl_base_1.0";
        panel.setFromRequest(in);
        models->setEntries(checkpoints(&panel)->entries());
        QCOMPARE(panel.toRequest().model, std::string("/m/sd_xl_base_1.0.safetensors"));
    }

    void seedButtons()
    {
        ui::ParametersPanel panel;
        auto* seed = panel.findChild<QLineEdit*>("Seed");
        auto* reuse = panel.findChild<QToolButton*>("SeedReuse");
        QVERIFY(!reuse->isEnabled());
        seed->setText("1234");
        QCOMPARE(panel.toRequest().seed, 1234);
        panel.findChild<QToolButton*>("SeedRandom")->click();
        QCOMPARE(panel.toRequest().seed, -1);
        panel.setLastSeed(987654321);
        QVERIFY(reuse->isEnabled());
        reuse->click();
        QCOMPARE(panel.toRequest().seed, 987654321);
    }

    void sizesAreMultiplesOfEight()
    {
        ui::ParametersPanel panel;
        auto* width = panel.findChild<QSpinBox*>("Width");
        auto* height = panel.findChild<QSpinBox*>("Height");
        width->clear();
        QTest::keyClicks(width, "513");
        width->interpretText();
        QTest::keyClick(width, Qt::Key_Enter);
        QCOMPARE(width->value(), 512);
        api::GenerationRequest in;
        in.width = 1001;
        in.height = 700;
        panel.setFromRequest(in);
        QCOMPARE(width->value(), 1000);
        QCOMPARE(height->value(), 704);
        panel.findChild<QToolButton*>("SwapSize")->click();
        QCOMPARE(panel.toRequest().width, 704);
        QCOMPARE(panel.toRequest().height, 1000);
    }

    void aspectPresetsFollowFamily()
    {
        ui::ParametersPanel panel;
        auto* models = checkpoints(&panel);
        panel.setCheckpointModel(models);
        QMenu* menu = panel.findChild<QToolButton*>("AspectPresets")->menu();
        auto sizes = [menu] {
            QList<QSize> list;
            for (QAction* action : menu->actions())
                list << action->data().toSize();
            return list;
        };
        panel.findChild<QComboBox*>("CheckpointPicker")->setCurrentIndex(0);
        QVERIFY(sizes().contains(QSize(512, 768)));
        panel.findChild<QComboBox*>("CheckpointPicker")->setCurrentIndex(1);
        QVERIFY(sizes().contains(QSize(1024, 1024)));
        QVERIFY(sizes().contains(QSize(832, 1216)));
        for (const QSize& size : sizes()) {
            QCOMPARE(size.width() % 64, 0);
            QCOMPARE(size.height() % 64, 0);
        }
        menu->actions().at(3)->trigger();
        const api::GenerationRequest r = panel.toRequest();
        QCOMPARE(QSize(r.width, r.height), menu->actions().at(3)->data().toSize());
    }

    void stepsSignal()
    {
        ui::ParametersPanel panel;
        QSignalSpy steps(&panel, &ui::ParametersPanel::stepsChanged);
        QSignalSpy changed(&panel, &ui::ParametersPanel::changed);
        panel.findChild<QSpinBox*>("Steps")->setValue(40);
        QCOMPARE(steps.count(), 1);
        QCOMPARE(steps.first().first().toInt(), 40);
        QVERIFY(changed.count() >= 1);
    }
};

QTEST_MAIN(TestParametersPanel)
#include "test_parameters_panel.moc"
