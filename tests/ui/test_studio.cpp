// The studio end to end with the tiny SD1 model (issue 6): the model folders are scanned into the
// catalog at start-up, a prompt typed and Ctrl+Enter queues a job, its preview and image appear in
// the result view, the gallery and the catalog; Esc cancels a long job (nothing written); generate
// forever runs until "cancel all"; gallery reuse, delete to the trash and undo.

#include <QtTest>
#include <QAbstractItemModelTester>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QLineEdit>
#include <QListView>
#include <QPlainTextEdit>
#include <QStandardPaths>
#include <QStringListModel>
#include <QTemporaryDir>
#include <QToolButton>

#include "app/engine_controller.h"
#include "app/gallery_model.h"
#include "app/job_queue_model.h"
#include "app/model_list_model.h"
#include "app/settings.h"
#include "engine/api/runtime.h"
#include "engine/catalog/database.h"
#include "engine/catalog/gallery.h"
#include "tests/support/golden.h"
#include "ui/gallery_panel.h"
#include "ui/image_view.h"
#include "ui/main_window.h"
#include "ui/parameters_panel.h"
#include "ui/prompt_edit.h"
#include "ui/queue_panel.h"
#include "ui/result_view.h"

using namespace easel;

namespace {

int pngCount(const QString& folder)
{
    int n = 0;
    QDirIterator it(folder, {"*.png"}, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        it.next();
        ++n;
    }
    return n;
}

} // namespace

