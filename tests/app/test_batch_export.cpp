// Batch export (app/batch_export.h): three images named by a template, written as PNG/JPEG/WebP,
// metadata kept or stripped, optional downscale, CSV and JSON sidecars, never an overwrite (taken
// names get "-2"), cancel between images; BatchExporter runs it off the GUI thread.

#include <QtTest>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSemaphore>
#include <QTemporaryDir>
#include <QThreadPool>

#include "app/batch_export.h"
#include "app/batch_exporter.h"
#include "engine/api/image.h"
#include "engine/image/image_file.h"

using namespace easel;

namespace {

api::Image solid(int width, int height, std::uint8_t value)
{
    api::Image image;
    image.width = width;
    image.height = height;
    image.pixels.assign(static_cast<size_t>(width) * height * 3, value);
    return image;
}

QString infotextFor(int seed)
{
    return QStringLiteral("a lighthouse, dusk\nNegative prompt: blurry\nSteps: 20, Sampler: Euler a, CFG scale: 7, "
                          "Seed: %1, Size: 64x48, Model: sd1_tiny")
        .arg(seed);
}

QByteArray readBytes(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

QString readText(const QString& path) { return QString::fromUtf8(readBytes(path)); }

} // namespace

class TestBatchExport : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        const QString sources = m_dir.filePath("sources");
        QVERIFY(QDir().mkpath(sources));
        for (int i = 0; i < 3; ++i) {
            app::ExportSource source;
            source.path = QDir(sources).filePath(QStringLiteral("%1.png").arg(i));
            source.seed = 100 + i;
            source.modelName = QStringLiteral("sd1_tiny");
            source.prompt = QStringLiteral("a lighthouse, dusk / storm: \"big\"");
            source.negativePrompt = QStringLiteral("blurry");
            source.paramsJson = QStringLiteral(R"({"prompt":"a lighthouse","seed":%1})").arg(100 + i);
            source.createdAt = QDateTime(QDate(2026, 3, 14), QTime(9, 26, 53));
            image::writeImageFile(solid(64, 48, std::uint8_t(40 * (i + 1))), source.path.toStdString(),
                                  infotextFor(100 + i).toStdString());
            m_sources << source;
        }
    }

    void namesFollowTheTemplate()
    {
        const app::ExportSource& source = m_sources.first();
        QCOMPARE(app::exportFileName("{date}_{seed}_{model}_{index}", source, 0, 3, 64, 48, "png"),
                 QStringLiteral("2026-03-14_100_sd1_tiny_1.png"));
        // {index} is padded to the count's digits so names sort; the prompt is made file-name safe.
        QCOMPARE(app::exportFileName("{index}-{prompt}", source, 4, 120, 64, 48, "jpg"),
                 QStringLiteral("005-a lighthouse, dusk _ storm_ _big_.jpg"));
        QCOMPARE(app::exportFileName("{name}_{width}x{height}_{time}", source, 0, 1, 32, 24, "webp"),
                 QStringLiteral("0_32x24_092653.webp"));
        QCOMPARE(app::exportFileName("  ", source, 1, 3, 64, 48, "png"), QStringLiteral("2.png"));
    }

    void exportsPngsWithMetadataAndSidecars()
    {
        const QString out = m_dir.filePath("png");
        app::ExportOptions options;
        options.folder = out;
        options.writeCsv = options.writeJson = true;
        QList<int> progress;
        const app::ExportResult result = app::exportImages(m_sources, options, [&](int done, int total) {
            progress << done;
            return total == 3;
        });
        QVERIFY2(result.errors.isEmpty(), qPrintable(result.errors.join("; ")));
        QVERIFY(!result.cancelled);
        QCOMPARE(progress, (QList<int>{0, 1, 2, 3}));
        QCOMPARE(result.images.size(), 3);
        const QStringList expected{"2026-03-14_100_sd1_tiny_1.png", "2026-03-14_101_sd1_tiny_2.png",
                                   "2026-03-14_102_sd1_tiny_3.png"};
        for (int i = 0; i < 3; ++i) {
            const QString file = QDir(out).filePath(expected[i]);
            QCOMPARE(result.images[i].file, file);
            QVERIFY(!result.images[i].renamed);
            QCOMPARE(QString::fromStdString(image::readParameters(file.toStdString())), infotextFor(100 + i));
            const api::Image back = image::readImageFile(file.toStdString());
            QCOMPARE(back.width, 64);
            QCOMPARE(int(back.pixels[0]), 40 * (i + 1));
        }

        // CSV: a header and one row per image; fields with commas, quotes or line breaks are quoted.
        QCOMPARE(result.csvFile, QDir(out).filePath("easel-export.csv"));
        const QStringList rows = readText(result.csvFile).split("\r\n", Qt::SkipEmptyParts);
        QCOMPARE(rows.first(), QStringLiteral("file,source,seed,model,width,height,prompt,negative_prompt,parameters"));
        QVERIFY(rows.at(1).startsWith(QStringLiteral("2026-03-14_100_sd1_tiny_1.png,") + m_sources[0].path +
                                      QStringLiteral(",100,sd1_tiny,64,48,\"a lighthouse, dusk / storm: \"\"big\"\"\",blurry,\"a lighthouse")));
        // JSON: one object per image with the infotext and the catalog's request.
        QCOMPARE(result.jsonFile, QDir(out).filePath("easel-export.json"));
        const QJsonArray json = QJsonDocument::fromJson(readText(result.jsonFile).toUtf8()).array();
        QCOMPARE(json.size(), 3);
        const QJsonObject third = json.at(2).toObject();
        QCOMPARE(third.value("file").toString(), expected[2]);
        QCOMPARE(third.value("seed").toInteger(), 102);
        QCOMPARE(third.value("model").toString(), QStringLiteral("sd1_tiny"));
        QCOMPARE(third.value("prompt").toString(), m_sources[2].prompt);
        QCOMPARE(third.value("parameters").toString(), infotextFor(102));
        QCOMPARE(third.value("request").toObject().value("seed").toInteger(), 102);
    }

    void neverOverwrites()
    {
        const QString out = m_dir.filePath("again");
        app::ExportOptions options;
        options.folder = out;
        options.nameTemplate = "{model}"; // the same name for all three
        options.writeCsv = true;
        const app::ExportResult first = app::exportImages(m_sources, options);
        QCOMPARE(first.images.size(), 3);
        QCOMPARE(QFileInfo(first.images[0].file).fileName(), QStringLiteral("sd1_tiny.png"));
        QCOMPARE(QFileInfo(first.images[1].file).fileName(), QStringLiteral("sd1_tiny-2.png"));
        QCOMPARE(QFileInfo(first.images[2].file).fileName(), QStringLiteral("sd1_tiny-3.png"));
        QVERIFY(!first.images[0].renamed && first.images[1].renamed);
        const QByteArray before = readBytes(first.images[0].file);
        const QDateTime stamp = QFileInfo(first.images[0].file).lastModified();

        const app::ExportResult second = app::exportImages(m_sources, options);
        QCOMPARE(second.images.size(), 3);
        QCOMPARE(QFileInfo(second.images[0].file).fileName(), QStringLiteral("sd1_tiny-4.png"));
        QCOMPARE(QFileInfo(second.images[2].file).fileName(), QStringLiteral("sd1_tiny-6.png"));
        QCOMPARE(QFileInfo(second.csvFile).fileName(), QStringLiteral("easel-export-2.csv"));
        QCOMPARE(QFileInfo(first.images[0].file).lastModified(), stamp);
        QCOMPARE(readBytes(first.images[0].file), before);
        QCOMPARE(QDir(out).entryList(QDir::Files).size(), 8);
    }

    void jpegAndWebpKeepOrStripMetadata_data()
    {
        QTest::addColumn<int>("format");
        QTest::addColumn<bool>("keep");
        QTest::newRow("jpeg kept") << int(app::ExportFormat::Jpeg) << true;
        QTest::newRow("jpeg stripped") << int(app::ExportFormat::Jpeg) << false;
        QTest::newRow("webp kept") << int(app::ExportFormat::WebP) << true;
        QTest::newRow("webp stripped") << int(app::ExportFormat::WebP) << false;
        QTest::newRow("png stripped") << int(app::ExportFormat::Png) << false;
    }
    void jpegAndWebpKeepOrStripMetadata()
    {
        QFETCH(int, format);
        QFETCH(bool, keep);
        const QString out = m_dir.filePath(QStringLiteral("fmt-%1-%2").arg(format).arg(keep));
        app::ExportOptions options;
        options.folder = out;
        options.format = static_cast<app::ExportFormat>(format);
        options.quality = 80;
        options.keepMetadata = keep;
        options.maxSide = 32; // 64x48 -> 32x24
        const app::ExportResult result = app::exportImages(m_sources, options);
        QVERIFY2(result.errors.isEmpty(), qPrintable(result.errors.join("; ")));
        QCOMPARE(result.images.size(), 3);
        for (int i = 0; i < 3; ++i) {
            const QString file = result.images[i].file;
            QVERIFY(file.endsWith("." + app::exportExtension(options.format)));
            QFile raw(file);
            QVERIFY(raw.open(QIODevice::ReadOnly));
            const QByteArray head = raw.read(16);
            if (options.format == app::ExportFormat::Jpeg)
                QVERIFY(head.startsWith("\xFF\xD8"));
            else if (options.format == app::ExportFormat::WebP)
                QVERIFY(head.startsWith("RIFF") && head.mid(8, 4) == "WEBP");
            else
                QVERIFY(head.startsWith("\x89PNG"));
            const QString text = QString::fromStdString(image::readParameters(file.toStdString()));
            QCOMPARE(text, keep ? infotextFor(100 + i) : QString());
            const api::Image back = image::readImageFile(file.toStdString());
            QCOMPARE(back.width, 32);
            QCOMPARE(back.height, 24);
            QCOMPARE(result.images[i].width, 32);
        }
    }

    void cancelStopsBetweenImages()
    {
        const QString out = m_dir.filePath("cancelled");
        app::ExportOptions options;
        options.folder = out;
        options.writeJson = true;
        const app::ExportResult result =
            app::exportImages(m_sources, options, [](int done, int) { return done < 1; });
        QVERIFY(result.cancelled);
        QCOMPARE(result.images.size(), 1);
        // The sidecar lists what was written.
        QCOMPARE(QJsonDocument::fromJson(readText(result.jsonFile).toUtf8()).array().size(), 1);
        QCOMPARE(QDir(out).entryList({"*.png"}, QDir::Files).size(), 1);
    }

    void aMissingSourceIsReportedAndTheRestExported()
    {
        QList<app::ExportSource> sources = m_sources;
        sources[1].path = m_dir.filePath("sources/gone.png");
        app::ExportOptions options;
        options.folder = m_dir.filePath("partial");
        const app::ExportResult result = app::exportImages(sources, options);
        QCOMPARE(result.images.size(), 2);
        QCOMPARE(result.errors.size(), 1);
        QVERIFY(result.errors.first().startsWith("gone.png: "));
    }

    void exporterRunsOffTheGuiThread()
    {
        app::BatchExporter exporter;
        QSignalSpy progress(&exporter, &app::BatchExporter::progress);
        QSignalSpy finished(&exporter, &app::BatchExporter::finished);
        app::ExportOptions options;
        options.folder = m_dir.filePath("async");
        QVERIFY(exporter.start(m_sources, options));
        QVERIFY(exporter.isRunning());
        QVERIFY(!exporter.start(m_sources, options)); // one at a time
        QVERIFY(finished.wait(30000));
        QVERIFY(!exporter.isRunning());
        QCOMPARE(progress.last().at(0).toInt(), 3);
        const auto result = finished.first().at(0).value<app::ExportResult>();
        QCOMPARE(result.images.size(), 3);
        QCOMPARE(QDir(options.folder).entryList(QDir::Files).size(), 3);

        // Cancelled before the first image: nothing written, finished still comes. The pool's only
        // thread is held until cancel() was called, so the order is certain.
        finished.clear();
        QThreadPool pool;
        pool.setMaxThreadCount(1);
        QSemaphore gate;
        pool.start([&gate] { gate.acquire(); });
        options.folder = m_dir.filePath("async-cancelled");
        QVERIFY(exporter.start(m_sources, options, &pool));
        exporter.cancel();
        gate.release();
        QVERIFY(finished.wait(30000));
        const auto cancelled = finished.first().at(0).value<app::ExportResult>();
        QVERIFY(cancelled.cancelled);
        QCOMPARE(cancelled.images.size(), 0);
        QCOMPARE(QDir(options.folder).entryList(QDir::Files).size(), 0);
    }

private:
    QTemporaryDir m_dir;
    QList<app::ExportSource> m_sources;
};

QTEST_MAIN(TestBatchExport)
#include "test_batch_export.moc"
