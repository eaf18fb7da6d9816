// The generation service on the tiny checkpoint, as the studio, the CLI and the server use it:
// per-job preview cadence, canvas pixels without temp files, each image saved the moment it is
// decoded, cancel keeps finished images, a bounded queue, gallery rows, failures that leave the
// service running.

#include <QtTest>
#include <QDirIterator>
#include <QTemporaryDir>

#include <atomic>
#include <fstream>
#include <iterator>
#include <mutex>

#include "engine/api/error.h"
#include "engine/api/request.h"
#include "engine/catalog/database.h"
#include "engine/catalog/gallery.h"
#include "engine/image/png_codec.h"
#include "engine/service/generation_service.h"
#include "tests/support/golden.h"

using namespace easel;
using service::JobEvent;
using service::JobEventKind;
using service::JobState;

namespace {

api::GenerationRequest tiny(int steps = 4)
{
    api::GenerationRequest r;
    r.model = test::goldenPath("models/sd1_tiny.safetensors");
    r.prompt = "a red apple";
    r.sampler = "Euler";
    r.steps = steps;
    r.width = r.height = 64;
    r.seed = 11;
    return r;
}

/// Every event of the service, kept for the test to read (events come on the worker thread).
struct Recorder {
    std::mutex mutex;
    std::vector<JobEvent> events;

    service::JobListener listener()
    {
        return [this](const JobEvent& e) {
            std::lock_guard lock(mutex);
            events.push_back(e);
        };
    }
    int count(service::JobId id, JobEventKind kind, bool withPreview = false)
    {
        std::lock_guard lock(mutex);
        int n = 0;
        for (const auto& e : events)
            n += e.id == id && e.kind == kind && (!withPreview || e.progress.preview.has_value());
        return n;
    }
};

QStringList filesUnder(const QString& dir)
{
    QStringList out;
    QDirIterator it(dir, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext())
        out << it.next();
    return out;
}

api::Image gradient(int w, int h)
{
    api::Image image{w, h, 3, std::vector<unsigned char>(size_t(w) * h * 3)};
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x)
            for (int c = 0; c < 3; ++c)
                image.pixels[(size_t(y) * w + x) * 3 + c] = static_cast<unsigned char>(x * 3 + y + c * 40);
    return image;
}

/// Stands in for the engine as the studio's RemoteGenerator does (app/remote): images with their
/// infotext and seed, no model loaded here.
struct FakeGenerator : service::Generator {
    std::atomic<int> runs{0};
    api::GenerationResult generate(const api::GenerationRequest& request, const api::GenerateOptions& options) override
    {
        ++runs;
        api::Progress p;
        p.stage = api::Stage::Sampling;
        p.step = p.totalSteps = 1;
        if (options.progress)
            options.progress(p);
        api::GeneratedImage image;
        image.image = gradient(16, 8);
        image.seed = 99;
        image.infotext = request.prompt + "\nSteps: 1, Seed: 99, Size: 16x8";
        if (options.imageReady)
            options.imageReady(image, 0);
        return {{image}, 99, 0.1};
    }
    std::vector<std::string> warnings() const override { return {"from elsewhere"}; }
};

} // namespace

class TestGenerationService : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

    service::ServiceConfig config(const QString& name)
    {
        service::ServiceConfig c;
        c.outputFolder = m_dir.filePath(name).toStdString();
        return c;
    }

