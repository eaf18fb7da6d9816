// ControlNet in the studio end to end (issue 8) with the tiny SD1 checkpoint and the tiny SD1
// ControlNet: the scan lists the ControlNet model for the panel (filtered by the checkpoint's
// family), a canny unit set in the panel guides a generation and the written PNG records it as the
// A1111 extension does ("ControlNet 0: ..."); then two units at once; a unit the engine cannot use
// is refused with a notice, not a crash.

#include <QtTest>
#include <QAbstractItemModelTester>
#include <QClipboard>
#include <QComboBox>
#include <QDir>
#include <QGuiApplication>
#include <QDoubleSpinBox>
#include <QFile>
#include <QPainter>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QToolButton>

#include "app/engine_controller.h"
#include "app/model_list_model.h"
#include "app/settings.h"
#include "engine/api/runtime.h"
#include "engine/image/image_file.h"
#include "engine/pipeline/infotext.h"
#include "engine/pipeline/infotext_request.h"
#include "tests/support/golden.h"
#include "ui/controlnet/control_unit_widget.h"
#include "ui/controlnet/controlnet_panel.h"
#include "ui/controlnet/family_filter_model.h"
#include "ui/main_window.h"
#include "ui/parameters_panel.h"
#include "ui/prompt_edit.h"
#include "ui/result_view.h"

using namespace easel;

namespace {

QImage drawing(int w, int h)
{
    QImage image(w, h, QImage::Format_RGB888);
    image.fill(Qt::white);
    QPainter p(&image);
    p.setPen(QPen(Qt::black, 2));
    p.drawRect(w / 4, h / 4, w / 2, h / 2);
    p.drawLine(0, h - 1, w - 1, 0);
    return image;
}

void choosePreprocessor(ui::ControlUnitWidget* unit, const QString& name)
{
    auto* combo = unit->findChild<QComboBox*>("ControlNetPreprocessor");
    combo->setCurrentIndex(combo->findData(name));
    QCOMPARE(combo->currentData().toString(), name);
}

} // namespace

