// The ControlNet panel on its own (issue 8): the family filter over the model list (under
// QAbstractItemModelTester), unit tabs, the live preprocessor preview off the GUI thread, neural
// preprocessors without their ONNX file, the request it builds (pictures written by content,
// enabled units without picture or model refused) and units read back from infotext.

#include <QtTest>
#include <QAbstractItemModelTester>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QGuiApplication>
#include <QPainter>
#include <QTemporaryDir>
#include <QToolButton>

#include "app/model_list_model.h"
#include "app/translations.h"
#include "engine/api/error.h"
#include "engine/pipeline/infotext.h"
#include "engine/pipeline/infotext_request.h"
#include "ui/controlnet/control_unit_widget.h"
#include "ui/controlnet/controlnet_panel.h"
#include "ui/controlnet/family_filter_model.h"

using namespace easel;

namespace {

QImage drawing(int w, int h)
{
    QImage image(w, h, QImage::Format_RGB888);
    image.fill(Qt::white);
    QPainter p(&image);
    p.setPen(QPen(Qt::black, 3));
    p.drawRect(w / 4, h / 4, w / 2, h / 2);
    p.drawLine(0, 0, w - 1, h - 1);
    return image;
}

void choosePreprocessor(ui::ControlUnitWidget* unit, const QString& name)
{
    auto* combo = unit->findChild<QComboBox*>("ControlNetPreprocessor");
    const int row = combo->findData(name);
    QVERIFY(row >= 0);
    combo->setCurrentIndex(row);
}

app::ModelListModel* models(QObject* parent)
{
    auto* list = new app::ModelListModel(parent);
    list->setEntries({{"control_sd15_canny", "/m/ControlNet/control_sd15_canny.safetensors", "SD1", "", false},
                      {"controlnet_sdxl_depth", "/m/ControlNet/controlnet_sdxl_depth.safetensors", "SDXL", "", false},
                      {"mystery", "/m/ControlNet/mystery.safetensors", "", "", false}});
    return list;
}

} // namespace