private Q_SLOTS:
    void previewCadenceIsReadPerJob()
    {
        service::GenerationService service(config("cadence"));
        Recorder rec;
        service.subscribe(rec.listener());
        service::JobOptions every;
        every.previewEverySteps = 1;
        service::JobOptions none; // 0: no previews
        service::JobOptions third;
        third.previewEverySteps = 3;
        const auto a = service.submit(tiny(4), every);
        const auto b = service.submit(tiny(4), none);
        const auto c = service.submit(tiny(4), third);
        service.waitIdle();
        for (auto id : {a, b, c})
            QCOMPARE(service.job(id)->state, JobState::Done);
        QCOMPARE(rec.count(a, JobEventKind::Progress, true), 4);
        QCOMPARE(rec.count(b, JobEventKind::Progress, true), 0);
        QCOMPARE(rec.count(c, JobEventKind::Progress, true), 2); // step 3, and the last step
        QVERIFY(rec.count(b, JobEventKind::Progress) >= 4);      // progress without pictures
    }

    void canvasPixelsNeedNoTempFile()
    {
        // Every temp folder an implementation might use points into one watched, empty place.
        QTemporaryDir temp;
        const QByteArray oldTmp = qgetenv("TMPDIR");
        qputenv("TMPDIR", temp.path().toUtf8());
        service::GenerationService service(config("canvas"));
        api::GenerationRequest r = tiny(3);
        r.initPixels = gradient(64, 64);
        r.denoisingStrength = 0.6;
        api::InpaintOptions inpaint;
        inpaint.maskPixels = api::Image{64, 64, 1, std::vector<unsigned char>(64 * 64, 0)};
        for (int y = 16; y < 48; ++y)
            for (int x = 16; x < 48; ++x)
                inpaint.maskPixels.pixels[size_t(y) * 64 + x] = 255;
        r.inpaint = inpaint;
        QVERIFY(r.initImage.empty() && r.inpaint->mask.empty());
        const auto id = service.submit(r);
        const auto job = service.waitFor(id);
        qputenv("TMPDIR", oldTmp);
        QCOMPARE(job->state, JobState::Done);
        QCOMPARE(job->images.size(), size_t(1));
        QVERIFY(QFile::exists(QString::fromStdString(job->images[0].path)));
        QCOMPARE(filesUnder(m_dir.filePath("canvas")).size(), 1); // the result, nothing else
        QCOMPARE(filesUnder(temp.path()).size(), 0);
        // img2img with a mask: the infotext says so, as A1111 writes it.
        QVERIFY(QString::fromStdString(job->images[0].image.infotext).contains("Denoising strength: 0.6"));
        QVERIFY(QString::fromStdString(job->images[0].image.infotext).contains("Mask blur"));
    }

    void eachImageIsSavedTheMomentItIsDecoded()
    {
        service::GenerationService service(config("batch"));
        std::atomic<int> savedWhileRunning{0};
        std::atomic<bool> fileWasThere{true};
        service.subscribe([&](const JobEvent& e) {
            if (e.kind != JobEventKind::ImageSaved)
                return;
            fileWasThere = fileWasThere && QFile::exists(QString::fromStdString(e.image->path));
            if (e.state == JobState::Running)
                ++savedWhileRunning;
        });
        api::GenerationRequest r = tiny(2);
        r.batchCount = 3;
        const auto job = service.waitFor(service.submit(r));
        QCOMPARE(job->state, JobState::Done);
        QCOMPARE(job->images.size(), size_t(3));
        QCOMPARE(savedWhileRunning.load(), 3);
        QVERIFY(fileWasThere);
        // Seeds in order, each file carrying its own infotext.
        for (int i = 0; i < 3; ++i) {
            QCOMPARE(job->images[i].image.seed, int64_t(11 + i));
            std::ifstream in(job->images[i].path, std::ios::binary);
            const std::vector<unsigned char> bytes((std::istreambuf_iterator<char>(in)), {});
            QVERIFY(image::readPngText(bytes).at("parameters").find("Seed: " + std::to_string(11 + i)) != std::string::npos);
        }
    }

    void cancelKeepsTheFinishedImages()
    {
        service::GenerationService service(config("cancel"));
        service::JobId id = 0;
        service.subscribe([&](const JobEvent& e) {
            if (e.kind == JobEventKind::ImageSaved && e.image->index == 0)
                service.cancel(e.id); // from the worker thread, mid-batch
        });
        api::GenerationRequest r = tiny(3);
        r.batchCount = 4;
        id = service.submit(r);
        const auto job = service.waitFor(id);
        QCOMPARE(job->state, JobState::Cancelled);
        QCOMPARE(job->errorCode, api::ErrorCode::Cancelled);
        QVERIFY(job->images.size() >= 1 && job->images.size() < 4);
        for (const auto& image : job->images)
            QVERIFY(QFile::exists(QString::fromStdString(image.path)));
        QCOMPARE(filesUnder(m_dir.filePath("cancel")).size(), int(job->images.size()));
        // The service goes on.
        QCOMPARE(service.waitFor(service.submit(tiny(1)))->state, JobState::Done);
    }

    void aFullQueueSaysBusy()
    {
        service::ServiceConfig c = config("busy");
        c.queueDepth = 1;
        c.perOwnerQueueDepth = 1;
        service::GenerationService service(c);
        std::atomic<bool> started{false};
        service.subscribe([&](const JobEvent& e) { started = started || e.kind == JobEventKind::Started; });
        const auto running = service.submit(tiny(400)); // long enough to still run below
        QTRY_VERIFY_WITH_TIMEOUT(started.load(), 60000);
        service::JobOptions alice;
        alice.owner = "alice";
        service.submit(tiny(1), alice); // one waiting: the queue is full
        try {
            service.submit(tiny(1));
            QFAIL("a full queue took a job");
        } catch (const api::Error& e) {
            QCOMPARE(e.code(), api::ErrorCode::Busy);
        }
        QCOMPARE(service.queuedCount(), 1);
        service.cancelAll();
        service.waitIdle();
        QCOMPARE(service.job(running)->state, JobState::Cancelled);
    }

    void perOwnerLimit()
    {
        service::ServiceConfig c = config("owners");
        c.perOwnerQueueDepth = 1;
        service::GenerationService service(c);
        service::JobOptions alice, bob;
        alice.owner = "alice";
        bob.owner = "bob";
        service.setGenerateForever(false);
        // Nothing runs until the first job starts; fill the owners' shares while the worker is busy.
        const auto first = service.submit(tiny(400));
        QTRY_VERIFY_WITH_TIMEOUT(service.job(first)->state == JobState::Running, 60000);
        service.submit(tiny(1), alice);
        service.submit(tiny(1), bob);
        QVERIFY_THROWS_EXCEPTION(api::Error, service.submit(tiny(1), alice));
        service.cancelAll();
        service.waitIdle();
    }

    void returnOnlyWritesNothing()
    {
        service::GenerationService service(config("return-only"));
        service::JobOptions o;
        o.output.save = false;
        const auto job = service.waitFor(service.submit(tiny(1), o));
        QCOMPARE(job->state, JobState::Done);
        QCOMPARE(job->images.size(), size_t(1));
        QVERIFY(job->images[0].path.empty());
        QCOMPARE(job->images[0].image.image.width, 64);
        QVERIFY(!QDir(m_dir.filePath("return-only")).exists());
    }

    void aSecondJobNeverOverwritesTheFirst()
    {
        service::GenerationService service(config("names"));
        service::JobOptions o;
        o.output.pattern = "{model}-{seed}";
        const auto a = service.waitFor(service.submit(tiny(1), o));
        const auto b = service.waitFor(service.submit(tiny(1), o));
        QCOMPARE(QFileInfo(QString::fromStdString(a->images[0].path)).fileName(), QStringLiteral("sd1_tiny-11.png"));
        QCOMPARE(QFileInfo(QString::fromStdString(b->images[0].path)).fileName(), QStringLiteral("sd1_tiny-11-2.png"));
    }

    void everySavedImageIsInTheGallery()
    {
        service::ServiceConfig c = config("gallery");
        c.catalogPath = m_dir.filePath("catalog.sqlite").toStdString();
        service::GenerationService service(c);
        api::GenerationRequest r = tiny(1);
        r.batchSize = 2;
        r.initPixels = gradient(64, 64);
        const auto job = service.waitFor(service.submit(r));
        QCOMPARE(job->state, JobState::Done);
        catalog::Database db(c.catalogPath);
        const auto rows = catalog::Gallery(db).search({});
        QCOMPARE(rows.size(), size_t(2));
        for (const auto& image : job->images)
            QVERIFY(image.catalogId > 0);
        // The stored parameters are JSON without the canvas pixels.
        QVERIFY(rows[0].paramsJson.find("init_pixels") == std::string::npos ||
                api::requestFromJson(rows[0].paramsJson).initPixels.empty());
        QCOMPARE(rows[0].modelName, std::string("sd1_tiny"));
    }

    void cancelMidBatchKeepsFinishedImagesOnDiskAndInTheGallery()
    {
        service::ServiceConfig c = config("cancel-gallery");
        c.catalogPath = m_dir.filePath("cancel-gallery.sqlite").toStdString();
        service::GenerationService service(c);
        std::atomic<bool> firstFileThere{false};
        std::atomic<int> rowsAtFirstImage{-1};
        service.subscribe([&](const JobEvent& e) {
            if (e.kind != JobEventKind::ImageSaved)
                return;
            if (e.image->index == 0) { // the batch has five more to go: the first is on disk and listed now
                firstFileThere = QFile::exists(QString::fromStdString(e.image->path));
                catalog::Database db(c.catalogPath);
                rowsAtFirstImage = static_cast<int>(catalog::Gallery(db).count({}));
            }
            if (e.image->index == 1)
                service.cancel(e.id); // the engine stops before the third image's first step
        });
        api::GenerationRequest r = tiny(3);
        r.batchCount = 6;
        const auto job = service.waitFor(service.submit(r));
        QCOMPARE(job->state, JobState::Cancelled);
        QVERIFY(firstFileThere);
        QCOMPARE(rowsAtFirstImage.load(), 1);
        QCOMPARE(job->images.size(), size_t(2)); // the finished images stay listed in the job
        catalog::Database db(c.catalogPath);
        const auto rows = catalog::Gallery(db).search({});
        QCOMPARE(rows.size(), size_t(2));
        QStringList saved;
        for (const auto& image : job->images) {
            QVERIFY(QFile::exists(QString::fromStdString(image.path)));
            QVERIFY(image.catalogId > 0);
            saved << QFileInfo(QString::fromStdString(image.path)).absoluteFilePath();
        }
        for (const auto& row : rows)
            QVERIFY2(saved.contains(QString::fromStdString(row.path)), row.path.c_str());
        QCOMPARE(filesUnder(m_dir.filePath("cancel-gallery")).size(), 2); // no temp files left behind
    }

    void aFailedJobSaysWhyAndTheServiceGoesOn()
    {
        service::GenerationService service(config("failures"));
        api::GenerationRequest missing = tiny(1);
        missing.model = m_dir.filePath("nope.safetensors").toStdString();
        const auto bad = service.waitFor(service.submit(missing));
        QCOMPARE(bad->state, JobState::Failed);
        QCOMPARE(bad->errorCode, api::ErrorCode::FileNotFound);
        QVERIFY(!bad->error.empty());
        api::GenerationRequest zero = tiny(1);
        zero.steps = 0;
        QCOMPARE(service.waitFor(service.submit(zero))->errorCode, api::ErrorCode::InvalidRequest);
        QCOMPARE(service.waitFor(service.submit(tiny(1)))->state, JobState::Done);
    }

    void anotherGeneratorGoesThroughTheSamePath()
    {
        // Naming, saving, gallery rows and events are the service's, whatever makes the pixels;
        // setGenerator applies to the jobs that start later, and null brings the local engine back.
        service::ServiceConfig c = config("generator");
        c.catalogPath = m_dir.filePath("generator.sqlite").toStdString();
        auto fake = std::make_shared<FakeGenerator>();
        c.generator = fake;
        service::GenerationService service(c);
        const auto job = service.waitFor(service.submit(tiny(1)));
        QCOMPARE(job->state, JobState::Done);
        QCOMPARE(fake->runs.load(), 1);
        QCOMPARE(job->images.size(), size_t(1));
        QVERIFY(QString::fromStdString(job->images[0].path).startsWith(m_dir.filePath("generator")));
        QVERIFY(QString::fromStdString(job->images[0].path).endsWith("-99.png"));
        QVERIFY(job->images[0].catalogId > 0);
        QCOMPARE(job->warnings, std::vector<std::string>{"from elsewhere"});
        std::ifstream file(job->images[0].path, std::ios::binary);
        const std::vector<unsigned char> png((std::istreambuf_iterator<char>(file)), {});
        QCOMPARE(image::readPngText(png).at("parameters"), std::string("a red apple\nSteps: 1, Seed: 99, Size: 16x8"));

        service.setGenerator(nullptr);
        const auto local = service.waitFor(service.submit(tiny(1)));
        QCOMPARE(local->state, JobState::Done);
        QCOMPARE(fake->runs.load(), 1);
        QCOMPARE(local->images.at(0).image.seed, std::int64_t(11));
        service.setGenerator(fake);
        QCOMPARE(service.waitFor(service.submit(tiny(1)))->state, JobState::Done);
        QCOMPARE(fake->runs.load(), 2);
    }

    void generateForeverRepeatsUntilCancelled()
    {
        service::GenerationService service(config("forever"));
        std::atomic<int> done{0};
        service.subscribe([&](const JobEvent& e) { done += e.kind == JobEventKind::Finished && e.state == JobState::Done; });
        api::GenerationRequest r = tiny(1);
        r.seed = -1;
        service.setGenerateForever(true, r);
        QTRY_VERIFY_WITH_TIMEOUT(done.load() >= 2, 60000);
        service.cancelAll();
        QVERIFY(!service.generateForever());
        service.waitIdle();
        // Random seeds: the images differ.
        const auto jobs = service.jobs();
        QVERIFY(jobs.size() >= 2);
        QVERIFY(jobs[0].resolvedSeed != jobs[1].resolvedSeed);
    }
};

QTEST_GUILESS_MAIN(TestGenerationService)
#include "test_generation_service.moc"