class TestStudioControlNet : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QSettings(QSettings::IniFormat, QSettings::UserScope, "Easel", "easel").clear();
        QVERIFY(m_dir.isValid());
        qputenv("EASEL_DATA_DIR", m_dir.filePath("data").toUtf8());
        qunsetenv("EASEL_ANNOTATORS");
        m_models = m_dir.filePath("models");
        const QString controlNets = m_dir.filePath("models/ControlNet");
        m_output = m_dir.filePath("output");
        QVERIFY(QDir().mkpath(controlNets));
        for (const char* name : {"sd1_tiny.safetensors", "sd1_tiny.yaml"})
            QVERIFY(QFile::copy(QString::fromStdString(test::goldenPath(std::string("models/") + name)),
                                QDir(m_models).filePath(name)));
        QVERIFY(QFile::copy(QString::fromStdString(test::goldenPath("models/controlnet_sd1_tiny.safetensors")),
                            QDir(controlNets).filePath("controlnet_sd1_tiny.safetensors")));
        app::Settings settings;
        settings.setModelFolder(app::ModelKind::Checkpoint, m_models);
        settings.setModelFolder(app::ModelKind::ControlNet, controlNets);
        settings.setOutputFolder(m_output);
        settings.setRngSource(api::RngSource::Cpu);
        settings.sync();
        api::configureRuntime({});
        m_sketch = m_dir.filePath("sketch.png");
        QVERIFY(drawing(64, 64).save(m_sketch));
    }
    void cleanupTestCase() { QSettings(QSettings::IniFormat, QSettings::UserScope, "Easel", "easel").clear(); }

    void generatesWithOneAndTwoUnits()
    {
        app::EngineController engine;
        app::Settings settings;
        ui::MainWindow window(engine, settings);
        QAbstractItemModelTester listTester(window.controlNetModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        ui::ControlNetPanel* panel = window.controlNetPanel();
        QVERIFY(panel && window.controlNetDock());
        QAbstractItemModelTester filterTester(panel->filteredModels(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy scanned(&window, &ui::MainWindow::modelsScanned);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(scanned.count() > 0 || scanned.wait(60000));
        QCOMPARE(scanned.last().at(0).toString(), QString());

        // The scan lists the ControlNet; choosing the SD1 checkpoint filters the panel's list to SD1.
        const int cnRow = window.controlNetModel()->findModel("controlnet_sd1_tiny");
        QVERIFY(cnRow >= 0);
        QCOMPARE(window.controlNetModel()->entries().at(cnRow).family, QStringLiteral("SD1"));
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
        QCOMPARE(panel->filteredModels()->family(), QStringLiteral("SD1"));
        QCOMPARE(panel->filteredModels()->rowCount(), 1);
        QVERIFY(panel->unitCount() >= 3);

        // --- one canny unit ------------------------------------------------------------------------
        ui::ControlUnitWidget* u0 = panel->unit(0);
        QSignalSpy preview(u0, &ui::ControlUnitWidget::previewUpdated);
        choosePreprocessor(u0, "canny");
        QVERIFY(u0->loadImageFile(m_sketch));
        QVERIFY(u0->selectModel("controlnet_sd1_tiny"));
        QVERIFY(u0->isUnitEnabled());
        QVERIFY(preview.count() > 0 || preview.wait(30000));
        QVERIFY2(!u0->previewImage().isNull(), qPrintable(u0->previewError()));
        window.promptEdit()->clear();
        QTest::keyClicks(window.promptEdit(), "a house");
        QSignalSpy recorded(&window, &ui::MainWindow::imagesRecorded);
        window.findChild<QToolButton*>("GenerateButton")->click();
        QVERIFY(recorded.wait(180000));
        QCOMPARE(window.noticeText(), QString());
        const QString first = window.resultView()->currentPath();
        QVERIFY(QFile::exists(first));
        const std::string params = image::readParameters(first.toStdString());
        QVERIFY2(params.find("ControlNet 0: \"Module: canny, Model: controlnet_sd1_tiny") != std::string::npos,
                 params.c_str());
        QVERIFY2(params.find("Weight: 1.0, Resize Mode: Crop and Resize, Processor Res: 512, Threshold A: 100.0, "
                             "Threshold B: 200.0, Guidance Start: 0.0, Guidance End: 1.0, Pixel Perfect: False, "
                             "Control Mode: Balanced\"")
                     != std::string::npos,
                 params.c_str());
        QVERIFY(params.find("ControlNet 1:") == std::string::npos);
        // The job's request carries the unit with the picture file the panel chose.
        const app::Job* job = engine.queue()->job(recorded.first().at(0).toInt());
        QVERIFY(job);
        QCOMPARE(job->request.controlNets.size(), size_t(1));
        QCOMPARE(QString::fromStdString(job->request.controlNets[0].image), QFileInfo(m_sketch).absoluteFilePath());

        // --- two units: a pasted picture as given, weaker, prompt more important --------------------
        ui::ControlUnitWidget* u1 = panel->unit(1);
        QGuiApplication::clipboard()->setImage(drawing(80, 48));
        QVERIFY(u1->pasteImage());
        choosePreprocessor(u1, "none");
        QVERIFY(u1->selectModel("controlnet_sd1_tiny"));
        u1->findChild<QDoubleSpinBox*>("ControlNetWeight")->setValue(0.5);
        u1->findChild<QComboBox*>("ControlNetControlMode")->setCurrentIndex(1);
        recorded.clear();
        window.findChild<QToolButton*>("GenerateButton")->click();
        QVERIFY(recorded.wait(180000));
        QCOMPARE(window.noticeText(), QString());
        const QString second = window.resultView()->currentPath();
        QVERIFY(second != first);
        const std::string both = image::readParameters(second.toStdString());
        QVERIFY2(both.find("ControlNet 0: \"Module: canny") != std::string::npos, both.c_str());
        QVERIFY2(both.find("ControlNet 1: \"Module: none, Model: controlnet_sd1_tiny") != std::string::npos,
                 both.c_str());
        QVERIFY2(both.find("Weight: 0.5, Resize Mode: Crop and Resize") != std::string::npos, both.c_str());
        QVERIFY2(both.find("Control Mode: My prompt is more important\"") != std::string::npos, both.c_str());
        // The PNG reads back into both units (what --from-png and a drop restore).
        const api::GenerationRequest back = pipeline::requestFromInfotext(pipeline::parseInfotext(both));
        QCOMPARE(back.controlNets.size(), size_t(2));
        QCOMPARE(back.controlNets[1].weight, 0.5);
        QVERIFY(QImage(second) != QImage(first));

        // --- an enabled unit without picture: a notice, nothing queued -----------------------------
        const int jobs = engine.queue()->rowCount();
        panel->unit(2)->setUnitEnabled(true);
        QCOMPARE(window.generate(), 0);
        QVERIFY2(window.noticeText().contains("unit 2 has no image"), qPrintable(window.noticeText()));
        QCOMPARE(engine.queue()->rowCount(), jobs);
        panel->unit(2)->setUnitEnabled(false);
    }

private:
    QTemporaryDir m_dir;
    QString m_models;
    QString m_output;
    QString m_sketch;
};

QTEST_MAIN(TestStudioControlNet)
#include "test_studio_controlnet.moc"
