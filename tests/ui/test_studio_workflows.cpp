// Studio workflows with the tiny SD1 model (issue 6), driven through the real widgets:
//  - a txt2img batch of three, "send to img2img / inpaint" opens the current result on the canvas
//    (the canvas tab comes forward), a mask is painted, Generate runs an inpaint whose queued request
//    carries the canvas image and the mask, and the inpainted image appears in the result view;
//  - three gallery images are selected and exported through the export dialog (template names,
//    JPEG without metadata, CSV sidecar).

#include <QtTest>
#include <QAbstractItemModelTester>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QDockWidget>
#include <QFile>
#include <QLineEdit>
#include <QListView>
#include <QProgressBar>
#include <QPushButton>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QToolButton>

#include "app/engine_controller.h"
#include "app/gallery_model.h"
#include "app/job_queue_model.h"
#include "app/model_list_model.h"
#include "app/settings.h"
#include "engine/api/runtime.h"
#include "engine/image/image_file.h"
#include "tests/support/golden.h"
#include "ui/batch_export_dialog.h"
#include "app/image_convert.h"
#include "ui/canvas/canvas_panel.h"
#include "ui/canvas/canvas_widget.h"
#include "ui/canvas/inpaint_options_panel.h"
#include "ui/gallery_panel.h"
#include "ui/image_view.h"
#include "ui/main_window.h"
#include "ui/parameters_panel.h"
#include "ui/prompt_edit.h"
#include "ui/result_view.h"

using namespace easel;

namespace {

void paintStroke(ui::CanvasWidget* canvas, QPointF from, QPointF to)
{
    QTest::mousePress(canvas, Qt::LeftButton, Qt::NoModifier, canvas->mapFromImage(from).toPoint());
    for (int i = 1; i <= 8; ++i)
        QTest::mouseMove(canvas, canvas->mapFromImage(from + (to - from) * i / 8).toPoint());
    QTest::mouseRelease(canvas, Qt::LeftButton, Qt::NoModifier, canvas->mapFromImage(to).toPoint());
}

/// With $EASEL_SCREENSHOT_DIR set, the test doubles as the docs' screenshot maker:
/// `EASEL_SCREENSHOT_DIR=docs ctest -R test_studio_workflows` rewrites docs/studio-*.png.
void screenshot(QWidget* window, const char* name)
{
    const QString dir = qEnvironmentVariable("EASEL_SCREENSHOT_DIR");
    if (dir.isEmpty())
        return;
    QVERIFY(QDir().mkpath(dir));
    QVERIFY(window->grab().save(QDir(dir).filePath(QString::fromLatin1(name))));
}

} // namespace