class TestStudio : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true); // never touch the user's settings or trash
        QSettings(QSettings::IniFormat, QSettings::UserScope, "Easel", "easel").clear();
        QVERIFY(m_dir.isValid());
        // The catalog goes to api::dataDirectory() = $EASEL_DATA_DIR.
        qputenv("EASEL_DATA_DIR", m_dir.filePath("data").toUtf8());
        m_models = m_dir.filePath("models");
        m_output = m_dir.filePath("output");
        QVERIFY(QDir().mkpath(m_models));
        for (const char* name : {"sd1_tiny.safetensors", "sd1_tiny.yaml", "lora_sd1_tiny.safetensors"})
            QVERIFY(QFile::copy(QString::fromStdString(test::goldenPath(std::string("models/") + name)),
                                QDir(m_models).filePath(name)));
        app::Settings settings;
        for (const auto kind : app::kAllModelKinds)
            settings.setModelFolder(kind, m_models);
        settings.setOutputFolder(m_output);
        settings.setPreviewEverySteps(1);
        settings.setRngSource(api::RngSource::Cpu);
        settings.sync();
        api::configureRuntime({});
    }
    void cleanupTestCase() { QSettings(QSettings::IniFormat, QSettings::UserScope, "Easel", "easel").clear(); }

    void generatesCancelsAndKeepsHistory()
    {
        app::EngineController engine;
        app::Settings settings;
        ui::MainWindow window(engine, settings);
        QAbstractItemModelTester queueTester(engine.queue(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester galleryTester(window.galleryModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester checkpointTester(window.checkpointModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy scanned(&window, &ui::MainWindow::modelsScanned);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(window.queueDock() && window.galleryDock());

        // --- start-up scan: pickers and completion lists come from the catalog ----------------------
        QVERIFY(scanned.count() > 0 || scanned.wait(60000));
        QCOMPARE(scanned.last().at(0).toString(), QString());
        QVERIFY(QFile::exists(window.catalogPath()));
        QVERIFY(window.catalogPath().startsWith(m_dir.path()));
        const int checkpointRow = window.checkpointModel()->findModel("sd1_tiny");
        QVERIFY(checkpointRow >= 0);
        QCOMPARE(window.checkpointModel()->entries().at(checkpointRow).family, QStringLiteral("SD1"));
        QVERIFY(window.loraNames()->stringList().contains("lora_sd1_tiny"));
        QVERIFY(window.checkpointModel()->findModel("lora_sd1_tiny") < 0);

        // --- generate: type, Ctrl+Enter, wait ----------------------------------------------------
        api::GenerationRequest request = window.parametersPanel()->toRequest();
        request.model = window.checkpointModel()->entries().at(checkpointRow).path.toStdString();
        request.width = request.height = 64;
        request.steps = 2;
        request.sampler = "Euler";
        request.seed = 7;
        request.batchCount = request.batchSize = 1;
        QVERIFY(window.parametersPanel()->setFromRequest(request).isEmpty());
        window.promptEdit()->clear();
        window.promptEdit()->setFocus();
        QTest::keyClicks(window.promptEdit(), "a red apple");
        QSignalSpy progress(&engine, &app::EngineController::jobProgress);
        QSignalSpy recorded(&window, &ui::MainWindow::imagesRecorded);
        QTest::keyClick(window.promptEdit(), Qt::Key_Return, Qt::ControlModifier);
        QCOMPARE(engine.queue()->rowCount(), 1);
        QVERIFY(recorded.wait(120000));
        QCOMPARE(window.noticeText(), QString());

        // Progress with live previews came first.
        QVERIFY(progress.count() >= 2);
        bool sawPreview = false;
        for (const auto& args : progress)
            sawPreview |= !args.at(4).value<QImage>().isNull();
        QVERIFY(sawPreview);
        const app::Job& done = engine.queue()->jobs().first();
        QCOMPARE(done.state, app::JobState::Done);
        QVERIFY(engine.queue()->index(0).data().toString().contains("done"));

        // The result view shows the image; the file is in the output folder.
        ui::ResultView* results = window.resultView();
        QCOMPARE(results->count(), 1);
        QCOMPARE(results->imageView()->image().size(), QSize(64, 64));
        const QString file = results->currentPath();
        QVERIFY(QFile::exists(file));
        QVERIFY(file.startsWith(m_output));
        QCOMPARE(results->currentSeed().value_or(-1), qint64(7));
        QCOMPARE(window.parametersPanel()->lastSeed(), int64_t(7));

        // The gallery shows it, and the catalog has the row with the request as JSON.
        app::GalleryModel* gallery = window.galleryModel();
        QTRY_COMPARE(gallery->rowCount(), 1);
        QCOMPARE(gallery->index(0).data(app::GalleryModel::PathRole).toString(), file);
        QCOMPARE(gallery->index(0).data(app::GalleryModel::PromptRole).toString(), QStringLiteral("a red apple"));
        QCOMPARE(recorded.first().at(1).value<QList<qint64>>().size(), qsizetype(1));
        {
            catalog::Database db(window.catalogPath().toStdString());
            const auto rows = catalog::Gallery(db).search({});
            QCOMPARE(rows.size(), size_t(1));
            QCOMPARE(rows[0].seed, int64_t(7));
            QCOMPARE(rows[0].width, 64);
            QCOMPARE(rows[0].modelName, std::string("sd1_tiny"));
            QVERIFY(rows[0].modelId.has_value()); // linked to the scanned checkpoint
            QVERIFY(!rows[0].modelHash.empty());
            QCOMPARE(api::requestFromJson(rows[0].paramsJson).prompt, std::string("a red apple"));
        }

        // --- the preview cadence is read per job: a settings change applies to the next job ------
        settings.setPreviewEverySteps(0);
        progress.clear();
        recorded.clear();
        window.findChild<QToolButton*>("GenerateButton")->click();
        QVERIFY(recorded.wait(120000));
        QVERIFY(progress.count() >= 2);
        for (const auto& args : progress)
            QVERIFY(args.at(4).value<QImage>().isNull());
        settings.setPreviewEverySteps(1);
        QTRY_COMPARE(gallery->rowCount(), 2);

        // Use seed puts it into the panel.
        request = window.parametersPanel()->toRequest();
        request.seed = -1;
        window.parametersPanel()->setFromRequest(request);
        results->findChild<QToolButton*>("UseSeedButton")->click();
        QCOMPARE(window.currentRequest().seed, int64_t(7));

        // --- cancel mid-job with Esc: state cancelled, nothing written ------------------------------
        const int filesBefore = pngCount(m_output);
        request = window.currentRequest();
        request.steps = 150;
        window.parametersPanel()->setFromRequest(request);
        progress.clear();
        QSignalSpy cancelled(&engine, &app::EngineController::jobCancelled);
        window.findChild<QToolButton*>("GenerateButton")->click();
        QVERIFY(progress.wait(60000));
        const int cancelledJob = engine.runningJob();
        QVERIFY(cancelledJob != 0);
        window.promptEdit()->setFocus();
        QTest::keyClick(window.promptEdit(), Qt::Key_Escape);
        QVERIFY(cancelled.wait(60000));
        QCOMPARE(cancelled.first().at(0).toInt(), cancelledJob);
        QCOMPARE(engine.queue()->job(cancelledJob)->state, app::JobState::Cancelled);
        QVERIFY(engine.queue()->job(cancelledJob)->step < 150);
        QVERIFY(engine.queue()->index(engine.queue()->rowOf(cancelledJob)).data().toString().contains("cancelled"));
        QCOMPARE(pngCount(m_output), filesBefore);
        QVERIFY(!results->isShowingPreview()); // back to the last finished image
        QCOMPARE(window.noticeText(), QString()); // a cancel is not a failure

        // --- generate forever until cancel all ----------------------------------------------------
        request.steps = 2;
        window.parametersPanel()->setFromRequest(request);
        recorded.clear();
        window.findChild<QToolButton*>("GenerateForeverButton")->click();
        QVERIFY(engine.generateForever());
        QTRY_VERIFY_WITH_TIMEOUT(recorded.count() >= 2, 120000);
        // Forever repeats the parameters as they were when it was switched on, not the cancelled job's.
        for (const app::Job& job : engine.queue()->jobs())
            if (job.id > cancelledJob)
                QCOMPARE(job.request.steps, 2);
        window.findChild<QToolButton*>("CancelAllButton")->click();
        QVERIFY(!engine.generateForever());
        QVERIFY(!window.findChild<QToolButton*>("GenerateForeverButton")->isChecked());
        QTRY_COMPARE_WITH_TIMEOUT(engine.runningJob(), 0, 60000);
        QTest::qWait(200);
        QTRY_COMPARE(gallery->rowCount(), pngCount(m_output));

        // --- queue dock: clear finished ----------------------------------------------------------
        window.queuePanel()->findChild<QToolButton*>("QueueClearFinishedButton")->click();
        QCOMPARE(engine.queue()->rowCount(), 0);

        // --- gallery: reuse parameters, delete to the trash, undo --------------------------------
        ui::GalleryPanel* panel = window.galleryPanel();
        const int oldest = gallery->rowCount() - 1;
        QTRY_VERIFY(gallery->index(oldest).data(app::GalleryModel::LoadedRole).toBool());
        panel->selectRow(oldest);
        QVERIFY(panel->details()->toPlainText().contains("a red apple"));
        QVERIFY(panel->details()->toPlainText().contains("Seed: 7"));
        window.promptEdit()->setPlainText("something else");
        QSignalSpy applied(&window, &ui::MainWindow::parametersApplied);
        panel->findChild<QToolButton*>("GalleryReuseButton")->click();
        QVERIFY(applied.wait(10000));
        QCOMPARE(window.promptEdit()->toPlainText(), QStringLiteral("a red apple"));
        QCOMPARE(window.currentRequest().seed, int64_t(7));
        QCOMPARE(window.currentRequest().steps, 2);

        const int rowsBefore = gallery->rowCount();
        QSignalSpy deleted(panel, &ui::GalleryPanel::deleted);
        QSignalSpy restored(panel, &ui::GalleryPanel::restored);
        QSignalSpy failed(panel, &ui::GalleryPanel::failed);
        panel->findChild<QToolButton*>("GalleryDeleteButton")->click();
        QVERIFY2(deleted.wait(10000), qPrintable(failed.isEmpty() ? QString() : failed.first().at(0).toString()));
        QVERIFY(!QFile::exists(file));
        QTRY_COMPARE(gallery->rowCount(), rowsBefore - 1);
        QVERIFY(panel->canUndoDelete());
        panel->findChild<QToolButton*>("GalleryUndoDeleteButton")->click();
        QVERIFY(restored.wait(10000));
        QVERIFY(QFile::exists(file));
        QTRY_COMPARE(gallery->rowCount(), rowsBefore);
        // Back with its time (rows of the same second are ordered by id, so look it up by path).
        int back = -1;
        for (int row = 0; row < gallery->rowCount(); ++row) {
            QTRY_VERIFY(gallery->index(row).data(app::GalleryModel::LoadedRole).toBool());
            if (gallery->index(row).data(app::GalleryModel::PathRole).toString() == file)
                back = row;
        }
        QVERIFY(back >= 0);
        QCOMPARE(gallery->index(back).data(app::GalleryModel::SeedRole).toLongLong(), qint64(7));
        QVERIFY(!QApplication::activeModalWidget());
    }

    void failuresShowAsNotices()
    {
        app::EngineController engine;
        app::Settings settings;
        ui::MainWindow window(engine, settings);
        api::GenerationRequest request = window.currentRequest();
        request.model = m_dir.filePath("models/missing.safetensors").toStdString();
        window.parametersPanel()->setFromRequest(request);
        QSignalSpy failed(&engine, &app::EngineController::jobFailed);
        window.generate();
        QVERIFY(failed.wait(60000));
        QVERIFY(window.noticeText().contains("Generation failed"));
        QVERIFY(!QApplication::activeModalWidget());
        const app::Job& job = engine.queue()->jobs().last();
        QCOMPARE(job.state, app::JobState::Failed);
        QVERIFY(engine.queue()->index(engine.queue()->rowCount() - 1).data().toString().contains("failed: "));
    }

    void queueDockReordersAndRemoves()
    {
        app::EngineController engine;
        app::Settings settings;
        ui::MainWindow window(engine, settings);
        ui::QueuePanel* panel = window.queuePanel();
        // Requests that fail at once still pass through every state the dock shows.
        api::GenerationRequest request;
        request.model = "/nowhere/model.safetensors";
        QSignalSpy idle(&engine, &app::EngineController::queueIdle);
        for (const char* prompt : {"first", "second", "third"}) {
            request.prompt = prompt;
            engine.enqueue(request);
        }
        QTRY_VERIFY_WITH_TIMEOUT(engine.runningJob() == 0 && !engine.queue()->nextQueued(), 60000);
        const int second = engine.queue()->jobs().at(1).id;
        panel->selectJob(second);
        panel->findChild<QToolButton*>("QueueUpButton")->click();
        QCOMPARE(engine.queue()->jobs().at(0).id, second);
        QCOMPARE(panel->selectedJob(), second);
        panel->findChild<QToolButton*>("QueueDownButton")->click();
        panel->findChild<QToolButton*>("QueueDownButton")->click();
        QCOMPARE(engine.queue()->jobs().at(2).id, second);
        panel->findChild<QToolButton*>("QueueRemoveButton")->click();
        QCOMPARE(engine.queue()->rowCount(), 2);
        QCOMPARE(engine.queue()->rowOf(second), -1);
    }

private:
    QTemporaryDir m_dir;
    QString m_models;
    QString m_output;
};

QTEST_MAIN(TestStudio)
#include "test_studio.moc"