class TestControlNetPanel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void filtersModelsByFamily()
    {
        auto* list = models(this);
        ui::FamilyFilterModel filter;
        QAbstractItemModelTester tester(&filter, QAbstractItemModelTester::FailureReportingMode::QtTest);
        filter.setSourceModel(list);
        QCOMPARE(filter.rowCount(), 3); // unknown checkpoint family: everything
        filter.setFamily("SD1");
        QCOMPARE(filter.rowCount(), 2); // SD1 and the unknown one (the engine checks it at generation)
        QCOMPARE(filter.index(0, 0).data(app::ModelListModel::NameRole).toString(), QStringLiteral("control_sd15_canny"));
        filter.setFamily("SDXL");
        QCOMPARE(filter.rowCount(), 2);
        QCOMPARE(filter.index(0, 0).data(app::ModelListModel::NameRole).toString(), QStringLiteral("controlnet_sdxl_depth"));
        list->setEntries({});
        QCOMPARE(filter.rowCount(), 0);
        delete list;
    }

    void addsAndRemovesUnits()
    {
        ui::ControlNetPanel panel;
        QVERIFY(panel.unitCount() >= 3);
        const int start = panel.unitCount();
        panel.findChild<QToolButton*>("ControlNetAddUnit")->click();
        QCOMPARE(panel.unitCount(), start + 1);
        panel.removeUnit(0);
        QCOMPARE(panel.unitCount(), start);
        while (panel.unitCount() > 1)
            panel.removeUnit(panel.unitCount() - 1);
        panel.removeUnit(0); // the last unit stays
        QCOMPARE(panel.unitCount(), 1);
        QVERIFY(!panel.findChild<QToolButton*>("ControlNetRemoveUnit")->isEnabled());
    }

    void previewsThePreprocessorOffTheGuiThread()
    {
        ui::ControlUnitWidget unit;
        QSignalSpy updated(&unit, &ui::ControlUnitWidget::previewUpdated);
        choosePreprocessor(&unit, "canny");
        unit.setImage(drawing(96, 64));
        QVERIFY(unit.isUnitEnabled()); // a picture turns the unit on
        QVERIFY(updated.wait(30000));
        QCOMPARE(unit.previewError(), QString());
        QImage edges = unit.previewImage();
        QVERIFY(!edges.isNull());
        // The default processor resolution is 512 on the short side.
        QCOMPARE(edges.size(), QSize(768, 512));
        // Canny of black lines on white: mostly black with white edges.
        QCOMPARE(edges.pixelColor(2, 200).red(), 0);
        // A parameter change computes a new preview; thresholds above every gradient leave no edge.
        updated.clear();
        unit.findChild<QDoubleSpinBox*>("ControlNetThresholdA")->setValue(255);
        unit.findChild<QDoubleSpinBox*>("ControlNetThresholdB")->setValue(255);
        QVERIFY(updated.wait(30000));
        QVERIFY(!unit.previewImage().isNull());
        const api::ControlUnit u = unit.toUnit();
        QCOMPARE(u.preprocessor, std::string("canny"));
        QCOMPARE(u.thresholdA, 255.0);
        // "none" uses the picture as given.
        updated.clear();
        choosePreprocessor(&unit, "none");
        QVERIFY(updated.wait(30000));
        QCOMPARE(unit.previewImage().size(), QSize(96, 64));
        QCOMPARE(unit.toUnit().thresholdA, -1.0); // hidden slots are not recorded
    }

    void neuralPreprocessorSaysTheModelFileIsNeeded()
    {
        qunsetenv("EASEL_ANNOTATORS");
        ui::ControlUnitWidget unit;
        QSignalSpy updated(&unit, &ui::ControlUnitWidget::previewUpdated);
        choosePreprocessor(&unit, "depth_midas");
        const QString note = unit.preprocessorNote();
        QVERIFY2(note.contains(".onnx") || note.contains("OpenCV DNN"), qPrintable(note));
        // Never a made-up depth map: the preview is the engine's error.
        unit.setImage(drawing(64, 64));
        QVERIFY(updated.wait(30000));
        QVERIFY(unit.previewImage().isNull());
        QVERIFY(!unit.previewError().isEmpty());
        choosePreprocessor(&unit, "canny");
        QCOMPARE(unit.preprocessorNote(), QString());
    }

    void buildsTheRequestUnits()
    {
        QTemporaryDir dir;
        auto* list = models(this);
        ui::ControlNetPanel panel;
        panel.setControlNetModels(list);
        QAbstractItemModelTester tester(panel.filteredModels(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        panel.setCheckpointFamily("SD1");
        api::GenerationRequest r;
        panel.applyTo(r);
        QVERIFY(r.controlNets.empty()); // nothing enabled

        // Unit 0: a picture from a file, used as that file.
        const QString file = dir.filePath("sketch.png");
        QVERIFY(drawing(64, 64).save(file));
        ui::ControlUnitWidget* u0 = panel.unit(0);
        QVERIFY(u0->loadImageFile(file));
        choosePreprocessor(u0, "canny");
        QVERIFY(u0->selectModel("control_sd15_canny"));
        u0->findChild<QDoubleSpinBox*>("ControlNetWeight")->setValue(0.6);
        u0->findChild<QDoubleSpinBox*>("ControlNetGuidanceEnd")->setValue(0.8);
        u0->findChild<QComboBox*>("ControlNetControlMode")->setCurrentIndex(2);
        u0->findChild<QComboBox*>("ControlNetResizeMode")->setCurrentIndex(0);
        // Unit 1: a pasted picture (Ctrl+V), sent as pixels in the request (no temp file).
        QGuiApplication::clipboard()->setImage(drawing(48, 48));
        ui::ControlUnitWidget* u1 = panel.unit(1);
        QVERIFY(u1->pasteImage());
        QVERIFY(u1->imageFile().isEmpty());
        // No model chosen in unit 1 (the SDXL one is filtered out; pick none): refused, naming the unit.
        u1->findChild<QComboBox*>("ControlNetModel")->setCurrentIndex(-1);
        try {
            panel.applyTo(r);
            QFAIL("a unit without model was accepted");
        } catch (const api::Error& e) {
            QCOMPARE(e.code(), api::ErrorCode::InvalidRequest);
            QVERIFY2(QString::fromStdString(e.message()).contains("unit 1 has no model"), e.what());
        }
        QVERIFY(u1->selectModel("mystery"));
        QVERIFY(!u1->selectModel("controlnet_sdxl_depth")); // not for SD1 checkpoints
        panel.applyTo(r);
        QCOMPARE(r.controlNets.size(), size_t(2));
        const api::ControlUnit& a = r.controlNets[0];
        QCOMPARE(QString::fromStdString(a.image), QFileInfo(file).absoluteFilePath());
        QCOMPARE(a.model, std::string("/m/ControlNet/control_sd15_canny.safetensors"));
        QCOMPARE(a.preprocessor, std::string("canny"));
        QCOMPARE(a.thresholdA, 100.0);
        QCOMPARE(a.thresholdB, 200.0);
        QCOMPARE(a.weight, 0.6);
        QCOMPARE(a.guidanceEnd, 0.8);
        QCOMPARE(a.controlMode, std::string("ControlNet is more important"));
        QCOMPARE(a.resizeMode, api::ResizeMode::JustResize);
        QVERIFY(r.controlNets[1].image.empty());
        QCOMPARE(r.controlNets[1].imagePixels.width, 48);
        QCOMPARE(r.controlNets[1].imagePixels.height, 48);
        QVERIFY(a.imagePixels.empty()); // a file goes by its path

        // An enabled unit without picture is refused.
        panel.unit(2)->setUnitEnabled(true);
        QVERIFY_THROWS_EXCEPTION(api::Error, panel.applyTo(r));
        delete list;
    }

    void showsUnitsFromInfotext()
    {
        auto* list = models(this);
        ui::ControlNetPanel panel;
        panel.setControlNetModels(list);
        const api::GenerationRequest r = pipeline::requestFromInfotext(pipeline::parseInfotext(
            "a cat\nSteps: 20, Sampler: Euler, CFG scale: 7, Seed: 1, Size: 512x512, "
            "ControlNet 0: \"Module: canny, Model: control_sd15_canny [d14c016b], Weight: 0.7, Resize Mode: Resize "
            "and Fill, Processor Res: 384, Threshold A: 80.0, Threshold B: 160.0, Guidance Start: 0.1, Guidance End: "
            "0.9, Pixel Perfect: True, Control Mode: My prompt is more important\", "
            "ControlNet 3: \"Module: lineart, Model: control_v11p_sd15_lineart [43d4be0d], Weight: 1.0, Resize Mode: "
            "Crop and Resize, Processor Res: 512, Guidance Start: 0.0, Guidance End: 1.0, Pixel Perfect: False, "
            "Control Mode: Balanced\""));
        QCOMPARE(r.controlNets.size(), size_t(2));
        const QStringList missing = panel.setFromRequest(r);
        QCOMPARE(missing, QStringList{QStringLiteral("control_v11p_sd15_lineart")});
        const api::ControlUnit u = panel.unit(0)->toUnit();
        QVERIFY(u.enabled);
        QCOMPARE(u.preprocessor, std::string("canny"));
        QCOMPARE(u.model, std::string("/m/ControlNet/control_sd15_canny.safetensors"));
        QCOMPARE(u.weight, 0.7);
        QCOMPARE(u.thresholdA, 80.0);
        QCOMPARE(u.thresholdB, 160.0);
        QCOMPARE(u.guidanceStart, 0.1);
        QCOMPARE(u.guidanceEnd, 0.9);
        QVERIFY(u.pixelPerfect);
        QCOMPARE(u.processorResolution, 384);
        QCOMPARE(u.resizeMode, api::ResizeMode::ResizeAndFill);
        QCOMPARE(u.controlMode, std::string("My prompt is more important"));
        QCOMPARE(panel.unit(1)->toUnit().preprocessor, std::string("lineart_dog")); // the alias, resolved
        QVERIFY(!panel.unit(2)->isUnitEnabled());
        delete list;
    }

    void switchesLanguage()
    {
        ui::ControlNetPanel panel;
        panel.show();
        QVERIFY(app::Translations::apply("zh_CN"));
        QTRY_COMPARE(panel.unit(0)->findChild<QCheckBox*>("ControlNetEnable")->text(), QStringLiteral("启用"));
        QCOMPARE(panel.windowTitle(), QStringLiteral("ControlNet"));
        QCOMPARE(panel.findChild<QToolButton*>("ControlNetAddUnit")->toolTip(), QStringLiteral("添加单元"));
        QCOMPARE(panel.unit(0)->findChild<QComboBox*>("ControlNetControlMode")->itemText(0), QStringLiteral("均衡"));
        QVERIFY(app::Translations::apply("en"));
        QTRY_COMPARE(panel.unit(0)->findChild<QCheckBox*>("ControlNetEnable")->text(), QStringLiteral("Enable"));
    }
};

QTEST_MAIN(TestControlNetPanel)
#include "test_controlnet_panel.moc"