class TestStudioWorkflows : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QSettings(QSettings::IniFormat, QSettings::UserScope, "Easel", "easel").clear();
        QVERIFY(m_dir.isValid());
        qputenv("EASEL_DATA_DIR", m_dir.filePath("data").toUtf8());
        const QString models = m_dir.filePath("models");
        QVERIFY(QDir().mkpath(models));
        for (const char* name : {"sd1_tiny.safetensors", "sd1_tiny.yaml"})
            QVERIFY(QFile::copy(QString::fromStdString(test::goldenPath(std::string("models/") + name)),
                                QDir(models).filePath(name)));
        app::Settings settings;
        for (const auto kind : app::kAllModelKinds)
            settings.setModelFolder(kind, models);
        settings.setOutputFolder(m_dir.filePath("output"));
        settings.setFilenamePattern("{index}-{seed}");
        settings.setRngSource(api::RngSource::Cpu);
        settings.sync();
        api::configureRuntime({});
    }
    void cleanupTestCase() { QSettings(QSettings::IniFormat, QSettings::UserScope, "Easel", "easel").clear(); }

    void inpaintsFromAResultAndExportsTheGallery()
    {
        app::EngineController engine;
        app::Settings settings;
        ui::MainWindow window(engine, settings);
        QAbstractItemModelTester galleryTester(window.galleryModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy scanned(&window, &ui::MainWindow::modelsScanned);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(scanned.count() > 0 || scanned.wait(60000));
        const int checkpointRow = window.checkpointModel()->findModel("sd1_tiny");
        QVERIFY(checkpointRow >= 0);

        // --- txt2img: a batch of three ---------------------------------------------------------
        api::GenerationRequest request = window.parametersPanel()->toRequest();
        request.model = window.checkpointModel()->entries().at(checkpointRow).path.toStdString();
        request.width = request.height = 64;
        request.steps = 2;
        request.sampler = "Euler";
        request.seed = 11;
        request.batchCount = 1;
        request.batchSize = 3;
        QVERIFY(window.parametersPanel()->setFromRequest(request).isEmpty());
        window.promptEdit()->setPlainText("a blue boat");
        QSignalSpy recorded(&window, &ui::MainWindow::imagesRecorded);
        window.findChild<QToolButton*>("GenerateButton")->click();
        QVERIFY(recorded.wait(120000));
        QCOMPARE(window.noticeText(), QString());
        ui::ResultView* results = window.resultView();
        QCOMPARE(results->count(), 3);
        const QString source = results->currentPath();
        QVERIFY(engine.queue()->jobs().last().request.initImage.empty()); // no canvas image yet: txt2img
        if (!qEnvironmentVariableIsEmpty("EASEL_SCREENSHOT_DIR")) // the gallery shows the batch too
            QTRY_COMPARE(window.galleryModel()->rowCount(), 3);
        screenshot(&window, "studio-result.png");

        // --- send to img2img / inpaint: the canvas opens the result and comes forward -------------
        QVERIFY(!window.canvasPanel()->hasImage());
        results->findChild<QToolButton*>("SendToCanvasButton")->click();
        QVERIFY(window.canvasPanel()->hasImage());
        QCOMPARE(window.canvasPanel()->canvas()->document()->size(), QSize(64, 64));
        QTRY_VERIFY(window.canvasDock()->isVisible());
        QTRY_VERIFY(!window.canvasPanel()->visibleRegion().isEmpty());

        // --- paint a mask, generate: an inpaint job with init image + mask -------------------------
        ui::CanvasWidget* canvas = window.canvasPanel()->canvas();
        canvas->fitToView();
        canvas->setBrushSize(12);
        canvas->setBrushHardness(1.0);
        paintStroke(canvas, QPointF(16, 32), QPointF(48, 32));
        QVERIFY(canvas->document()->hasMask());
        QCOMPARE(window.canvasPanel()->options()->mode(), ui::CanvasMode::Inpaint);
        screenshot(&window, "studio-canvas.png");

        recorded.clear();
        const int job = window.generate();
        QVERIFY(job > 0);
        const api::GenerationRequest queued = engine.queue()->job(job)->request;
        // The canvas travels as pixels in the request: no temp file anywhere.
        QVERIFY(queued.initImage.empty());
        QCOMPARE(app::toQImage(queued.initPixels).size(), QSize(64, 64));
        QVERIFY(queued.inpaint.has_value());
        QVERIFY(queued.inpaint->mask.empty());
        const QImage mask = app::toQImage(queued.inpaint->maskPixels).convertToFormat(QImage::Format_Grayscale8);
        QCOMPARE(mask.size(), QSize(64, 64));
        QCOMPARE(qGray(mask.pixel(32, 32)), 255); // painted: repaint
        QCOMPARE(qGray(mask.pixel(32, 4)), 0);    // untouched: keep
        QCOMPARE(queued.prompt, std::string("a blue boat"));
        // The remembered parameters never hold the canvas.
        QVERIFY(window.currentRequest().initImage.empty());
        QVERIFY(window.currentRequest().initPixels.empty());

        QVERIFY(recorded.wait(120000));
        QCOMPARE(window.noticeText(), QString());
        QCOMPARE(engine.queue()->job(job)->state, app::JobState::Done);
        QCOMPARE(results->count(), 3);
        QCOMPARE(results->imageView()->image().size(), QSize(64, 64));
        QVERIFY(results->currentPath() != source);
        QVERIFY(QFile::exists(results->currentPath()));
        // A1111 writes the inpaint settings into the infotext.
        QVERIFY(results->currentInfotext().contains("Denoising strength: "));
        QVERIFY(results->currentInfotext().contains("Mask blur: "));

        // --- gallery: select three images, export them through the dialog ------------------------
        app::GalleryModel* gallery = window.galleryModel();
        QTRY_COMPARE(gallery->rowCount(), 6);
        for (int row = 0; row < 3; ++row)
            QTRY_VERIFY(gallery->index(row).data(app::GalleryModel::LoadedRole).toBool());
        ui::GalleryPanel* panel = window.galleryPanel();
        window.galleryDock()->raise();
        panel->selectRows({0, 1, 2});
        if (!qEnvironmentVariableIsEmpty("EASEL_SCREENSHOT_DIR")) // thumbnails load lazily; the shot shows them
            QTRY_VERIFY(gallery->thumbnailsCached() >= 3);
        screenshot(&window, "studio-gallery.png");
        QCOMPARE(panel->selectedRows(), (QList<int>{0, 1, 2}));
        QSignalSpy opened(panel, &ui::GalleryPanel::exportDialogOpened);
        auto* exportButton = panel->findChild<QToolButton*>("GalleryExportButton");
        QVERIFY(exportButton->isEnabled());
        exportButton->click();
        QCOMPARE(opened.count(), 1);
        auto* dialog = opened.first().at(0).value<ui::BatchExportDialog*>();
        QVERIFY(dialog && dialog->isVisible() && !dialog->isModal());
        const QString out = m_dir.filePath("export");
        dialog->findChild<QLineEdit*>("ExportFolder")->setText(out);
        dialog->findChild<QLineEdit*>("ExportTemplate")->setText("{seed}_{model}_{index}");
        auto* format = dialog->findChild<QComboBox*>("ExportFormat");
        format->setCurrentIndex(format->findText("JPEG"));
        dialog->findChild<QCheckBox*>("ExportKeepMetadata")->setChecked(false);
        dialog->findChild<QCheckBox*>("ExportCsv")->setChecked(true);
        QSignalSpy exported(dialog, &ui::BatchExportDialog::exportFinished);
        dialog->findChild<QPushButton*>("ExportStart")->click();
        QVERIFY(exported.wait(60000));
        const app::ExportResult& result = dialog->lastResult();
        QVERIFY2(result.errors.isEmpty(), qPrintable(result.errors.join("; ")));
        QCOMPARE(result.images.size(), 3);
        QStringList names = QDir(out).entryList({"*.jpg"}, QDir::Files, QDir::Name);
        QCOMPARE(names.size(), 3);
        for (int i = 0; i < 3; ++i) {
            const qint64 seed = gallery->index(i).data(app::GalleryModel::SeedRole).toLongLong();
            QCOMPARE(QFileInfo(result.images[i].file).fileName(), QStringLiteral("%1_sd1_tiny_%2.jpg").arg(seed).arg(i + 1));
            QVERIFY(image::readParameters(result.images[i].file.toStdString()).empty());
        }
        QVERIFY(QFile::exists(QDir(out).filePath("easel-export.csv")));
        QCOMPARE(dialog->findChild<QProgressBar*>("ExportProgress")->value(), 3);
        QVERIFY(!QApplication::activeModalWidget());
    }

private:
    QTemporaryDir m_dir;
};

QTEST_MAIN(TestStudioWorkflows)
#include "test_studio_workflows.moc"
